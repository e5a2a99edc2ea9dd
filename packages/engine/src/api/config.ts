import {
  getConfigValue,
  type KusionConfig,
  maskedConfig,
  parseConfigValue,
  setConfigValue,
  unsetConfigValue,
} from '../config/index.js';
import type { JsonValue } from '../model/index.js';
import { readKusionConfig, writeKusionConfig } from './backend.js';
import { type EngineOptions, resolveOptions } from './options.js';

type ConfigOptions = Pick<EngineOptions, 'home'>;

/** `config get <key>`: undefined when unset. */
export async function configGet(
  input: ConfigOptions & { readonly key: string },
): Promise<JsonValue | undefined> {
  const { home } = resolveHome(input);
  return getConfigValue(await readKusionConfig(home), input.key);
}

/** `config set <key> <value>`: the value is parsed as JSON when it is valid JSON, else kept as a string. */
export async function configSet(
  input: ConfigOptions & { readonly key: string; readonly value: string },
): Promise<void> {
  const { home } = resolveHome(input);
  await writeKusionConfig(
    home,
    setConfigValue(await readKusionConfig(home), input.key, parseConfigValue(input.value)),
  );
}

export async function configUnset(input: ConfigOptions & { readonly key: string }): Promise<void> {
  const { home } = resolveHome(input);
  await writeKusionConfig(home, unsetConfigValue(await readKusionConfig(home), input.key));
}

/** `config list`: the whole config with secret values masked. */
export async function configList(input: ConfigOptions): Promise<KusionConfig> {
  const { home } = resolveHome(input);
  return maskedConfig(await readKusionConfig(home));
}

function resolveHome(input: ConfigOptions): { home: string } {
  return { home: resolveOptions({ ...input, catalogDir: '', bundledBase: '' }).home };
}
