// `node bench/issue3.ts`: the two benchmarks of issue 3.
//
//   node bench/issue3.ts                                   # embedded PGlite
//   DATABASE_URL=postgres://… node bench/issue3.ts          # PostgreSQL (a throwaway database is created on it)
//   BENCH_DURATION=5 BENCH_CONNECTIONS=10 BENCH_GROUPS=10000 node bench/issue3.ts
//   BENCH_SKIP_BUILD=1 node bench/issue3.ts                # use build/ as it is
//
// 1. Public directory search over 10,000 groups (bench/fixture.ts): the REST endpoint
//    /api/v1/directory/groups without and with text search and filters, and the server-rendered
//    page /groups with the same filters.
// 2. A member's calendar feed (/api/v1/calendar/{token}.ics) for a person in 10 groups, each with
//    a year of meetings, cancellations, moved meetings, changed links and a pause.
// Every figure is also given as a ratio to /healthz measured in the same run. Like bench/run.ts it
// starts `node scripts/start.ts` as a child process (port 3310 unless BENCH_PORT is set), on a
// throwaway DATA_DIR; the fixture is written while the server is stopped (PGlite is single-process).
// Prints a markdown table and writes it to bench/results/issue3[-postgres].md.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import pg from "pg";
import { ensureBuild } from "../scripts/ensure-build.ts";
import { openDatabase } from "../src/platform/db/client.server.ts";
import { seedBenchFixture } from "./fixture.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 3310);
const BASE = `http://localhost:${PORT}`;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 10_000);
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
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "start.ts")], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  child.on("exit", (code) => {
    if (code && code !== 0) console.error(`server exited with ${code}:\n${output}`);
  });
  return child;
}

