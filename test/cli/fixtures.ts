/**
 * Module packages and stack files shared by the CLI tests. Module sources are kept as plain strings so each
 * test project holds exactly what a user would write.
 */
import { type Files, lines } from './helpers.js';

/** A service app `web` with one container: the smallest valid AppConfiguration. */
export const webService = lines(
  'web:',
  '  workload:',
  '    module: service',
  '    containers: {main: {image: nginx:1.27}}',
);

/**
 * `probe` (version 0.3.0), a local TypeScript module whose behaviour the developer input `mode` selects, so
 * one module can exercise every way a module result goes wrong.
 */
export const probeModule: Files = {
  'modules/probe/package.json': JSON.stringify({
    name: 'probe',
    version: '0.3.0',
    type: 'module',
    main: 'index.ts',
  }),
  'modules/probe/index.ts': lines(
    "import { defineModule, kubernetesResource, type JsonObject } from '@kusion/module-sdk';",
    '',
    'interface Inputs { mode: string }',
    'interface Platform { level?: number }',
    '',
    'export default defineModule<Inputs, Platform>({',
    "  name: 'probe',",
    "  version: '0.3.0',",
    "  developerSchema: { type: 'object', properties: { mode: { type: 'string' } }, required: ['mode'], additionalProperties: false },",
    "  platformSchema: { type: 'object', properties: { level: { type: 'integer', minimum: 1 } }, additionalProperties: false },",
    '  generate(req) {',
    '    const ns = req.namespace;',
    '    const configMap = (name: string, extra: JsonObject = {}, dependsOn?: string[]) =>',
    "      kubernetesResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, ...extra }, dependsOn ? { dependsOn } : {});",
    "    const id = (name: string) => 'v1:ConfigMap:' + ns + ':' + name;",
    '    switch (req.inputs.mode) {',
    "      case 'throw': throw new Error('probe exploded');",
    "      case 'random': return { resources: [configMap('r' + Math.random())] };",
    "      case 'clock': return { resources: [configMap('c' + performance.now())] };",
    "      case 'duplicate': return { resources: [configMap('same', { data: { from: String(req.accessory) } })] };",
    "      case 'cycle': return { resources: [configMap('a', {}, [id('b')]), configMap('b', {}, [id('a')])] };",
    "      case 'missing-dependency': return { resources: [configMap('a', {}, [id('ghost')])] };",
    "      case 'dangling-path': return { resources: [configMap('a', { data: { host: '$kusion_path.v1:Service:' + ns + ':ghost.spec.clusterIP' } })] };",
    "      case 'no-attributes': return { resources: [{ id: id('x'), type: 'Kubernetes' }] } as never;",
    "      case 'id-mismatch': return { resources: [{ ...configMap('real'), id: id('claimed') }] };",
    "      case 'unmarked': return { resources: [configMap('lonely')] };",
    "      default: return { resources: [configMap('ok')] };",
    '    }',
    '  },',
    '});',
  ),
};

/** A workspace declaring `probe` from its local path. */
export const probeWorkspace = lines('modules:', '  probe:', '    source: ./modules/probe');

/** Executable exec modules in POSIX shell that fail in the ways the protocol forbids. */
export const brokenExecModules: Files = {
  'modules/bin/failmod': {
    mode: 0o755,
    content: lines(
      '#!/bin/sh',
      'if [ "$1" = describe ]; then',
      '  echo \'{"name":"failmod","version":"1.0.0","developerSchema":{},"platformSchema":{}}\'',
      '  exit 0',
      'fi',
      'echo "line one of noise" >&2',
      'echo "fatal: database quota exceeded" >&2',
      'exit 3',
    ),
  },
  'modules/bin/junkmod': {
    mode: 0o755,
    content: lines(
      '#!/bin/sh',
      'if [ "$1" = describe ]; then',
      '  echo \'{"name":"junkmod","version":"1.0.0","developerSchema":{},"platformSchema":{}}\'',
      '  exit 0',
      'fi',
      'cat >/dev/null',
      'echo "this is not json"',
    ),
  },
  'modules/bin/deadmod': {
    mode: 0o755,
    content: lines('#!/bin/sh', 'echo "deadmod: cannot start" >&2', 'exit 4'),
  },
};

/**
 * `pymod`, an exec module in Python (SPEC §5.5): emits a ConfigMap recording what it saw (inputs, platform,
 * whether a cloud credential leaked into its environment) and injects `PY_GREETING` into the workload.
 */
