// Profiles the public directory query in-process (no HTTP), on the bench fixture:
//   node bench/directory-profile.ts                       # embedded PGlite in memory, 10,000 groups
//   N=2000 node bench/directory-profile.ts
//   EXPLAIN="explain analyze select …" node bench/directory-profile.ts
// Prints the average time of `groups.directory()` for the bench's queries.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { user } from "../src/platform/auth/schema.ts";
import { loadConfig } from "../src/platform/config.server.ts";
import { openDatabase } from "../src/platform/db/client.server.ts";
import { createLogger } from "../src/platform/logging/logger.server.ts";
import { startApp } from "../src/server.ts";
import { seedBenchFixture } from "./fixture.ts";

const handle = await openDatabase({ kind: "pglite", dir: null });
await handle.migrate();
const config = loadConfig({ NODE_ENV: "test", DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "bc-prof-")), APP_URL: "http://localhost:3999", LOG_LEVEL: "silent", DATABASE_URL: "" });
const app = await startApp(config, { database: handle, listen: false, work: false, ui: false, logger: createLogger("silent") });
const db = handle.db;
await db.insert(user).values({ id: "owner", name: "Owner", email: "o@example.org", emailVerified: true });
const f = await seedBenchFixture(db, "o@example.org", Number(process.env.N ?? 10000));
console.log(`fixture written in ${f.ms} ms`);
await db.execute(sql`analyze`);
const queries: Array<Record<string, unknown>> = [
  {},
  { q: "residents" },
  { q: "group", format: "online", language: "en", weekday: "TU", timeOfDay: "evening", openSeats: "true", timeZone: "America/New_York" },
  { format: "online", language: "en", weekday: "TU", timeOfDay: "evening", openSeats: "true", timeZone: "America/New_York", page: 5 },
  { openSeats: "true" },
];
for (const q of queries) {
  for (let i = 0; i < 3; i++) await app.services.groups.directory(q);
  const t = performance.now();
  let total = 0;
  for (let i = 0; i < 10; i++) total = (await app.services.groups.directory(q)).total;
  console.log(`${JSON.stringify(q)}  total ${total}  avg ${((performance.now() - t) / 10).toFixed(1)} ms`);
}
if (process.env.EXPLAIN) {
  const r = (await db.execute(sql.raw(process.env.EXPLAIN))) as unknown as { rows: Array<Record<string, string>> };
  console.log(r.rows.map((x) => x["QUERY PLAN"]).join("\n"));
}
await app.stop();
