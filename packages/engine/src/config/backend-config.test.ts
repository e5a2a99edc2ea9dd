import { describe, expect, it } from 'vitest';
import {
  getConfigValue,
  maskedConfig,
  parseConfigValue,
  selectBackend,
  setConfigValue,
  unsetConfigValue,
} from './backend-config.js';

describe('backend config', () => {
  const empty = { backends: {} };

  it('sets a backend type and configs, parsing JSON values', () => {
    let config = setConfigValue(empty, 'backends.team.type', 'postgres');
    config = setConfigValue(config, 'backends.team.configs.port', parseConfigValue('5432'));
    config = setConfigValue(config, 'backends.team.configs.host', parseConfigValue('db.local'));
    expect(getConfigValue(config, 'backends.team')).toEqual({
      type: 'postgres',
      configs: { port: 5432, host: 'db.local' },
    });
  });

  it('refuses unknown keys and config names with a suggestion', () => {
    const config = setConfigValue(empty, 'backends.team.type', 's3');
    expect(() => setConfigValue(config, 'backends.team.configs.buckett', 'x')).toThrow(
      /unknown s3 backend config "buckett"/,
    );
    expect(() => setConfigValue(config, 'backends.team.typ', 'local')).toThrow(/unknown config key/);
    expect(() => setConfigValue(config, 'backends.team.type', 'oss')).toThrow(
      /must be one of local, postgres, s3/,
    );
  });

  it('keeps default immutable and the current backend un-unsettable', () => {
    expect(() => setConfigValue(empty, 'backends.default.type', 'local')).toThrow(/built in/);
    const config = setConfigValue(
      setConfigValue(empty, 'backends.team.type', 'local'),
      'backends.current',
      'team',
    );
    expect(() => unsetConfigValue(config, 'backends.team')).toThrow(/is current/);
    expect(getConfigValue(unsetConfigValue(config, 'backends.current'), 'backends.current')).toBeUndefined();
  });

  it('masks secrets in list', () => {
    const config = setConfigValue(
      setConfigValue(empty, 'backends.team.type', 'postgres'),
      'backends.team.configs.password',
      'hunter22',
    );
    expect(JSON.stringify(maskedConfig(config))).not.toContain('hunter22');
  });

  it('selects --backend, then current, then the built-in local default', () => {
    const config = setConfigValue(
      setConfigValue(empty, 'backends.team.type', 'local'),
      'backends.current',
      'team',
    );
    expect(selectBackend(config, undefined, '/h').name).toBe('team');
    expect(selectBackend(config, 'default', '/h')).toEqual({
      name: 'default',
      type: 'local',
      configs: { path: '/h' },
    });
    expect(() => selectBackend(config, 'tem', '/h')).toThrow(/not configured/);
  });
});