async function waitHealthy(child: ChildProcess, timeoutMs = 300_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error("the server exited before it became healthy");
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
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

const rssMiB = (pid: number) => Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

function loadAverage(): string {
  return os.loadavg().map((n) => n.toFixed(1)).join(" / ");
}

async function main() {
  const started = new Date();
  // BENCH_SKIP_BUILD=1 uses build/ as it is (build it first under `flock /tmp/bc-build.lock` on shared machines).
  if (process.env.BENCH_SKIP_BUILD !== "1") {
    console.log("Building the UI if needed…");
    ensureBuild({ quiet: true });
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bc-bench3-"));
  const pgDb = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : null;
  const env: Record<string, string> = { NODE_ENV: "production", PORT: String(PORT), APP_URL: BASE, DATA_DIR: dataDir, LOG_LEVEL: "warn", AUTH_RATE_LIMIT: "100000", ...(pgDb ? { DATABASE_URL: pgDb.url } : { DATABASE_URL: "" }) };
  const database = pgDb ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
  let server: ChildProcess | null = null;
  try {
    // First start: migrations; the owner through the setup API; then stop for the fixture.
    server = startServer(env);
    await waitHealthy(server);
    const setup = await fetch(`${BASE}/api/v1/setup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: BASE },
      body: JSON.stringify({ organisationName: "Bench Balint Society", ownerName: "Bench Owner", ownerEmail: OWNER.email, ownerPassword: OWNER.password, timeZone: "UTC" }),
    });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${await setup.text()}`);
    await stopServer(server);
    server = null;

    console.log(`writing the fixture (${GROUPS} groups, a member of 10 groups with a year of exceptions)…`);
    const handle = await openDatabase(pgDb ? { kind: "postgres", url: pgDb.url, poolSize: 2 } : { kind: "pglite", dir: path.join(dataDir, "pglite") });
    const fixture = await seedBenchFixture(handle.db, OWNER.email, GROUPS).finally(() => handle.close());
    console.log(`fixture written in ${(fixture.ms / 1000).toFixed(1)} s: ${fixture.groups} groups in ${fixture.organisations} organisations, ${fixture.memberships} memberships; feed: ${fixture.feedGroups} groups, ${fixture.feedExceptions} exceptions, ${fixture.feedPauses} pauses`);

    server = startServer(env);
    await waitHealthy(server);
    const filters = "format=online&language=en&weekday=TU&timeOfDay=evening&openSeats=true&timeZone=America%2FNew_York";
    const feed = `/api/v1/calendar/${fixture.feedToken}.ics`;
    const routes: Array<{ route: string; shown?: string; what: string; check?: (body: string) => string }> = [
      { route: "/healthz", what: "constant route (baseline)" },
      { route: "/api/v1/directory/groups", what: "directory API, first page, no filter", check: (b) => `total ${JSON.parse(b).total}` },
      { route: "/api/v1/directory/groups?q=residents", what: "directory API, text search", check: (b) => `total ${JSON.parse(b).total}` },
      { route: `/api/v1/directory/groups?q=group&${filters}`, what: "directory API, text search + 5 filters (viewer zone)", check: (b) => `total ${JSON.parse(b).total}` },
      { route: `/api/v1/directory/groups?${filters}&page=5`, what: "directory API, 5 filters, page 5", check: (b) => `total ${JSON.parse(b).total}` },
      { route: "/groups", what: "directory page (HTML), no filter", check: (b) => `${b.length} bytes` },
      { route: `/groups?q=group&${filters}`, what: "directory page (HTML), text search + 5 filters", check: (b) => `${b.length} bytes` },
      { route: feed, shown: "/api/v1/calendar/{token}.ics", what: "calendar feed: member of 10 groups, a year of exceptions", check: (b) => `${b.length} bytes, ${(b.match(/BEGIN:VEVENT/g) ?? []).length} VEVENTs` },
    ];
    const notes: string[] = [];
    for (const r of routes) {
      const res = await fetch(`${BASE}${r.route}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${r.shown ?? r.route} answered ${res.status}: ${body.slice(0, 300)}`);
      if (r.check) notes.push(`- \`${r.shown ?? r.route}\`: ${r.check(body)}`);
    }
    console.log("warming up…");
    for (const r of routes) await autocannon({ url: `${BASE}${r.route}`, connections: CONNECTIONS, duration: 2 });
    const rss = rssMiB(server.pid!);
    const loadBefore = loadAverage();
    const rows: Array<{ route: string; what: string; rps: number; p50: number; p99: number; non2xx: number; errors: number }> = [];
    for (const r of routes) {
      console.log(`loading ${r.shown ?? r.route} for ${DURATION} s…`);
      const res = await autocannon({ url: `${BASE}${r.route}`, connections: CONNECTIONS, duration: DURATION });
      rows.push({ route: r.shown ?? r.route, what: r.what, rps: res.requests.average, p50: res.latency.p50, p99: res.latency.p99, non2xx: res.non2xx, errors: res.errors });
    }
    const base = rows[0]!;
    const cpus = os.cpus();
    const report = [
      `# Issue 3 benchmarks — ${database}`,
      "",
      `- date: ${started.toISOString()}`,
      `- machine: ${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
      `- load average (1/5/15 min) before the measured runs: ${loadBefore}; after: ${loadAverage()}`,
      `- load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per route, loopback; the load generator shares the machine with the server`,
      `- fixture: ${fixture.groups} groups (90 % listed, 2 % archived) in ${fixture.organisations} organisations, ${fixture.memberships} active memberships, written in ${(fixture.ms / 1000).toFixed(1)} s; feed: ${fixture.feedGroups} groups, ${fixture.feedExceptions} exceptions, ${fixture.feedPauses} pauses`,
      `- RSS after warm-up: ${rss.toFixed(0)} MiB`,
      "",
      ...notes,
      "",
      `| route | what | requests/s | p50 ms | p99 ms | req/s vs /healthz | p99 vs /healthz | non-2xx | errors |`,
      `|---|---|---:|---:|---:|---:|---:|---:|---:|`,
      ...rows.map((r) => `| \`${r.route}\` | ${r.what} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${(r.rps / base.rps).toFixed(3)} | ${(r.p99 / Math.max(base.p99, 1)).toFixed(1)}× | ${r.non2xx} | ${r.errors} |`),
      "",
    ].join("\n");
    console.log(`\n${report}`);
    const outDir = path.join(ROOT, "bench", "results");
    mkdirSync(outDir, { recursive: true });
    const file = `issue3${pgDb ? "-postgres" : ""}.md`;
    writeFileSync(path.join(outDir, file), report);
    console.log(`Written to bench/results/${file}`);
  } finally {
    if (server) await stopServer(server);
    if (pgDb) await pgDb.drop().catch((e: unknown) => console.error(`could not drop the bench database: ${String(e)}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
