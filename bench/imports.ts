/**
 * Cost of importing each dependency of the CLI's generate path on its own, in a fresh process (the time
 * `await import()` takes, measured inside the child, so node's own start-up is excluded). Costs overlap:
 * `@kusion/engine` includes yaml, zod, ajv, … For diagnosis of start-up, next to bench/profile.ts.
 *
 *   npx tsc -b && npx tsx bench/imports.ts [--runs 7] [--budget 120]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage, machineLine, repoRoot } from './lib/machine.js';
import { timeProcess } from './lib/measure.js';
import { ms, summarize, table } from './lib/stats.js';

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    budget: { type: 'string', default: '120' },
  },
});

/** Specifier → the package directory it is resolved from. */
const SPECIFIERS: readonly (readonly [string, string])[] = [
  ['@commander-js/extra-typings', 'packages/cli'],
  ['@kusion/engine', 'packages/cli'],
  ['@kusion/catalog', 'packages/cli'],
  ['@kusion/module-sdk', 'packages/catalog'],
  ['yaml', 'packages/engine'],
  ['zod', 'packages/engine'],
  ['ajv/dist/2020.js', 'packages/engine'],
  ['ajv-formats', 'packages/engine'],
  ['execa', 'packages/engine'],
  ['semver', 'packages/engine'],
  ['write-file-atomic', 'packages/engine'],
  ['fast-json-patch', 'packages/engine'],
  ['dependency-graph', 'packages/engine'],
];

const script = (specifier: string): string =>
  `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;

const loadBefore = loadAverage();
const samples = SPECIFIERS.map((): number[] => []);
const start = performance.now();
for (let round = 0; round < Number(opts.runs); round++) {
  SPECIFIERS.forEach(([specifier, dir], i) => {
    const result = timeProcess({
      label: `import ${specifier}`,
      command: process.execPath,
      args: ['--input-type=module', '-e', script(specifier)],
      cwd: join(repoRoot, dir),
      timeoutMs: 30_000,
    });
    samples[i]!.push(Number(result.stdout));
  });
  if (performance.now() - start > Number(opts.budget) * 1000) break;
}

console.log(`## import cost, fresh process each — ${new Date().toISOString()}\n`);
console.log(`${machineLine()}\nload average before ${loadBefore}, after ${loadAverage()}\n`);
const rows = SPECIFIERS.map(([specifier], i) => {
  const s = summarize(samples[i]!);
  return { specifier, s };
})
  .sort((a, b) => b.s.median - a.s.median)
  .map(({ specifier, s }) => [`\`${specifier}\``, String(s.runs), ms(s.median), ms(s.min)]);
console.log(table(['import', 'runs', 'median', 'min'], rows));
