import { describe, expect, it } from 'vitest';
import { containerEnv } from './env.js';

describe('containerEnv', () => {
  it('keeps the order, maps secret:// to secretKeyRef and stringifies scalars', () => {
    // given literals, a number, a secret reference and a $(NAME) reference
    const env = {
      DB_HOST: '$(KUSION_DB_HOST_SHOP_PROD_WEB_POSTGRES)',
      API_TOKEN: 'secret://api-token/token',
      WORKERS: 4,
      DEBUG: false,
    };
    // when mapped
    const mapped = containerEnv('main', env);
    // then
    expect(mapped).toEqual([
      { name: 'DB_HOST', value: '$(KUSION_DB_HOST_SHOP_PROD_WEB_POSTGRES)' },
      { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-token', key: 'token' } } },
      { name: 'WORKERS', value: '4' },
      { name: 'DEBUG', value: 'false' },
    ]);
  });

  it('rejects a malformed secret reference instead of passing it on as a literal', () => {
    expect(() => containerEnv('main', { TOKEN: 'secret://api-token' })).toThrow(
      'container main: env TOKEN is "secret://api-token", but a secret reference must be secret://<secret>/<key>',
    );
  });
});
