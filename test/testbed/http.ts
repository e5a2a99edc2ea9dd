/**
 * Minimal HTTP(S) JSON client for readiness probes and the few API calls the harness makes itself
 * (`node:https` with the run's CA and bearer token, TESTBED.md §3.6).
 */
import http from 'node:http';
import https from 'node:https';

/** A response with its body parsed as JSON when possible. */
export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

/** Where and how to reach an API server. */
export interface ApiTarget {
  readonly url: string;
  readonly ca?: string | Buffer;
  readonly token?: string;
}

/** Options for {@link request}. */
export interface RequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Per-request timeout in ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** Sends one request to `target.url + path`; network errors reject, HTTP errors resolve with their status. */
export function request(target: ApiTarget, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const url = new URL(path, target.url);
  const payload =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (target.token) headers['authorization'] = `Bearer ${target.token}`;
  if (payload !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 5_000)];
  if (options.signal) signals.push(options.signal);
  const base = { method: options.method ?? 'GET', headers, signal: AbortSignal.any(signals) };
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    };
    const req =
      url.protocol === 'https:'
        ? https.request(url, { ...base, ...(target.ca ? { ca: target.ca } : {}) }, onResponse)
        : http.request(url, base, onResponse);
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like {@link request}, but a status outside 2xx rejects with the response text. */
export async function requestOk(
  target: ApiTarget,
  path: string,
  options: RequestOptions = {},
): Promise<unknown> {
  const res = await request(target, path, options);
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${options.method ?? 'GET'} ${path}: HTTP ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return res.body;
}

/** Thrown by a probe to stop {@link pollUntil} at once instead of retrying. */
export class FatalProbeError extends Error {
  override name = 'FatalProbeError';
}

/**
 * Calls `probe` every `intervalMs` until it returns true or `signal` aborts; errors thrown by the probe count
 * as "not yet". Rejects with `signal.reason` on abort, naming `what` and the last probe error.
 */
export async function pollUntil(
  what: string,
  probe: () => Promise<boolean>,
  signal: AbortSignal,
  intervalMs = 250,
): Promise<void> {
  let last: unknown;
  for (;;) {
    if (signal.aborted) {
      const detail = last instanceof Error ? `: last error: ${last.message}` : '';
      throw new Error(`timed out waiting for ${what}${detail}`, { cause: signal.reason });
    }
    try {
      if (await probe()) return;
    } catch (e) {
      if (e instanceof FatalProbeError) throw e;
      last = e;
    }
    await new Promise<void>((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, intervalMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
