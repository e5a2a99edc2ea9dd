/**
 * The aws secret store with the real SDK against recorded Secrets Manager exchanges (aws-recordings.ts),
 * replayed by a local server that checks each request the SDK sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../../packages/engine/src/secrets/index.js';
import { awsSecretStore } from '../../../packages/engine/src/secrets/stores/index.js';
import { dbSecret, previousVersion, recordings } from './aws-recordings.js';
import { type ReplayServer, startReplayServer } from './replay-server.js';

describe('aws secret store (recorded exchanges)', () => {
  let server: ReplayServer;
  let get: (text: string) => Promise<string>;
  beforeAll(async () => {
    server = await startReplayServer(recordings);
    const store = awsSecretStore(
      { region: 'eu-west-1' },
      {
        endpoint: server.url,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-key' },
      },
    );
    get = (text) => store.get(parseSecretRef(text));
  });
  afterAll(async () => {
    await server.close();
  });

  // The recordings are replayed in order: one test per exchange, in the same order.
  it('reads a JSON property of the current version (VersionStage AWSCURRENT by default)', async () => {
    expect(await get('ref://shop/db/password')).toBe(dbSecret.password);
  });

  it('passes a staging label as VersionStage', async () => {
    expect(await get('ref://shop/db/password?version=AWSPREVIOUS')).toBe('Previous-Db-Password-6');
  });

  it('passes uuid/<id> as VersionId', async () => {
    expect(await get(`ref://shop/db/password?version=uuid/${previousVersion}`)).toBe(
      'Previous-Db-Password-6',
    );
  });

  it('uses the whole secret string for a single segment', async () => {
    expect(await get('ref://api-token')).toBe('plain-Api-Token-0042');
  });

  it('maps ResourceNotFoundException to KUS7002', async () => {
    await expect(get('ref://shop/missing/password')).rejects.toMatchObject({
      code: 'KUS7002',
      message: expect.stringContaining('no secret shop/missing'),
    });
  });

  it('maps AccessDeniedException to KUS7003', async () => {
    await expect(get('ref://shop/locked/password')).rejects.toMatchObject({
      code: 'KUS7003',
      message: expect.stringContaining('AccessDeniedException'),
    });
  });

  it('sent exactly the recorded requests', () => {
    expect(server.mismatches).toEqual([]);
    expect(server.remaining()).toBe(0);
  });
});
