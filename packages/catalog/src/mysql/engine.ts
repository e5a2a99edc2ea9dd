import type { DatabaseEngine } from '../database/engine.js';
import { secretKeyEnv } from '../workload/env.js';

/** MySQL: port 3306, the official image, RDS engine `mysql`. */
export const mysqlEngine: DatabaseEngine = {
  module: 'mysql',
  imageName: 'mysql',
  port: 3306,
  awsEngine: 'mysql',
  localEnv: (secretName, username) => [
    secretKeyEnv('MYSQL_ROOT_PASSWORD', secretName, 'password'),
    // The image refuses MYSQL_USER=root; any other account is created with the same password.
    ...(username === 'root'
      ? []
      : [
          secretKeyEnv('MYSQL_USER', secretName, 'username'),
          secretKeyEnv('MYSQL_PASSWORD', secretName, 'password'),
        ]),
  ],
  // A subdirectory of the volume: the server refuses to initialise a data directory holding lost+found.
  dataMount: { mountPath: '/var/lib/mysql', subPath: 'mysql' },
};
