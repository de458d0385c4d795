import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/platform/db/client.server.ts";
import { ensureBuild } from "../../scripts/ensure-build.ts";

/**
 * Creating a PGlite database (initdb) takes ~5 s; opening an existing one ~1 s. So the
 * migrated database is made once here and each test file starts from a copy of it. On PostgreSQL
 * the same: one migrated template database, and each test file's database is created from it
 * (~60 ms instead of ~450 ms of migrations).
 */
export default async function setup(project: TestProject) {
  // Some integration tests render pages (createTestApp({ ui: true })): make sure the UI is built.
  ensureBuild({ quiet: true });
  if (process.env.TEST_DB === "postgres") {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL");
    const name = `bc_template_${randomBytes(6).toString("hex")}`;
    const admin = async (query: string) => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(query);
      } finally {
        await c.end();
      }
    };
    await admin(`create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 2 });
    await handle.migrate();
    await handle.close();
    project.provide("postgresTemplate", name);
    return () => admin(`drop database if exists ${name} with (force)`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "bc-template-"));
  const handle = await openDatabase({ kind: "pglite", dir: path.join(dir, "pglite") });
  await handle.migrate();
  await handle.close();
  project.provide("pgliteTemplateDir", path.join(dir, "pglite"));
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
    postgresTemplate: string;
  }
}