export const pythonExecModule: Files = {
  'modules/bin/pymod': {
    mode: 0o755,
    content: lines(
      '#!/usr/bin/env python3',
      'import json, os, sys',
      '',
      'verb = sys.argv[1] if len(sys.argv) > 1 else ""',
      'if verb == "describe":',
      '    print(json.dumps({',
      '        "name": "pymod", "version": "2.0.0",',
      '        "developerSchema": {"type": "object", "properties": {"greeting": {"type": "string"}},',
      '                            "required": ["greeting"], "additionalProperties": False},',
      '        "platformSchema": {"type": "object", "properties": {"tier": {"type": "string"}}, "additionalProperties": False},',
      '    }))',
      'elif verb == "generate":',
      '    req = json.load(sys.stdin)',
      '    name = "%s-%s-%s-py" % (req["project"], req["stack"], req["app"])',
      '    seen = {',
      '        "greeting": req["inputs"]["greeting"],',
      '        "tier": req["platform"].get("tier", "none"),',
      '        "role": req["role"],',
      '        "accessory": str(req["accessory"]),',
      '        "apiVersion": req["apiVersion"],',
      '        "moduleApi": os.environ.get("KUSION_MODULE_API", "unset"),',
      '        "awsSecret": os.environ.get("AWS_SECRET_ACCESS_KEY", "unset"),',
      '        "kubeconfig": os.environ.get("KUBECONFIG", "unset"),',
      '        "cwd": os.path.basename(os.getcwd()),',
      '    }',
      '    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": req["namespace"]}, "data": seen}',
      '    print(json.dumps({',
      '        "resources": [{"id": "v1:ConfigMap:%s:%s" % (req["namespace"], name), "type": "Kubernetes", "attributes": cm}],',
      '        "patcher": {"environments": [{"name": "PY_GREETING", "value": req["inputs"]["greeting"]}]},',
      '        "outputs": {"configMap": name},',
      '    }))',
      'else:',
      '    sys.stderr.write("unknown verb %r\\n" % verb)',
      '    sys.exit(2)',
    ),
  },
};

/**
 * `shmod`, an exec module in POSIX shell: no resources, two injected variables, and a third that tells
 * whether it could see `AWS_SECRET_ACCESS_KEY`.
 */
export const shellExecModule: Files = {
  'modules/bin/shmod': {
    mode: 0o755,
    content: lines(
      '#!/bin/sh',
      'set -eu',
      'case "${1:-}" in',
      '  describe)',
      '    echo \'{"name":"shmod","version":"0.1.0","developerSchema":{"type":"object","properties":{"level":{"type":"string"}},"additionalProperties":false},"platformSchema":{"type":"object"}}\'',
      '    ;;',
      '  generate)',
      '    req=$(cat)',
      '    app=$(printf \'%s\' "$req" | sed -n \'s/.*"app":"\\([^"]*\\)".*/\\1/p\')',
      '    ns=$(printf \'%s\' "$req" | sed -n \'s/.*"namespace":"\\([^"]*\\)".*/\\1/p\')',
      '    secret=${AWS_SECRET_ACCESS_KEY:-unset}',
      '    printf \'{"resources":[],"patcher":{"environments":[{"name":"SH_APP","value":"%s"},{"name":"SH_NS","value":"%s"},{"name":"SH_SAW_SECRET","value":"%s"}]}}\\n\' "$app" "$ns" "$secret"',
      '    ;;',
      '  *)',
      '    echo "unknown verb ${1:-}" >&2',
      '    exit 2',
      '    ;;',
      'esac',
    ),
  },
};

/**
 * `greeter` (1.2.3), a TypeScript module package loaded from a local path: its entry imports the module
 * SDK and a sibling written as `./lib.js` that only exists as `lib.ts`.
 */
export const greeterModule: Files = {
  'modules/greeter/package.json': JSON.stringify({
    name: 'greeter',
    version: '1.2.3',
    type: 'module',
    main: 'index.ts',
  }),
  'modules/greeter/lib.ts': lines(
    'export function greeting(name: string, suffix: string): string {',
    "  return 'hello ' + name + suffix;",
    '}',
  ),
  'modules/greeter/index.ts': lines(
    "import { defineModule, kubernetesResource, uniqueAppName } from '@kusion/module-sdk';",
    "import { greeting } from './lib.js';",
    '',
    'interface Inputs { message?: string }',
    'interface Platform { suffix?: string }',
    '',
    'export default defineModule<Inputs, Platform>({',
    "  name: 'greeter',",
    "  version: '1.2.3',",
    "  developerSchema: { type: 'object', properties: { message: { type: 'string' } }, additionalProperties: false },",
    "  platformSchema: { type: 'object', properties: { suffix: { type: 'string' } }, additionalProperties: false },",
    '  generate(req) {',
    "    const name = uniqueAppName(req) + '-greeting';",
    '    return {',
    '      resources: [',
    "        kubernetesResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: req.namespace },",
    "          data: { text: greeting(req.inputs.message ?? 'world', req.platform.suffix ?? '') } }),",
    '      ],',
    "      patcher: { environments: [{ name: 'GREETING_CONFIGMAP', value: name }] },",
    '      outputs: { configMap: name },',
    '    };',
    '  },',
    '});',
  ),
};
