/**
 * The module worker: loads module definitions and main.ts, and runs `generate`, with clock and randomness
 * guarded and an empty environment. One per generate run; the main thread talks to it through messages.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { isAbsolute, relative, resolve as resolvePath } from 'node:path';
import { MessageChannel, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { callSites, isModuleDefinition, type ModuleDefinition } from '@kusion/module-sdk';
import { installDeterminismGuards, NonDeterminismError } from './guards.js';
import type {
  HookData,
  HooksInit,
  SelectPackages,
  WorkerFailure,
  WorkerRequest,
  WorkerResponse,
} from './protocol.js';

const port = parentPort;
if (!port) throw new TypeError('the module worker must run in a worker thread');
process.setSourceMapsEnabled(true);
installDeterminismGuards();

let hooksPort: MessagePort | undefined;
/** The TypeScript and `@kusion/*` hooks start a loader thread: registered only once something needs them. */
function ensureHooks(): MessagePort {
  if (!hooksPort) {
    const { port1, port2 } = new MessageChannel();
    const data: HooksInit = { ...(workerData as HookData), port: port2 };
    register('./ts-hooks.js', import.meta.url, { data, transferList: [port2] });
    hooksPort = port1;
  }
  return hooksPort;
}

/** Tells the hooks which package versions main.ts imports resolve to, and waits until they know. */
async function selectPackages(packages: SelectPackages['packages']): Promise<void> {
  const port = ensureHooks();
  const answered = once(port, 'message');
  port.postMessage({ packages } satisfies SelectPackages);
  await answered;
}

const modules = new Map<string, ModuleDefinition>();

port.on('message', (message: WorkerRequest) => {
  void handle(message).then((response) => port.postMessage(response));
});

async function handle(message: WorkerRequest): Promise<WorkerResponse> {
  try {
    switch (message.type) {
      case 'load':
        if (message.needsHooks) ensureHooks();
        return { id: message.id, ok: true, description: await loadModule(message.key, message.url) };
      case 'generate':
        return { id: message.id, ok: true, result: await generate(message) };
      case 'evaluate':
        await selectPackages(message.packages);
        return { id: message.id, ok: true, ...(await evaluate(message.url, message.args)) };
    }
  } catch (error) {
    return { id: message.id, ok: false, error: failure(error) };
  }
}

async function loadModule(key: string, url: string) {
  const imported = (await import(url)) as { default?: unknown };
  const definition = imported.default;
  if (!isModuleDefinition(definition)) {
    throw Object.assign(new TypeError(`${url} does not default-export a module made with defineModule()`), {
      notAModule: true,
    });
  }
  modules.set(key, definition);
  return {
    name: definition.name,
    version: definition.version,
    developerSchema: definition.developerJsonSchema,
    platformSchema: definition.platformJsonSchema,
  };
}

async function generate(message: Extract<WorkerRequest, { type: 'generate' }>): Promise<string> {
  const definition = modules.get(message.key);
  if (!definition) throw new TypeError(`module ${message.key} was not loaded`);
  const readFile = (path: string): string => {
    const absolute = resolvePath(message.stackDir, path);
    const fromRoot = relative(message.projectDir, absolute);
    if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
      throw new RangeError(`readFile(${path}): modules may only read files below the project directory`);
    }
    return readFileSync(absolute, 'utf8');
  };
  const request = JSON.parse(message.request) as Record<string, unknown>;
  const result = await definition.generate({ ...request, readFile } as never);
  // Only plain JSON crosses the boundary: functions, undefined and class instances are dropped here.
  return JSON.stringify(result ?? null);
}

const argsKey = Symbol.for('kusion.io/args');

async function evaluate(url: string, args: Readonly<Record<string, string>>) {
  (globalThis as { [argsKey]?: unknown })[argsKey] = args;
  const imported = (await import(url)) as { default?: unknown };
  const apps = imported.default;
  const positions: [string, string][] = [];
  const sites = callSites();
  const walk = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null) return;
    const site = sites.get(value);
    if (site) positions.push([path, site]);
    for (const [key, child] of Object.entries(value)) {
      walk(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    }
  };
  walk(apps, '');
  return { apps: JSON.parse(JSON.stringify(apps ?? null)) as unknown, positions };
}

function failure(error: unknown): WorkerFailure {
  const base = error instanceof Error ? error : new Error(String(error));
  return {
    message: base.message,
    ...(base.stack ? { stack: base.stack } : {}),
    nonDeterministic: base instanceof NonDeterminismError,
    ...((base as { notAModule?: boolean }).notAModule ? { notAModule: true } : {}),
  };
}
