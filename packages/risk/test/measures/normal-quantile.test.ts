import { describe, expect, it } from 'vitest';
import { normalDensity, normalQuantile } from '../../src/measures/normal-distribution.js';
import { loadReference } from './reference.js';

describe('normalQuantile', () => {
  it.each(loadReference().normalQuantile)('matches scipy norm.ppf at p = $p', ({ p, z }) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(z)));
  });

  it('is odd about one half: z(p) = -z(1 - p)', () => {
    for (const p of [0.001, 0.01, 0.2, 0.4, 0.49]) {
      expect(normalQuantile(p) + normalQuantile(1 - p)).toBeCloseTo(0, 12);
    }
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('gives the textbook density at 0 and at one standard deviation', () => {
    expect(normalDensity(0)).toBeCloseTo(0.3989422804014327, 15);
    expect(normalDensity(1)).toBeCloseTo(0.24197072451914337, 15);
  });
});
