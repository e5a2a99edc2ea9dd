/**
 * Running the testbed's OpenTofu offline against the provider mirror (TESTBED.md §4).
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { TestbedInfo } from './info.js';

/**
 * The explicit environment for a `tofu` process: the mirror-only CLI config, a plugin cache of its own,
 * no prompts, no instance-metadata lookups, `HOME` inside `home`.
 */
export function tofuEnv(info: TestbedInfo, home: string, pluginCacheDir: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    TF_CLI_CONFIG_FILE: info.tofu.cliConfigFile,
    TF_PLUGIN_CACHE_DIR: pluginCacheDir,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    AWS_EC2_METADATA_DISABLED: 'true',
    CHECKPOINT_DISABLE: '1',
  };
}

/** The result of one `tofu` run. */
export interface TofuResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link runTofu}. */
export interface RunTofuOptions {
  readonly cwd: string;
  readonly signal?: AbortSignal;
  /** Extra environment on top of {@link tofuEnv}. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs `tofu <args>` in `cwd` (no shell). The plugin cache is `<run>/plugin-cache/<pid>`: one per worker
 * process, as OpenTofu does not promise a concurrency-safe cache.
 */
export async function runTofu(
  info: TestbedInfo,
  args: readonly string[],
  o: RunTofuOptions,
): Promise<TofuResult> {
  const home = path.join(o.cwd, '.home');
  const cache = path.join(info.runDir, 'plugin-cache', String(process.pid));
  await mkdir(home, { recursive: true });
  await mkdir(cache, { recursive: true });
  return new Promise((resolve, reject) => {
    execFile(
      info.tofu.bin,
      [...args],
      {
        cwd: o.cwd,
        env: { ...tofuEnv(info, home, cache), ...o.env },
        maxBuffer: 64 * 1024 * 1024,
        ...(o.signal ? { signal: o.signal } : {}),
        killSignal: 'SIGINT',
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}
