import { describe, expect, it } from 'vitest';
import { installOutputMasking } from './masking.js';

/** A stream that keeps what it is given, standing in for stdout. */
function recordingStream(): NodeJS.WriteStream & { written: unknown[] } {
  const written: unknown[] = [];
  return {
    written,
    write(chunk: unknown) {
      written.push(chunk);
      return true;
    },
  } as unknown as NodeJS.WriteStream & { written: unknown[] };
}

const mask = (text: string) => text.replaceAll('s3cr3t-value', '(sensitive)');

describe('installOutputMasking', () => {
  it('masks strings and byte chunks before they reach the stream', () => {
    const stream = recordingStream();
    installOutputMasking(mask, [stream]);
    stream.write('token=s3cr3t-value\n');
    stream.write(Buffer.from('{"v":"s3cr3t-value"}'));
    expect(stream.written).toEqual(['token=(sensitive)\n', '{"v":"(sensitive)"}']);
  });

  it('wraps a stream once, however often it is installed', () => {
    const stream = recordingStream();
    let calls = 0;
    const counting = (text: string) => {
      calls += 1;
      return text;
    };
    installOutputMasking(counting, [stream]);
    installOutputMasking(counting, [stream]);
    stream.write('x');
    expect(calls).toBe(1);
  });
});
