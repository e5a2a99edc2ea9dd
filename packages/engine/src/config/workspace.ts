import { z } from 'zod';
import { Codes, closestMatch, type Diagnostic, diagnostic } from '../errors/index.js';
import {
  type ModuleBlock,
  moduleNamePattern,
  namePattern,
  type Workspace,
  type WorkspaceDocument,
  WorkspaceSchema,
} from '../model/index.js';
import { parseModuleSource } from './module-source.js';
import { validateWithSchema } from './schema-validation.js';
import { parseYaml, type SourceDocument } from './source-document.js';
import { checkPolicies } from './workspace-policies.js';

// `policies` entries are checked form by form (workspace-policies.ts), for messages about the form meant.
const workspaceJsonSchema = z.toJSONSchema(
  WorkspaceSchema.extend({ policies: z.array(z.unknown()).optional() }),
  { io: 'input' },
);
const rejectedSecretProviders = new Set(['alicloud', 'viettelcloud', 'onpremises']);
const knownSecretProviders = ['aws', 'azure', 'fake', 'kubernetes', 'vault'];
const legacyOciPath = /^oci:\/\/ghcr\.io\/kusionstack\/([a-z0-9_-]+)(:.*)?$/;

export interface ParsedWorkspace {
  readonly workspace?: Workspace;
  readonly document?: SourceDocument;
  /** Errors and warnings (e.g. KUS2010 for a legacy source). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface ParseWorkspaceOptions {
  /** Built-in module names, for mapping the original's OCI paths and for "did you mean". */
  readonly builtinModules: readonly string[];
}

/** Parses and validates a workspace document (SPEC §4.4); every problem is reported. */
export function parseWorkspace(name: string, text: string, options: ParseWorkspaceOptions): ParsedWorkspace {
  if (!namePattern.test(name)) {
    return {
      diagnostics: [
        diagnostic(
          Codes.workspaceInvalid,
          `workspace name "${name}" is invalid`,
          undefined,
          'use letters, digits, "_", "." and "-" (at most 100)',
        ),
      ],
    };
  }
  const parsed = parseYaml(text, `workspace ${name}`);
  if (parsed.diagnostics.length > 0) return { diagnostics: parsed.diagnostics };
  const document = parsed.document;
  const raw = document.value ?? {};
  const schemaResult = validateWithSchema(
    { ...document, value: raw },
    workspaceJsonSchema,
    Codes.workspaceInvalid,
    '',
  );
  if (schemaResult.diagnostics.length > 0) return { diagnostics: schemaResult.diagnostics, document };
  const workspaceDocument = normaliseLegacySources(schemaResult.value as WorkspaceDocument, options);
  const diagnostics = [
    ...workspaceDocument.warnings
      .map((w) => ({ ...w, location: document.locate(['modules', w.module, 'path']) }))
      .map(({ module: _, ...d }) => d),
    ...checkModules(workspaceDocument.document, document, options),
    ...checkSecretStore(workspaceDocument.document, document),
    ...checkPolicies(workspaceDocument.document.policies, document),
  ];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics, document };
  return { workspace: { name, document: workspaceDocument.document, text }, document, diagnostics };
}

interface LegacyWarning extends Diagnostic {
  readonly module: string;
}

/** The original's `path: oci://ghcr.io/kusionstack/<name>` becomes `source: builtin` for catalog modules. */
function normaliseLegacySources(
  document: WorkspaceDocument,
  options: ParseWorkspaceOptions,
): { document: WorkspaceDocument; warnings: LegacyWarning[] } {
  const warnings: LegacyWarning[] = [];
  const modules: Record<string, ModuleBlock> = {};
  for (const [key, block] of Object.entries(document.modules ?? {})) {
    const name = key === 'k8s_manifest' ? 'k8s-manifest' : key;
    const legacy = block.path?.match(legacyOciPath);
    const legacyName = legacy?.[1] === 'k8s_manifest' ? 'k8s-manifest' : legacy?.[1];
    if (legacyName && options.builtinModules.includes(legacyName) && block.source === undefined) {
      const { path: _, version: __, ...rest } = block;
      modules[name] = { ...rest, source: 'builtin' };
      warnings.push({
        ...diagnostic(
          Codes.legacyModuleSource,
          `module "${key}": ${block.path} is read as the built-in "${legacyName}"; its version is ignored`,
          undefined,
          'replace `path:` with `source: builtin`',
          'warning',
        ),
        module: key,
      });
    } else modules[name] = block;
  }
  return { document: { ...document, modules }, warnings };
}

