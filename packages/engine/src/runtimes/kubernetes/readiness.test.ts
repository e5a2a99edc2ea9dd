import { describe, expect, it } from 'vitest';
import { normalizeObject } from './normalize.js';
import { readinessOf } from './readiness.js';

const deployment = (status: object, generation = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', generation },
  spec: { replicas: 3 },
  status,
});

describe('readinessOf (kstatus rules)', () => {
  it('waits until the controller observed the latest generation', () => {
    expect(
      readinessOf(
        deployment({
          observedGeneration: 1,
          updatedReplicas: 3,
          availableReplicas: 3,
          readyReplicas: 3,
          replicas: 3,
        }),
      ).state,
    ).toBe('progressing');
  });

  it('is ready when updated = available = ready = replicas and no old replicas remain', () => {
    expect(
      readinessOf(
        deployment({
          observedGeneration: 2,
          updatedReplicas: 3,
          availableReplicas: 3,
          readyReplicas: 3,
          replicas: 3,
        }),
      ),
    ).toEqual({ state: 'ready', message: '3/3 available' });
    expect(
      readinessOf(
        deployment({
          observedGeneration: 2,
          updatedReplicas: 3,
          availableReplicas: 2,
          readyReplicas: 2,
          replicas: 3,
        }),
      ),
    ).toEqual({ state: 'progressing', message: '2/3 available' });
    expect(
      readinessOf(
        deployment({
          observedGeneration: 2,
          updatedReplicas: 3,
          availableReplicas: 3,
          readyReplicas: 3,
          replicas: 4,
        }),
      ).state,
    ).toBe('progressing');
  });

  it('fails a deployment whose progress deadline was exceeded', () => {
    const status = {
      observedGeneration: 2,
      conditions: [
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' },
      ],
    };
    expect(readinessOf(deployment(status)).state).toBe('failed');
  });

  it('judges jobs, pods, claims, load balancers, CRDs and custom resources', () => {
    expect(
      readinessOf({
        kind: 'Job',
        status: { conditions: [{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }] },
      }).state,
    ).toBe('failed');
    expect(
      readinessOf({ kind: 'Job', status: { conditions: [{ type: 'Complete', status: 'True' }] } }).state,
    ).toBe('ready');
    expect(
      readinessOf({
        kind: 'Pod',
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
      }).state,
    ).toBe('ready');
    expect(readinessOf({ kind: 'PersistentVolumeClaim', status: { phase: 'Lost' } }).state).toBe('failed');
    expect(readinessOf({ kind: 'Service', spec: { type: 'LoadBalancer' }, status: {} }).state).toBe(
      'progressing',
    );
    expect(readinessOf({ kind: 'Service', spec: { type: 'ClusterIP' } }).state).toBe('ready');
    expect(
      readinessOf({
        kind: 'CustomResourceDefinition',
        status: { conditions: [{ type: 'Established', status: 'True' }] },
      }).state,
    ).toBe('ready');
    expect(
      readinessOf({
        kind: 'Widget',
        status: { conditions: [{ type: 'Stalled', status: 'True', message: 'bad' }] },
      }),
    ).toEqual({ state: 'failed', message: 'bad' });
    expect(
      readinessOf({
        kind: 'Widget',
        status: { conditions: [{ type: 'Ready', status: 'False', message: 'wait' }] },
      }).state,
    ).toBe('progressing');
    expect(readinessOf({ kind: 'Widget' }).state).toBe('ready');
  });
});

describe('normalizeObject', () => {
  it('drops status, server metadata and tool annotations', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'a',
        uid: 'u',
        resourceVersion: '7',
        managedFields: [],
        creationTimestamp: 't',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'yes' },
      },
      data: { x: '1' },
      status: { phase: 'x' },
    };
    expect(normalizeObject(live)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', annotations: { keep: 'yes' } },
      data: { x: '1' },
    });
  });
});
