// A small in-process cache for program reports (ADR 019 §7): a bounded LRU with a TTL backstop and
// single-flight. No I/O and nothing well-being specific except `reportCacheKey`.
//
// What it may hold: only FINISHED reports — the output of the report service after every privacy
// rule has been applied (suppressed cells carry no count). Never atoms, never anything from
// before suppression. Values are deep-frozen when stored, so no caller can change what the next
// caller receives.
//
// Why it is correct without invalidation: the report service keys every entry on
// (organisation, the parsed query, a VERSION of everything the report is computed from — the
// organisation's minimum cell size, the campaign, its instruments, its frozen waves and pairings).
// A new frozen wave, a pairing or a threshold change is a new version, hence a new key; the old
// entry is simply never asked for again and ages out. Each app instance keeps its own cache, which
// is fine for the same reason.
import { createHash } from "node:crypto";

export interface CacheStats {
  hits: number;
  misses: number;
  /** Callers that joined a computation already running for the same key. */
  joined: number;
  /** Computations started by `flight` (one per key at a time). */
  flights: number;
  evictions: number;
  entries: number;
  weight: number;
}

/** The interface the report service uses: swap in another implementation (or none) freely. */
export interface ComputedCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  /**
   * Single-flight: the first caller for `key` runs `compute`; callers arriving while it runs get the
   * same promise (value or error). Nothing is stored by this: the caller decides what to `set`.
   */
  flight<T>(key: string, compute: () => Promise<T>): Promise<T>;
  clear(): void;
  stats(): CacheStats;
}

export interface LruOptions<V> {
  /** At most this many entries (least recently used dropped first). 0 stores nothing. */
  maxEntries: number;
  /** At most this total weight; an entry heavier than this on its own is not stored. */
  maxWeight?: number;
  /** An entry older than this is treated as absent (a backstop: keys already carry a version). */
  ttlMs: number;
  weigh?: (value: V) => number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  weight: number;
  expiresAt: number;
}

export function createLruCache<V>(options: LruOptions<V>): ComputedCache<V> {
  const { maxEntries, ttlMs } = options;
  const maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  const weigh = options.weigh ?? (() => 1);
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry<V>>();
  const inflight = new Map<string, Promise<unknown>>();
  const counts = { hits: 0, misses: 0, joined: 0, flights: 0, evictions: 0 };
  let weight = 0;

  function drop(key: string, e: Entry<V>) {
    entries.delete(key);
    weight -= e.weight;
  }

  return {
    get(key) {
      const e = entries.get(key);
      if (!e) {
        counts.misses += 1;
        return undefined;
      }
      if (now() >= e.expiresAt) {
        drop(key, e);
        counts.misses += 1;
        return undefined;
      }
      entries.delete(key);
      entries.set(key, e);
      counts.hits += 1;
      return e.value;
    },
    set(key, value) {
      const old = entries.get(key);
      if (old) drop(key, old);
      const w = weigh(value);
      if (maxEntries <= 0 || w > maxWeight) return;
      entries.set(key, { value, weight: w, expiresAt: now() + ttlMs });
      weight += w;
      for (const [k, e] of entries) {
        if (entries.size <= maxEntries && weight <= maxWeight) break;
        drop(k, e);
        counts.evictions += 1;
      }
    },
    flight<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const running = inflight.get(key);
      if (running) {
        counts.joined += 1;
        return running as Promise<T>;
      }
      counts.flights += 1;
      const p = (async () => {
        try {
          return await compute();
        } finally {
          inflight.delete(key);
        }
      })();
      inflight.set(key, p);
      return p;
    },
    clear() {
      entries.clear();
      weight = 0;
    },
    stats: () => ({ ...counts, entries: entries.size, weight }),
  };
}

/** Freezes an object graph in place (plain data: objects and arrays) and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A short digest of any JSON-able value (the version of a report's inputs). */
export function digest(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url");
}

/** The parsed report query, in a fixed order (list order is kept: the report echoes it). */
export interface ReportKeyQuery {
  campaignId: string;
  instrumentId?: string | undefined;
  waves?: readonly string[] | undefined;
  group?: readonly string[] | undefined;
  discipline?: readonly string[] | undefined;
  cohort?: readonly string[] | undefined;
  by: string;
}

/**
 * The cache key of a report: the organisation first and in clear (an entry can only ever answer
 * the organisation it was computed for), the version of the inputs, then the query.
 */
export function reportCacheKey(organisationId: string, query: ReportKeyQuery, version: string): string {
  const q = [query.campaignId, query.instrumentId ?? null, query.waves ?? null, query.group ?? null, query.discipline ?? null, query.cohort ?? null, query.by];
  return `${organisationId}|${version}|${JSON.stringify(q)}`;
}
