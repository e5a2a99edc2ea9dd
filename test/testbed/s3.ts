/**
 * The S3 state backend's server: one versitygw per run on a loopback port (TESTBED.md §5.2).
 */
import { mkdir } from 'node:fs/promises';
import { startWithPortRetry } from './cluster.js';
import { versitygwArgs } from './components.js';
import { request } from './http.js';
import type { TestbedManifest } from './manifest.js';
import type { Child, RunDir } from './processes.js';

/** Connection facts of the run's S3 server. */
export interface S3Info {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

/** Fixed test credentials: the gateway only listens on loopback. */
export const S3_ACCESS_KEY = 'kusion-test';
export const S3_SECRET_KEY = 'kusion-test-secret';

/** Starts versitygw (posix backend, sidecar metadata) and waits for `GET /health` to return 200. */
export async function startS3(
  run: RunDir,
  m: TestbedManifest,
  detached: boolean,
  signal: AbortSignal,
): Promise<{ info: S3Info; child: Child }> {
  const { child, value } = await startWithPortRetry(
    'versitygw /health',
    1,
    async ([port], attempt) => {
      const metaDir = run.path(`s3-meta-${attempt}`);
      const dataDir = run.path(`s3-data-${attempt}`);
      await mkdir(metaDir, { recursive: true });
      await mkdir(dataDir, { recursive: true });
      const endpoint = `http://127.0.0.1:${port}`;
      const args = versitygwArgs({
        port: port ?? 0,
        accessKey: S3_ACCESS_KEY,
        secretKey: S3_SECRET_KEY,
        metaDir,
        dataDir,
      });
      const child = await run.spawn(
        attempt === 1 ? 'versitygw' : `versitygw-${attempt}`,
        m.versitygw.bin,
        args,
        {
          detached,
        },
      );
      const ready = async () =>
        (await request({ url: endpoint }, '/health', { signal, timeoutMs: 2_000 })).status === 200;
      return { child, ready, value: endpoint };
    },
    run,
    signal,
  );
  return {
    child,
    info: {
      endpoint: value,
      accessKeyId: S3_ACCESS_KEY,
      secretAccessKey: S3_SECRET_KEY,
      region: 'us-east-1',
    },
  };
}
