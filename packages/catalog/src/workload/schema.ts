import { z } from 'zod';
import { dns1123Label, dns1123Subdomain, StringMap } from '../shared/schema.js';
import { secretKeyRefPattern, secretRefPattern } from '../shared/secret-ref.js';

/**
 * Developer inputs shared by the workload modules (`service`, `job`): containers and their parts (SPEC §6.2),
 * and the workload `secrets` the core turns into Secrets (SPEC §6.4).
 *
 * No field inside a union has a default: the engine validates with ajv in strict mode, which refuses
 * defaults it cannot apply (inside `oneOf`/`anyOf`).
 */

const seconds = (what: string) => z.number().int().min(0).describe(what);
const positive = (what: string) => z.number().int().min(1).describe(what);

/** Timing fields every probe accepts, in Kubernetes' names and meaning. */
const probeTiming = {
  initialDelaySeconds: seconds('Seconds after the container starts before the first probe.').optional(),
  periodSeconds: positive('Seconds between probes.').optional(),
  timeoutSeconds: positive('Seconds after which a probe times out.').optional(),
  successThreshold: positive('Consecutive successes needed after a failure.').optional(),
  failureThreshold: positive('Consecutive failures that count as failed.').optional(),
  terminationGracePeriodSeconds: positive(
    'Grace period for a pod whose liveness or startup probe failed; overrides the pod value.',
  ).optional(),
};

/** Runs a command in the container. */
export const ExecAction = z
  .strictObject({
    command: z.array(z.string()).min(1).describe('Command and arguments; not run in a shell.'),
  })
  .describe('Run a command inside the container; exit status 0 is success.');

/** An HTTP GET against a URL. */
export const HttpAction = z
  .strictObject({
    url: z
      .string()
      .regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\/.+/)
      .describe(
        'URL such as `http://localhost:8080/healthz`: scheme, port and path come from it; host `localhost` ' +
          'or `127.0.0.1` means the pod IP.',
      ),
    headers: StringMap.optional().describe('Extra request headers.'),
  })
  .describe('HTTP GET; a status from 200 to 399 is success.');

/** A TCP connection to a host and port. */
export const TcpAction = z
  .strictObject({
    url: z
      .string()
      .regex(/^(tcp:\/\/)?[^/:]*(:\d+)\/?$/)
      .describe(
        '`tcp://<host>:<port>` or `<host>:<port>`; host `localhost` or `127.0.0.1` means the pod IP.',
      ),
  })
  .describe('Open a TCP connection; success when it is accepted.');

/** A liveness, readiness or startup probe: exactly one of `exec`, `http`, `tcp`, plus timing. */
export const Probe = z
  .xor([
    z.strictObject({ exec: ExecAction, ...probeTiming }),
    z.strictObject({ http: HttpAction, ...probeTiming }),
    z.strictObject({ tcp: TcpAction, ...probeTiming }),
  ])
  .describe('A probe: exactly one of `exec`, `http` or `tcp`, plus optional timing fields.');

/** A lifecycle hook handler: `exec` or `http`. */
export const LifecycleHandler = z
  .xor([z.strictObject({ exec: ExecAction }), z.strictObject({ http: HttpAction })])
  .describe('Exactly one of `exec` or `http`.');

/** Lifecycle hooks of a container. */
export const Lifecycle = z
  .strictObject({
    preStop: LifecycleHandler.optional().describe('Runs before the container is stopped.'),
    postStart: LifecycleHandler.optional().describe('Runs right after the container is created.'),
  })
  .describe('Container lifecycle hooks.');

/** One quantity: digits with an optional decimal part and an optional suffix (`m`, `Mi`, `G`, `e3`, …). */
const quantity = '(\\d+(\\.\\d+)?|\\.\\d+)([eE]\\d+|[KMGTPE]i|[numkMGTPE])?';

/** A resource value: `<request>-<limit>`, or a single value that is the limit. */
export const ResourceValue = z
  .union([z.string().regex(new RegExp(`^${quantity}(-${quantity})?$`)), z.number().nonnegative()])
  .describe('`<request>-<limit>` such as `250m-500m` sets both; a single value sets only the limit.');

