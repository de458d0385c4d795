// Program reports and the de-identified export, over generated data (issue 5 "For the program").
// Responses are written in the shape the service writes (wellbeing_response rows), then the waves
// are closed by the service's own `freeze` — so reports read real frozen atoms. The ground truth
// (how many responses each cell really has) is known here, and every reported number is checked
// against it: a wave column, a drill-down row or the "all" row is exactly the sum of the cells of
// ≥ k that the filter selects, never anything smaller.
import { and, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { buildResponse } from "./fhir.ts";
import { who5 } from "./instruments/index.ts";
import type { WellbeingReport } from "./report.service.server.ts";
import { score } from "./scoring.ts";
import { wellbeingResponse } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
const DAY = 86_400_000;
const K = 5;
const GROUPS = ["g-alpha", "g-beta", "g-gamma", "g-delta"];
const DISCIPLINES = ["nurse", "physician", "resident"];
const WHO5_ITEMS = ["who5-1", "who5-2", "who5-3", "who5-4", "who5-5"];
const WHO5_CODES = ["all", "most", "more-than-half", "less-than-half", "some", "none"];

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let coordinator: Person;
let member: Person;
let other: Awaited<ReturnType<typeof orgWithPerson>>;
let who5Id: string;
/** Anonymous campaign: 3 closed waves + truth per wave and cell. */
let anon: { id: string; waves: string[]; truth: Map<string, Map<string, number>> };
/** Confidential campaign: 2 waves, paired. */
let conf: { id: string; waves: string[]; truth: Map<string, Map<string, number>> };

const ownerActor = (): Actor => ({ kind: "user", userId: owner.id, memberships: new Map([[org.id, "owner"]]) });
const cellId = (group: string, discipline: string, cohort = "residents") => `${cohort}|${group}|${discipline}`;

/** A small seeded generator (reproducible data without Math.random). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function who5Row(rand: () => number) {
  const answers = Object.fromEntries(WHO5_ITEMS.map((k) => [k, WHO5_CODES[Math.floor(rand() * WHO5_CODES.length)]!]));
  const response = buildResponse(who5.questionnaire, answers);
  const result = score(who5.questionnaire, who5.scoring, response);
  return { response, scores: Object.fromEntries(result.scales.map((s) => [s.id, s.score])), complete: result.complete };
}

/** Cell sizes chosen to straddle the threshold: 0–9 per cell. */
const SIZES = fc.sample(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: GROUPS.length * DISCIPLINES.length * 3, maxLength: GROUPS.length * DISCIPLINES.length * 3 }), { seed: 42, numRuns: 1 })[0]!;

async function seedCampaign(mode: "anonymous" | "confidential", waveCount: number, seed: number) {
  const t0 = new Date(Date.now() - 200 * DAY);
  const c = await app.services.wellbeing.createCampaign(
    ownerActor(),
    org.id,
    { name: `Report ${mode}`, mode, instrumentIds: [who5Id], cohort: { kind: "organisation" }, cohortLabel: "residents", schedule: { kind: "every", opensAt: t0.toISOString(), everyMonths: 1, until: new Date(t0.getTime() + (waveCount - 1) * 31 * DAY).toISOString() }, windowDays: 14 },
    new Date(t0.getTime() - DAY),
  );
  const rand = rng(seed);
  const truth = new Map<string, Map<string, number>>();
  const waves = c.waves.map((w) => w.id);
  let i = 0;
  for (const [wi, w] of c.waves.entries()) {
    const perCell = new Map<string, number>();
    const rows: (typeof wellbeingResponse.$inferInsert)[] = [];
    let person = 0;
    for (const g of GROUPS) {
      for (const d of DISCIPLINES) {
        // Confidential: the same people answer both waves (pairs) most of the time.
        const n = mode === "confidential" ? SIZES[(GROUPS.indexOf(g) * DISCIPLINES.length + DISCIPLINES.indexOf(d)) % SIZES.length]! - (wi === 1 && g === "g-beta" ? 1 : 0) : SIZES[i++ % SIZES.length]!;
        for (let p = 0; p < Math.max(0, n); p++) {
          const r = who5Row(rand);
          rows.push({ organisationId: org.id, waveId: w.id, instrumentId: who5Id, response: r.response, scores: r.scores, complete: r.complete, cellCohort: "residents", cellGroup: g, cellDiscipline: d, pseudonym: mode === "confidential" ? `ps-${g}-${d}-${p}` : null, answeredAt: mode === "confidential" ? new Date(w.opensAt) : null });
          person++;
        }
        perCell.set(cellId(g, d), Math.max(0, n));
      }
    }
    // One incomplete response: never reported, never exported.
    rows.push({ organisationId: org.id, waveId: w.id, instrumentId: who5Id, response: buildResponse(who5.questionnaire, { "who5-1": WHO5_CODES[0]! }), scores: { who5: null }, complete: false, cellCohort: "residents", cellGroup: "g-alpha", cellDiscipline: "nurse", pseudonym: null, answeredAt: null });
    if (rows.length) await app.services.kernel.db.insert(wellbeingResponse).values(rows);
    truth.set(w.id, perCell);
    await app.services.wellbeing.freeze(w.id, new Date(new Date(w.closesAt).getTime() + 1000));
  }
  return { id: c.id, waves, truth };
}

