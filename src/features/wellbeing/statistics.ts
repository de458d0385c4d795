// Descriptive and inferential statistics for well-being reports. Pure, no dependency.
//
// Reports are computed from sufficient statistics ({ n, sum, sumSq }) of whole privacy atoms (see
// ./report-privacy.ts), so every function here works from those as well as from plain arrays.
//
// - mean, sample SD (n − 1), histogram, share per band
// - Student t distribution: CDF through the regularised incomplete beta function (Lentz continued
//   fraction, as in Numerical Recipes §6.4) and the quantile by bisection on the CDF — checked
//   against table values to 6 decimals in statistics.test.ts. No dependency was added: the t
//   quantile for fractional df (Welch) is the only non-trivial piece and is ~60 lines here;
//   jStat and simple-statistics were considered but not evaluated in detail.
// - paired change: mean difference, 95 % CI with t(n − 1), Cohen's dz = mean diff / SD of diffs
// - unpaired change (anonymous mode): Welch's t interval (Welch–Satterthwaite df) and Cohen's d with
//   the pooled SD
//
// Usage:
//   const s = sums([1, 2, 3]);             // { n: 3, sum: 6, sumSq: 14 }
//   describe(s)                            // { n, mean, sd }
//   pairedChange(sums(diffs))              // { meanDiff, ciLow, ciHigh, dz, … }
//   welchChange(sums(before), sums(after)) // { diff, ciLow, ciHigh, d, df, … }

export interface Sums {
  n: number;
  sum: number;
  sumSq: number;
}

export function sums(values: readonly number[]): Sums {
  let sum = 0;
  let sumSq = 0;
  for (const v of values) {
    sum += v;
    sumSq += v * v;
  }
  return { n: values.length, sum, sumSq };
}

export function addSums(a: Sums, b: Sums): Sums {
  return { n: a.n + b.n, sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq };
}

export const EMPTY_SUMS: Sums = { n: 0, sum: 0, sumSq: 0 };

export function mean(s: Sums): number {
  if (s.n === 0) return Number.NaN;
  return s.sum / s.n;
}

/** Sample variance (n − 1); NaN below two values. */
export function variance(s: Sums): number {
  if (s.n < 2) return Number.NaN;
  return Math.max(0, (s.sumSq - (s.sum * s.sum) / s.n) / (s.n - 1));
}

export function sd(s: Sums): number {
  return Math.sqrt(variance(s));
}

export function describe(s: Sums): { n: number; mean: number; sd: number } {
  return { n: s.n, mean: mean(s), sd: sd(s) };
}

/**
 * Counts of values per bin. `edges` are the lower bounds of the bins in ascending order; a value
 * falls into the last bin whose lower bound it reaches (values below the first edge go to bin 0).
 */
export function histogram(values: readonly number[], edges: readonly number[]): number[] {
  const counts = edges.map(() => 0);
  for (const v of values) counts[binIndex(v, edges)]! += 1;
  return counts;
}

export function binIndex(value: number, edges: readonly number[]): number {
  let i = 0;
  while (i + 1 < edges.length && value >= edges[i + 1]!) i++;
  return i;
}

/** Shares (0–1) of each count in the total. */
export function shares(counts: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(counts).map(([k, c]) => [k, total ? c / total : 0]));
}

// --- t distribution -------------------------------------------------------------------------

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const FPMIN = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < FPMIN) d = FPMIN;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < FPMIN) d = FPMIN;
    c = 1 + aa / c;
    if (Math.abs(c) < FPMIN) c = FPMIN;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** P(T ≤ t) for Student's t with `df` degrees of freedom (df may be fractional, as in Welch). */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The t value with P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Number.POSITIVE_INFINITY;
  }
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-12 * Math.max(1, hi)) break;
  }
  return (lo + hi) / 2;
}

// --- change -----------------------------------------------------------------------------------

export interface PairedChange {
  n: number;
  meanDiff: number;
  sdDiff: number;
  se: number;
  df: number;
  ciLow: number;
  ciHigh: number;
  /** Cohen's dz: mean difference / SD of the differences. */
  dz: number;
}

/** Paired change from the sums of per-person differences (after − before). Needs n ≥ 2. */
export function pairedChange(diffs: Sums, confidence = 0.95): PairedChange | null {
  if (diffs.n < 2) return null;
  const m = mean(diffs);
  const s = sd(diffs);
  const se = s / Math.sqrt(diffs.n);
  const df = diffs.n - 1;
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  return { n: diffs.n, meanDiff: m, sdDiff: s, se, df, ciLow: m - t * se, ciHigh: m + t * se, dz: s > 0 ? m / s : Number.NaN };
}

export interface UnpairedChange {
  nBefore: number;
  nAfter: number;
  /** mean(after) − mean(before). */
  diff: number;
  se: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  ciLow: number;
  ciHigh: number;
  /** Cohen's d with the pooled SD. */
  d: number;
}

/** Welch's unequal-variance interval for mean(after) − mean(before). Needs n ≥ 2 on each side. */
export function welchChange(before: Sums, after: Sums, confidence = 0.95): UnpairedChange | null {
  if (before.n < 2 || after.n < 2) return null;
  const v1 = variance(before) / before.n;
  const v2 = variance(after) / after.n;
  const se = Math.sqrt(v1 + v2);
  const diff = mean(after) - mean(before);
  const df = se > 0 ? (v1 + v2) ** 2 / (v1 ** 2 / (before.n - 1) + v2 ** 2 / (after.n - 1)) : before.n + after.n - 2;
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  const pooled = Math.sqrt(((before.n - 1) * variance(before) + (after.n - 1) * variance(after)) / (before.n + after.n - 2));
  return { nBefore: before.n, nAfter: after.n, diff, se, df, ciLow: diff - t * se, ciHigh: diff + t * se, d: pooled > 0 ? diff / pooled : Number.NaN };
}
