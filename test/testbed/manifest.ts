/**
 * Reads `<cache>/testbed.json`, the manifest `tools/build.sh` writes last (TESTBED.md §2.2). The harness
 * knows binaries only through this file.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** One provider in the OpenTofu filesystem mirror. */
export interface MirroredProvider {
  /** e.g. `kusion.test/kusion/kusiontest`. */
  readonly source: string;
  readonly version: string;
}

/** The parsed `testbed.json`: absolute paths of every binary the build produced. */
export interface TestbedManifest {
  readonly cache: string;
  readonly etcd: { readonly version: string; readonly bin: string };
  readonly kubernetes: {
    readonly version: string;
    readonly kubeApiserver: string;
    readonly kubeControllerManager: string;
    readonly kubeScheduler: string;
    readonly kubectl: string;
  };
  readonly kwok: { readonly version: string; readonly bin: string; readonly stages: readonly string[] };
  readonly tofu: {
    readonly version: string;
    readonly bin: string;
    readonly cliConfigFile: string;
    readonly mirror: string;
    readonly providers: readonly MirroredProvider[];
  };
  readonly versitygw: { readonly version: string; readonly bin: string };
  readonly opa: { readonly version: string; readonly bin: string };
}

/** The testbed cache: `${KUSION_TESTBED_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kusion-testbed}`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['KUSION_TESTBED_CACHE'];
  if (explicit) return path.resolve(explicit);
  const xdg = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(xdg, 'kusion-testbed');
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(obj: Json, key: string, where: string): Json {
  const v = obj[key];
  if (!isObject(v)) throw new Error(`testbed.json: ${where}.${key} is missing or not an object`);
  return v;
}

function str(obj: Json, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new Error(`testbed.json: ${where}.${key} is missing`);
  return v;
}

function versionAndBin(obj: Json, key: string): { version: string; bin: string } {
  const o = field(obj, key, '$');
  return { version: str(o, 'version', key), bin: str(o, 'bin', key) };
}

/** Narrows the untrusted JSON of `testbed.json`. */
export function parseManifest(raw: unknown): TestbedManifest {
  if (!isObject(raw)) throw new Error('testbed.json: not an object');
  if (raw['schemaVersion'] !== 1)
    throw new Error('testbed.json: unknown schemaVersion; rerun `npm run testbed:build`');
  const k = field(raw, 'kubernetes', '$');
  const kwok = field(raw, 'kwok', '$');
  const tofu = field(raw, 'tofu', '$');
  const stages = kwok['stages'];
  const providers = tofu['providers'];
  if (!Array.isArray(stages) || !stages.every((s) => typeof s === 'string')) {
    throw new Error('testbed.json: kwok.stages must be a list of paths');
  }
  if (!Array.isArray(providers)) throw new Error('testbed.json: tofu.providers must be a list');
  return {
    cache: str(raw, 'cache', '$'),
    etcd: versionAndBin(raw, 'etcd'),
    kubernetes: {
      version: str(k, 'version', 'kubernetes'),
      kubeApiserver: str(k, 'kubeApiserver', 'kubernetes'),
      kubeControllerManager: str(k, 'kubeControllerManager', 'kubernetes'),
      kubeScheduler: str(k, 'kubeScheduler', 'kubernetes'),
      kubectl: str(k, 'kubectl', 'kubernetes'),
    },
    kwok: { version: str(kwok, 'version', 'kwok'), bin: str(kwok, 'bin', 'kwok'), stages },
    tofu: {
      version: str(tofu, 'version', 'tofu'),
      bin: str(tofu, 'bin', 'tofu'),
      cliConfigFile: str(tofu, 'cliConfigFile', 'tofu'),
      mirror: str(tofu, 'mirror', 'tofu'),
      providers: providers.map((p: unknown) => {
        if (!isObject(p)) throw new Error('testbed.json: tofu.providers[] must be objects');
        return { source: str(p, 'source', 'provider'), version: str(p, 'version', 'provider') };
      }),
    },
    versitygw: versionAndBin(raw, 'versitygw'),
    opa: versionAndBin(raw, 'opa'),
  };
}

/** Loads the manifest; a missing one fails with the command that makes it. */
export async function loadManifest(env: NodeJS.ProcessEnv = process.env): Promise<TestbedManifest> {
  const file = path.join(cacheDir(env), 'testbed.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new Error(`the testbed is not built (${file} is missing): run \`npm run testbed:build\``, {
      cause,
    });
  }
  return parseManifest(JSON.parse(text));
}