/** A file written into the container. */
export const FileSpec = z
  .strictObject({
    content: z.string().optional().describe('Inline content, stored in a ConfigMap.'),
    contentFrom: z
      .string()
      .regex(secretKeyRefPattern)
      .optional()
      .describe('`secret://<secret>/<key>`: the content is that key of a Secret.'),
    mode: z
      .string()
      .regex(/^0?[0-7]{3}$/)
      .default('0644')
      .describe('Octal file mode.'),
  })
  .describe('A file: exactly one of `content` or `contentFrom`.');

/** An environment variable name. */
export const EnvName = z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/);

/** An absolute file path whose last segment is a valid ConfigMap key (it becomes one). */
const filePath = z
  .string()
  .regex(/^(\/[^/]+)*\/[-._a-zA-Z0-9]+$/)
  .describe('Absolute path of the file; its name may hold letters, digits, `-`, `_` and `.`.');

/** An absolute directory path. */
const dirPath = z
  .string()
  .regex(/^(\/[^/]+)+$/)
  .describe('Absolute directory path.');

/** One container of a workload (SPEC §6.2). */
export const Container = z
  .strictObject({
    image: z.string().min(1).describe('Image reference, e.g. `ghcr.io/acme/web:1.4.2`.'),
    command: z.array(z.string()).optional().describe('Entrypoint; replaces the image ENTRYPOINT.'),
    args: z.array(z.string()).optional().describe('Arguments; replace the image CMD.'),
    workingDir: z.string().optional().describe('Working directory of the process.'),
    env: z
      .record(EnvName, z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe(
        'Environment, in order. A value `secret://<secret>/<key>` reads that Secret key; other values are ' +
          'literals and may use `$(NAME)` to refer to earlier variables, including injected ones.',
      ),
    resources: z
      .record(
        z.string().regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/),
        ResourceValue,
      )
      .optional()
      .describe('Resource name (`cpu`, `memory`, `ephemeral-storage`, `nvidia.com/gpu`, …) → quantity.'),
    files: z
      .record(filePath, FileSpec)
      .optional()
      .describe('Files mounted at their exact path, without hiding the rest of the directory.'),
    dirs: z
      .record(dirPath, z.string().regex(secretRefPattern))
      .optional()
      .describe('Mount path → `secret://<secret>`: every key of that Secret becomes a file there.'),
    livenessProbe: Probe.optional().describe('Restarts the container when it fails.'),
    readinessProbe: Probe.optional().describe('Takes the pod out of Services while it fails.'),
    startupProbe: Probe.optional().describe('Holds the other probes back until it succeeds.'),
    lifecycle: Lifecycle.optional(),
  })
  .describe('A container.');

/** Containers by name; emitted in name order. */
export const Containers = z
  .record(z.string().regex(dns1123Label).max(63), Container)
  .meta({ minProperties: 1 })
  .describe('Containers by name (DNS-1123 labels); at least one.');

/** The kinds of workload Secret (SPEC §6.4). */
export const SecretType = z.enum(['basic', 'token', 'opaque', 'certificate', 'external']);

/** A workload Secret. The core emits it; workload modules only accept the field. */
export const WorkloadSecret = z
  .strictObject({
    type: SecretType.describe(
      '`basic` (username, password), `token`, `opaque`, `certificate` (tls.crt, tls.key) or `external` ' +
        '(every value a `ref://` reference).',
    ),
    data: z
      .record(z.string(), z.string())
      .optional()
      .describe('Key → value; empty values of `basic` and `token` are derived.'),
    immutable: z.boolean().optional().describe('Make the Secret immutable.'),
  })
  .describe('A Secret the core creates in the target namespace.');

/** Workload Secrets by name. */
export const WorkloadSecrets = z
  .record(z.string().regex(dns1123Subdomain).max(253), WorkloadSecret)
  .describe('Secrets by name, created by Kusion next to the workload.');

/** Type of one container's inputs after defaults. */
export type ContainerInputs = z.output<typeof Container>;
/** Type of a probe's inputs. */
export type ProbeInputs = z.output<typeof Probe>;
/** Type of a lifecycle handler's inputs. */
export type LifecycleHandlerInputs = z.output<typeof LifecycleHandler>;
/** Type of lifecycle hooks' inputs. */
export type LifecycleInputs = z.output<typeof Lifecycle>;
/** Type of a file's inputs after defaults. */
export type FileInputs = z.output<typeof FileSpec>;
