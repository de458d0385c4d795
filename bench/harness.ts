// Shared plumbing of the HTTP benchmarks (bench/run.ts, bench/issue3.ts, bench/wellbeing-report.ts):
// settings from the environment, a production server in a child process on a throwaway data
// directory (embedded PGlite) or a throwaway PostgreSQL database, the owner and a session cookie,
// autocannon runs summarised as requests/s and p50/p99, and the markdown report.
//
// Environment read here (each bench documents its own defaults on top):
//   BENCH_PORT         port of the server (each bench has its own default so they can run side by side)
//   BENCH_DURATION     seconds of load per route (default 10)
//   BENCH_CONNECTIONS  concurrent connections (default 10)
//   BENCH_SKIP_BUILD=1 use build/ as it is (build it first under `flock /tmp/bc-build.lock` on a shared checkout)
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { ensureBuild } from "../scripts/ensure-build.ts";
import type { DatabaseHandle } from "../src/platform/db/client.server.ts";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** The owner every bench creates through the setup API and signs in as. */
export const OWNER = { email: "bench.owner@example.org", password: "lantern-harbour-quietly-42" } as const;

export interface BenchSettings {
  port: number;
  /** `http://localhost:<port>` */
  base: string;
  /** Seconds of measured load per route. */
  duration: number;
  connections: number;
  /** BENCH_SKIP_BUILD=1: do not build the UI, and start the server without its build check. */
  skipBuild: boolean;
}

/** Reads BENCH_PORT (default `defaultPort`), BENCH_DURATION, BENCH_CONNECTIONS and BENCH_SKIP_BUILD. */
export function benchSettings(defaultPort: number, env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const port = Number(env.BENCH_PORT ?? defaultPort);
  return {
    port,
    base: `http://localhost:${port}`,
    duration: Number(env.BENCH_DURATION ?? 10),
    connections: Number(env.BENCH_CONNECTIONS ?? 10),
    skipBuild: env.BENCH_SKIP_BUILD === "1",
  };
}

/** Builds the UI when build/ is missing or stale, unless `skip` (BENCH_SKIP_BUILD=1). */
export function buildUi(skip: boolean): void {
  if (skip) return;
  console.log("Building the UI if needed…");
  ensureBuild({ quiet: true });
}

export interface ThrowawayDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database `bc_bench_<random>` on the server of `adminUrl`; `drop()` removes it. */
export async function freshPostgres(adminUrl: string): Promise<ThrowawayDatabase> {
  const name = `bc_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

// With BENCH_SKIP_BUILD=1 the server starts without `ensureBuild` (scripts/start.ts would rebuild the
// UI whenever a source file is newer — on a shared checkout, someone's half-written page breaks that).
const PREBUILT = `import { configOrExit } from "./scripts/serve.ts"; import { startApp } from "./src/server.ts";
const running = await startApp(configOrExit(process.env));
for (const s of ["SIGINT", "SIGTERM"]) process.on(s, async () => { await running.stop(); process.exit(0); });`;

/**
 * Spawns the production server (`node scripts/start.ts`, or with `prebuilt` the app on build/ as it
 * is) with `env` over the current environment. Its output is kept and printed only if it fails.
 */
export function spawnServer(env: Record<string, string>, prebuilt = false): ChildProcess {
  const args = prebuilt ? ["--input-type=module", "-e", PREBUILT] : [path.join(ROOT, "scripts", "start.ts")];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  child.on("exit", (code) => {
    if (code && code !== 0) console.error(`server exited with ${code}:\n${output}`);
  });
  return child;
}

/** Polls `<base>/healthz` every 50 ms until it answers 200; returns the milliseconds since `since`. */
export async function waitHealthy(child: ChildProcess, base: string, since = performance.now(), timeoutMs = 300_000): Promise<number> {
  const deadline = since + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error("the server exited before it became healthy");
    try {
      if ((await fetch(`${base}/healthz`)).ok) return performance.now() - since;
    } catch {
      /* not listening yet */
    }
    if (performance.now() > deadline) throw new Error("the server did not become healthy in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM, then SIGKILL after 15 s; resolves when the process has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process in MiB (`VmRSS` from /proc). */
export function rssMiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
}

/** `1.2 / 3.4 / 5.6`: the 1, 5 and 15 minute load averages. */
export function loadAverage(): string {
  return os.loadavg().map((n) => n.toFixed(1)).join(" / ");
}

/** `2 × AMD EPYC …, 23.5 GiB RAM, Linux 6.18…, Node v24…` for a report's "machine" line. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

export interface BenchServerOptions {
  settings: BenchSettings;
  /** Prefix of the throwaway DATA_DIR under the system's temporary directory. */
  tmpPrefix: string;
  /** An admin URL: a throwaway PostgreSQL database is created on that server. Without it: PGlite in DATA_DIR. */
  adminDatabaseUrl?: string | undefined;
  /** Extra environment for the server (added to the common production settings). */
  env?: Record<string, string>;
}

/** A bench server's data (throwaway DATA_DIR and database) and, while started, its process. */
export interface BenchServer {
  readonly base: string;
  readonly dataDir: string;
  /** The throwaway PostgreSQL database, or null on embedded PGlite. */
  readonly postgres: ThrowawayDatabase | null;
  /** "PostgreSQL (DATABASE_URL)" or "embedded PGlite", for report titles. */
  readonly label: string;
  /** Spawns the server and waits for /healthz; returns the milliseconds from spawn to the first 200. */
  start(): Promise<number>;
  /** Stops the server (no-op when it is not running). */
  stop(): Promise<void>;
  /** The running server's RSS in MiB. */
  rssMiB(): number;
  /** Opens the server's database directly (stop the server first on PGlite: it is single-process). */
  openDatabase(): Promise<DatabaseHandle>;
  /** Stops the server, drops the throwaway database and removes DATA_DIR. */
  dispose(): Promise<void>;
}

/** Makes the throwaway data directory (and PostgreSQL database) for a bench server; call `dispose()` in `finally`. */
export async function prepareServer(options: BenchServerOptions): Promise<BenchServer> {
  const { settings } = options;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
  let postgres: ThrowawayDatabase | null = null;
  try {
    postgres = options.adminDatabaseUrl ? await freshPostgres(options.adminDatabaseUrl) : null;
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(settings.port),
    APP_URL: settings.base,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    AUTH_RATE_LIMIT: "100000",
    DATABASE_URL: postgres?.url ?? "",
    ...options.env,
  };
  let child: ChildProcess | null = null;
  const stop = async () => {
    if (child) await stopProcess(child);
    child = null;
  };
  return {
    base: settings.base,
    dataDir,
    postgres,
    label: postgres ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite",
    async start() {
      if (child) throw new Error("the bench server is already running");
      const t = performance.now();
      child = spawnServer(env, settings.skipBuild);
      return waitHealthy(child, settings.base, t);
    },
    stop,
    rssMiB() {
      if (!child?.pid) throw new Error("the bench server is not running");
      return rssMiB(child.pid);
    },
    async openDatabase() {
      const { openDatabase } = await import("../src/platform/db/client.server.ts");
      return openDatabase(postgres ? { kind: "postgres", url: postgres.url, poolSize: 2 } : { kind: "pglite", dir: path.join(dataDir, "pglite") });
    },
    async dispose() {
      await stop();
      if (postgres) await postgres.drop().catch((e: unknown) => console.error(`could not drop the bench database: ${String(e)}`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates the organisation and OWNER through `POST /api/v1/setup` (throws unless 201). */
export async function createOwner(base: string): Promise<void> {
  const setup = await fetch(`${base}/api/v1/setup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ organisationName: "Bench Balint Society", ownerName: "Bench Owner", ownerEmail: OWNER.email, ownerPassword: OWNER.password, timeZone: "UTC" }),
  });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
}

