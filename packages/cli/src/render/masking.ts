/**
 * Every byte the CLI prints passes through the engine's masker (SPEC §14 Masking): rather than trusting
 * each command to remember, the two output streams themselves are wrapped once, so progress, previews,
 * `-o json`, Markdown and error messages are all covered, including ones added later.
 */
type Write = NodeJS.WriteStream['write'];

const wrapped = new WeakSet<NodeJS.WriteStream>();

/** Wraps `write` of each stream so text is masked before it leaves the process. Idempotent. */
export function installOutputMasking(
  mask: (text: string) => string,
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) {
    if (wrapped.has(stream)) continue;
    wrapped.add(stream);
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const masked = (chunk: unknown, ...rest: unknown[]): boolean => {
      if (typeof chunk === 'string') return write(mask(chunk), ...rest);
      if (chunk instanceof Uint8Array) return write(mask(Buffer.from(chunk).toString('utf8')), ...rest);
      return write(chunk, ...rest);
    };
    stream.write = masked as Write;
  }
}
