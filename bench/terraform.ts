/**
 * `kusion apply` of 20 Terraform resources of one provider against a plain `tofu apply` of the same
 * configuration, measured in the same rounds (issue #5 target: ≤ 1.5×). Both start from an empty state with
 * warm provider caches: Kusion from a stack it never applied (its `init` is inside the measurement), OpenTofu
 * in a directory already `init`ed (its `init` is not measured, which favours the reference).
 *
 *   npm run build && npx tsx bench/terraform.ts [--resources 20] [--runs 5] [--budget 300]
 *
 * Needs the testbed's OpenTofu and provider mirror (`npm run testbed:build`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadManifest } from '../test/testbed/index.js';
import { cliPath, machineLine } from './lib/machine.js';
import { type RunSpec, timeProcess } from './lib/measure.js';
import { ms, ratio, summarize, table } from './lib/stats.js';

const { values: opts } = parseArgs({
  options: {
    resources: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    budget: { type: 'string', default: '300' },
  },
});
const TARGET = 1.5;
const count = Number(opts.resources);
const manifest = await loadManifest();
const provider = manifest.tofu.providers.find((p) => p.source.endsWith('/kusiontest'));
if (!provider) throw new Error('the testbed mirror has no kusiontest provider: run npm run testbed:build');
const names = Array.from({ length: count }, (_, i) => `secret-${String(i + 1).padStart(3, '0')}`);

const spec = {
  resources: names.map((name) => ({
    id: `kusion:kusiontest:kusiontest_password:${name}`,
    type: 'Terraform',
    attributes: { length: 24, special: false },
    extensions: {
      provider: `${provider.source}/${provider.version}`,
      providerMeta: {},
      resourceType: 'kusiontest_password',
    },
  })),
  secretStore: null,
  context: {},
  outputs: {},
};
const tofuConfig = {
  terraform: { required_providers: { kusiontest: { source: provider.source, version: provider.version } } },
  provider: { kusiontest: [{}] },
  resource: {
    kusiontest_password: Object.fromEntries(names.map((n) => [n, { length: 24, special: false }])),
  },
};

const root = mkdtempSync(join(tmpdir(), 'kusion-bench-terraform-'));
try {
  const home = join(root, 'home');
  const project = join(root, 'project');
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, 'project.yaml'), 'name: bench\n');
  writeFileSync(
    join(project, 'workspace.yaml'),
    stringify({
      runtimes: { terraform: { binary: manifest.tofu.bin, cliConfigFile: manifest.tofu.cliConfigFile } },
    }),
  );
  const tofuEnv = {
    PATH: process.env['PATH'] ?? '',
    HOME: root,
    TF_CLI_CONFIG_FILE: manifest.tofu.cliConfigFile,
    TF_PLUGIN_CACHE_DIR: join(root, 'tofu-plugins'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  mkdirSync(tofuEnv.TF_PLUGIN_CACHE_DIR);
  const kusionEnv = {
    ...process.env,
    KUSION_HOME: home,
    NO_COLOR: '1',
    KUSION_STATE_KEY: Buffer.alloc(32, 3).toString('base64'),
  };
  let round = 0;
  /** A stack Kusion never applied: empty state, the same warm plugin cache. */
  const kusionRun = (): RunSpec => {
    round += 1;
    const stack = join(project, `s${round}`);
    mkdirSync(stack);
    writeFileSync(join(stack, 'stack.yaml'), `name: s${round}\n`);
    writeFileSync(join(stack, 'spec.yaml'), stringify(spec));
    return {
      label: 'kusion apply',
      command: process.execPath,
      args: [
        cliPath(),
        'apply',
        '--spec-file',
        'spec.yaml',
        '--workspace-file',
        '../workspace.yaml',
        '--yes',
      ],
      cwd: stack,
      env: kusionEnv,
      timeoutMs: 300_000,
    };
  };
  /** A directory with the same configuration, `init`ed (not measured). */
  const tofuRun = (): RunSpec => {
    round += 1;
    const dir = join(root, `tofu-${round}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(tofuConfig, null, 2));
    timeProcess({
      label: 'tofu init',
      command: manifest.tofu.bin,
      args: ['init', '-input=false'],
      cwd: dir,
      env: tofuEnv,
      timeoutMs: 120_000,
    });
    return {
      label: 'tofu apply',
      command: manifest.tofu.bin,
      args: ['apply', '-auto-approve', '-input=false'],
      cwd: dir,
      env: tofuEnv,
      timeoutMs: 300_000,
    };
  };
  timeProcess(kusionRun()); // warm-up: fills Kusion's plugin cache and the validator cache
  timeProcess(tofuRun());
  const samples = { kusion: [] as number[], tofu: [] as number[] };
  const start = performance.now();
  for (let i = 0; i < Number(opts.runs); i++) {
    samples.tofu.push(timeProcess(tofuRun()).wallMs);
    samples.kusion.push(timeProcess(kusionRun()).wallMs);
    if (performance.now() - start > Number(opts.budget) * 1000) break;
  }
  const tofu = summarize(samples.tofu);
  const kusion = summarize(samples.kusion);
  const verdict = kusion.median / tofu.median <= TARGET ? 'PASS' : 'FAIL';
  console.log(machineLine());
  console.log(`${count} kusiontest_password resources, ${samples.kusion.length} runs each, interleaved\n`);
  console.log(
    table(
      ['command', 'median', 'min', 'max', 'vs tofu apply'],
      [
        ['tofu apply (init done)', ms(tofu.median), ms(tofu.min), ms(tofu.max), '1.00×'],
        [
          'kusion apply (from empty)',
          ms(kusion.median),
          ms(kusion.min),
          ms(kusion.max),
          ratio(kusion.median, tofu.median),
        ],
      ],
    ),
  );
  console.log(`\nTarget ≤ ${TARGET}× (median): ${verdict}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
