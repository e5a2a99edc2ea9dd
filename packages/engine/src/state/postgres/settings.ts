/**
 * The `configs` of a `postgres` backend (SPEC §9.2) turned into what the `pg` pool needs, plus a label
 * for messages that never carries a password. Pure: no `pg` import, so it costs nothing at start-up.
 * Anything not configured falls back to the libpq variables (`PGHOST`, `PGPASSWORD`, …), which `pg`
 * reads itself.
 */
import { z } from 'zod';
import { Codes, KusionError } from '../../errors/index.js';

/** Connection options handed to `new pg.Pool(…)` (a subset of its `PoolConfig`). */
export interface PostgresConnection {
  readonly connectionString?: string;
  readonly host?: string;
  readonly port?: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  readonly ssl?: boolean | { readonly rejectUnauthorized: boolean };
}

/** A parsed `postgres` backend. */
export interface PostgresSettings {
  /** The backend's name in `config.yaml`, for messages. */
  readonly name: string;
  readonly connection: PostgresConnection;
  /** The schema holding Kusion's tables. @default kusion */
  readonly schema: string;
  /** `host:port/database`, never credentials. */
  readonly label: string;
  /** Values that must never appear in a message (passwords). */
  readonly secrets: readonly string[];
}

const sslModes = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

const ConfigsSchema = z.strictObject({
  connectionString: z.string().min(1).optional(),
  host: z.string().min(1).optional(),
  port: z.coerce.number().int().min(1).max(65_535).optional(),
  database: z.string().min(1).optional(),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
  sslMode: z.enum(sslModes).optional(),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (letters, digits, _)')
    .optional(),
});

/** Parses a `postgres` backend's configs; KUS4001 naming the bad key otherwise. */
export function parsePostgresSettings(
  name: string,
  configs: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv = process.env,
): PostgresSettings {
  const parsed = ConfigsSchema.safeParse(configs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') ?? '';
    throw new KusionError(
      Codes.backendUnreachable,
      `backend "${name}": configs${key ? `.${key}` : ''} is invalid: ${issue?.message ?? 'unknown problem'}`,
      {
        hints: [
          `fix it with \`kusion config set backends.${name}.configs.${key || '<key>'} <value>\`; keys: ` +
            'connectionString or host, port, database, user, password, sslMode; schema',
        ],
      },
    );
  }
  const c = parsed.data;
  const ssl = sslOption(c.sslMode);
  const connection: PostgresConnection = {
    ...(c.connectionString ? { connectionString: c.connectionString } : {}),
    ...(c.host ? { host: c.host } : {}),
    ...(c.port ? { port: c.port } : {}),
    ...(c.database ? { database: c.database } : {}),
    ...(c.user ? { user: c.user } : {}),
    ...(c.password !== undefined ? { password: c.password } : {}),
    ...(ssl !== undefined ? { ssl } : {}),
  };
  const fromUrl = c.connectionString ? urlParts(c.connectionString) : undefined;
  const host = c.host ?? fromUrl?.host ?? env['PGHOST'] ?? 'localhost';
  const port = c.port ?? fromUrl?.port ?? env['PGPORT'] ?? 5432;
  const database = c.database ?? fromUrl?.database ?? env['PGDATABASE'] ?? c.user ?? env['PGUSER'] ?? '';
  const secrets = [c.password, fromUrl?.password, env['PGPASSWORD']].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return {
    name,
    connection,
    schema: c.schema ?? 'kusion',
    label: `${host}:${port}/${database}`,
    secrets,
  };
}

function sslOption(mode: (typeof sslModes)[number] | undefined): PostgresConnection['ssl'] {
  switch (mode) {
    case undefined:
      return undefined;
    case 'disable':
    case 'allow':
    case 'prefer':
      return false;
    case 'require':
      // libpq's `require` encrypts without checking the certificate; the verify modes check it.
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
  }
}

/** Host, port, database and password of a `postgres://` URL; undefined when it does not parse. */
function urlParts(
  text: string,
): { host: string; port: string; database: string; password: string } | undefined {
  try {
    const url = new URL(text);
    return {
      host: url.hostname,
      port: url.port || '5432',
      database: decodeURIComponent(url.pathname.replace(/^\//, '')),
      password: decodeURIComponent(url.password),
    };
  } catch {
    return undefined;
  }
}

/** Replaces every secret in `text` with `******`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('******');
  // A connection string that slipped into a driver message keeps its user, never its password.
  return out.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/g, '$1:******@');
}
