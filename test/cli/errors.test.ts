/**
 * Bad input through the built CLI (SPEC §16.3): every case must fail with exit code 1, the exact error code
 * and location (`file:line:col`, `workspace <name>:line:col`, a resource ID, or a module invocation
 * `<app>/<accessory or workload>/<module>@<version>`), and no stack trace. Cases without a location also
 * check the JSON form (`-o json`: `{"error": …}` on stdout); the last test checks both forms with several
 * problems at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenExecModules, probeModule, probeWorkspace, webService } from './fixtures.js';
import {
  assertCliBuilt,
  type Files,
  lines,
  makeProject,
  parseJsonError,
  removeProjects,
  stackTraceLines,
} from './helpers.js';

interface BadCase {
  readonly name: string;
  /** The project's files; `project.yaml` (shop) and `dev/stack.yaml` (dev) are added unless given. */
  readonly files: Files;
  readonly args: readonly string[];
  /** Working directory relative to the project. @default dev */
  readonly cwd?: string;
  readonly code: string;
  /** The exact location, or null when the problem has none (e.g. a workspace name that does not exist). */
  readonly location: string | null;
  /** Text the message must contain. */
  readonly message: string;
  /** Text the first hint must contain. */
  readonly hint?: string;
}

const ws = ['--workspace-file', '../workspaces/prod.yaml'];
const probeApp = (mode: string, second = false) =>
  lines(
    'web:',
    '  workload:',
    '    module: service',
    '    containers: {main: {image: nginx:1.27}}',
    '  accessories:',
    `    one: {module: probe, mode: ${mode}}`,
    ...(second ? [`    two: {module: probe, mode: ${mode}}`] : []),
  );
const withProbe = (main: string, workspace = probeWorkspace): Files => ({
  ...probeModule,
  'workspaces/prod.yaml': workspace,
  'dev/main.yaml': main,
});
const withExec = (module: string): Files => ({
  ...brokenExecModules,
  'workspaces/prod.yaml': lines('modules:', `  ${module}:`, `    source: exec:./modules/bin/${module}`),
  'dev/main.yaml': lines(
    'web:',
    '  workload:',
    '    module: service',
    '    containers: {main: {image: nginx:1.27}}',
    '  accessories:',
    `    x: {module: ${module}}`,
  ),
});

