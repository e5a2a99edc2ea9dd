import { Worker } from 'node:worker_threads';
import type { JsonObject } from '../../model/index.js';
import type {
  HookData,
  ModuleDescription,
  WorkerFailure,
  WorkerRequest,
  WorkerResponse,
} from './protocol.js';

/** A request that failed inside the worker (the module threw, or was not a module). */
export class WorkerCallError extends Error {
  override readonly name = 'WorkerCallError';
  readonly failure: WorkerFailure;
  constructor(failure: WorkerFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

/** The request timed out; the worker was stopped because the module may be stuck in a loop. */
export class WorkerTimeoutError extends Error {
  override readonly name = 'WorkerTimeoutError';
}

type Pending = { resolve: (response: WorkerResponse) => void; reject: (error: unknown) => void };
type Payload<T extends WorkerRequest['type']> = Omit<Extract<WorkerRequest, { type: T }>, 'id' | 'type'>;

/**
 * The main thread's handle on the module worker. Started lazily on first use, so commands that load no
 * module never pay for it; restarted after a timeout, since the stuck worker had to be terminated.
 */
export class ModuleWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly loaded = new Map<string, string>();
  private readonly needsHooks = new Map<string, boolean>();

  private readonly hookData: HookData;

  constructor(hookData: HookData) {
    this.hookData = hookData;
  }

  /** Starts the worker thread now, so it boots while the caller does other work. */
  start(): void {
    this.ensureWorker();
  }

  async load(key: string, url: string, needsHooks = true): Promise<ModuleDescription> {
    const response = await this.call('load', { key, url, needsHooks }, 60_000);
    this.loaded.set(key, url);
    this.needsHooks.set(key, needsHooks);
    if (!('description' in response)) throw new TypeError('unexpected worker response');
    return response.description;
  }

  async generate(
    key: string,
    request: JsonObject,
    dirs: { projectDir: string; stackDir: string },
    timeoutMs: number,
  ): Promise<unknown> {
    const response = await this.call(
      'generate',
      { key, request: JSON.stringify(request), ...dirs },
      timeoutMs,
    );
    if (!('result' in response)) throw new TypeError('unexpected worker response');
    return JSON.parse(response.result) as unknown;
  }

  /** Evaluates main.ts; its imports of `packages` (name → directory URL) resolve there. */
  async evaluate(
    url: string,
    args: Readonly<Record<string, string>>,
    packages: Readonly<Record<string, string>> = {},
  ): Promise<{ apps: unknown; positions: ReadonlyMap<string, string> }> {
    const response = await this.call('evaluate', { url, args, packages }, 60_000);
    if (!('apps' in response)) throw new TypeError('unexpected worker response');
    return { apps: response.apps, positions: new Map(response.positions) };
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      env: {},
      workerData: this.hookData,
      stdout: false,
      stderr: false,
    });
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      this.pending.delete(response.id);
      pending?.resolve(response);
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new WorkerCallError({ message: 'the module worker exited', nonDeterministic: false }));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: unknown): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  /** Settles when every call sent so far has settled: the worker answers in order, one at a time. */
  private previousSettled: Promise<void> = Promise.resolve();

  /**
   * Sends a request. Callers may send several without waiting (generate pipelines module calls), so a
   * call's timeout only starts once the calls sent before it have settled: time spent queued behind
   * them is not counted against it.
   */
  private async call<T extends WorkerRequest['type']>(
    type: T,
    payload: Payload<T>,
    timeoutMs: number,
  ): Promise<WorkerResponse> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const previous = this.previousSettled;
    const answered = new Promise<WorkerResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      void previous.then(() => {
        if (settled) return;
        timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new WorkerTimeoutError(`no answer within ${timeoutMs} ms`));
          void this.restart();
        }, timeoutMs);
      });
      const settle = () => {
        settled = true;
        if (timer) clearTimeout(timer);
      };
      this.pending.set(id, {
        resolve: (r) => {
          settle();
          resolve(r);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      });
      worker.postMessage({ type, id, ...payload });
    });
    this.previousSettled = answered.then(
      () => undefined,
      () => undefined,
    );
    const response = await answered;
    if (!response.ok) throw new WorkerCallError(response.error);
    return response;
  }

  /** After a timeout the worker is terminated; modules loaded before are loaded again on next use. */
  private async restart(): Promise<void> {
    await this.close();
    const loaded = [...this.loaded];
    this.loaded.clear();
    for (const [key, url] of loaded)
      await this.load(key, url, this.needsHooks.get(key) ?? true).catch(() => undefined);
  }
}
