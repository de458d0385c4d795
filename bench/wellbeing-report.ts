// `DATABASE_URL=postgres://… node bench/wellbeing-report.ts`: issue 5's bench — a program report
// over one million responses from 20,000 clinicians, on PostgreSQL (a throwaway database is made).
//
//   BENCH_DURATION=10 BENCH_CONNECTIONS=10 BENCH_PEOPLE=20000 BENCH_WAVES=50 BENCH_COLD_ROUNDS=30 node bench/wellbeing-report.ts
//   BENCH_SKIP_BUILD=1 …                     use build/ as it is (build first under flock on shared machines)
//   BENCH_PEOPLE=200 BENCH_WAVES=3 BENCH_COLD_ROUNDS=2 BENCH_DURATION=1 …   quickest run (a smoke test, not figures)
//   BENCH_PORT=3312                          the server's port (the default)
//
// Reports are cached (ADR 019 §7: keyed on the organisation, the query and a version of every
// input), so each report route is measured twice:
// - COLD: BENCH_COLD_ROUNDS times, the version is changed (the campaign is renamed in the database:
//   its name is one of the report's inputs, so the next request cannot be served from the cache;
//   the frozen atoms stay in memory, so this is the cost of computing, not of loading atoms), then
//   one request is timed alone ("cold, one request"), the version is changed again and
//   BENCH_CONNECTIONS identical requests are sent at once ("cold burst": single-flight makes them
//   share one computation);
// - WARM: autocannon for BENCH_DURATION seconds on the same URL (served from the cache).
//
// Fixture (while the server is stopped): 20,000 users and memberships, one confidential WHO-5
// campaign with 50 monthly waves (created by the well-being service with a past `now`),
// 1,000,000 invitations and 1,000,000 complete responses written by bulk SQL in the shape the
// service writes them (sanitised QuestionnaireResponse, scores, cells, pseudonym, answer time), 2,000
// groups of ~10 people, one discipline per group (so every atom is visible: the heaviest case); then every wave is closed by the service's own
// `freeze` (atoms through report-privacy's freezeWave; the first/last pairing). The server then
// serves GET /api/v1/orgs/{org}/wellbeing/reports to the owner (session cookie) under autocannon.
// Prints a markdown table and writes bench/results/wellbeing-report-postgres.md.
// Server lifecycle, load and report helpers: bench/harness.ts.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { Kernel } from "../src/platform/kernel.server.ts";
import type { Actor } from "../src/platform/policy/policy.ts";
import { createWellbeingService } from "../src/features/wellbeing/service.server.ts";
import { benchSettings, buildUi, createOwner, describeMachine, loadAverage, markdownTable, measure, percentile, prepareServer, publishReport, signIn, warmUp, type BenchServer, type Throughput } from "./harness.ts";

const settings = benchSettings(3312);
const { base: BASE, duration: DURATION, connections: CONNECTIONS } = settings;
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const WAVES = Number(process.env.BENCH_WAVES ?? 50);
const COLD_ROUNDS = Number(process.env.BENCH_COLD_ROUNDS ?? 30);
const GROUPS = Math.max(1, Math.round(PEOPLE / 10));
const AUTH_SECRET = randomBytes(32).toString("base64url");
const DAY = 86_400_000;

