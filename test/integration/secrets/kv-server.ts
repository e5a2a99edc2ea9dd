/**
 * A minimal Vault-compatible KV server for the vault secret store's tests: just the read endpoints of
 * KV v1 and v2 with token and namespace checks, bound to 127.0.0.1 on a free port. We do not build
 * OpenBao for the testbed: its cold Go build would push CI past its 90-minute budget.
 * Behaviour follows the documented API: https://developer.hashicorp.com/vault/api-docs/secret/kv.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KvServerOptions {
  readonly token: string;
  readonly mount: string;
  readonly kvVersion: 1 | 2;
  /** When set, requests must carry this `X-Vault-Namespace`. */
  readonly namespace?: string;
}

export interface KvServer {
  readonly url: string;
  /** Writes a new version of a secret (KV v1 overwrites). */
  put(path: string, data: Record<string, unknown>): void;
  /** Every request seen: method, path with query, and the namespace header. */
  readonly requests: { method: string; url: string; namespace: string | undefined }[];
  close(): Promise<void>;
}

export async function startKvServer(options: KvServerOptions): Promise<KvServer> {
  const secrets = new Map<string, Record<string, unknown>[]>();
  const requests: KvServer['requests'] = [];
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const namespace = req.headers['x-vault-namespace'] as string | undefined;
    requests.push({ method: req.method ?? '', url: `${url.pathname}${url.search}`, namespace });
    if (req.headers['x-vault-token'] !== options.token)
      return reply(res, 403, { errors: ['permission denied'] });
    if (options.namespace !== undefined && namespace !== options.namespace)
      return reply(res, 403, { errors: ['permission denied'] });
    if (req.method !== 'GET') return reply(res, 405, { errors: ['unsupported operation'] });
    const prefix = options.kvVersion === 2 ? `/v1/${options.mount}/data/` : `/v1/${options.mount}/`;
    if (!url.pathname.startsWith(prefix)) return reply(res, 404, { errors: [] });
    const path = decodeURIComponent(url.pathname.slice(prefix.length));
    const versions = secrets.get(path);
    if (!versions) return reply(res, 404, { errors: [] });
    if (options.kvVersion === 1) return reply(res, 200, { data: versions.at(-1), lease_duration: 2764800 });
    const asked = url.searchParams.get('version');
    const number = asked === null || asked === '0' ? versions.length : Number(asked);
    const data = versions[number - 1];
    if (!data) return reply(res, 404, { errors: [] });
    return reply(res, 200, {
      request_id: `req-${requests.length}`,
      data: {
        data,
        metadata: {
          created_time: '2026-01-01T00:00:00Z',
          deletion_time: '',
          destroyed: false,
          version: number,
        },
      },
    });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    put(path, data) {
      secrets.set(path, [...(options.kvVersion === 2 ? (secrets.get(path) ?? []) : []), data]);
    },
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
