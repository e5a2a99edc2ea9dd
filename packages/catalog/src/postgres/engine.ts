import type { DatabaseEngine } from '../database/engine.js';
import { secretKeyEnv } from '../workload/env.js';

/** Where the server keeps its data: a directory below the mount, as the image recommends for volumes. */
const dataDirectory = '/var/lib/postgresql/data/pgdata';

/** PostgreSQL: port 5432, the official image, RDS engine `postgres`. */
export const postgresEngine: DatabaseEngine = {
  module: 'postgres',
  imageName: 'postgres',
  port: 5432,
  awsEngine: 'postgres',
  localEnv: (secretName) => [
    secretKeyEnv('POSTGRES_USER', secretName, 'username'),
    secretKeyEnv('POSTGRES_PASSWORD', secretName, 'password'),
    // A subdirectory keeps initdb away from a volume's lost+found, and images from 18 on refuse data
    // directly at the old mount point unless PGDATA says where it is.
    { name: 'PGDATA', value: dataDirectory },
  ],
  dataMount: { mountPath: '/var/lib/postgresql/data' },
};