const cases: readonly BadCase[] = [
  // --- YAML syntax (KUS1004), in each kind of file
  {
    name: 'malformed YAML in main.yaml',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx}',
        '  labels: {}',
      ),
    },
    args: ['generate'],
    code: 'KUS1004',
    location: 'main.yaml:5:3',
    message: 'YAML syntax error',
  },
  {
    name: 'malformed YAML in project.yaml',
    files: { 'project.yaml': lines('name: shop', 'labels: {team: web'), 'dev/main.yaml': webService },
    args: ['generate'],
    code: 'KUS1004',
    location: '../project.yaml:3:1',
    message: 'YAML syntax error',
  },
  {
    name: 'malformed YAML in stack.yaml',
    files: {
      'dev/stack.yaml': lines('name: dev', 'description: "unterminated'),
      'dev/main.yaml': webService,
    },
    args: ['generate'],
    code: 'KUS1004',
    location: 'stack.yaml:3:1',
    message: 'YAML syntax error',
  },
  {
    name: 'malformed YAML in a workspace file',
    files: {
      'dev/main.yaml': webService,
      'workspaces/prod.yaml': lines('modules:', '  service:', '    configs: [default'),
    },
    args: ['generate', ...ws],
    code: 'KUS1004',
    location: 'workspace prod:4:1',
    message: 'YAML syntax error',
  },
  {
    name: 'malformed YAML in a workspace at workspace create',
    files: { 'prod.yaml': lines('context:', '  A: 1', ' B: 2') },
    args: ['workspace', 'create', 'prod', '-f', 'prod.yaml'],
    cwd: '.',
    code: 'KUS1004',
    location: 'workspace prod:3:1',
    message: 'YAML syntax error',
  },
  // --- wrong types and unknown fields
  {
    name: 'developer input of the wrong type',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    replicas: two',
        '    containers: {main: {image: nginx}}',
      ),
    },
    args: ['generate'],
    code: 'KUS3001',
    location: 'main.yaml:4:15',
    message: 'web.workload.replicas: must be integer (got "two")',
  },
  {
    name: 'project.yaml field of the wrong type',
    files: { 'project.yaml': lines('name: shop', 'labels: [team]'), 'dev/main.yaml': webService },
    args: ['generate'],
    code: 'KUS1002',
    location: '../project.yaml:2:9',
    message: 'labels: must be object',
  },
  {
    name: 'accessories given as a list',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx}}',
        '  accessories: [net]',
      ),
    },
    args: ['generate'],
    code: 'KUS1005',
    location: 'main.yaml:5:16',
    message: 'web.accessories: must be object',
  },
  {
    name: 'unknown developer input, with did-you-mean',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    replcas: 2',
        '    containers: {main: {image: nginx}}',
      ),
    },
    args: ['generate'],
    code: 'KUS3001',
    location: 'main.yaml:4:5',
    message: 'unknown field "replcas"',
    hint: 'did you mean "replicas"?',
  },
  {
    name: 'unknown field in stack.yaml, with did-you-mean',
    files: { 'dev/stack.yaml': lines('name: dev', 'labls: {tier: web}'), 'dev/main.yaml': webService },
    args: ['generate'],
    code: 'KUS1002',
    location: 'stack.yaml:2:1',
    message: 'unknown field "labls"',
    hint: 'did you mean "labels"?',
  },
  {
    name: 'unknown key of an app, with did-you-mean',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx}}',
        '  accesories: {}',
      ),
    },
    args: ['generate'],
    code: 'KUS1005',
    location: 'main.yaml:5:3',
    message: 'unknown field "accesories"',
    hint: 'did you mean "accessories"?',
  },
  // --- names
  {
    name: 'invalid project name',
    files: { 'project.yaml': 'name: "shop prod"\n', 'dev/main.yaml': webService },
    args: ['generate'],
    code: 'KUS1002',
    location: '../project.yaml:1:7',
    message: 'name: must match pattern',
  },
  {
    name: 'invalid app name',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload: {module: service, containers: {main: {image: nginx}}}',
        'Web_2:',
        '  workload: {module: service, containers: {main: {image: nginx}}}',
      ),
    },
    args: ['generate'],
    code: 'KUS1005',
    location: 'main.yaml:3:1',
    message: 'app name "Web_2" is invalid',
  },
  {
    name: 'invalid accessory name',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: nginx}}',
        '  accessories:',
        '    Net_1: {module: network}',
      ),
    },
    args: ['generate'],
    code: 'KUS1005',
    location: 'main.yaml:6:5',
    message: 'accessory name "Net_1" is invalid',
  },
  // --- stack discovery
  {
    name: 'missing stack.yaml (not in a stack)',
    files: { 'project.yaml': 'name: shop\n', 'app/main.yaml': webService },
    args: ['generate'],
    cwd: 'app',
    code: 'KUS1001',
    location: '.',
    message: 'stack.yaml not found',
  },
  {
    name: 'no project.yaml above the stack',
    files: { '../orphan/stack.yaml': 'name: lonely\n', '../orphan/main.yaml': webService },
    args: ['generate'],
    cwd: '../orphan',
    code: 'KUS1001',
    location: '.',
    message: 'no project.yaml found',
  },
  {
    name: 'both main.yaml and main.ts',
    files: { 'dev/main.yaml': webService, 'dev/main.ts': 'export default {};\n' },
    args: ['generate'],
    code: 'KUS1003',
    location: '.',
    message: 'both main.yaml and main.ts exist',
  },
  {
    name: 'no main file',
    files: {},
    args: ['generate'],
    code: 'KUS1003',
    location: '.',
    message: 'no main.yaml or main.ts',
  },
  {
    name: 'duplicate stack names in a project',
    files: { 'dev/main.yaml': webService, 'prod/stack.yaml': 'name: dev\n', 'prod/main.yaml': webService },
    args: ['generate'],
    code: 'KUS1007',
    location: '../prod/stack.yaml',
    message: 'stack name "dev" is used twice',
  },
  // --- AppConfiguration evaluation
  {
    name: '-D argument unset',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    containers: {main: {image: "nginx:${{ args.tag }}"}}',
      ),
    },
    args: ['generate', '-D', 'other=1'],
    code: 'KUS1005',
    location: 'main.yaml:4:32',
    message: 'argument "tag" is not set',
    hint: '-D tag=',
  },
  {
    name: 'main.ts that throws',
    files: {
      'dev/main.ts': lines(
        "import { defineApps } from '@kusion/module-sdk';",
        "import { service } from '@kusion/catalog';",
        '',
        'const settings: { web?: { replicas: number } } = {};',
        'export default defineApps({',
        '  web: { workload: service({ replicas: settings.web!.replicas, containers: { main: { image: "nginx" } } }) },',
        '});',
      ),
    },
    args: ['generate'],
    code: 'KUS1006',
    location: 'main.ts:6:54',
    message: "Cannot read properties of undefined (reading 'replicas')",
  },
  {
    name: 'main.ts calling Math.random',
    files: {
      'dev/main.ts': lines(
        "import { defineApps } from '@kusion/module-sdk';",
        "import { service } from '@kusion/catalog';",
        '',
        'const replicas = 1 + Math.floor(Math.random() * 3);',
        'export default defineApps({ web: { workload: service({ replicas, containers: { main: { image: "nginx" } } }) } });',
      ),
    },
    args: ['generate'],
    code: 'KUS1006',
    location: 'main.ts:4:38',
    message: 'Math.random is not allowed',
    hint: 'deterministic',
  },
  {
    name: 'main.ts calling Date.now',
    files: {
      'dev/main.ts': lines(
        "import { defineApps } from '@kusion/module-sdk';",
        "import { service } from '@kusion/catalog';",
        '',
        'const image = "nginx:" + String(Date.now());',
        'export default defineApps({ web: { workload: service({ containers: { main: { image } } }) } });',
      ),
    },
    args: ['generate'],
    code: 'KUS1006',
    location: 'main.ts:4:38',
    message: 'Date.now is not allowed',
    hint: 'deterministic',
  },
  {
    name: 'main.ts builder with an invalid developer input',
    files: {
      'dev/main.ts': lines(
        "import { defineApps } from '@kusion/module-sdk';",
        "import { service } from '@kusion/catalog';",
        '',
        'export default defineApps({',
        '  web: {',
        '    workload: service({ replicas: -1, containers: { main: { image: "nginx" } } }),',
        '  },',
        '});',
      ),
    },
    args: ['generate'],
    code: 'KUS3001',
    location: 'main.ts:6:15',
    message: 'web.workload.replicas',
  },
  // --- modules: declaration and resolution
  {
    name: 'unknown module, with the built-in suggestion',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: servce',
        '    containers: {main: {image: nginx}}',
      ),
    },
    args: ['generate'],
    code: 'KUS2004',
    location: 'main.yaml:3:5',
    message: 'module "servce" is not declared',
    hint: 'did you mean the built-in "service"?',
  },
  {
    name: 'local module version outside the workspace range',
    files: withProbe(
      probeApp('ok'),
      lines('modules:', '  probe:', '    source: ./modules/probe', '    version: ^1.0.0'),
    ),
    args: ['generate', ...ws],
    code: 'KUS2006',
    location: 'workspace prod:2:3',
    message: 'module "probe" is version 0.3.0, outside the requested range ^1.0.0',
  },
  {
    name: 'module name differs from the workspace key',
    files: {
      ...withProbe(
        probeApp('ok').replace('module: probe', 'module: prober'),
        lines('modules:', '  prober:', '    source: ./modules/probe'),
      ),
    },
    args: ['generate', ...ws],
    code: 'KUS2007',
    location: 'workspace prod:2:3',
    message: 'module declared as "prober" calls itself "probe"',
  },
  {
    name: 'npm module not installed',
    files: {
      'dev/main.yaml': lines(
        'web:',
        '  workload: {module: service, containers: {main: {image: nginx}}}',
        '  accessories:',
        '    events: {module: kafka-topic}',
      ),
      'workspaces/prod.yaml': lines(
        'modules:',
        '  kafka-topic:',
        '    source: "npm:@acme/kusion-kafka-topic"',
        '    version: ^2.1.0',
      ),
    },
    args: ['generate', ...ws],
    code: 'KUS2005',
    location: 'workspace prod:2:3',
    message: '@acme/kusion-kafka-topic@^2.1.0',
    hint: 'kusion mod pull',
  },
  // --- workspaces
  {
    name: 'workspace not found',
    files: { 'dev/main.yaml': webService },
    args: ['generate', '--workspace', 'staging'],
    code: 'KUS2001',
    location: null,
    message: 'workspace "staging" not found',
    hint: 'kusion workspace list',
  },
  {
    name: 'unknown top-level workspace key, with did-you-mean',
    files: {
      'dev/main.yaml': webService,
      'workspaces/prod.yaml': lines('context: {REGION: eu}', 'modles: {}'),
    },
    args: ['generate', ...ws],
    code: 'KUS2002',
    location: 'workspace prod:2:1',
    message: 'unknown field "modles"',
    hint: 'did you mean "modules"?',
  },
  {
    name: 'workspace modules given as a list',
    files: { 'dev/main.yaml': webService, 'workspaces/prod.yaml': lines('modules:', '  - service') },
    args: ['generate', ...ws],
    code: 'KUS2002',
    location: 'workspace prod:2:3',
    message: 'modules: must be object',
  },
  {
    name: 'secret store with two providers',
    files: {
      'prod.yaml': lines(
        'secretStore:',
        '  provider:',
        '    fake: {data: []}',
        '    vault: {server: "https://vault.example.com"}',
      ),
    },
    args: ['workspace', 'create', 'prod', '-f', 'prod.yaml'],
    cwd: '.',
    code: 'KUS2002',
    location: 'workspace prod:3:5',
    message: 'exactly one provider (found 2)',
  },
  {
    name: 'a project selected by two patcher blocks, at workspace create',
    files: {
      'prod.yaml': lines(
        'modules:',
        '  service:',
        '    configs:',
        '      default: {replicas: 1}',
        '      big:',
        '        projectSelector: [shop, billing]',
        '        replicas: 4',
        '      huge:',
        '        projectSelector: [shop]',
        '        replicas: 8',
      ),
    },
    args: ['workspace', 'create', 'prod', '-f', 'prod.yaml'],
    cwd: '.',
    code: 'KUS2003',
    location: 'workspace prod:9:27',
    message: 'project "shop" is selected by both "big" and "huge"',
  },
  {
    name: 'platform input invalid against the module platform schema',
    files: withProbe(
      probeApp('ok'),
      lines(
        'modules:',
        '  probe:',
        '    source: ./modules/probe',
        '    configs:',
        '      default:',
        '        level: 0',
      ),
    ),
    args: ['generate', ...ws],
    code: 'KUS3002',
    location: 'workspace prod:6:16',
    message: 'level: must be >= 1',
  },
  {
    name: 'platform input of a patcher block with an unknown key',
    files: withProbe(
      probeApp('ok'),
      lines(
        'modules:',
        '  probe:',
        '    source: ./modules/probe',
        '    configs:',
        '      shop:',
        '        projectSelector: [shop]',
        '        levle: 3',
      ),
    ),
    args: ['generate', ...ws],
    code: 'KUS3002',
    location: 'workspace prod:7:9',
    message: 'unknown field "levle"',
    hint: 'did you mean "level"?',
  },
  // --- module behaviour at generate
  {
    name: 'a module that throws',
    files: withProbe(probeApp('throw')),
    args: ['generate', ...ws],
    code: 'KUS3003',
    location: 'web/one/probe@0.3.0',
    message: 'probe exploded',
  },
  {
    name: 'a module calling Math.random in generate',
    files: withProbe(probeApp('random')),
    args: ['generate', ...ws],
    code: 'KUS3003',
    location: 'web/one/probe@0.3.0',
    message: 'Math.random is not allowed',
    hint: 'pure',
  },
  {
    name: 'a module returning a resource without attributes',
    files: withProbe(probeApp('no-attributes')),
    args: ['generate', ...ws],
    code: 'KUS3003',
    location: 'web/one/probe@0.3.0',
    message: 'resources[0] needs a non-empty "id" and an "attributes" map',
  },
  {
    name: 'a module returning a resource whose ID and attributes disagree',
    files: withProbe(probeApp('id-mismatch')),
    args: ['generate', ...ws],
    code: 'KUS3005',
    location: 'v1:ConfigMap:shop:claimed',
    message: 'ID says name claimed, attributes say real',
  },
  {
    name: 'a workload module marking no resource',
    files: withProbe(lines('web:', '  workload: {module: probe, mode: unmarked}')),
    args: ['generate', ...ws],
    code: 'KUS3008',
    location: 'web/workload/probe@0.3.0',
    message: 'marks no resource',
    hint: 'kusion.io/is-workload',
  },
  {
    name: 'duplicate resource IDs from two accessories of one app',
    files: withProbe(probeApp('duplicate', true)),
    args: ['generate', ...ws],
    code: 'KUS3004',
    location: 'v1:ConfigMap:shop:same',
    message: 'duplicate resource ID v1:ConfigMap:shop:same',
  },
  {
    name: 'duplicate resource IDs from two apps',
    files: withProbe(
      lines(
        'api:',
        '  workload: {module: service, containers: {main: {image: nginx}}}',
        '  accessories: {one: {module: probe, mode: duplicate}}',
        'web:',
        '  workload: {module: service, containers: {main: {image: nginx}}}',
        '  accessories: {two: {module: probe, mode: duplicate}}',
      ),
    ),
    args: ['generate', ...ws],
    code: 'KUS3004',
    location: 'v1:ConfigMap:shop:same',
    message: 'duplicate resource ID v1:ConfigMap:shop:same',
  },
  {
    name: 'cyclic dependsOn',
    files: withProbe(probeApp('cycle')),
    args: ['generate', ...ws],
    code: 'KUS3007',
    location: 'v1:ConfigMap:shop:a',
    message: 'dependency cycle: v1:ConfigMap:shop:a → v1:ConfigMap:shop:b → v1:ConfigMap:shop:a',
    hint: 'remove one dependsOn entry',
  },
  {
    name: 'dependsOn target missing',
    files: withProbe(probeApp('missing-dependency')),
    args: ['generate', ...ws],
    code: 'KUS3006',
    location: 'v1:ConfigMap:shop:a',
    message: 'dependsOn target v1:ConfigMap:shop:ghost is not in the spec',
  },
  {
    name: 'dangling $kusion_path reference',
    files: withProbe(probeApp('dangling-path')),
    args: ['generate', ...ws],
    code: 'KUS3009',
    location: 'v1:ConfigMap:shop:a',
    message: '$kusion_path.v1:Service:shop:ghost.spec.clusterIP names no resource',
  },
  // --- exec modules
  {
    name: 'exec module exiting non-zero',
    files: withExec('failmod'),
    args: ['generate', ...ws],
    code: 'KUS2008',
    location: 'web/x/failmod@1.0.0',
    message: 'exited with status 3: line one of noise | fatal: database quota exceeded',
  },
  {
    name: 'exec module printing non-JSON',
    files: withExec('junkmod'),
    args: ['generate', ...ws],
    code: 'KUS2008',
    location: 'web/x/junkmod@1.0.0',
    message: 'stdout is not one JSON document',
  },
  {
    name: 'exec module failing describe',
    files: withExec('deadmod'),
    args: ['generate', ...ws],
    code: 'KUS2008',
    location: 'workspace prod:2:3',
    message: 'exited with status 4: deadmod: cannot start',
  },
  // --- config
  {
    name: 'config set of an unknown key',
    files: {},
    args: ['config', 'set', 'backends.team.typ', 'local'],
    cwd: '.',
    code: 'KUS4001',
    location: null,
    message: 'unknown config key "backends.team.typ"',
    hint: 'did you mean "backends.team.type"?',
  },
];

