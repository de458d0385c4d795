// `npm run bench`: start-up time, memory and HTTP throughput of a production server.
//
//   npm run bench                                   # embedded PGlite
//   DATABASE_URL=postgres://… npm run bench          # PostgreSQL (a throwaway database is created on it)
//   BENCH_DURATION=5 BENCH_CONNECTIONS=10 npm run bench
//
// Starts `node scripts/start.ts` as a child process on a throwaway DATA_DIR (port 3300 unless
// BENCH_PORT is set), times the cold first start and a second start (to the first successful
// /healthz), reads the process's RSS after warm-up, creates an owner through the setup API,
// signs in, then loads four routes with autocannon over loopback. Every figure is also given as
// a ratio to the constant route (/healthz) measured in the same run, which keeps the numbers
// comparable across machines. Prints a markdown table and writes it to bench/results/latest.md.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon, { type Result } from "autocannon";
import pg from "pg";
import { ensureBuild } from "../scripts/ensure-build.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const BASE = `http://localhost:${PORT}`;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const OWNER = { email: "bench.owner@example.org", password: "lantern-harbour-quietly-42" };

async function freshPostgres(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
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

function startServer(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "start.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  child.on("exit", (code) => {
    if (code && code !== 0) console.error(`server exited with ${code}:\n${output}`);
  });
  return child;
}

/** Milliseconds from spawn until /healthz answers 200. */
async function timeToHealthy(child: ChildProcess, started: number, timeoutMs = 300_000): Promise<number> {
  const deadline = started + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error("the server exited before it became healthy");
    try {
      const res = await fetch(`${BASE}/healthz`);
      if (res.ok) return performance.now() - started;
    } catch {
      /* not listening yet */
    }
    if (performance.now() > deadline) throw new Error("the server did not become healthy in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function load(title: string, pathname: string, headers: Record<string, string> = {}, duration = DURATION): Promise<Result> {
  return autocannon({ title, url: `${BASE}${pathname}`, connections: CONNECTIONS, duration, headers });
}

interface Row {
  route: string;
  what: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function main() {
  const started = new Date();
  console.log("Building the UI if needed…");
  ensureBuild({ quiet: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bc-bench-"));
  const pgDb = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : null;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    PORT: String(PORT),
    APP_URL: BASE,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    AUTH_RATE_LIMIT: "100000",
    ...(pgDb ? { DATABASE_URL: pgDb.url } : { DATABASE_URL: "" }),
  };
  const database = pgDb ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
  let server: ChildProcess | null = null;
  try {
    // Cold start: empty data directory (PGlite creates its database) and all migrations.
    let t = performance.now();
    server = startServer(env);
    const coldMs = await timeToHealthy(server, t);
    console.log(`cold start: ${Math.round(coldMs)} ms`);
    await stopServer(server);
    // Second start: the database exists and is migrated.
    t = performance.now();
    server = startServer(env);
    const warmStartMs = await timeToHealthy(server, t);
    console.log(`second start: ${Math.round(warmStartMs)} ms`);

    // An owner and a session.
    const setup = await fetch(`${BASE}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ organisationName: "Bench Balint Society", ownerName: "Bench Owner", ownerEmail: OWNER.email, ownerPassword: OWNER.password, timeZone: "UTC" }),
    });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
    const signIn = await fetch(`${BASE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify(OWNER),
    });
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const me = await fetch(`${BASE}/api/v1/me`, { headers: { cookie } });
    if (me.status !== 200) throw new Error(`/api/v1/me with the session answered ${me.status}`);
    const landing = await fetch(`${BASE}/`);
    if (landing.status !== 200) throw new Error(`/ answered ${landing.status}`);

    // Warm-up (JIT, caches, connection pools), then memory.
    console.log("warming up…");
    for (const p of ["/healthz", "/readyz", "/"]) await load(`warm ${p}`, p, {}, 2);
    await load("warm /api/v1/me", "/api/v1/me", { cookie }, 2);
    const rss = rssMiB(server.pid!);
    console.log(`RSS after warm-up: ${rss.toFixed(0)} MiB`);

    const routes: Array<{ route: string; what: string; headers?: Record<string, string> }> = [
      { route: "/healthz", what: "constant route (baseline)" },
      { route: "/readyz", what: "database round trip" },
      { route: "/api/v1/me", what: "authenticated API read (session cookie)", headers: { cookie } },
      { route: "/", what: "server-rendered landing page" },
    ];
    const rows: Row[] = [];
    for (const r of routes) {
      console.log(`loading ${r.route} for ${DURATION} s…`);
      const result = await load(r.route, r.route, r.headers ?? {});
      rows.push({ route: r.route, what: r.what, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors });
    }
    const base = rows[0]!;
    const table = [
      `| route | what | requests/s | p50 ms | p99 ms | req/s vs /healthz | p99 vs /healthz | non-2xx | errors |`,
      `|---|---|---:|---:|---:|---:|---:|---:|---:|`,
      ...rows.map(
        (r) =>
          `| \`${r.route}\` | ${r.what} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.rps / base.rps).toFixed(2)} | ${(r.p99 / Math.max(base.p99, 1)).toFixed(1)}× | ${r.non2xx} | ${r.errors} |`,
      ),
    ].join("\n");
    const cpus = os.cpus();
    const report = [
      `# Benchmark — ${database}`,
      "",
      `- date: ${started.toISOString()}`,
      `- machine: ${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
      `- load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per route, loopback; the load generator shares the machine with the server`,
      "",
      `| start-up | time to first successful /healthz |`,
      `|---|---:|`,
      `| cold first start (empty data directory, migrations) | ${(coldMs / 1000).toFixed(1)} s |`,
      `| second start (existing database) | ${(warmStartMs / 1000).toFixed(1)} s |`,
      `| RSS after warm-up | ${rss.toFixed(0)} MiB |`,
      "",
      table,
      "",
    ].join("\n");
    console.log(`\n${report}`);
    const outDir = path.join(ROOT, "bench", "results");
    mkdirSync(outDir, { recursive: true });
    const suffix = pgDb ? "-postgres" : "";
    writeFileSync(path.join(outDir, `latest${suffix}.md`), report);
    console.log(`Written to bench/results/latest${suffix}.md`);
  } finally {
    if (server) await stopServer(server);
    if (pgDb) await pgDb.drop().catch((e: unknown) => console.error(`could not drop the bench database: ${String(e)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
