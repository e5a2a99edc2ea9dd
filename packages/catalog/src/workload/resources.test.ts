import { describe, expect, it } from 'vitest';
import { resourceRequirements } from './resources.js';

describe('resourceRequirements', () => {
  it('maps "<request>-<limit>" to both and a single value to the limit only', () => {
    // given a range for cpu and memory and single values for the rest
    const resources = {
      cpu: '250m-500m',
      memory: '256Mi-512Mi',
      'ephemeral-storage': '1Gi',
      'nvidia.com/gpu': 1,
    };
    // when they are mapped
    const requirements = resourceRequirements(resources);
    // then ranges set requests and limits; single values only limits
    expect(requirements).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: '500m', 'ephemeral-storage': '1Gi', memory: '512Mi', 'nvidia.com/gpu': '1' },
    });
  });

  it('leaves out requests when only limits are set, and everything when nothing is', () => {
    expect(resourceRequirements({ memory: '128Mi' })).toEqual({ limits: { memory: '128Mi' } });
    expect(resourceRequirements({})).toBeUndefined();
    expect(resourceRequirements(undefined)).toBeUndefined();
  });
});
