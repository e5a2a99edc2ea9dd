import type { JsonObject } from '@kusion/module-sdk';
import { ModuleInputError } from '@kusion/module-sdk';
import { errorMessage } from '../shared/errors.js';
import { compact, sortedEntries } from '../shared/object.js';
import type { LifecycleHandlerInputs, LifecycleInputs, ProbeInputs } from './schema.js';

/** Hosts that mean "this pod": Kubernetes probes the pod IP when `host` is left empty. */
const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

function probeHost(host: string): string | undefined {
  return host === '' || localHosts.has(host.toLowerCase()) ? undefined : host;
}

/**
 * Maps a URL such as `http://localhost:8080/healthz?full=1` to an `httpGet` action: scheme, port and path
 * (with query) come from the URL; a local host is left out so the kubelet probes the pod IP.
 */
export function httpGetAction(
  url: string,
  headers: Readonly<Record<string, string>> | undefined,
): JsonObject {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ModuleInputError(`"${url}" is not a valid URL`);
  }
  const scheme = parsed.protocol.replace(/:$/, '').toUpperCase();
  if (scheme !== 'HTTP' && scheme !== 'HTTPS') {
    throw new ModuleInputError(`"${url}" must use http or https`);
  }
  // URL drops a port equal to the scheme's default, but Kubernetes needs it spelled out.
  const port = parsed.port === '' ? (scheme === 'HTTPS' ? 443 : 80) : Number(parsed.port);
  const httpHeaders = sortedEntries(headers).map(([name, value]) => ({ name, value }));
  return compact({
    scheme,
    host: probeHost(parsed.hostname),
    port,
    path: `${parsed.pathname}${parsed.search}`,
    httpHeaders: httpHeaders.length > 0 ? httpHeaders : undefined,
  });
}

/** Maps `tcp://<host>:<port>` or `<host>:<port>` to a `tcpSocket` action. */
export function tcpSocketAction(url: string): JsonObject {
  const match = /^(?:tcp:\/\/)?(?<host>[^/:]*):(?<port>\d+)\/?$/i.exec(url);
  const port = Number(match?.groups?.['port']);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ModuleInputError(
      `"${url}" is not a TCP address; write tcp://<host>:<port> with a port from 1 to 65535`,
    );
  }
  return compact({ host: probeHost(match.groups?.['host'] ?? ''), port });
}

/** Maps a handler that may be `exec`, `http` or `tcp` to its Kubernetes action. */
function handler(input: LifecycleHandlerInputs | ProbeInputs, where: string): JsonObject {
  try {
    if ('exec' in input && input.exec) return { exec: { command: [...input.exec.command] } };
    if ('http' in input && input.http) return { httpGet: httpGetAction(input.http.url, input.http.headers) };
    if ('tcp' in input && input.tcp) return { tcpSocket: tcpSocketAction(input.tcp.url) };
  } catch (error) {
    throw new ModuleInputError(`${where}: ${errorMessage(error)}`);
  }
  throw new ModuleInputError(`${where}: set exactly one of exec, http or tcp`);
}

/** Maps a probe to a Kubernetes Probe. `where` names it in error messages. */
export function probe(input: ProbeInputs, where: string): JsonObject {
  return compact({
    ...handler(input, where),
    initialDelaySeconds: input.initialDelaySeconds,
    periodSeconds: input.periodSeconds,
    timeoutSeconds: input.timeoutSeconds,
    successThreshold: input.successThreshold,
    failureThreshold: input.failureThreshold,
    terminationGracePeriodSeconds: input.terminationGracePeriodSeconds,
  });
}

/** Maps lifecycle hooks; `undefined` when none is set. */
export function lifecycle(input: LifecycleInputs | undefined, where: string): JsonObject | undefined {
  if (!input || (!input.preStop && !input.postStart)) return undefined;
  return compact({
    postStart: input.postStart ? handler(input.postStart, `${where}.postStart`) : undefined,
    preStop: input.preStop ? handler(input.preStop, `${where}.preStop`) : undefined,
  });
}
