/**
 * Replays recorded HTTP exchanges on 127.0.0.1: each incoming request must match the next recording's
 * method, `X-Amz-Target` header and JSON body, and gets that recording's response. A mismatch answers 599
 * and is kept in `mismatches`, so a test fails on what the client really sent.
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';

export interface RecordedExchange {
  /** What the exchange shows, for failure messages. */
  readonly name: string;
  readonly request: { readonly method: string; readonly target: string; readonly body: unknown };
  readonly response: {
    readonly status: number;
    readonly headers: Record<string, string>;
    readonly body: unknown;
  };
}

export interface ReplayServer {
  readonly url: string;
  /** Requests that did not match the expected recording. */
  readonly mismatches: string[];
  /** Recordings not replayed yet. */
  remaining(): number;
  close(): Promise<void>;
}

export async function startReplayServer(recordings: readonly RecordedExchange[]): Promise<ReplayServer> {
  const queue = [...recordings];
  const mismatches: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const expected = queue.shift();
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const got = { method: req.method, target: req.headers['x-amz-target'], body };
      if (!expected || !isDeepStrictEqual(got, expected.request)) {
        mismatches.push(`expected ${JSON.stringify(expected?.request)}, got ${JSON.stringify(got)}`);
        res.writeHead(599, { 'content-type': 'text/plain' });
        res.end('no recording matches this request');
        return;
      }
      res.writeHead(expected.response.status, expected.response.headers);
      res.end(JSON.stringify(expected.response.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mismatches,
    remaining: () => queue.length,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
