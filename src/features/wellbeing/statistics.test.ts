import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describe as describeSums, histogram, lnGamma, pairedChange, sd, shares, studentTCdf, studentTQuantile, sums, welchChange } from "./statistics.ts";

describe("descriptives", () => {
  it("mean and sample SD", () => {
    // 2,4,4,4,5,5,7,9: mean 5, squared deviations sum 32, sample variance 32/7
    const d = describeSums(sums([2, 4, 4, 4, 5, 5, 7, 9]));
    expect(d.mean).toBe(5);
    expect(d.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(Number.isNaN(sd(sums([3])))).toBe(true);
  });

  it("histogram by lower bounds, and shares", () => {
    expect(histogram([0, 4, 28, 29, 50, 100], [0, 25, 50, 75])).toEqual([2, 2, 1, 1]);
    expect(shares({ a: 1, b: 3 })).toEqual({ a: 0.25, b: 0.75 });
  });
});

describe("t distribution", () => {
  it("matches table quantiles (two-sided 95 % and one-sided 95 %)", () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.706204736],
      [0.975, 2, 4.302652730],
      [0.975, 4, 2.776445105],
      [0.975, 5, 2.570581836],
      [0.975, 10, 2.228138852],
      [0.975, 30, 2.042272456],
      [0.975, 1000, 1.962339081],
      [0.95, 10, 1.812461123],
      [0.995, 3, 5.840909310],
    ];
    for (const [p, df, t] of table) expect(studentTQuantile(p, df)).toBeCloseTo(t, 6);
    expect(studentTQuantile(0.025, 5)).toBeCloseTo(-2.570581836, 6);
    expect(studentTCdf(0, 7)).toBe(0.5);
    expect(studentTCdf(2.228138852, 10)).toBeCloseTo(0.975, 9);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
  });

  it("quantile inverts the CDF (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 1, max: 200, noNaN: true }), (p, df) => {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 8);
      }),
      { numRuns: 50 },
    );
  });
});

describe("change", () => {
  it("paired: mean difference, 95 % CI with t(n − 1), Cohen's dz", () => {
    // before 1,2,3,4,5; after 2,4,3,6,7 → differences 1,2,0,2,2: mean 1.4, SD √0.8, SE 0.4,
    // t(0.975, 4) = 2.776445 → CI 1.4 ± 1.110578 (R: t.test(after, before, paired = TRUE))
    const c = pairedChange(sums([1, 2, 0, 2, 2]))!;
    expect(c.meanDiff).toBeCloseTo(1.4, 12);
    expect(c.sdDiff).toBeCloseTo(Math.sqrt(0.8), 12);
    expect(c.se).toBeCloseTo(0.4, 12);
    expect(c.df).toBe(4);
    expect(c.ciLow).toBeCloseTo(0.289422, 6);
    expect(c.ciHigh).toBeCloseTo(2.510578, 6);
    expect(c.dz).toBeCloseTo(1.4 / Math.sqrt(0.8), 12);
    expect(pairedChange(sums([3]))).toBeNull();
  });

  it("unpaired (Welch): Welch–Satterthwaite df, interval and Cohen's d with the pooled SD", () => {
    // before 1..5 (mean 3, var 2.5), after 2,4,…,10 (mean 6, var 10): SE √2.5,
    // df = 2.5² / (0.5²/4 + 2²/4) = 5.882353; pooled SD √6.25 = 2.5 → d = 1.2
    const c = welchChange(sums([1, 2, 3, 4, 5]), sums([2, 4, 6, 8, 10]))!;
    expect(c.diff).toBe(3);
    expect(c.se).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(c.df).toBeCloseTo(6.25 / 1.0625, 9);
    expect(c.d).toBeCloseTo(1.2, 12);
    const t = (c.ciHigh - c.diff) / c.se;
    expect(t).toBeGreaterThan(studentTQuantile(0.975, 6));
    expect(t).toBeLessThan(studentTQuantile(0.975, 5));
    expect(t).toBeCloseTo(studentTQuantile(0.975, c.df), 9);
    expect(c.ciLow).toBeCloseTo(3 - t * Math.sqrt(2.5), 9);
    expect(welchChange(sums([1]), sums([1, 2]))).toBeNull();
  });

  it("equal-size, equal-variance Welch reduces to the pooled t interval (df = 2n − 2)", () => {
    const c = welchChange(sums([1, 2, 3, 4, 5]), sums([3, 4, 5, 6, 7]))!;
    expect(c.df).toBeCloseTo(8, 9);
    expect(c.ciHigh - c.diff).toBeCloseTo(2.306004135 * Math.sqrt(1), 6); // SE = √(2.5/5 + 2.5/5) = 1
  });
});