/** The fixture: see the header. Returns the organisation, the campaign and counts. */
async function writeFixture(server: BenchServer, url: string) {
  const t0 = performance.now();
  const handle = await server.openDatabase();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: orgs } = await client.query<{ id: string; user_id: string }>(`select o.id, m.user_id from organisation o join membership m on m.organisation_id = o.id where m.role = 'owner' limit 1`);
    const orgId = orgs[0]!.id;
    const ownerId = orgs[0]!.user_id;
    console.log(`  ${PEOPLE} users and memberships…`);
    await client.query(`insert into "user" (id, name, email, email_verified) select 'bench-u' || g, 'Clinician ' || g, 'clinician' || g || '@bench.example.org', true from generate_series(1, $1) g`, [PEOPLE]);
    await client.query(`insert into membership (organisation_id, user_id, role) select $1, 'bench-u' || g, 'member' from generate_series(1, $2) g`, [orgId, PEOPLE]);

    // The campaign and its waves, through the service (monthly, the last one closed two months ago).
    const kernel = {
      db: handle.db,
      config: { authSecret: AUTH_SECRET, appUrl: BASE },
      jobs: { define() {}, enqueue: async () => null },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      mailer: { send: async () => "", transportKind: "outbox" },
    } as unknown as Kernel;
    const svc = createWellbeingService(kernel);
    const actor: Actor = { kind: "user", userId: ownerId, memberships: new Map([[orgId, "owner"]]) };
    const who5 = (await svc.listInstruments(actor, orgId)).items.find((i) => i.builtInKey === "who-5")!;
    const firstOpen = new Date(Date.now() - (WAVES + 2) * 31 * DAY);
    const campaign = await svc.createCampaign(
      actor,
      orgId,
      { name: "Bench programme", mode: "confidential", instrumentIds: [who5.id], cohort: { kind: "organisation" }, cohortLabel: "programme", schedule: { kind: "every", opensAt: firstOpen.toISOString(), everyMonths: 1, until: new Date(firstOpen.getTime() + ((WAVES - 1) * 31 - 3) * DAY).toISOString() }, windowDays: 14, reminderDaysBefore: 0 },
      new Date(firstOpen.getTime() - DAY),
    );
    const waves = campaign.waves;
    console.log(`  ${waves.length} waves: ${PEOPLE * waves.length} invitations and responses…`);
    // Cells: ~10 people per group; disciplines weighted (physician, resident, nurse, …).
    const disciplineSql = `(case when g % 20 < 8 then 'physician' when g % 20 < 13 then 'resident' when g % 20 < 17 then 'nurse' when g % 20 = 17 then 'psychologist' when g % 20 = 18 then 'social_worker' else 'medical_student' end)`;
    const groupSql = `md5('bench-group-' || (g % ${GROUPS}))::uuid::text`;
    const codes = `(array['none','some','less-than-half','more-than-half','most','all'])`;
    for (const [wi, w] of waves.entries()) {
      await client.query(`insert into wellbeing_invitation (organisation_id, wave_id, user_id, group_id, token_hash, token_salt) select $1, $2::text::uuid, 'bench-u' || g, ${groupSql}::uuid, md5($2::text || ':' || g::text) || md5(g::text || ':' || $2::text), 'bench' from generate_series(1, $3) g`, [orgId, w.id, PEOPLE]);
      // Item values 0–5 from a hash of (person, wave, item), drifting up a little over the waves.
      await client.query(
        `insert into wellbeing_response (organisation_id, wave_id, instrument_id, response, scores, complete, cell_cohort, cell_group, cell_discipline, pseudonym, answered_at)
         select $1, $2, $3,
           jsonb_build_object('resourceType', 'QuestionnaireResponse', 'questionnaire', $4::text, 'status', 'completed', 'item',
             (select jsonb_agg(jsonb_build_object('linkId', 'who5-' || i, 'answer', jsonb_build_array(jsonb_build_object('valueCoding', jsonb_build_object('system', 'https://balint-commons.org/fhir/CodeSystem/who5-frequency', 'code', ${codes}[v.val[i] + 1])))) order by i) from generate_series(1, 5) i)),
           jsonb_build_object('who5', 4 * (v.val[1] + v.val[2] + v.val[3] + v.val[4] + v.val[5])),
           true, 'programme', ${groupSql}, ${disciplineSql}, 'bench-pseudonym-' || g, $5::timestamptz
         from generate_series(1, $6) g
         cross join lateral (select array(select least(5, greatest(0, (abs(hashtext(g::text || ':' || $7::int::text || ':' || i::text)) % 5) + case when $7::int > ${Math.floor(WAVES / 2)} then 1 else 0 end)) from generate_series(1, 5) i) as val) v`,
        [orgId, w.id, who5.id, `${who5.url}|${who5.version}`, new Date(new Date(w.opensAt).getTime() + DAY).toISOString(), PEOPLE, wi],
      );
      await client.query(`update wellbeing_wave set invited_at = opens_at where id = $1`, [w.id]);
      if ((wi + 1) % 10 === 0) console.log(`    ${wi + 1} waves written`);
    }
    await client.query("analyze");
    console.log("  closing every wave through the service (atoms, pairing)…");
    let atoms = 0;
    for (const w of waves) atoms += (await svc.freeze(w.id, new Date(new Date(w.closesAt).getTime() + 1000)))?.atoms ?? 0;
    await client.query("analyze");
    const { rows: counts } = await client.query<{ responses: string; invitations: string; visible: string; pairs: string }>(
      `select (select count(*) from wellbeing_response) responses, (select count(*) from wellbeing_invitation) invitations, (select count(*) from wellbeing_atom where respondents >= 5) visible, (select count(*) from wellbeing_pair_atom) pairs`,
    );
    return { orgId, campaignId: campaign.id, waves: waves.map((w) => w.id), atoms, ...counts[0]!, ms: performance.now() - t0 };
  } finally {
    await client.end();
    await handle.close();
  }
}

