import type { JsonObject } from './types.js';

/** A reference to a module with its developer inputs, as written in an AppConfiguration. */
export type ModuleUse<Inputs = JsonObject> = Inputs & { readonly module: string };

/** One app of an AppConfiguration (SPEC §3.3). */
export interface App {
  readonly workload: ModuleUse<object>;
  readonly accessories?: Readonly<Record<string, ModuleUse<object>>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The default export of `main.ts`: app name → app. */
export type Apps = Readonly<Record<string, App>>;

const callSitesKey = Symbol.for('kusion.io/call-sites');
const argsKey = Symbol.for('kusion.io/args');

type Registry = { [callSitesKey]?: WeakMap<object, string>; [argsKey]?: Readonly<Record<string, string>> };

/** Where each builder call happened (`file:line:col`), so validation errors can point at `main.ts`. */
export function callSites(): WeakMap<object, string> {
  const registry = globalThis as Registry;
  registry[callSitesKey] ??= new WeakMap();
  return registry[callSitesKey];
}

/** Identity function that gives `main.ts` its types. */
export function defineApps<T extends Apps>(apps: T): T {
  return apps;
}

/** The `-D key=value` arguments of the current generate. */
export function args(): Readonly<Record<string, string>> {
  return (globalThis as Registry)[argsKey] ?? {};
}

/**
 * Makes the typed builder of a module for `main.ts`: it returns `{module, ...inputs}` and records the
 * caller's position.
 */
export function moduleBuilder<Inputs extends object>(
  moduleName: string,
): (inputs: Inputs) => ModuleUse<Inputs> {
  return (inputs: Inputs) => {
    const use = { module: moduleName, ...inputs } as ModuleUse<Inputs>;
    const site = callerPosition(new Error().stack);
    if (site) callSites().set(use, site);
    return use;
  };
}

/** The third stack frame is the builder's caller: [message, builder, caller]. */
function callerPosition(stack: string | undefined): string | undefined {
  const frame = stack?.split('\n')[2];
  const match = frame?.match(/\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/);
  if (!match) return undefined;
  const file = (match[1] ?? '').replace(/^file:\/\//, '');
  return `${file}:${match[2]}:${match[3]}`;
}
