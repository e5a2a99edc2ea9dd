/**
 * Makes clock and randomness APIs throw, so modules and main.ts stay pure functions of their input
 * (SPEC §3.4, §5.4). Installed once in the module worker; never in the main thread.
 */
export class NonDeterminismError extends Error {
  override readonly name = 'NonDeterminismError';
}

export function installDeterminismGuards(): void {
  const forbid = (api: string) => () => {
    throw new NonDeterminismError(`${api} is not allowed: modules and main.ts must be deterministic`);
  };
  Math.random = forbid('Math.random');
  const RealDate = Date;
  const GuardedDate = function (this: unknown, ...args: unknown[]) {
    if (args.length === 0) forbid('new Date()')();
    return new RealDate(...(args as [string]));
  } as unknown as DateConstructor;
  Object.setPrototypeOf(GuardedDate, RealDate);
  Object.defineProperty(GuardedDate, 'prototype', { value: RealDate.prototype });
  GuardedDate.now = forbid('Date.now');
  globalThis.Date = GuardedDate;
  const cryptoObject = globalThis.crypto;
  Object.defineProperty(cryptoObject, 'randomUUID', { value: forbid('crypto.randomUUID') });
  Object.defineProperty(cryptoObject, 'getRandomValues', { value: forbid('crypto.getRandomValues') });
}
