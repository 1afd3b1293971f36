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

  it('carries typed arrays bit for bit, views of a larger buffer included', () => {
    const whole = new Float64Array([9, -0, Number.NaN, 0.1 + 0.2, Number.MIN_VALUE, 7]);
    const value = {
      view: whole.subarray(1, 5),
      ints: new Int32Array([-2_147_483_648, 0, 2_147_483_647]),
      unsigned: new Uint32Array([4_294_967_295, 1]),
      singles: new Float32Array([0.1, -3.5]),
      empty: new Float64Array(0),
    };
    const text = toTaggedJson(value);
    // The view's 4 numbers as 32 bytes: base64 of ceil(32 / 3) * 4 = 44 characters.
    expect(JSON.parse(text).view.base64).toHaveLength(44);
    const back = fromTaggedJson(text) as typeof value;
    const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.slice().buffer));
    expect(back.view).toBeInstanceOf(Float64Array);
    expect(bits(back.view)).toEqual(bits(whole.subarray(1, 5)));
    expect(Object.is(back.view[0], -0)).toBe(true);
    expect(Array.from(back.ints)).toEqual([-2_147_483_648, 0, 2_147_483_647]);
    expect(Array.from(back.unsigned)).toEqual([4_294_967_295, 1]);
    expect(back.singles).toEqual(new Float32Array([0.1, -3.5]));
    expect(back.empty).toEqual(new Float64Array(0));
  });

  it('reads typed arrays written as lists of numbers, and leaves unknown tags as they are', () => {
    const back = fromTaggedJson(
      '{"a":{"$typed":"Float64Array","values":[1,2.5]},"b":{"$typed":"Foo","values":[1]},"c":[{"$number":"NaN"}]}',
    ) as { a: Float64Array; b: unknown; c: number[] };
    expect(back.a).toEqual(new Float64Array([1, 2.5]));
    expect(back.b).toEqual({ $typed: 'Foo', values: [1] });
    expect(back.c[0]).toBeNaN();
  });
});
