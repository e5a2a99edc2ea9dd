import { describe, expect, it } from 'vitest';
import { httpGetAction, lifecycle, probe, tcpSocketAction } from './probes.js';

describe('httpGetAction', () => {
  it('maps scheme, port and path from the URL and leaves a local host empty', () => {
    // given a probe URL on localhost
    const url = 'http://localhost:8080/healthz';
    // when it is mapped
    const action = httpGetAction(url, undefined);
    // then the kubelet probes the pod IP on that port and path
    expect(action).toEqual({ scheme: 'HTTP', port: 8080, path: '/healthz' });
  });

  it('keeps a remote host, the query, and sorts headers by name', () => {
    // given an https URL with a host, a query and two headers
    const action = httpGetAction('https://api.internal:9443/ready?deep=1', { 'X-B': '2', 'X-A': '1' });
    // then every part is carried over
    expect(action).toEqual({
      scheme: 'HTTPS',
      host: 'api.internal',
      port: 9443,
      path: '/ready?deep=1',
      httpHeaders: [
        { name: 'X-A', value: '1' },
        { name: 'X-B', value: '2' },
      ],
    });
  });

  it('spells out the default port of the scheme and treats 127.0.0.1 as local', () => {
    // given URLs without a port
    // then Kubernetes gets 80 or 443 and an empty host
    expect(httpGetAction('http://127.0.0.1', undefined)).toEqual({ scheme: 'HTTP', port: 80, path: '/' });
    expect(httpGetAction('HTTPS://LOCALHOST/x', undefined)).toEqual({
      scheme: 'HTTPS',
      port: 443,
      path: '/x',
    });
  });

  it('rejects other schemes', () => {
    expect(() => httpGetAction('ftp://localhost/x', undefined)).toThrow('must use http or https');
  });
});

describe('tcpSocketAction', () => {
  it('accepts tcp:// URLs and bare host:port, leaving local hosts empty', () => {
    expect(tcpSocketAction('tcp://localhost:5432')).toEqual({ port: 5432 });
    expect(tcpSocketAction('db.internal:3306')).toEqual({ host: 'db.internal', port: 3306 });
    expect(tcpSocketAction(':6379')).toEqual({ port: 6379 });
  });

  it('rejects a missing or out-of-range port', () => {
    expect(() => tcpSocketAction('tcp://localhost')).toThrow('is not a TCP address');
    expect(() => tcpSocketAction('localhost:70000')).toThrow('from 1 to 65535');
  });
});

describe('probe', () => {
  it('adds the timing fields that are set and nothing else', () => {
    // given an exec probe with two timing fields
    const mapped = probe(
      { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 5, failureThreshold: 3 },
      'p',
    );
    // then
    expect(mapped).toEqual({
      exec: { command: ['cat', '/tmp/ready'] },
      periodSeconds: 5,
      failureThreshold: 3,
    });
  });

  it('names the probe in URL errors', () => {
    expect(() => probe({ tcp: { url: 'nonsense' } }, 'container main: livenessProbe')).toThrow(
      /^container main: livenessProbe: "nonsense" is not a TCP address/,
    );
  });
});

describe('lifecycle', () => {
  it('maps preStop and postStart handlers and is absent when empty', () => {
    expect(
      lifecycle(
        {
          preStop: { exec: { command: ['sleep', '5'] } },
          postStart: { http: { url: 'http://localhost/up' } },
        },
        'l',
      ),
    ).toEqual({
      postStart: { httpGet: { scheme: 'HTTP', port: 80, path: '/up' } },
      preStop: { exec: { command: ['sleep', '5'] } },
    });
    expect(lifecycle({}, 'l')).toBeUndefined();
    expect(lifecycle(undefined, 'l')).toBeUndefined();
  });
});
