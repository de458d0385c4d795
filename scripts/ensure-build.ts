import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const STAMP = path.join(ROOT, "build", ".stamp");
const INPUTS = ["src", "public", "react-router.config.ts", "vite.config.ts", "package-lock.json"];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Builds the UI when build/ is missing or older than its sources. Returns true if it built. */
export function ensureBuild(options: { quiet?: boolean } = {}): boolean {
  const stamp = existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
  const newest = Math.max(...INPUTS.map((i) => newestMtime(path.join(ROOT, i))));
  if (stamp && stamp >= newest && existsSync(path.join(ROOT, "build", "server", "index.js"))) return false;
  if (!options.quiet) console.log("Building the user interface (first start or sources changed)…");
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules", "@react-router", "dev", "bin.cjs"), "build"], {
    cwd: ROOT,
    stdio: options.quiet ? "pipe" : "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) {
    if (options.quiet) process.stderr.write(result.stderr ?? "");
    throw new Error("UI build failed");
  }
  writeFileSync(STAMP, new Date().toISOString());
  if (!options.quiet) console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return true;
}

if (import.meta.main) ensureBuild();
