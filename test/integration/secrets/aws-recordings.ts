/**
 * Secrets Manager `GetSecretValue` exchanges, written by hand from the API reference
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html): the JSON 1.1
 * protocol, `POST /` with `X-Amz-Target: secretsmanager.GetSecretValue`; errors name their type in
 * `__type`. Account, ARNs, IDs and values are made up.
 */
import type { RecordedExchange } from './replay-server.js';

const target = 'secretsmanager.GetSecretValue';
const json = { 'content-type': 'application/x-amz-json-1.1' };
const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:shop/db-Xy12Ab';
export const currentVersion = 'a1b2c3d4-0000-4000-8000-00000000cafe';
export const previousVersion = 'a1b2c3d4-0000-4000-8000-00000000beef';

const found = (body: Record<string, unknown>) => ({ status: 200, headers: json, body });
const failed = (type: string, message: string) => ({
  status: 400,
  headers: { ...json, 'x-amzn-errortype': type },
  body: { __type: type, message },
});

export const dbSecret = { username: 'app', password: 'Current-Db-Password-7', port: 5432 };

export const recordings: readonly RecordedExchange[] = [
  {
    name: 'a JSON property of the current version',
    request: { method: 'POST', target, body: { SecretId: 'shop/db', VersionStage: 'AWSCURRENT' } },
    response: found({
      ARN: arn,
      Name: 'shop/db',
      VersionId: currentVersion,
      SecretString: JSON.stringify(dbSecret),
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1767225600,
    }),
  },
  {
    name: 'a staging label',
    request: { method: 'POST', target, body: { SecretId: 'shop/db', VersionStage: 'AWSPREVIOUS' } },
    response: found({
      ARN: arn,
      Name: 'shop/db',
      VersionId: previousVersion,
      SecretString: JSON.stringify({ ...dbSecret, password: 'Previous-Db-Password-6' }),
      VersionStages: ['AWSPREVIOUS'],
      CreatedDate: 1764547200,
    }),
  },
  {
    name: 'a version ID',
    request: { method: 'POST', target, body: { SecretId: 'shop/db', VersionId: previousVersion } },
    response: found({
      ARN: arn,
      Name: 'shop/db',
      VersionId: previousVersion,
      SecretString: JSON.stringify({ ...dbSecret, password: 'Previous-Db-Password-6' }),
      VersionStages: ['AWSPREVIOUS'],
      CreatedDate: 1764547200,
    }),
  },
  {
    name: 'a plain-text secret used whole',
    request: { method: 'POST', target, body: { SecretId: 'api-token', VersionStage: 'AWSCURRENT' } },
    response: found({
      ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-token-Qw34Er',
      Name: 'api-token',
      VersionId: currentVersion,
      SecretString: 'plain-Api-Token-0042',
      VersionStages: ['AWSCURRENT'],
      CreatedDate: 1767225600,
    }),
  },
  {
    name: 'a secret that does not exist',
    request: { method: 'POST', target, body: { SecretId: 'shop/missing', VersionStage: 'AWSCURRENT' } },
    response: failed('ResourceNotFoundException', 'There is no secret with this name.'),
  },
  {
    name: 'credentials without permission',
    request: { method: 'POST', target, body: { SecretId: 'shop/locked', VersionStage: 'AWSCURRENT' } },
    response: failed('AccessDeniedException', 'The caller may not read this secret.'),
  },
];
