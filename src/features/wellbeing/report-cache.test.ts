import { describe, expect, it } from "vitest";
import { createLruCache, deepFreeze, digest, reportCacheKey } from "./report-cache.ts";

describe("createLruCache", () => {
  it("drops the least recently used entry beyond maxEntries (a get counts as a use)", () => {
    const c = createLruCache<string>({ maxEntries: 2, ttlMs: 60_000 });
    c.set("a", "A");
    c.set("b", "B");
    expect(c.get("a")).toBe("A"); // a is now the most recent
    c.set("c", "C");
    expect(c.get("b")).toBeUndefined();
    expect(c.get("a")).toBe("A");
    expect(c.get("c")).toBe("C");
    expect(c.stats()).toMatchObject({ entries: 2, evictions: 1, hits: 3, misses: 1 });
  });

  it("keeps the total weight under maxWeight and never stores an entry heavier than that", () => {
    const c = createLruCache<number[]>({ maxEntries: 100, maxWeight: 10, ttlMs: 60_000, weigh: (v) => v.length });
    c.set("six", [1, 2, 3, 4, 5, 6]);
    c.set("four", [1, 2, 3, 4]);
    expect(c.stats().weight).toBe(10);
    c.set("three", [1, 2, 3]);
    expect(c.get("six")).toBeUndefined();
    expect(c.stats().weight).toBe(7);
    c.set("huge", Array.from({ length: 11 }, (_, i) => i));
    expect(c.get("huge")).toBeUndefined();
    expect(c.get("four")).toEqual([1, 2, 3, 4]);
  });

  it("treats an entry older than the TTL as absent", () => {
    let t = 1_000;
    const c = createLruCache<string>({ maxEntries: 10, ttlMs: 500, now: () => t });
    c.set("k", "v");
    t = 1_499;
    expect(c.get("k")).toBe("v");
    t = 1_500;
    expect(c.get("k")).toBeUndefined();
    expect(c.stats().entries).toBe(0);
  });

  it("maxEntries 0 stores nothing", () => {
    const c = createLruCache<string>({ maxEntries: 0, ttlMs: 60_000 });
    c.set("k", "v");
    expect(c.get("k")).toBeUndefined();
  });

  it("single-flight: concurrent callers of one key share one computation, errors included, and a later call runs again", async () => {
    const c = createLruCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const compute = async () => {
      const n = ++runs;
      await gate;
      return `result ${n}`;
    };
    const calls = Array.from({ length: 10 }, () => c.flight("k", compute));
    const other = c.flight("other", compute);
    release();
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 10 }, () => "result 1"));
    expect(await other).toBe("result 2");
    expect(runs).toBe(2);
    expect(c.stats()).toMatchObject({ flights: 2, joined: 9 });

    const failing = () => Promise.reject(new Error("boom"));
    const [x, y] = await Promise.allSettled([c.flight("bad", failing), c.flight("bad", failing)]);
    expect(x).toMatchObject({ status: "rejected", reason: { message: "boom" } });
    expect(y).toMatchObject({ status: "rejected", reason: { message: "boom" } });
    // Finished flights are forgotten: the next call computes again (nothing is cached by flight itself).
    expect(await c.flight("k", compute)).toBe("result 3");
    expect(c.get("k")).toBeUndefined();
  });
});

describe("deepFreeze", () => {
  it("freezes nested objects and arrays", () => {
    const v = deepFreeze({ a: [{ b: 1 }], c: { d: [2] } });
    expect(Object.isFrozen(v.a[0])).toBe(true);
    expect(Object.isFrozen(v.c.d)).toBe(true);
    expect(() => {
      (v.a as { b: number }[]).push({ b: 2 });
    }).toThrow(TypeError);
  });
});

describe("reportCacheKey", () => {
  const q = { campaignId: "c1", waves: ["w1", "w2"], group: ["g1"], by: "group" };

  it("differs for another organisation, another version, or another query (list order included: the report echoes it)", () => {
    const k = reportCacheKey("org-a", q, "v1");
    expect(reportCacheKey("org-b", q, "v1")).not.toBe(k);
    expect(reportCacheKey("org-a", q, "v2")).not.toBe(k);
    expect(reportCacheKey("org-a", { ...q, waves: ["w2", "w1"] }, "v1")).not.toBe(k);
    expect(reportCacheKey("org-a", { ...q, group: undefined, discipline: ["g1"] }, "v1")).not.toBe(k);
    expect(reportCacheKey("org-a", { ...q, by: "none" }, "v1")).not.toBe(k);
    expect(reportCacheKey("org-a", { ...q }, "v1")).toBe(k);
    // The organisation leads the key in clear: an entry can never answer another organisation.
    expect(k.startsWith("org-a|")).toBe(true);
  });

  it("an absent list and an explicit undefined are the same query", () => {
    expect(reportCacheKey("o", { campaignId: "c", by: "none" }, "v")).toBe(reportCacheKey("o", { campaignId: "c", by: "none", waves: undefined }, "v"));
  });

  it("digest is stable and order-sensitive", () => {
    expect(digest({ a: 1, b: [1, 2] })).toBe(digest({ a: 1, b: [1, 2] }));
    expect(digest([1, 2])).not.toBe(digest([2, 1]));
  });
});
