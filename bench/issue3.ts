// `node bench/issue3.ts`: the two benchmarks of issue 3.
//
//   node bench/issue3.ts                                   # embedded PGlite
//   DATABASE_URL=postgres://… node bench/issue3.ts          # PostgreSQL (a throwaway database is created on it)
//   BENCH_DURATION=5 BENCH_CONNECTIONS=10 BENCH_GROUPS=10000 node bench/issue3.ts
//   BENCH_SKIP_BUILD=1 node bench/issue3.ts                # use build/ as it is
//   BENCH_DURATION=1 BENCH_GROUPS=200 node bench/issue3.ts  # quickest run (a smoke test, not figures)
//
// 1. Public directory search over 10,000 groups (bench/fixture.ts): the REST endpoint
//    /api/v1/directory/groups without and with text search and filters, and the server-rendered
//    page /groups with the same filters.
// 2. A member's calendar feed (/api/v1/calendar/{token}.ics) for a person in 10 groups, each with
//    a year of meetings, cancellations, moved meetings, changed links and a pause.
// Every figure is also given as a ratio to /healthz measured in the same run. Like bench/run.ts it
// starts `node scripts/start.ts` as a child process (port 3310 unless BENCH_PORT is set; with
// BENCH_SKIP_BUILD=1 the app on build/ as it is, without start.ts's build check), on a
// throwaway DATA_DIR; the fixture is written while the server is stopped (PGlite is single-process).
// Prints a markdown table and writes it to bench/results/issue3[-postgres].md.
// Server lifecycle, load and report helpers: bench/harness.ts.
import { seedBenchFixture } from "./fixture.ts";
import { OWNER, benchSettings, buildUi, createOwner, describeMachine, loadAverage, measure, prepareServer, publishReport, throughputTable, warmUp, type Throughput } from "./harness.ts";

const settings = benchSettings(3310);
const { base: BASE, duration: DURATION, connections: CONNECTIONS } = settings;
const GROUPS = Number(process.env.BENCH_GROUPS ?? 10_000);

async function main() {
  const started = new Date();
  // BENCH_SKIP_BUILD=1 uses build/ as it is (build it first under `flock /tmp/bc-build.lock` on shared machines).
  buildUi(settings.skipBuild);
  const server = await prepareServer({ settings, tmpPrefix: "bc-bench3-", adminDatabaseUrl: process.env.DATABASE_URL });
  try {
    // First start: migrations; the owner through the setup API; then stop for the fixture.
    await server.start();
    await createOwner(BASE);
    await server.stop();

    console.log(`writing the fixture (${GROUPS} groups, a member of 10 groups with a year of exceptions)…`);
    const handle = await server.openDatabase();
    const fixture = await seedBenchFixture(handle.db, OWNER.email, GROUPS).finally(() => handle.close());
    console.log(`fixture written in ${(fixture.ms / 1000).toFixed(1)} s: ${fixture.groups} groups in ${fixture.organisations} organisations, ${fixture.memberships} memberships; feed: ${fixture.feedGroups} groups, ${fixture.feedExceptions} exceptions, ${fixture.feedPauses} pauses`);

    await server.start();
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
    await warmUp(routes.map((r) => ({ url: `${BASE}${r.route}` })), CONNECTIONS);
    const rss = server.rssMiB();
    const loadBefore = loadAverage();
    const rows: Array<Throughput & { route: string; what: string }> = [];
    for (const r of routes) {
      console.log(`loading ${r.shown ?? r.route} for ${DURATION} s…`);
      rows.push({ route: r.shown ?? r.route, what: r.what, ...(await measure(`${BASE}${r.route}`, { connections: CONNECTIONS, duration: DURATION })) });
    }
    const report = [
      `# Issue 3 benchmarks — ${server.label}`,
      "",
      `- date: ${started.toISOString()}`,
      `- machine: ${describeMachine()}`,
      `- load average (1/5/15 min) before the measured runs: ${loadBefore}; after: ${loadAverage()}`,
      `- load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per route, loopback; the load generator shares the machine with the server`,
      `- fixture: ${fixture.groups} groups (90 % listed, 2 % archived) in ${fixture.organisations} organisations, ${fixture.memberships} active memberships, written in ${(fixture.ms / 1000).toFixed(1)} s; feed: ${fixture.feedGroups} groups, ${fixture.feedExceptions} exceptions, ${fixture.feedPauses} pauses`,
      `- RSS after warm-up: ${rss.toFixed(0)} MiB`,
      "",
      ...notes,
      "",
      throughputTable(rows, 3),
      "",
    ].join("\n");
    publishReport(`issue3${server.postgres ? "-postgres" : ""}.md`, report);
  } finally {
    await server.dispose();
  }
}

await main();
