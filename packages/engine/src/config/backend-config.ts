import { Codes, closestMatch, KusionError } from '../errors/index.js';
import type { JsonObject, JsonValue } from '../model/index.js';

/** `$KUSION_HOME/config.yaml`: `backends: {current: <name>, <name>: {type, configs}}` (SPEC §9.2). */
export interface KusionConfig {
  readonly backends: { readonly current?: string } & Readonly<Record<string, JsonValue | undefined>>;
}

export const backendTypes = ['local', 'postgres', 's3'] as const;
export type BackendType = (typeof backendTypes)[number];

/** A resolved backend: its name, type and configs. */
export interface BackendSettings {
  readonly name: string;
  readonly type: BackendType;
  readonly configs: JsonObject;
}

const configKeys: Record<BackendType, readonly string[]> = {
  local: ['path'],
  postgres: ['connectionString', 'host', 'port', 'database', 'user', 'password', 'sslMode', 'schema'],
  s3: ['bucket', 'prefix', 'region', 'endpoint', 'forcePathStyle', 'accessKeyID', 'accessKeySecret'],
};
const secretConfigKeys = new Set(['password', 'accessKeySecret', 'connectionString']);

const invalid = (message: string, hint?: string) =>
  new KusionError(Codes.backendUnreachable, message, hint ? { hints: [hint] } : {});

/** Splits `backends.<name>.configs.<key>` into its parts, refusing anything else. */
function parseKey(key: string): { name?: string; field?: 'type' | 'configs'; configKey?: string } {
  const parts = key.split('.');
  if (parts[0] !== 'backends' || parts.length < 2)
    throw invalid(
      `unknown config key "${key}"`,
      'keys: backends.current, backends.<name>.type, backends.<name>.configs[.<key>]',
    );
  if (parts[1] === 'current') {
    if (parts.length !== 2) throw invalid(`unknown config key "${key}"`, 'did you mean "backends.current"?');
    return {};
  }
  const [, name, field, configKey, ...rest] = parts;
  if (field !== undefined && field !== 'type' && field !== 'configs') {
    throw invalid(
      `unknown config key "${key}"`,
      `did you mean "backends.${name}.${closestMatch(field, ['type', 'configs']) ?? 'configs'}"?`,
    );
  }
  if (rest.length > 0 || (field === 'type' && configKey !== undefined))
    throw invalid(`unknown config key "${key}"`);
  return { ...(name ? { name } : {}), ...(field ? { field } : {}), ...(configKey ? { configKey } : {}) };
}

function backendOf(config: KusionConfig, name: string): { type?: string; configs?: JsonObject } | undefined {
  const value = config.backends[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as { type?: string; configs?: JsonObject })
    : undefined;
}

/** Reads a key; undefined when unset. */
export function getConfigValue(config: KusionConfig, key: string): JsonValue | undefined {
  const { name, field, configKey } = parseKey(key);
  if (!name) return config.backends.current;
  const backend = backendOf(config, name);
  if (!field) return backend as JsonValue | undefined;
  if (field === 'type') return backend?.type;
  return configKey ? backend?.configs?.[configKey] : backend?.configs;
}

