/**
 * The runtime's hot path: plain HTTPS requests on one keep-alive agent, for server-side applies (real and
 * dry runs) and reads. client-node's generic request path re-reads the CA and client certificate files and
 * goes through node-fetch, rxjs and its serialiser on every call, about 1.3 ms of CPU per request; on a
 * 1,000-object apply that competed with the API server for the same cores.
 *
 * Authentication still comes from client-node's KubeConfig: `applyToHTTPSOptions` gives the TLS material
 * once, and the headers are asked for again per request only where they can change (exec plugins, auth
 * providers). Failures are client-node's `ApiException`, so error handling is the same on both paths.
 */
import { Agent as HttpsAgent, request } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

export interface TransportResponse {
  readonly status: number;
  readonly text: string;
}

interface HttpsOptions {
  headers?: Record<string, string | string[] | number>;
  auth?: string;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** Sockets kept per host: above the default parallelism (16) plus watches, below anything abusive. */
const MAX_SOCKETS = 64;

export class Transport {
  private readonly config: KubeConfig;
  private readonly base: URL;
  private readonly agent: HttpsAgent;
  /** The headers when they never change (token, client certificate, basic auth); else per request. */
  private readonly fixedHeaders: Readonly<Record<string, string>> | undefined;

  private constructor(config: KubeConfig, base: URL, agent: HttpsAgent, fixed?: Record<string, string>) {
    this.config = config;
    this.base = base;
    this.agent = agent;
    this.fixedHeaders = fixed;
  }

  /** A transport for the config's current context, or undefined where client-node must do the work (proxies, plain HTTP). */
  static async open(config: KubeConfig): Promise<Transport | undefined> {
    const cluster = config.getCurrentCluster();
    if (!cluster || cluster.proxyUrl) return undefined;
    const base = new URL(cluster.server);
    if (base.protocol !== 'https:') return undefined;
    const options: HttpsOptions = {};
    await config.applyToHTTPSOptions(options as Parameters<KubeConfig['applyToHTTPSOptions']>[0]);
    const agent = new HttpsAgent({
      keepAlive: true,
      maxSockets: MAX_SOCKETS,
      ...(options.ca ? { ca: options.ca as Buffer } : {}),
      ...(options.cert ? { cert: options.cert as Buffer } : {}),
      ...(options.key ? { key: options.key as Buffer } : {}),
      ...(options.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      ...(options.servername ? { servername: options.servername } : {}),
    });
    const user = config.getCurrentUser();
    const changing = user?.exec !== undefined || user?.authProvider !== undefined;
    return new Transport(config, base, agent, changing ? undefined : headersOf(options));
  }

  /** One request; a non-2xx answer throws `ApiException` with the Status body. */
  async send(
    method: 'GET' | 'PATCH',
    path: string,
    body?: { readonly contentType: string; readonly text: string },
  ): Promise<TransportResponse> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...(this.fixedHeaders ?? (await this.currentHeaders())),
      ...(body ? { 'Content-Type': body.contentType } : {}),
    };
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    const response = await new Promise<TransportResponse>((resolve, reject) => {
      const req = request(url, { method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      req.on('error', reject);
      req.end(body?.text);
    });
    if (response.status < 200 || response.status > 299)
      throw new ApiException(response.status, 'Unsuccessful HTTP Request', response.text, {});
    return response;
  }

  close(): void {
    this.agent.destroy();
  }

  private async currentHeaders(): Promise<Record<string, string>> {
    const options: HttpsOptions = {};
    await this.config.applyToHTTPSOptions(options as Parameters<KubeConfig['applyToHTTPSOptions']>[0]);
    return headersOf(options);
  }
}

function headersOf(options: HttpsOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {}))
    headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
  if (options.auth) headers['Authorization'] = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  return headers;
}