async function getReport(person: Person, orgId: string, query: Record<string, string>) {
  const qs = new URLSearchParams(query).toString();
  return app.request(`/api/v1/orgs/${orgId}/wellbeing/reports?${qs}`, { method: "GET", cookie: person.cookie });
}

async function report(query: Record<string, string>): Promise<WellbeingReport> {
  const res = await getReport(owner, org.id, query);
  if (res.status !== 200) throw new Error(`report ${res.status}: ${await res.text()}`);
  return (await res.json()) as WellbeingReport;
}

/** The truth: responses of the cells of ≥ k the filter selects. */
function expected(truth: Map<string, number>, f: { group?: string[]; discipline?: string[] }, k = K): number {
  let n = 0;
  for (const [id, count] of truth) {
    const [, g, d] = id.split("|");
    if (f.group && !f.group.includes(g!)) continue;
    if (f.discipline && !f.discipline.includes(d!)) continue;
    if (count >= k) n += count;
  }
  return n;
}

beforeAll(async () => {
  app = await createTestApp({ work: false });
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  coordinator = await signUp(app, { verified: true, name: "Cora Coordinator" });
  await addMember(app, org.id, coordinator.id, "coordinator");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  other = await orgWithPerson(app, "owner");
  who5Id = (await app.services.wellbeing.listInstruments(ownerActor(), org.id)).items.find((i) => i.builtInKey === "who-5")!.id;
  anon = await seedCampaign("anonymous", 3, 7);
  conf = await seedCampaign("confidential", 2, 11);
}, 180_000);
afterAll(async () => app?.close());