/** Hints seen per case, for the closing check that every error carries one (SPEC §16.3). */
const hints = new Map<string, string | null>();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first `Error …` line of stderr and the hint line right after it, if any. */
function firstError(stderr: string): { line: string; hint: string | null } {
  const all = stderr.split('\n');
  const index = all.findIndex((l) => l.startsWith('Error '));
  const next = all[index + 1] ?? '';
  return { line: all[index] ?? '', hint: next.startsWith('  hint: ') ? next.slice('  hint: '.length) : null };
}

beforeAll(assertCliBuilt);
afterAll(removeProjects);

describe.concurrent('bad input fails with a coded, located error and no stack trace', {
  timeout: 600_000,
}, () => {
  it.each(cases)('$name → $code', async (c) => {
    // given a project holding the bad input
    const project = await makeProject({
      'project.yaml': 'name: shop\n',
      'dev/stack.yaml': 'name: dev\n',
      ...c.files,
    });
    const cwd = c.cwd ?? 'dev';

    // when the command runs
    const result = await project.run(c.args, { cwd });
    const { line, hint } = firstError(result.stderr);
    hints.set(c.name, hint);

    // then it fails with exit code 1 and no stack trace
    expect(result.code, result.stderr).toBe(1);
    expect(stackTraceLines(result.stderr)).toEqual([]);
    // and the first error names the code, then the exact location, then the message
    expect(line, result.stderr).toMatch(new RegExp(`^Error ${c.code}: `));
    // (the CLI does not repeat the location when the message already starts with it)
    if (c.location !== null)
      expect(line, result.stderr).toMatch(new RegExp(`^Error ${c.code}: ${escapeRegExp(c.location)}[: ]`));
    expect(line).toContain(c.message);
    if (c.hint !== undefined) expect(hint ?? '').toContain(c.hint);

    // and when there is no location, the JSON error says so explicitly
    if (c.location === null) {
      const json = await project.run([...c.args, '-o', 'json'], { cwd });
      expect(json.code).toBe(1);
      expect(parseJsonError(json.stdout)).toMatchObject({ code: c.code, location: null });
    }
  });
});

