import type { MessagePort } from 'node:worker_threads';
import type { JsonObject } from '../../model/index.js';

/** What the main thread asks the module worker. */
export type WorkerRequest =
  | {
      readonly type: 'load';
      readonly id: number;
      readonly key: string;
      readonly url: string;
      /** False for built-ins: plain JavaScript that resolves its own imports, so no loader hooks are needed. */
      readonly needsHooks: boolean;
    }
  | {
      readonly type: 'generate';
      readonly id: number;
      readonly key: string;
      /**
       * The request as JSON text. Requests and results cross as strings: JSON text is much cheaper to
       * pass between threads than the structured clone of the objects it describes.
       */
      readonly request: string;
      /** Root below which `req.readFile` may read. */
      readonly projectDir: string;
      /** Base for relative `readFile` paths (the stack directory). */
      readonly stackDir: string;
    }
  | {
      readonly type: 'evaluate';
      readonly id: number;
      readonly url: string;
      readonly args: Readonly<Record<string, string>>;
      /** Package name → directory URL it resolves from: the versions the workspace selected. */
      readonly packages: Readonly<Record<string, string>>;
    };

/** A module's self-description, as `describe` returns it (SPEC §5.5). */
export interface ModuleDescription {
  readonly name: string;
  readonly version: string;
  readonly developerSchema: JsonObject;
  readonly platformSchema: JsonObject;
}

/** The worker's answers, matched to requests by `id`. */
export type WorkerResponse =
  | { readonly id: number; readonly ok: true; readonly description: ModuleDescription }
  /** `result`: the module's result as JSON text, so functions, undefined and class instances are gone. */
  | { readonly id: number; readonly ok: true; readonly result: string }
  | {
      readonly id: number;
      readonly ok: true;
      readonly apps: unknown;
      readonly positions: readonly (readonly [string, string])[];
    }
  | { readonly id: number; readonly ok: false; readonly error: WorkerFailure };

export interface WorkerFailure {
  readonly message: string;
  readonly stack?: string;
  /** True when a non-deterministic API (clock, randomness) was called. */
  readonly nonDeterministic: boolean;
  /** True when the default export is not a module definition. */
  readonly notAModule?: boolean;
}

/** Data handed to the loader hooks when they are registered in the worker. */
export interface HookData {
  /** A file URL from which `@kusion/*` imports resolve to the copies bundled with the running CLI. */
  readonly bundledBase: string;
}

/** What the hooks are registered with: the worker's data and the port the worker talks to them on. */
export interface HooksInit extends HookData {
  readonly port: MessagePort;
}

/** What the worker tells the hooks (on `HooksInit.port`) before evaluating main.ts; they answer `'selected'`. */
export interface SelectPackages {
  readonly packages: Readonly<Record<string, string>>;
}