async function main() {
  if (!process.env.DATABASE_URL) throw new Error("This bench runs on PostgreSQL: set DATABASE_URL (an admin URL; a throwaway database is created).");
  const started = new Date();
  buildUi(settings.skipBuild);
  const server = await prepareServer({ settings, tmpPrefix: "bc-bench-wb-", adminDatabaseUrl: process.env.DATABASE_URL, env: { AUTH_SECRET, JOBS_WORKER: "false" } });
  const dbUrl = server.postgres!.url;
  try {
    await server.start();
    await createOwner(BASE);
    await server.stop();

    console.log(`writing the fixture (${PEOPLE} clinicians × ${WAVES} waves)…`);
    const fx = await writeFixture(server, dbUrl);
    console.log(`fixture written in ${(fx.ms / 1000).toFixed(0)} s: ${fx.responses} responses, ${fx.invitations} invitations, ${fx.atoms} atoms (${fx.visible} of ≥ 5), ${fx.pairs} pair atoms`);

    await server.start();
    const cookie = await signIn(BASE);
    const base = `/api/v1/orgs/${fx.orgId}/wellbeing/reports?campaignId=${fx.campaignId}`;
    const last2 = fx.waves.slice(-2).join(",");
    const routes: Array<{ route: string; shown: string; what: string }> = [
      { route: "/healthz", shown: "/healthz", what: "constant route (baseline)" },
      { route: base, shown: "reports?campaignId", what: `all ${fx.waves.length} waves, no breakdown, paired change first→last` },
      { route: `${base}&by=discipline`, shown: "…&by=discipline", what: `all ${fx.waves.length} waves, by discipline` },
      { route: `${base}&waves=${last2}&by=group`, shown: "…&waves=(last 2)&by=group", what: "last two waves, by group (drill-down)" },
      { route: `${base}&discipline=physician,nurse&waves=${fx.waves.slice(-12).join(",")}`, shown: "…&discipline=…&waves=(12)", what: "a year of waves, two disciplines" },
    ];
    const notes: string[] = [];
    for (const r of routes) {
      const t = performance.now();
      const res = await fetch(`${BASE}${r.route}`, { headers: { cookie } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${r.shown} answered ${res.status}: ${body.slice(0, 300)}`);
      if (r.route !== "/healthz") {
        const j = JSON.parse(body) as { all: { status: string; respondents?: number }[]; rows: unknown[]; change: { scales: { status: string; n?: number }[] } | null };
        notes.push(`- \`${r.shown}\`: first call ${(performance.now() - t).toFixed(0)} ms, ${body.length} bytes, ${j.all.filter((c) => c.status === "ok").length}/${j.all.length} waves shown (last: ${j.all.at(-1)?.respondents ?? "suppressed"} respondents), ${j.rows.length} rows, change ${j.change?.scales[0]?.status ?? "—"}${j.change?.scales[0]?.n ? ` (${j.change.scales[0].n} pairs)` : ""}`);
      }
    }
    console.log("warming up…");
    await warmUp(routes.map((r) => ({ url: `${BASE}${r.route}`, headers: { cookie } })), CONNECTIONS);
    const rss = server.rssMiB();
    const loadBefore = loadAverage();
    // Version changes: the campaign's name is an input of every report (it is in the output), so a
    // rename is a new version — the same as a wave freezing, minus loading that wave's atoms.
    const sqlClient = new pg.Client({ connectionString: dbUrl });
    await sqlClient.connect();
    let version = 0;
    const bump = async () => {
      const name = `Bench programme v${++version}`;
      await sqlClient.query(`update wellbeing_campaign set name = $1 where id = $2`, [name, fx.campaignId]);
      return name;
    };
    /** One timed request; refuses a report that does not carry the current name (a stale entry). */
    const timed = async (route: string, name: string) => {
      const t = performance.now();
      const res = await fetch(`${BASE}${route}`, { headers: { cookie } });
      const body = await res.text();
      const ms = performance.now() - t;
      if (res.status !== 200) throw new Error(`${route} answered ${res.status}: ${body.slice(0, 300)}`);
      if ((JSON.parse(body) as { campaign: { name: string } }).campaign.name !== name) throw new Error(`${route}: a report of an earlier version was served`);
      return ms;
    };
    type Pq = { p50: number; p99: number; n: number };
    const rows: Array<Throughput & { shown: string; what: string; cold: Pq | null; burst: Pq | null }> = [];
    for (const r of routes) {
      let cold: Pq | null = null;
      let burst: Pq | null = null;
      if (r.route !== "/healthz") {
        console.log(`cold ${r.shown}: ${COLD_ROUNDS} version changes, one request then a burst of ${CONNECTIONS} after each…`);
        const one: number[] = [];
        const many: number[] = [];
        for (let i = 0; i < COLD_ROUNDS; i++) {
          one.push(await timed(r.route, await bump()));
          const name = await bump();
          many.push(...(await Promise.all(Array.from({ length: CONNECTIONS }, () => timed(r.route, name)))));
        }
        cold = { p50: percentile(one, 0.5), p99: percentile(one, 0.99), n: one.length };
        burst = { p50: percentile(many, 0.5), p99: percentile(many, 0.99), n: many.length };
      }
      console.log(`loading ${r.shown} for ${DURATION} s (warm)…`);
      rows.push({ shown: r.shown, what: r.what, cold, burst, ...(await measure(`${BASE}${r.route}`, { connections: CONNECTIONS, duration: DURATION, headers: { cookie } })) });
    }
    await sqlClient.end();
    const fmt = (x: Pq | null) => (x ? `${x.p50.toFixed(0)} / ${x.p99.toFixed(0)}` : "");
    const report = [
      "# Well-being program report benchmark (issue 5) — PostgreSQL",
      "",
      `- date: ${started.toISOString()}`,
      `- machine: ${describeMachine()}`,
      `- load average (1/5/15 min) before the measured runs: ${loadBefore}; after: ${loadAverage()}`,
      `- cold: ${COLD_ROUNDS} version changes per route (campaign renamed; atoms stay in memory): one request alone, then a burst of ${CONNECTIONS} identical requests at once after another change; p99 of ${COLD_ROUNDS} single requests is their maximum`,
      `- warm: autocannon, ${CONNECTIONS} connections, ${DURATION} s per route, loopback, served from the report cache; the load generator and PostgreSQL share the machine with the server`,
      `- fixture: ${PEOPLE} clinicians, ${fx.waves.length} monthly waves of a confidential WHO-5 campaign, ${fx.responses} responses, ${fx.invitations} invitations, ${GROUPS} groups of ~10 with one discipline each (every atom has ≥ 5 respondents and is visible: the heaviest case), ${fx.atoms} frozen atoms (${fx.visible} with ≥ 5 respondents), ${fx.pairs} pair atoms; written in ${(fx.ms / 1000).toFixed(0)} s`,
      `- RSS after warm-up: ${rss.toFixed(0)} MiB`,
      "",
      ...notes,
      "",
      markdownTable(
        [{ title: "route" }, { title: "what" }, ...["cold, one request p50 / p99 ms", `cold burst of ${CONNECTIONS} p50 / p99 ms`, "warm requests/s", "warm p50 ms", "warm p99 ms", "non-2xx", "errors"].map((title) => ({ title, right: true }))],
        rows.map((r) => [`\`${r.shown}\``, r.what, fmt(r.cold), fmt(r.burst), r.rps.toFixed(1), String(r.p50), String(r.p99), String(r.non2xx), String(r.errors)]),
      ),
      "",
    ].join("\n");
    publishReport("wellbeing-report-postgres.md", report);
  } finally {
    await server.dispose();
  }
}

await main();