/** Values are JSON when they parse as JSON, else strings (SPEC §16.2). */
export function parseConfigValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** Returns a new config with the key set, validating names, types and config keys. */
export function setConfigValue(config: KusionConfig, key: string, value: JsonValue): KusionConfig {
  const { name, field, configKey } = parseKey(key);
  if (!name) {
    if (typeof value !== 'string') throw invalid('backends.current must be a backend name');
    if (value !== 'default' && !backendOf(config, value))
      throw invalid(`backend "${value}" is not configured`, `set backends.${value}.type first`);
    return { backends: { ...config.backends, current: value } };
  }
  if (name === 'default')
    throw invalid(
      'the default backend is built in and cannot be changed',
      'configure another backend name, e.g. backends.team.type',
    );
  if (!field) throw invalid(`set backends.${name}.type or backends.${name}.configs.<key>`);
  const backend = backendOf(config, name) ?? {};
  let next: { type?: string; configs?: JsonObject };
  if (field === 'type') {
    if (typeof value !== 'string' || !(backendTypes as readonly string[]).includes(value)) {
      throw invalid(`backend type must be one of ${backendTypes.join(', ')} (got ${JSON.stringify(value)})`);
    }
    next = { ...backend, type: value };
  } else {
    const type = backend.type as BackendType | undefined;
    if (!type) throw invalid(`backend "${name}" has no type`, `set backends.${name}.type first`);
    if (configKey) {
      if (!configKeys[type].includes(configKey)) {
        const suggestion = closestMatch(configKey, configKeys[type]);
        throw invalid(
          `unknown ${type} backend config "${configKey}"`,
          suggestion ? `did you mean "${suggestion}"?` : `known: ${configKeys[type].join(', ')}`,
        );
      }
      next = { ...backend, configs: { ...backend.configs, [configKey]: value } };
    } else {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw invalid('configs must be a JSON object');
      next = { ...backend, configs: value };
    }
  }
  return { backends: { ...config.backends, [name]: next as JsonValue } };
}

/** Returns a new config without the key. The current backend cannot be unset. */
export function unsetConfigValue(config: KusionConfig, key: string): KusionConfig {
  const { name, field, configKey } = parseKey(key);
  if (!name) {
    const { current: _, ...rest } = config.backends;
    return { backends: rest };
  }
  if (name === 'default') throw invalid('the default backend is built in and cannot be changed');
  if (!field && (config.backends.current ?? 'default') === name)
    throw invalid(
      `backend "${name}" is current and cannot be unset`,
      'switch first: kusion config set backends.current default',
    );
  const backends: Record<string, JsonValue | undefined> = { ...config.backends };
  const backend = backendOf(config, name);
  if (!field) delete backends[name];
  else if (field === 'type') {
    const { type: _, ...rest } = backend ?? {};
    backends[name] = rest as JsonValue;
  } else if (configKey) {
    const { [configKey]: _, ...configs } = backend?.configs ?? {};
    backends[name] = { ...backend, configs } as JsonValue;
  } else {
    const { configs: _, ...rest } = backend ?? {};
    backends[name] = rest as JsonValue;
  }
  return { backends: backends as KusionConfig['backends'] };
}

/** The config with secret values masked, for `config list`. */
export function maskedConfig(config: KusionConfig): KusionConfig {
  const backends: Record<string, JsonValue | undefined> = {};
  for (const [name, value] of Object.entries(config.backends)) {
    const backend = name === 'current' ? undefined : backendOf(config, name);
    if (!backend?.configs) backends[name] = value;
    else {
      const configs = Object.fromEntries(
        Object.entries(backend.configs).map(([k, v]) => [k, secretConfigKeys.has(k) ? '******' : v]),
      );
      backends[name] = { ...backend, configs } as JsonValue;
    }
  }
  return { backends: backends as KusionConfig['backends'] };
}

/** The backend a command uses: `--backend` › `KUSION_BACKEND` › `backends.current` › `default`. */
export function selectBackend(
  config: KusionConfig,
  requested: string | undefined,
  kusionHome: string,
): BackendSettings {
  const name = requested ?? config.backends.current ?? 'default';
  if (name === 'default') return { name, type: 'local', configs: { path: kusionHome } };
  const backend = backendOf(config, name);
  if (!backend?.type) {
    const known = Object.keys(config.backends).filter((k) => k !== 'current');
    const suggestion = closestMatch(name, ['default', ...known]);
    throw invalid(
      `backend "${name}" is not configured`,
      suggestion
        ? `did you mean "${suggestion}"?`
        : `configure it with \`kusion config set backends.${name}.type local\``,
    );
  }
  return { name, type: backend.type as BackendType, configs: backend.configs ?? {} };
}
