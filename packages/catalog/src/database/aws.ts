import {
  type GenerateRequest,
  kubernetesResource,
  kusionPath,
  ModuleInputError,
  type Resource,
  terraformResource,
} from '@kusion/module-sdk';
import { formatIpv4Range, hasHostBits, isPublicRange, networkOf, parseIpv4Cidr } from './cidr.js';
import { connectionSecret } from './connection.js';
import type { DatabaseEngine } from './engine.js';
import { awsProvider, randomProvider } from './providers.js';
import type { DatabaseInputs, DatabasePlatformInputs } from './schema.js';

type Request = Pick<GenerateRequest, 'project' | 'stack' | 'app' | 'namespace'>;

/** RDS refuses general-purpose (gp2, gp3) volumes below 20 GiB. */
export const minimumAwsStorageGiB = 20;

/** RDS instance identifiers: a letter, then letters, digits and single hyphens, at most 63 characters. */
const rdsIdentifier = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;

function checkIdentifier(engine: DatabaseEngine, name: string): void {
  if (!rdsIdentifier.test(name) || name.endsWith('-')) {
    throw new ModuleInputError(
      `${engine.module}: "${name}" cannot name an RDS instance (a letter first, then lower-case letters, digits ` +
        'and single hyphens, at most 63 characters); set the platform input databaseName',
    );
  }
}

/** The cloud settings `type: cloud` requires, checked to be present. */
export interface AwsSettings {
  readonly region: string;
  readonly securityIPs: readonly string[];
}

/** Validated CIDRs; a host part is an error rather than a silent widening or narrowing. */
function securityCidrs(
  engine: DatabaseEngine,
  ips: readonly string[],
): { cidrs: string[]; isPublic: boolean } {
  const ranges = ips.map((ip) => {
    const range = parseIpv4Cidr(ip);
    if (ip.includes('/') && hasHostBits(range)) {
      const network = formatIpv4Range(networkOf(range));
      throw new ModuleInputError(
        `${engine.module}: securityIPs entry ${ip} has host bits set; did you mean ${network}?`,
      );
    }
    return range;
  });
  return { cidrs: ranges.map(formatIpv4Range), isPublic: ranges.some(isPublicRange) };
}

/**
 * A managed instance on AWS: a random password, a security group admitting `securityIPs` on the engine's
 * port, the DB instance, and the connection Secret whose values point at their applied results.
 */
export function awsDatabase(
  req: Request,
  engine: DatabaseEngine,
  instanceName: string,
  inputs: DatabaseInputs,
  platform: DatabasePlatformInputs,
  settings: AwsSettings,
): Resource[] {
  checkIdentifier(engine, instanceName);
  const { cidrs, isPublic } = securityCidrs(engine, settings.securityIPs);
  const password = terraformResource({
    provider: randomProvider(platform),
    type: 'random_password',
    name: instanceName,
    // Without special characters: RDS refuses some of them (`/`, `@`, `"`, space) in master passwords.
    attributes: { length: 16, special: false },
  });
  const securityGroup = terraformResource({
    provider: awsProvider(platform, settings.region),
    type: 'aws_security_group',
    name: instanceName,
    attributes: {
      name: instanceName,
      description: `${engine.module} ${instanceName}, managed by Kusion`,
      // JSON configuration sets every field of these nested blocks: OpenTofu treats them as attributes.
      ingress: [rule(engine.port, 'tcp', cidrs, `${engine.module} clients`)],
      egress: [rule(0, '-1', ['0.0.0.0/0'], 'all outbound traffic')],
    },
  });
  const instance = terraformResource({
    provider: awsProvider(platform, settings.region),
    type: 'aws_db_instance',
    name: instanceName,
    attributes: {
      identifier: instanceName,
      engine: engine.awsEngine,
      engine_version: inputs.version,
      instance_class: platform.instanceType,
      allocated_storage: Math.max(platform.size, minimumAwsStorageGiB),
      username: platform.username,
      password: kusionPath(password.id, 'result'),
      vpc_security_group_ids: [kusionPath(securityGroup.id, 'id')],
      publicly_accessible: isPublic,
      skip_final_snapshot: platform.skipFinalSnapshot,
      // AWS refuses to delete an instance that keeps a final snapshot unless the snapshot is named.
      ...(platform.skipFinalSnapshot ? {} : { final_snapshot_identifier: `${instanceName}-final` }),
      ...(platform.subnetGroupName ? { db_subnet_group_name: platform.subnetGroupName } : {}),
    },
  });
  const secret = connectionSecret(req, engine, instanceName, {
    hostAddress: kusionPath(instance.id, 'address'),
    username: platform.username,
    password: kusionPath(password.id, 'result'),
  });
  return [password, securityGroup, instance, kubernetesResource(secret)];
}

function rule(port: number, protocol: string, cidrs: string[], description: string) {
  return {
    description,
    from_port: port,
    to_port: port,
    protocol,
    cidr_blocks: cidrs,
    ipv6_cidr_blocks: [],
    prefix_list_ids: [],
    security_groups: [],
    self: false,
  };
}