function checkModules(
  workspace: WorkspaceDocument,
  document: SourceDocument,
  options: ParseWorkspaceOptions,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const [name, block] of Object.entries(workspace.modules ?? {})) {
    const at = (...path: string[]) => document.locate(['modules', name, ...path]);
    if (!moduleNamePattern.test(name)) {
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `module name "${name}" is invalid`,
          document.locate(['modules', name], 'key'),
          'module names match ^[a-z][a-z0-9-]{0,62}$',
        ),
      );
    }
    if (block.path !== undefined && block.source === undefined) {
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `module "${name}": "path" is only understood for the original's catalog modules`,
          at('path'),
          'set `source:` instead (builtin, ./dir, npm:<package>, exec:<command>)',
        ),
      );
    }
    const isBuiltin = options.builtinModules.includes(name);
    if (block.source === undefined && !isBuiltin && block.path === undefined) {
      const suggestion = closestMatch(name, options.builtinModules);
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `module "${name}" needs a source: it is not a built-in module`,
          document.locate(['modules', name], 'key'),
          suggestion
            ? `did you mean the built-in "${suggestion}"?`
            : 'add `source: npm:<package>`, `./dir` or `exec:<command>`',
        ),
      );
    }
    const source = block.source === undefined ? undefined : parseModuleSource(block.source);
    if (block.source !== undefined && !source) {
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `module "${name}": unknown source "${block.source}"`,
          at('source'),
          'use builtin, ./dir, file:<dir>, npm:<package> or exec:<command>',
        ),
      );
    }
    if (source?.kind === 'npm' && block.version === undefined) {
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `module "${name}": npm modules need a version range`,
          at('source'),
          'add `version: ^1.0.0` (production workspaces should pin exact versions)',
        ),
      );
    }
    problems.push(...checkPatchers(name, block, document));
  }
  return problems;
}

function checkPatchers(name: string, block: ModuleBlock, document: SourceDocument): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const owner = new Map<string, string>();
  for (const [patcher, config] of Object.entries(block.configs ?? {})) {
    const at = (...path: (string | number)[]) =>
      document.locate(['modules', name, 'configs', patcher, ...path]);
    const selector = config['projectSelector'];
    if (patcher === 'default') {
      if (selector !== undefined)
        problems.push(
          diagnostic(
            Codes.workspaceInvalid,
            `module "${name}": configs.default must not have a projectSelector`,
            at('projectSelector'),
            'move these settings into a named patcher block',
          ),
        );
      continue;
    }
    if (!Array.isArray(selector) || selector.length === 0 || !selector.every((p) => typeof p === 'string')) {
      problems.push(
        diagnostic(
          Codes.workspaceInvalid,
          `module "${name}": patcher "${patcher}" needs a non-empty projectSelector list of project names`,
          at(),
          'add `projectSelector: [<project>, ...]`',
        ),
      );
      continue;
    }
    for (const [index, project] of (selector as string[]).entries()) {
      const first = owner.get(project);
      if (first === patcher)
        problems.push(
          diagnostic(
            Codes.workspaceInvalid,
            `module "${name}": patcher "${patcher}" lists project "${project}" twice`,
            at('projectSelector', index),
          ),
        );
      else if (first)
        problems.push(
          diagnostic(
            Codes.projectInTwoPatchers,
            `module "${name}": project "${project}" is selected by both "${first}" and "${patcher}"`,
            at('projectSelector', index),
            'a project may be selected by at most one patcher block per module',
          ),
        );
      else owner.set(project, patcher);
    }
  }
  return problems;
}

function checkSecretStore(workspace: WorkspaceDocument, document: SourceDocument): Diagnostic[] {
  const provider = workspace.secretStore?.provider;
  if (!provider) return [];
  const kinds = Object.keys(provider);
  const at = document.locate(['secretStore', 'provider']);
  if (kinds.length !== 1) {
    return [
      diagnostic(
        Codes.workspaceInvalid,
        `secretStore.provider must hold exactly one provider (found ${kinds.length})`,
        at,
        `use one of ${knownSecretProviders.join(', ')}`,
      ),
    ];
  }
  const kind = kinds[0] ?? '';
  if (rejectedSecretProviders.has(kind)) {
    return [
      diagnostic(
        Codes.workspaceInvalid,
        `secret store provider "${kind}" is not supported in Kusion 1.0`,
        at,
        `use one of ${knownSecretProviders.join(', ')}`,
      ),
    ];
  }
  if (!knownSecretProviders.includes(kind)) {
    const suggestion = closestMatch(kind, knownSecretProviders);
    return [
      diagnostic(
        Codes.workspaceInvalid,
        `unknown secret store provider "${kind}"`,
        at,
        suggestion ? `did you mean "${suggestion}"?` : `use one of ${knownSecretProviders.join(', ')}`,
      ),
    ];
  }
  return [];
}
