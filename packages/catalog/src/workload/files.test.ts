import { describe, expect, it } from 'vitest';
import { containerVolumes, volumeName } from './files.js';

const ctx = { appName: 'shop-prod-web', namespace: 'shop', containerName: 'main', labels: { a: 'b' } };

describe('containerVolumes', () => {
  it('mounts an inline file at its exact path via subPath, from a ConfigMap named by sorted index', () => {
    // given two inline files, listed out of order
    const files = {
      '/etc/nginx/nginx.conf': { content: 'events {}', mode: '0644' },
      '/app/config/settings.json': { content: '{"debug": false}', mode: '0600' },
    };
    // when the volumes are built
    const result = containerVolumes(ctx, files, undefined);
    // then /app/... is index 0 and /etc/... index 1, each a ConfigMap mounted with subPath
    expect(result.configMaps.map((cm) => cm.metadata.name)).toEqual([
      'shop-prod-web-main-0',
      'shop-prod-web-main-1',
    ]);
    expect(result.configMaps[0]).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shop-prod-web-main-0', namespace: 'shop', labels: { a: 'b' } },
      data: { 'settings.json': '{"debug": false}' },
    });
    expect(result.volumes[0]).toEqual({
      name: 'main-file-0',
      configMap: { name: 'shop-prod-web-main-0', defaultMode: 0o600 },
    });
    expect(result.mounts).toEqual([
      {
        name: 'main-file-0',
        mountPath: '/app/config/settings.json',
        subPath: 'settings.json',
        readOnly: true,
      },
      { name: 'main-file-1', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true },
    ]);
  });

  it('mounts contentFrom files from the Secret key and dirs as whole Secrets', () => {
    // given a file from a Secret key and a directory from a Secret
    const files = { '/etc/tls/tls.key': { contentFrom: 'secret://web-tls/tls.key', mode: '0400' } };
    const dirs = { '/var/run/creds': 'secret://creds' };
    // when
    const result = containerVolumes(ctx, files, dirs);
    // then no ConfigMap is made and the Secrets are mounted
    expect(result.configMaps).toEqual([]);
    expect(result.volumes).toEqual([
      { name: 'main-file-0', secret: { secretName: 'web-tls', defaultMode: 0o400 } },
      { name: 'main-dir-0', secret: { secretName: 'creds' } },
    ]);
    expect(result.mounts).toEqual([
      { name: 'main-file-0', mountPath: '/etc/tls/tls.key', subPath: 'tls.key', readOnly: true },
      { name: 'main-dir-0', mountPath: '/var/run/creds', readOnly: true },
    ]);
  });

  it('requires exactly one of content and contentFrom', () => {
    expect(() => containerVolumes(ctx, { '/a': { mode: '0644' } }, undefined)).toThrow(
      'container main: file /a: set exactly one of content or contentFrom',
    );
    expect(() =>
      containerVolumes(ctx, { '/a': { content: 'x', contentFrom: 'secret://s/k', mode: '0644' } }, undefined),
    ).toThrow('set exactly one of content or contentFrom');
  });
});

describe('volumeName', () => {
  it('stays within 63 characters for long container names, stably', () => {
    const long = 'c'.repeat(60);
    expect(volumeName('main', 'file', 2)).toBe('main-file-2');
    expect(volumeName(long, 'file', 0)).toMatch(/^file-[0-9a-f]{16}$/);
    expect(volumeName(long, 'file', 0)).toBe(volumeName(long, 'file', 0));
    expect(volumeName(long, 'file', 0)).not.toBe(volumeName(long, 'file', 1));
  });
});
