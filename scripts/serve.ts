// Shared by `npm start` and `npm run demo`: validated config, UI build, boot, graceful stop.
import module from "node:module";
import { ConfigError, loadConfig, type AppConfig } from "../src/platform/config.server.ts";
import type { RunningApp } from "../src/server.ts";
import { ensureBuild } from "./ensure-build.ts";

/** Reads the configuration or exits with the list of invalid variables. */
export function configOrExit(env: Record<string, string | undefined>): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Builds the UI if needed and starts the app; stops it cleanly on SIGINT/SIGTERM. */
export async function serve(config: AppConfig): Promise<RunningApp> {
  // Cache compiled JavaScript on disk: later starts skip most of the parse/compile work.
  module.enableCompileCache?.();
  ensureBuild();
  const { startApp } = await import("../src/server.ts");
  const running = await startApp(config);
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      console.log("Stopping…");
      const timer = setTimeout(() => process.exit(1), 10_000);
      await running.stop();
      clearTimeout(timer);
      process.exit(0);
    });
  }
  return running;
}

export function describeDatabase(config: AppConfig): string {
  return config.database.kind === "pglite" ? `embedded PGlite in ${config.database.dir}` : "PostgreSQL (DATABASE_URL)";
}
