// The key store for envelope encryption (ADR 014): each organisation's data keys, kept only wrapped
// under a master key from configuration, in `organisation_data_key`.
//
//   currentKey(orgId, tx?)   → the organisation's active data key, created (version 1) on first use.
//                              Race-safe: INSERT … ON CONFLICT DO NOTHING on the primary key
//                              (organisation_id, version) and the one-active partial index, then
//                              re-select, so two first writes at once end up with ONE version 1.
//                              Inside a transaction the active row is read FOR SHARE, so a data-key
//                              rotation waits for writes in flight (and they wait for it).
//   resolver(orgId, tx?)     → version → DataKey, for opening values sealed by any version.
//   rewrapAll()              → master-key rotation: every row not under masterKeys[0] is re-wrapped
//                              under it, each in its own transaction with SELECT … FOR UPDATE.
//   rotateDataKey(orgId, reseal) → a new version becomes active, the previous one retired, and
//                              `reseal(tx, resolver, newKey)` re-seals the organisation's values, all
//                              in one transaction. Retired rows are kept (values sealed elsewhere
//                              while the rotation ran can still be opened).
//
// Unwrapped keys are cached in memory (per process, at most CACHE_MAX entries, keyed by the wrapped
// string so a rewrap or a new master-key list simply misses). They are never logged or persisted.
import { and, desc, eq, ne, sql } from "drizzle-orm";
import { createDataKey, masterKeyId, rewrap, unwrapDataKey, type DataKey } from "../../platform/crypto/envelope.server.ts";
import type { Database, Executor } from "../../platform/db/client.server.ts";
import { organisationDataKey } from "./schema.ts";

const CACHE_MAX = 256;

export interface KeyStore {
  currentKey(orgId: string, tx?: Executor): Promise<DataKey>;
  resolver(orgId: string, tx?: Executor): Promise<(version: number) => DataKey | undefined>;
  rewrapAll(): Promise<{ checked: number; rewrapped: number }>;
  rotateDataKey(orgId: string, reseal?: (tx: Executor, resolve: (version: number) => DataKey | undefined, key: DataKey) => Promise<number>): Promise<{ version: number; resealed: number }>;
  /** Drops every cached unwrapped key (tests, or after a configuration change). */
  clearCache(): void;
}

export function createKeyStore(deps: { db: Database; masterKeys: readonly Buffer[] }): KeyStore {
  const { db, masterKeys } = deps;
  const cache = new Map<string, DataKey>();

  function unwrapCached(orgId: string, wrapped: string): DataKey {
    const id = `${orgId}|${wrapped}`;
    const hit = cache.get(id);
    if (hit) {
      // Refresh recency (Map keeps insertion order: the first entry is the least recently used).
      cache.delete(id);
      cache.set(id, hit);
      return hit;
    }
    const { key, version } = unwrapDataKey(masterKeys, wrapped, orgId);
    const entry = { key, version };
    cache.set(id, entry);
    if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
    return entry;
  }

  async function activeRow(exec: Executor, orgId: string, lock: boolean) {
    const q = exec
      .select({ wrapped: organisationDataKey.wrapped, version: organisationDataKey.version })
      .from(organisationDataKey)
      .where(and(eq(organisationDataKey.organisationId, orgId), eq(organisationDataKey.status, "active")));
    const [row] = lock ? await q.for("share") : await q;
    return row;
  }

  return {
    async currentKey(orgId, tx) {
      const exec = tx ?? db;
      const lock = tx !== undefined;
      let row = await activeRow(exec, orgId, lock);
      if (!row) {
        const created = createDataKey(masterKeys, orgId, 1);
        created.key.fill(0);
        // Conflicts on the primary key (org, 1) or the one-active index: someone else created it first.
        await exec.insert(organisationDataKey).values({ organisationId: orgId, version: 1, wrapped: created.wrapped, masterKeyId: created.masterKeyId, status: "active" }).onConflictDoNothing();
        row = await activeRow(exec, orgId, lock);
        if (!row) throw new Error("organisation data key: no active key after create");
      }
      return unwrapCached(orgId, row.wrapped);
    },

    async resolver(orgId, tx) {
      const rows = await (tx ?? db).select({ wrapped: organisationDataKey.wrapped, version: organisationDataKey.version }).from(organisationDataKey).where(eq(organisationDataKey.organisationId, orgId));
      const byVersion = new Map(rows.map((r) => [r.version, r.wrapped]));
      return (version) => {
        const wrapped = byVersion.get(version);
        return wrapped === undefined ? undefined : unwrapCached(orgId, wrapped);
      };
    },

    async rewrapAll() {
      const newestId = masterKeyId(masterKeys[0]!);
      const stale = await db
        .select({ organisationId: organisationDataKey.organisationId, version: organisationDataKey.version })
        .from(organisationDataKey)
        .where(ne(organisationDataKey.masterKeyId, newestId));
      let rewrapped = 0;
      for (const s of stale) {
        const changed = await db.transaction(async (tx) => {
          const at = and(eq(organisationDataKey.organisationId, s.organisationId), eq(organisationDataKey.version, s.version));
          const [row] = await tx.select().from(organisationDataKey).where(at).for("update");
          if (!row || row.masterKeyId === newestId) return false;
          const next = rewrap(masterKeys, row.wrapped, row.organisationId);
          if (!next.changed) return false;
          await tx.update(organisationDataKey).set({ wrapped: next.wrapped, masterKeyId: next.masterKeyId, rewrappedAt: new Date() }).where(at);
          return true;
        });
        if (changed) rewrapped += 1;
      }
      return { checked: stale.length, rewrapped };
    },

    async rotateDataKey(orgId, reseal) {
      return db.transaction(async (tx) => {
        const rows = await tx.select().from(organisationDataKey).where(eq(organisationDataKey.organisationId, orgId)).orderBy(desc(organisationDataKey.version)).for("update");
        const nextVersion = (rows[0]?.version ?? 0) + 1;
        const created = createDataKey(masterKeys, orgId, nextVersion);
        const key: DataKey = { key: created.key, version: nextVersion };
        await tx.update(organisationDataKey).set({ status: "retired" }).where(and(eq(organisationDataKey.organisationId, orgId), eq(organisationDataKey.status, "active")));
        await tx.insert(organisationDataKey).values({ organisationId: orgId, version: nextVersion, wrapped: created.wrapped, masterKeyId: created.masterKeyId, status: "active" });
        const byVersion = new Map(rows.map((r) => [r.version, r.wrapped]));
        const resolve = (version: number): DataKey | undefined => {
          if (version === nextVersion) return key;
          const wrapped = byVersion.get(version);
          return wrapped === undefined ? undefined : unwrapCached(orgId, wrapped);
        };
        const resealed = reseal ? await reseal(tx, resolve, key) : 0;
        cache.set(`${orgId}|${created.wrapped}`, key);
        return { version: nextVersion, resealed };
      });
    },

    clearCache() {
      cache.clear();
    },
  };
}

/** Rows per master key id (for the CLI's report: which keys are still in use). */
export async function dataKeysByMasterKey(db: Database): Promise<{ masterKeyId: string; count: number }[]> {
  const rows = await db
    .select({ masterKeyId: organisationDataKey.masterKeyId, count: sql<number>`count(*)::int` })
    .from(organisationDataKey)
    .groupBy(organisationDataKey.masterKeyId);
  return rows.map((r) => ({ masterKeyId: r.masterKeyId, count: Number(r.count) }));
}
