import { z } from 'zod';
import { ExactVersion } from '../shared/schema.js';
import { offlineProviderVersions, pinnedProviderVersions } from './provider-versions.js';

/** An IPv4 address, optionally with a prefix length. */
const ipv4Cidr =
  /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\/(3[0-2]|[12]?\d))?$/;

/** Developer inputs shared by `postgres` and `mysql` (SPEC §6.5). */
export function databaseInput(engine: string) {
  return z.strictObject({
    type: z
      .enum(['local', 'cloud'])
      .describe(
        `\`local\`: ${engine} runs in the cluster; \`cloud\`: an instance of the workspace's \`cloud\` platform ` +
          'input (a managed instance on `aws`, or the provider-neutral `offline` stand-in).',
      ),
    version: z
      .string()
      .min(1)
      .describe(`${engine} version, e.g. \`16\` or \`8.0\`; the image tag when local.`),
  });
}

/** Platform inputs shared by `postgres` and `mysql` (SPEC §6.5). */
export function databasePlatform(imageName: string) {
  return z.strictObject({
    cloud: z
      .enum(['aws', 'offline'])
      .optional()
      .describe(
        'Where `type: cloud` instances live; required for them. `aws`: an RDS instance (`random_password`, ' +
          '`aws_security_group`, `aws_db_instance`). `offline`: a provider-neutral stand-in that plans and ' +
          'applies without any cloud or network access: a `kusiontest_password` (provider ' +
          '`kusion.test/kusion/kusiontest`, installed from a local mirror) and a built-in `terraform_data` whose ' +
          '`input` holds the instance facts, with the fixed fake host `<name>.offline.db.internal`; nothing ' +
          'listens there.',
      ),
    region: z
      .string()
      .min(1)
      .optional()
      .describe('Cloud region, e.g. `eu-west-1`. Required for `cloud: aws`; not used by `offline`.'),
    securityIPs: z
      .array(z.string().regex(ipv4Cidr))
      .min(1)
      .optional()
      .describe(
        'IPv4 CIDRs (or addresses) allowed to connect. Required for `cloud: aws`, where any public range makes ' +
          'the instance publicly accessible; not used by `offline`.',
      ),
    instanceType: z
      .string()
      .min(1)
      .default('db.t3.micro')
      .describe('Instance class of managed instances (`aws`).'),
    size: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe(
        'Storage in GiB of the local volume or the managed instance; managed instances get at least 20, the ' +
          'smallest general-purpose volume RDS offers. Not used by `offline`.',
      ),
    username: z.string().min(1).default('root').describe('Name of the database account the workload uses.'),
    databaseName: z
      .string()
      .min(1)
      .optional()
      .describe('Instance name; defaults to `<project>-<stack>-<app>-<accessory>`.'),
    subnetGroupName: z.string().min(1).optional().describe('DB subnet group of managed instances (`aws`).'),
    privateRouting: z
      .boolean()
      .default(true)
      .describe(
        'Connect through the private network. Accepted for compatibility; on AWS the endpoint name already ' +
          'resolves to the private address inside the VPC.',
      ),
    skipFinalSnapshot: z
      .boolean()
      .default(false)
      .describe('Delete managed instances without a final snapshot (`<name>-final` otherwise; `aws`).'),
    providerVersions: z
      .strictObject({
        aws: ExactVersion.optional().describe('Exact `hashicorp/aws` version (`aws`).'),
        random: ExactVersion.optional().describe('Exact `hashicorp/random` version (`aws`).'),
        kusiontest: ExactVersion.optional().describe(
          'Exact `kusion.test/kusion/kusiontest` version (`offline`).',
        ),
      })
      .optional()
      .describe(
        'Terraform provider versions replacing the ones this module release pins: ' +
          `\`random\` ${pinnedProviderVersions.random} and \`aws\` ${pinnedProviderVersions.aws} for \`aws\`; ` +
          `\`kusiontest\` ${offlineProviderVersions.kusiontest} for \`offline\`.`,
      ),
    image: z
      .string()
      .min(1)
      .optional()
      .describe(`Image of local instances; defaults to \`${imageName}:<version>\`.`),
    storageClassName: z.string().min(1).optional().describe('StorageClass of the local volume.'),
    retain: z.boolean().default(false).describe('Keep the local volume when the app or stack is destroyed.'),
  });
}

/** Developer inputs of a database module after defaults. */
export type DatabaseInputs = z.output<ReturnType<typeof databaseInput>>;
/** Platform inputs of a database module after defaults. */
export type DatabasePlatformInputs = z.output<ReturnType<typeof databasePlatform>>;