/** Signs OWNER in with email and password; returns the session cookie header (throws unless 200). */
export async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

export interface LoadOptions {
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string>;
}

/** What a report shows of one autocannon run: mean requests/s, latency p50 and p99 (ms), failures. */
export interface Throughput {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Loads `url` with autocannon for `duration` seconds and summarises the run. */
export async function measure(url: string, options: LoadOptions): Promise<Throughput> {
  const res = await autocannon({ url, connections: options.connections, duration: options.duration, headers: options.headers ?? {} });
  return { rps: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, non2xx: res.non2xx, errors: res.errors };
}

/** Loads each URL in turn for `seconds` (JIT, caches, connection pools), discarding the results. */
export async function warmUp(targets: Array<{ url: string; headers?: Record<string, string> }>, connections: number, seconds = 2): Promise<void> {
  for (const t of targets) await measure(t.url, { connections, duration: seconds, ...(t.headers ? { headers: t.headers } : {}) });
}

/** The q-quantile of `xs` by the nearest-rank method (q = 0.99 of 30 samples is their maximum); NaN when empty. */
export function percentile(xs: number[], q: number): number {
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]! : Number.NaN;
}

/** A markdown table; columns marked `right` are right-aligned (`---:`). */
export function markdownTable(columns: Array<{ title: string; right?: boolean }>, rows: string[][]): string {
  return [`| ${columns.map((c) => c.title).join(" | ")} |`, `|${columns.map((c) => (c.right ? "---:" : "---")).join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
}

/**
 * The throughput table of bench/run.ts and bench/issue3.ts: one row per route, each also as a ratio to
 * the first row (the /healthz baseline measured in the same run), req/s ratio with `ratioDigits` decimals.
 */
export function throughputTable(rows: Array<Throughput & { route: string; what: string }>, ratioDigits: number): string {
  const base = rows[0]!;
  return markdownTable(
    [{ title: "route" }, { title: "what" }, ...["requests/s", "p50 ms", "p99 ms", "req/s vs /healthz", "p99 vs /healthz", "non-2xx", "errors"].map((title) => ({ title, right: true }))],
    rows.map((r) => [`\`${r.route}\``, r.what, r.rps.toFixed(0), String(r.p50), String(r.p99), (r.rps / base.rps).toFixed(ratioDigits), `${(r.p99 / Math.max(base.p99, 1)).toFixed(1)}×`, String(r.non2xx), String(r.errors)]),
  );
}

/** Prints the report and writes it to bench/results/<file>. */
export function publishReport(file: string, report: string): void {
  console.log(`\n${report}`);
  const outDir = path.join(ROOT, "bench", "results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, file), report);
  console.log(`Written to bench/results/${file}`);
}
