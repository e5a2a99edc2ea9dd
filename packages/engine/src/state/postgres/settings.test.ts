import { describe, expect, it } from 'vitest';
import { Codes } from '../../errors/index.js';
import { parsePostgresSettings, redact } from './settings.js';

describe('parsePostgresSettings', () => {
  it('given host fields, then the pool gets them and the label names host, port and database only', () => {
    const s = parsePostgresSettings(
      'team',
      {
        host: 'db.internal',
        port: '6543',
        database: 'kusion',
        user: 'ci',
        password: 'hunter22',
        sslMode: 'verify-full',
      },
      {},
    );
    expect(s.connection).toEqual({
      host: 'db.internal',
      port: 6543,
      database: 'kusion',
      user: 'ci',
      password: 'hunter22',
      ssl: { rejectUnauthorized: true },
    });
    expect(s.label).toBe('db.internal:6543/kusion');
    expect(s.schema).toBe('kusion');
    expect(s.secrets).toEqual(['hunter22']);
  });

  it('given a connection string, then its password is a secret and never part of the label', () => {
    const s = parsePostgresSettings(
      'team',
      { connectionString: 'postgres://ci:p%40ss@pg:5433/state', schema: 'k2' },
      {},
    );
    expect(s.label).toBe('pg:5433/state');
    expect(s.secrets).toEqual(['p@ss']);
    expect(s.schema).toBe('k2');
  });

  it('given nothing configured, then libpq variables fill the label and PGPASSWORD is a secret', () => {
    const s = parsePostgresSettings(
      'team',
      {},
      { PGHOST: 'h', PGPORT: '1', PGDATABASE: 'd', PGPASSWORD: 'x1' },
    );
    expect(s.label).toBe('h:1/d');
    expect(s.secrets).toEqual(['x1']);
    expect(s.connection).toEqual({});
  });

  it.each([
    [{ port: 'abc' }, 'configs.port'],
    [{ schema: 'Robert"; DROP' }, 'configs.schema'],
    [{ sslMode: 'sometimes' }, 'configs.sslMode'],
    [{ bucket: 'b' }, 'configs'],
  ])('given bad configs %j, then KUS4001 names %s', (configs, key) => {
    expect(() => parsePostgresSettings('team', configs, {})).toThrow(
      expect.objectContaining({ code: Codes.backendUnreachable, message: expect.stringContaining(key) }),
    );
  });
});

describe('redact', () => {
  it('given a message with a password and a URL with credentials, then both are masked', () => {
    expect(redact('auth for hunter22 at postgres://ci:other@h/db failed', ['hunter22'])).toBe(
      'auth for ****** at postgres://ci:******@h/db failed',
    );
  });
});
