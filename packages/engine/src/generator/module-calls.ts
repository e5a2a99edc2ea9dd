import type { JsonObject } from '../model/index.js';
import type { LoadedModule } from '../modules/index.js';

/** One module invocation, as much as the pipeline needs to know of it. */
export interface ModuleCall {
  readonly module: LoadedModule;
  /** Builds the request; only called when the call is sent. */
  readonly request: () => JsonObject;
}

/** How many calls are sent ahead of the one being consumed. */
const window = 16;

/**
 * Module calls of all apps, sent ahead of their use: the apps' invocations are independent (SPEC §8.1
 * step 5d), so while the main thread checks and patches one app's resources the module worker already
 * generates the next ones, instead of both waiting for each round-trip in turn. Results are consumed in
 * the original order, so output and error reporting do not change. Exec modules (a process per call)
 * are only started when consumed, as before.
 */
export class ModuleCalls {
  private readonly calls: readonly ModuleCall[];
  private readonly index = new Map<ModuleCall, number>();
  private readonly started = new Map<number, Promise<unknown>>();
  private nextToStart = 0;

  constructor(calls: readonly ModuleCall[]) {
    this.calls = calls;
    calls.forEach((call, i) => {
      this.index.set(call, i);
    });
  }

  /** The result of `call`, sending it (and the next few) if not sent yet. */
  result(call: ModuleCall): Promise<unknown> {
    const i = this.index.get(call);
    if (i === undefined) return call.module.generate(call.request());
    for (; this.nextToStart < this.calls.length && this.nextToStart <= i + window; this.nextToStart++) {
      const ahead = this.calls[this.nextToStart] as ModuleCall;
      if (ahead.module.isExec && this.nextToStart !== i) continue;
      const sent = ahead.module.generate(ahead.request());
      // A call sent ahead may fail after an earlier failure ended the run: never an unhandled rejection.
      sent.catch(() => undefined);
      this.started.set(this.nextToStart, sent);
    }
    const sent = this.started.get(i);
    this.started.delete(i);
    return sent ?? call.module.generate(call.request());
  }
}
