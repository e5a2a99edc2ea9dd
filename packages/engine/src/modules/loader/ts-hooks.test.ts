import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SelectPackages } from './protocol.js';
import { initialize, packageOf, resolve } from './ts-hooks.js';

const selectedBase = 'file:///home/u/.kusion/modules/npm/@acme/redis/3.0.0/';
const channel = new MessageChannel();
// The hooks as the worker registers them.
beforeAll(() => initialize({ bundledBase: 'file:///cli/dist/context.js', port: channel.port2 }));
afterAll(() => channel.port1.close());

/** Tells the hooks the workspace's package versions over their port, as the worker does before main.ts. */
async function hooksWith(packages: SelectPackages['packages']): Promise<void> {
  const answered = once(channel.port1, 'message');
  channel.port1.postMessage({ packages } satisfies SelectPackages);
  expect(await answered).toEqual(['selected']);
}

/** Resolves like the hook, recording the parent the default resolver was asked to resolve from. */
async function parentUsed(specifier: string, parentURL: string): Promise<string | undefined> {
  let used: string | undefined;
  await resolve(specifier, { parentURL, conditions: [], importAttributes: {} }, async (_s, context) => {
    used = context.parentURL;
    return { url: 'file:///resolved.js' };
  });
  return used;
}

describe('ts-hooks resolve', () => {
  it("resolves main.ts imports of a selected package, and its subpaths, from the workspace's version", async () => {
    await hooksWith({ '@acme/redis': selectedBase });
    expect(await parentUsed('@acme/redis', 'file:///p/dev/main.ts')).toBe(selectedBase);
    expect(await parentUsed('@acme/redis/builders', 'file:///p/dev/lib/apps.ts')).toBe(selectedBase);
  });

  it('leaves other packages, relative imports and installed code to the default resolution', async () => {
    await hooksWith({ '@acme/redis': selectedBase });
    expect(await parentUsed('@acme/redis-extra', 'file:///p/dev/main.ts')).toBe('file:///p/dev/main.ts');
    expect(await parentUsed('./redis.js', 'file:///p/dev/main.ts')).toBe('file:///p/dev/main.ts');
    const installed = 'file:///p/node_modules/@acme/other/index.js';
    expect(await parentUsed('@acme/redis', installed)).toBe(installed);
  });

  it('resolves @kusion/* from the running CLI', async () => {
    await hooksWith({});
    expect(await parentUsed('@kusion/catalog', 'file:///p/dev/main.ts')).toBe('file:///cli/dist/context.js');
  });
});

describe('packageOf', () => {
  it('names the package of a bare specifier, and nothing for paths and URLs', () => {
    expect(packageOf('@acme/redis/builders')).toBe('@acme/redis');
    expect(packageOf('lodash/fp')).toBe('lodash');
    expect(packageOf('./x.js')).toBeUndefined();
    expect(packageOf('/abs/x.js')).toBeUndefined();
    expect(packageOf('node:fs')).toBeUndefined();
    expect(packageOf('file:///x.js')).toBeUndefined();
  });
});