describe("program reports", () => {
  it("shows every wave column, drill-down row and the all row as exactly the cells of ≥ k — nothing smaller", async () => {
    for (const by of ["none", "group", "discipline"] as const) {
      const r = await report({ campaignId: anon.id, by });
      expect(r.minCell).toBe(K);
      expect(r.waves).toEqual(anon.waves);
      r.all.forEach((cell, wi) => {
        const want = expected(anon.truth.get(anon.waves[wi]!)!, {});
        if (want === 0) expect(cell.status).toBe("suppressed");
        else expect(cell).toMatchObject({ status: "ok", respondents: want });
      });
      for (const row of r.rows) {
        row.cells.forEach((cell, wi) => {
          const want = expected(anon.truth.get(anon.waves[wi]!)!, by === "group" ? { group: [row.value] } : by === "discipline" ? { discipline: [row.value] } : {});
          if (cell.status === "ok") {
            expect(cell.respondents).toBe(want);
            expect(cell.respondents).toBeGreaterThanOrEqual(K);
            expect(cell.scales[0]!.distribution.reduce((a, b) => a + b, 0)).toBe(want);
          } else expect(want).toBe(0);
        });
      }
      // Drill-down values come only from visible cells.
      if (by === "group") for (const row of r.rows) expect(anon.waves.some((w) => expected(anon.truth.get(w)!, { group: [row.value] }) > 0)).toBe(true);
    }
  });

  it("never lets two reports differ by fewer than k respondents (property, through the API)", async () => {
    const sub = <T,>(xs: readonly T[]) => fc.option(fc.subarray([...xs], { minLength: 1 }), { nil: undefined });
    const filterArb = fc.record({ group: sub(GROUPS), discipline: sub(DISCIPLINES), wave: fc.integer({ min: 0, max: 2 }) });
    await fc.assert(
      fc.asyncProperty(filterArb, fc.record({ group: sub(GROUPS), discipline: sub(DISCIPLINES) }), async (f, extra) => {
        // A filter and a refinement of it (more restrictive on each dimension).
        const narrow = { group: f.group && extra.group ? f.group.filter((g) => extra.group!.includes(g)) : (f.group ?? extra.group), discipline: f.discipline && extra.discipline ? f.discipline.filter((d) => extra.discipline!.includes(d)) : (f.discipline ?? extra.discipline) };
        const q = (x: { group?: string[] | undefined; discipline?: string[] | undefined }) => ({ campaignId: anon.id, waves: anon.waves[f.wave]!, ...(x.group ? { group: x.group.join(",") || "nothing" } : {}), ...(x.discipline ? { discipline: x.discipline.join(",") || "nothing" } : {}) });
        const [a, b] = [await report(q(f)), await report(q(narrow))];
        const n = (r: WellbeingReport) => (r.all[0]!.status === "ok" ? r.all[0]!.respondents : 0);
        const diff = n(a) - n(b);
        expect(diff === 0 || diff >= K).toBe(true);
        expect(n(a)).toBe(expected(anon.truth.get(anon.waves[f.wave]!)!, { ...(f.group ? { group: f.group } : {}), ...(f.discipline ? { discipline: f.discipline } : {}) }));
      }),
      { numRuns: 12, seed: 5 },
    );
  });

  it("a filter that isolates fewer than k is suppressed calmly, without a count", async () => {
    const w = anon.waves[0]!;
    const small = [...anon.truth.get(w)!].find(([, n]) => n > 0 && n < K)!;
    const [, g, d] = small[0].split("|");
    const r = await report({ campaignId: anon.id, waves: w, group: g!, discipline: d! });
    expect(r.all[0]).toEqual({ wave: w, status: "suppressed" });
    expect(JSON.stringify(r.all)).not.toMatch(/respondents/);
  });

  it("raising the organisation's threshold hides cells that were visible (never the other way)", async () => {
    await app.services.kernel.db.update(organisation).set({ settings: { minimumCellSize: 8 } }).where(eq(organisation.id, org.id));
    try {
      const r = await report({ campaignId: anon.id, by: "group" });
      expect(r.minCell).toBe(8);
      r.all.forEach((cell, wi) => {
        const want = expected(anon.truth.get(anon.waves[wi]!)!, {}, 8);
        expect(cell.status === "ok" ? cell.respondents : 0).toBe(want);
      });
    } finally {
      await app.services.kernel.db.update(organisation).set({ settings: {} }).where(eq(organisation.id, org.id));
    }
  });

  it("change: Welch in anonymous mode, paired with the remainder rule in confidential mode", async () => {
    const a = await report({ campaignId: anon.id });
    expect(a.change?.from).toBe(anon.waves[0]);
    expect(a.change?.to).toBe(anon.waves[2]);
    const ua = a.change!.scales[0]!;
    expect(ua.kind).toBe("unpaired");
    expect(ua.nBefore).toBe(expected(anon.truth.get(anon.waves[0]!)!, {}));
    expect(ua.nAfter).toBe(expected(anon.truth.get(anon.waves[2]!)!, {}));
    expect(ua.ciLow!).toBeLessThanOrEqual(ua.diff!);
    expect(ua.ciHigh!).toBeGreaterThanOrEqual(ua.diff!);

    const c = await report({ campaignId: conf.id });
    const pc = c.change!.scales[0]!;
    expect(pc.kind).toBe("paired");
    // Paired cells: ≥ k pairs and both waves' remainders 0 or ≥ k. In g-beta one person did not return (remainder 1): left out.
    let want = 0;
    for (const [id, n1] of conf.truth.get(conf.waves[0]!)!) {
      const n2 = conf.truth.get(conf.waves[1]!)!.get(id)!;
      const pairs = Math.min(n1, n2);
      const ok = (rest: number) => rest === 0 || rest >= K;
      if (pairs >= K && n1 >= K && n2 >= K && ok(n1 - pairs) && ok(n2 - pairs)) want += pairs;
    }
    expect(want).toBeGreaterThan(0);
    expect(pc.status).toBe("ok");
    expect(pc.n).toBe(want);
    const beta = await report({ campaignId: conf.id, group: "g-beta" });
    expect(beta.change!.scales[0]!.status).toBe("suppressed");
  });

  it("refuses bad input with a 400 naming the field", async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, "campaignId"],
      [{ campaignId: "nope" }, "campaignId"],
      [{ campaignId: anon.id, by: "person" }, "by"],
      [{ campaignId: anon.id, waves: conf.waves[0]! }, "waves.0"],
      [{ campaignId: anon.id, instrumentId: conf.id }, "instrumentId"],
      [{ campaignId: anon.id, group: "a b" }, "group.0"],
      [{ campaignId: anon.id, pseudonym: "x" }, "pseudonym"],
    ];
    for (const [query, path] of cases) {
      const res = await getReport(owner, org.id, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      const body = (await res.json()) as { error: { fields?: { path: string }[] } };
      expect(body.error.fields?.map((f) => f.path)).toContain(path);
    }
  });

  it("owners and coordinators read reports; members get 403; another organisation gets 404", async () => {
    expect((await getReport(coordinator, org.id, { campaignId: anon.id })).status).toBe(200);
    expect((await getReport(member, org.id, { campaignId: anon.id })).status).toBe(403);
    expect((await getReport(other.person, org.id, { campaignId: anon.id })).status).toBe(404);
    // A campaign of this organisation asked through another organisation's path: 404.
    expect((await getReport(other.person, other.org.id, { campaignId: anon.id })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${other.org.id}/wellbeing/reports/export?campaignId=${anon.id}`, { method: "GET", cookie: other.person.cookie })).status).toBe(404);
    const list = await app.request(`/api/v1/orgs/${org.id}/wellbeing/reports/campaigns`, { method: "GET", cookie: coordinator.cookie });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { id: string; closedWaves: number }[] }).items.find((c) => c.id === anon.id)?.closedWaves).toBe(3);
  });
});

describe("de-identified export", () => {
  async function exportOf(query: Record<string, string>) {
    const res = await app.request(`/api/v1/orgs/${org.id}/wellbeing/reports/export?${new URLSearchParams(query)}`, { method: "GET", cookie: owner.cookie });
    expect(res.status).toBe(200);
    return { res, text: await res.text() };
  }

  it("CSV: only rows of cells ≥ k, no identifiers, dates coarsened to the wave; audited with the row count", async () => {
    const { res, text } = await exportOf({ campaignId: anon.id, format: "csv" });
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = text.trim().split("\r\n");
    const header = lines[0]!.split(",");
    expect(header.slice(0, 8)).toEqual(["export_id", "participant", "wave", "wave_closed", "cohort", "group", "discipline", "instrument"]);
    const want = anon.waves.reduce((n, w) => n + expected(anon.truth.get(w)!, {}), 0);
    expect(lines.length - 1).toBe(want);
    for (const line of lines.slice(1)) expect(line.split(",")[3]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(text).not.toMatch(/ps-g-|pseudonym/);
    const [ev] = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.action, "wellbeing.exported")));
    expect(ev).toBeDefined();
    expect(ev!.actorUserId).toBe(owner.id);
    expect(ev!.targetId).toBe(anon.id);
    expect(ev!.details).toMatchObject({ format: "csv", rows: want, waves: 3 });
  });

  it("FHIR: a Bundle of QuestionnaireResponses without identifiers; confidential pairs linked by export-only ids", async () => {
    const { res, text } = await exportOf({ campaignId: conf.id, format: "fhir" });
    expect(res.headers.get("content-type")).toContain("application/fhir+json");
    const bundle = JSON.parse(text) as { resourceType: string; entry: { resource: { resourceType: string; authored: string; subject?: unknown; extension: { extension: { url: string; valueString?: string }[] }[] } }[] };
    expect(bundle.resourceType).toBe("Bundle");
    expect(bundle.entry.length).toBeGreaterThan(0);
    for (const e of bundle.entry) {
      expect(e.resource.resourceType).toBe("QuestionnaireResponse");
      expect(e.resource.authored).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.resource.subject).toBeUndefined();
    }
    expect(text).not.toMatch(/ps-g-/);
    const participants = bundle.entry.map((e) => e.resource.extension[0]!.extension.find((x) => x.url === "participant")?.valueString).filter(Boolean);
    const counts = new Map<string, number>();
    for (const p of participants) counts.set(p!, (counts.get(p!) ?? 0) + 1);
    expect(counts.size).toBeGreaterThan(0);
    for (const n of counts.values()) expect(n).toBe(2);
    // A second export gets different ids.
    const again = JSON.parse((await exportOf({ campaignId: conf.id, format: "fhir" })).text) as typeof bundle;
    const ids2 = new Set(again.entry.flatMap((e) => e.resource.extension[0]!.extension.filter((x) => x.url === "participant").map((x) => x.valueString)));
    for (const p of counts.keys()) expect(ids2.has(p)).toBe(false);
  });

  it("leaves out a cell whose stored rows fell below the frozen total by fewer than k (someone deleted their data)", async () => {
    const w = anon.waves[0]!;
    const [id] = [...anon.truth.get(w)!].find(([, n]) => n >= K + 1)!;
    const [, g, d] = id.split("|");
    const before = (await exportOf({ campaignId: anon.id, waves: w, group: g!, discipline: d! })).text.trim().split("\r\n").length - 1;
    expect(before).toBe(anon.truth.get(w)!.get(id));
    const [one] = await app.services.kernel.db.select({ id: wellbeingResponse.id }).from(wellbeingResponse).where(and(eq(wellbeingResponse.waveId, w), eq(wellbeingResponse.cellGroup, g!), eq(wellbeingResponse.cellDiscipline, d!))).limit(1);
    await app.services.kernel.db.delete(wellbeingResponse).where(eq(wellbeingResponse.id, one!.id));
    const after = (await exportOf({ campaignId: anon.id, waves: w, group: g!, discipline: d! })).text.trim().split("\r\n").length - 1;
    expect(after).toBe(0);
    // The report (frozen atoms) is unchanged.
    const r = await report({ campaignId: anon.id, waves: w, group: g!, discipline: d! });
    expect(r.all[0]).toMatchObject({ status: "ok", respondents: anon.truth.get(w)!.get(id) });
  });
});
