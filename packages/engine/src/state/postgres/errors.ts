/**
 * Driver failures become KUS4001 at the adapter edge: a one-line message naming the backend and its
 * `host:port/database` (never a password) and a hint chosen by what went wrong. Kusion's own errors
 * (conflicts, held locks) pass through untouched.
 */
import { Codes, isKusionError, KusionError } from '../../errors/index.js';
import { networkCodes } from '../errors.js';
import { type PostgresSettings, redact } from './settings.js';

/** Turns anything the driver threw into a KusionError. */
export function postgresError(error: unknown, settings: PostgresSettings): KusionError {
  if (isKusionError(error)) return error;
  const code =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : '';
  const raw = error instanceof Error ? error.message : String(error);
  const detail = redact(raw.split('\n')[0] ?? raw, settings.secrets);
  const where = `PostgreSQL backend "${settings.name}" (${settings.label})`;
  const configure = `kusion config set backends.${settings.name}.configs.<key> <value>`;

  if (networkCodes.has(code) || /timeout|terminated|Connection|connect/i.test(code ? '' : raw)) {
    return unreachable(`${where} is unreachable: ${detail}`, error, [
      `check that the server is running and reachable, and the host and port (\`${configure}\`, or PGHOST/PGPORT)`,
    ]);
  }
  if (code.startsWith('28')) {
    return unreachable(`${where} refused the login: ${detail}`, error, [
      'check the user and the password (backends.<name>.configs.password, or PGPASSWORD)',
    ]);
  }
  if (code === '3D000') {
    return unreachable(`${where}: ${detail}`, error, [
      'create the database (e.g. `createdb <name>`) or point configs.database at an existing one',
    ]);
  }
  if (code.startsWith('08') || code.startsWith('57') || code.startsWith('53')) {
    return unreachable(`${where} is unavailable: ${detail}`, error, [
      'the server is restarting, shutting down or out of resources; retry when it is back',
    ]);
  }
  if (code === '42501') {
    return unreachable(`${where}: permission denied: ${detail}`, error, [
      `grant the user CREATE on the database (for the "${settings.schema}" schema) and rights on its tables`,
    ]);
  }
  return unreachable(`${where} failed: ${detail}${code ? ` (SQLSTATE ${code})` : ''}`, error, [
    `the "${settings.schema}" schema may have been changed by hand; run the command again, or with --debug for details`,
  ]);
}

function unreachable(message: string, cause: unknown, hints: readonly string[]): KusionError {
  return new KusionError(Codes.backendUnreachable, message, { source: 'external', cause, hints });
}
