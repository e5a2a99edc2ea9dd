import { describe, expect, it } from 'vitest';
import { durationMs } from './duration.js';

describe('durationMs', () => {
  it('adds up every unit of a Prometheus duration', () => {
    expect(durationMs('30s')).toBe(30_000);
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('1h500ms')).toBe(3_600_500);
    expect(durationMs('1d')).toBe(86_400_000);
  });
});
