import { describe, expect, it } from 'vitest';
import { fromTaggedJson, toTaggedJson } from './tagged-json.js';

describe('tagged JSON', () => {
  it('keeps non-finite numbers and typed arrays that plain JSON loses', () => {
    const value = {
      sharpe: Number.NaN,
      best: Number.POSITIVE_INFINITY,
      worst: Number.NEGATIVE_INFINITY,
      curve: new Float64Array([1, 1.5, -0.25]),
      nested: [{ n: 2, label: 'x' }],
    };
    const back = fromTaggedJson(toTaggedJson(value)) as typeof value;
    expect(back.sharpe).toBeNaN();
    expect(back.best).toBe(Number.POSITIVE_INFINITY);
    expect(back.worst).toBe(Number.NEGATIVE_INFINITY);
    expect(back.curve).toBeInstanceOf(Float64Array);
    expect(Array.from(back.curve)).toEqual([1, 1.5, -0.25]);
    expect(back.nested).toEqual([{ n: 2, label: 'x' }]);
    expect(JSON.parse(JSON.stringify(value)).sharpe).toBeNull();
  });
});
