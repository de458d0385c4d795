import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import * as schema from "./schema.ts";

export type Schema = typeof schema;
/** The one database type the app codes against; PGlite and node-postgres both satisfy it. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A database or a transaction: anything that can run queries. */
export type Executor = Parameters<Parameters<Database["transaction"]>[0]>[0] | Database;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../db/migrations");

export type DatabaseTarget = { kind: "pglite"; dir: string | null } | { kind: "postgres"; url: string; poolSize: number };

/**
 * A database connection with the provider-specific handles kept for the few places that need
 * them (the job queue adapter, LISTEN/NOTIFY, benchmarks). Application code uses `db` only.
 */
export interface DatabaseHandle {
  kind: "pglite" | "postgres";
  db: Database;
  pglite?: PGlite;
  pool?: pg.Pool;
  /** PostgreSQL connection string (PostgreSQL only), for components that open their own connections. */
  url?: string;
  migrate(): Promise<void>;
  /** Round trip to the database; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * PGlite is single-process: two processes on one directory would corrupt it. A lock file
 * beside the directory names the owning process; a stale one (dead process) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const lockFile = `${dir}.lock`;
  if (existsSync(lockFile)) {
    const pid = Number.parseInt(readFileSync(lockFile, "utf8"), 10);
    let alive = false;
    if (Number.isInteger(pid) && pid !== process.pid) {
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive) throw new Error(`The embedded database in ${dir} is in use by process ${pid}. Stop it first, or choose another DATA_DIR.`);
  }
  writeFileSync(lockFile, String(process.pid));
  return () => rmSync(lockFile, { force: true });
}

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === "pglite") {
    if (target.dir) mkdirSync(target.dir, { recursive: true });
    const unlock = target.dir ? lockDataDir(target.dir) : () => {};
    const pglite = target.dir ? new PGlite(target.dir) : new PGlite();
    await pglite.waitReady;
    const db = drizzlePglite(pglite, { schema }) as unknown as Database;
    return {
      kind: "pglite",
      db,
      pglite,
      migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
      ping: async () => {
        await pglite.query("select 1");
      },
      close: async () => {
        await pglite.close();
        unlock();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize });
  pool.on("error", () => {
    /* idle client errors are reported by the next query; keep the process alive */
  });
  const db = drizzlePg(pool, { schema }) as unknown as Database;
  return {
    kind: "postgres",
    db,
    pool,
    url: target.url,
    migrate: async () => {
      // Serialise migrations across instances that start together.
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock(727274)");
        await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await client.query("select pg_advisory_unlock(727274)").catch(() => {});
        client.release();
      }
    },
    ping: async () => {
      await pool.query("select 1");
    },
    close: () => pool.end(),
  };
}
