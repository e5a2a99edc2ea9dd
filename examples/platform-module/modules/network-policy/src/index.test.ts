import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { assertDeterministic, testRequest } from '@kusion/module-sdk/testing';
import module, { DeveloperInputs, PlatformInputs } from './index.js';

// Inputs as the engine passes them: validated, with schema defaults applied.
const request = testRequest({
  role: 'accessory',
  accessory: 'policy',
  inputs: DeveloperInputs.parse({ allowFrom: ['storefront', 'checkout'], ports: [8080] }),
  platform: PlatformInputs.parse({ alwaysAllowFrom: ['monitoring'] }),
});

test('generate matches the golden file', async () => {
  const result = await module.generate(request);
  const actual = `${JSON.stringify(result, null, 2)}\n`;
  const golden = new URL('./golden.json', import.meta.url);
  if (process.env.UPDATE_GOLDEN) await writeFile(golden, actual);
  assert.equal(actual, await readFile(golden, 'utf8'));
});

test('generate is deterministic', async () => {
  await assertDeterministic(module, request);
});

test('the platform can shut out the rest of the namespace', async () => {
  const closed = await module.generate({
    ...request,
    platform: PlatformInputs.parse({ allowSameNamespace: false }),
  });
  const policy = closed.resources[0]?.attributes as { spec: { ingress: { from: object[] }[] } } | undefined;
  assert.deepEqual(policy?.spec.ingress[0]?.from, [
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'checkout' } } },
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storefront' } } },
  ]);
});

test('a misspelt input is refused by the schema the engine validates with', () => {
  assert.equal(DeveloperInputs.safeParse({ allowform: ['x'] }).success, false);
});
