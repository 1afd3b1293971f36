// A seeded source of uniform and normal draws for the Monte Carlo measures; not part of the
// public API. The generator is xoshiro128** 1.0 (Blackman and Vigna, 2018), its 128-bit state
// filled from the seed with SplitMix32 steps as its authors advise; a double takes 53 bits from
// two outputs. Normals come from the Marsaglia polar method on 32-bit coordinates, which keeps
// the second draw of each pair, so no draw allocates.

/** A seeded xoshiro128** generator with normal draws. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  /** Seeds the generator from an integer (taken modulo 2^32). */
  constructor(seed: number) {
    let state = Math.trunc(seed) >>> 0;
    const splitMix = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitMix();
    this.s1 = splitMix();
    this.s2 = splitMix();
    this.s3 = splitMix();
  }

  /** Returns the next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
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

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
