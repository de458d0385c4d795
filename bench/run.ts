// `npm run bench`: start-up time, memory and HTTP throughput of a production server.
//
//   npm run bench                                   # embedded PGlite
//   DATABASE_URL=postgres://… npm run bench          # PostgreSQL (a throwaway database is created on it)
//   BENCH_DURATION=5 BENCH_CONNECTIONS=10 npm run bench
//   BENCH_DURATION=1 npm run bench                   # quickest run (a smoke test, not figures)
//
// Starts `node scripts/start.ts` as a child process on a throwaway DATA_DIR (port 3300 unless
// BENCH_PORT is set), times the cold first start and a second start (to the first successful
// /healthz), reads the process's RSS after warm-up, creates an owner through the setup API,
// signs in, then loads four routes with autocannon over loopback. Every figure is also given as
// a ratio to the constant route (/healthz) measured in the same run, which keeps the numbers
// comparable across machines. Prints a markdown table and writes it to bench/results/latest.md.
// The UI is always built if needed (BENCH_SKIP_BUILD is not read: the start-up is measured the way
// `npm start` does it). Server lifecycle, load and report helpers: bench/harness.ts.
import { benchSettings, buildUi, createOwner, describeMachine, measure, prepareServer, publishReport, signIn, throughputTable, warmUp, type Throughput } from "./harness.ts";

const settings = { ...benchSettings(3300), skipBuild: false };
const { base: BASE, duration: DURATION, connections: CONNECTIONS } = settings;

async function main() {
  const started = new Date();
  buildUi(false);
  const server = await prepareServer({ settings, tmpPrefix: "bc-bench-", adminDatabaseUrl: process.env.DATABASE_URL });
  try {
    // Cold start: empty data directory (PGlite creates its database) and all migrations.
    const coldMs = await server.start();
    console.log(`cold start: ${Math.round(coldMs)} ms`);
    await server.stop();
    // Second start: the database exists and is migrated.
    const warmStartMs = await server.start();
    console.log(`second start: ${Math.round(warmStartMs)} ms`);

    // An owner and a session.
    await createOwner(BASE);
    const cookie = await signIn(BASE);
    const me = await fetch(`${BASE}/api/v1/me`, { headers: { cookie } });
    if (me.status !== 200) throw new Error(`/api/v1/me with the session answered ${me.status}`);
    const landing = await fetch(`${BASE}/`);
    if (landing.status !== 200) throw new Error(`/ answered ${landing.status}`);

    // Warm-up (JIT, caches, connection pools), then memory.
    console.log("warming up…");
    await warmUp([...["/healthz", "/readyz", "/"].map((p) => ({ url: `${BASE}${p}` })), { url: `${BASE}/api/v1/me`, headers: { cookie } }], CONNECTIONS);
    const rss = server.rssMiB();
    console.log(`RSS after warm-up: ${rss.toFixed(0)} MiB`);

    const routes: Array<{ route: string; what: string; headers?: Record<string, string> }> = [
      { route: "/healthz", what: "constant route (baseline)" },
      { route: "/readyz", what: "database round trip" },
      { route: "/api/v1/me", what: "authenticated API read (session cookie)", headers: { cookie } },
      { route: "/", what: "server-rendered landing page" },
    ];
    const rows: Array<Throughput & { route: string; what: string }> = [];
    for (const r of routes) {
      console.log(`loading ${r.route} for ${DURATION} s…`);
      const result = await measure(`${BASE}${r.route}`, { connections: CONNECTIONS, duration: DURATION, headers: r.headers ?? {} });
      rows.push({ route: r.route, what: r.what, ...result });
    }
    const report = [
      `# Benchmark — ${server.label}`,
      "",
      `- date: ${started.toISOString()}`,
      `- machine: ${describeMachine()}`,
      `- load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per route, loopback; the load generator shares the machine with the server`,
      "",
      `| start-up | time to first successful /healthz |`,
      `|---|---:|`,
      `| cold first start (empty data directory, migrations) | ${(coldMs / 1000).toFixed(1)} s |`,
      `| second start (existing database) | ${(warmStartMs / 1000).toFixed(1)} s |`,
      `| RSS after warm-up | ${rss.toFixed(0)} MiB |`,
      "",
      throughputTable(rows, 2),
      "",
    ].join("\n");
    publishReport(`latest${server.postgres ? "-postgres" : ""}.md`, report);
  } finally {
    await server.dispose();
  }
}

await main();