describe('error hints', () => {
  it('every bad-input error above carries a hint (SPEC §16.3)', () => {
    // given the first hint of every case above (they all ran before this test)
    expect(hints.size).toBe(cases.length);
    // then none is missing
    const missing = [...hints].filter(([, hint]) => !hint).map(([name]) => name);
    expect(missing).toEqual([]);
  });
});

describe('several problems at once', { timeout: 600_000 }, () => {
  it('are all reported, one error line and hint per problem, and in the JSON diagnostics', async () => {
    // given a main.yaml with a wrongly typed input and a misspelt one
    const project = await makeProject({
      'project.yaml': 'name: shop\n',
      'dev/stack.yaml': 'name: dev\n',
      'dev/main.yaml': lines(
        'web:',
        '  workload:',
        '    module: service',
        '    replicas: two',
        '    containers: {main: {image: nginx}}',
        '    lables: {a: b}',
      ),
    });

    // when generated for a human and for a machine
    const [text, json] = await Promise.all([
      project.run(['generate'], { cwd: 'dev' }),
      project.run(['generate', '-o', 'json'], { cwd: 'dev' }),
    ]);

    // then the text has one located error line per problem
    expect(text.code).toBe(1);
    const errors = text.stderr.split('\n').filter((l) => l.startsWith('Error '));
    expect(errors.sort()).toEqual([
      'Error KUS3001: main.yaml:4:15: web.workload.replicas: must be integer (got "two")',
      'Error KUS3001: main.yaml:6:5: web.workload: unknown field "lables"',
    ]);
    expect(text.stderr).toContain('  hint: did you mean "labels"?');
    // and the JSON error is on stdout, with every problem in its diagnostics and nothing on stderr
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    const error = parseJsonError(json.stdout);
    expect(error.code).toBe('KUS3001');
    expect(error.diagnostics).toHaveLength(2);
    expect(error.diagnostics.map((d) => d.location).sort()).toEqual(['main.yaml:4:15', 'main.yaml:6:5']);
    expect(error.location).toBe(error.diagnostics[0]?.location);
    expect(error.diagnostics.every((d) => d.code === 'KUS3001' && d.severity === 'error')).toBe(true);
  });
});
