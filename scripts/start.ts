// `npm start`: build the UI if needed, run migrations, serve http://localhost:3000.
import module from "node:module";
import { performance } from "node:perf_hooks";
import { ConfigError, loadConfig } from "../src/platform/config.server.ts";
import { ensureBuild } from "./ensure-build.ts";

const t0 = performance.now();
// Cache compiled JavaScript on disk: later starts skip most of the parse/compile work.
module.enableCompileCache?.();
let config;
try {
  config = loadConfig(process.env.NODE_ENV ? process.env : { ...process.env, NODE_ENV: "production" });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
ensureBuild();
const { startApp } = await import("../src/server.ts");
const running = await startApp(config);
const ms = Math.round(performance.now() - t0);
const db = config.database.kind === "pglite" ? `embedded PGlite in ${config.database.dir}` : "PostgreSQL (DATABASE_URL)";
console.log(`Balint Commons is ready at ${config.appUrl} (${db}; started in ${ms} ms)`);

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
