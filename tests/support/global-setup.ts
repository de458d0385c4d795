import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/platform/db/client.server.ts";
import { ensureBuild } from "../../scripts/ensure-build.ts";

/**
 * Creating a PGlite database (initdb) takes ~5 s; opening an existing one ~1 s. So the
 * migrated database is made once here and each test file starts from a copy of it.
 */
export default async function setup(project: TestProject) {
  // Some integration tests render pages (createTestApp({ ui: true })): make sure the UI is built.
  ensureBuild({ quiet: true });
  if (process.env.TEST_DB === "postgres") {
    if (!process.env.TEST_DATABASE_URL) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL");
    return;
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
  }
}
