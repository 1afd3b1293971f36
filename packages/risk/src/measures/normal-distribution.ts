// The standard normal quantile and density, to double precision.
//
// simple-statistics' `probit` is accurate to about 5e-3 only, too coarse to match scipy to 1e-9,
// so the quantile here is Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988): three
// rational approximations, one for the centre and two for the tails, each accurate to about
// 1e-16 relative, so no refinement step is needed. The published coefficients are written here
// rounded to the nearest double, the precision they are used at.

const CENTRAL_NUMERATOR = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987,
  67265.7709270087, 33430.57558358813, 2509.0809287301227,
] as const;
const CENTRAL_DENOMINATOR = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271,
  28729.085735721943, 5226.495278852854,
] as const;
const NEAR_TAIL_NUMERATOR = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684,
  0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
] as const;
const NEAR_TAIL_DENOMINATOR = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-9,
] as const;
const FAR_TAIL_NUMERATOR = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
] as const;
const FAR_TAIL_DENOMINATOR = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133,
  0.000018463183175100548, 1.421511758316446e-7, 2.0442631033899397e-15,
] as const;

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i]!;
  return value;
}

/**
 * Returns z such that P(Z <= z) = p for a standard normal Z; `p` must lie in (0, 1), which the
 * callers check. Accurate to about 1e-16 relative.
 */
export function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(CENTRAL_NUMERATOR, r)) / polynomial(CENTRAL_DENOMINATOR, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let z: number;
  if (r <= 5) {
    r -= 1.6;
    z = polynomial(NEAR_TAIL_NUMERATOR, r) / polynomial(NEAR_TAIL_DENOMINATOR, r);
  } else {
    r -= 5;
    z = polynomial(FAR_TAIL_NUMERATOR, r) / polynomial(FAR_TAIL_DENOMINATOR, r);
  }
  return q < 0 ? -z : z;
}

const INVERSE_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

/** Returns the standard normal density at `z`. */
export function normalDensity(z: number): number {
  return INVERSE_SQRT_TWO_PI * Math.exp(-0.5 * z * z);
}
