// A seeded source of uniform and normal draws for the Monte Carlo measures; not part of the
// public API. The generator is xoshiro128** 1.0 (Blackman and Vigna, 2018), its 128-bit state
// filled from the seed with SplitMix32 steps as its authors advise; a double takes 53 bits from
// two outputs. Normals come from the Marsaglia polar method on 32-bit coordinates, which keeps
// the second draw of each pair, so no draw allocates.

/** A seeded xoshiro128** generator with normal draws. */
export class Xoshiro128 {
  // The state lives in an Int32Array: 32-bit words stored as object fields would often not fit
  // V8's small integers and be boxed on every step.
  private readonly state = new Int32Array(4);
  private spare = 0;
  private hasSpare = false;

  /** Seeds the generator from an integer (taken modulo 2^32). */
  constructor(seed: number) {
    let x = Math.trunc(seed) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.state[i] = z ^ (z >>> 16);
    }
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    const s = this.state;
    const s0 = s[0]!;
    const s1 = s[1]!;
    const s2 = s[2]! ^ s0;
    const s3 = s[3]! ^ s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** Returns a double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Returns an integer in [0, maxExclusive), for maxExclusive up to 2^32. */
  nextInt(maxExclusive: number): number {
    return Math.floor(this.nextDouble() * maxExclusive);
  }

  /** Returns a standard normal draw. */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    // 32 bits per coordinate are ample here: the pair's resolution is far below any tail a
    // VaR reads, and drawing half the bits makes the normals twice as cheap.
    do {
      u = this.nextUint32() * 4.656612873077393e-10 - 1;
      v = this.nextUint32() * 4.656612873077393e-10 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * factor;
    this.hasSpare = true;
    return u * factor;
  }
}
