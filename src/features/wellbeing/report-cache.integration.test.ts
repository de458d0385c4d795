// The program report cache (ADR 019 §7) on a real database: real people answer a confidential
// campaign through the well-being service, waves are closed by its own `freeze`, and every cached
// report is compared with a report computed without any cache (`cache: null`). A cached report must
// be exactly the fresh one — after a hit, after a new frozen wave, after a respondent deletes their
// data, after the threshold moves — and never another organisation's.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { isAppError } from "../../platform/http/errors.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { buildResponse } from "./fhir.ts";
import { who5 } from "./instruments/index.ts";
import { createWellbeingReportCache, createWellbeingReportService, type WellbeingReport } from "./report.service.server.ts";
import { wellbeingAtom, wellbeingResponse } from "./schema.ts";
import type { WellbeingService } from "./service.server.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
type Org = Awaited<ReturnType<typeof orgWithPerson>>;
const DAY = 86_400_000;
const CODES = ["all", "most", "more-than-half", "less-than-half", "some", "none"];

let app: TestApp;
let a: Org;
let b: Org;
const membersA: Person[] = [];
let who5Id: string;
/** Organisation A: a confidential campaign of three monthly waves; 7 respondents per wave, one cell. */
let campA: { id: string; waves: { id: string; opensAt: string; closesAt: string }[] };
/** Organisation B: the same shape, 6 respondents, its own answers. */
let campB: { id: string; waves: { id: string; opensAt: string; closesAt: string }[] };

const actor = (p: Person, orgId: string, role: "owner" | "member" = "member"): Actor => ({ kind: "user", userId: p.id, memberships: new Map([[orgId, role]]) });
const ownerA = () => actor(a.person, a.org.id, "owner");
const ownerB = () => actor(b.person, b.org.id, "owner");

/** The wellbeing service with a count of `campaignAtoms` calls (one per report computation). */
function countingWellbeing(before?: () => Promise<void>) {
  const real = app.services.wellbeing;
  const spy = { calls: 0, svc: undefined as unknown as WellbeingService };
  spy.svc = {
    ...real,
    campaignAtoms: async (...args: Parameters<WellbeingService["campaignAtoms"]>) => {
      spy.calls += 1;
      await before?.();
      return real.campaignAtoms(...args);
    },
  };
  return spy;
}

/** A report service with a fresh cache of its own, and one that computes every time (the reference). */
function services(before?: () => Promise<void>) {
  const spy = countingWellbeing(before);
  const cache = createWellbeingReportCache();
  return {
    spy,
    cache,
    cached: createWellbeingReportService(app.services.kernel, spy.svc, { cache }),
    reference: createWellbeingReportService(app.services.kernel, app.services.wellbeing, { cache: null }),
  };
}

async function campaignWithAnswers(orgId: string, owner: Actor, people: Person[], seed: number) {
  const t0 = new Date(Date.now() - 120 * DAY);
  const c = await app.services.wellbeing.createCampaign(
    owner,
    orgId,
    { name: "Cached programme", mode: "confidential", instrumentIds: [who5Id], cohort: { kind: "organisation" }, cohortLabel: "residents", schedule: { kind: "every", opensAt: t0.toISOString(), everyMonths: 1, until: new Date(t0.getTime() + 2 * 31 * DAY).toISOString() }, windowDays: 14, reminderDaysBefore: 0 },
    new Date(t0.getTime() - DAY),
  );
  for (const [wi, w] of c.waves.entries()) {
    const during = new Date(new Date(w.opensAt).getTime() + DAY);
    await app.services.wellbeing.inviteWave(w.id, during);
    for (const [pi, p] of people.entries()) {
      const answers = Object.fromEntries(["who5-1", "who5-2", "who5-3", "who5-4", "who5-5"].map((k, i) => [k, CODES[(seed + pi * 3 + wi * 2 + i) % CODES.length]!]));
      await app.services.wellbeing.answerByWave(actor(p, orgId), orgId, w.id, { instrumentId: who5Id, response: buildResponse(who5.questionnaire, answers) }, during);
    }
  }
  return { id: c.id, waves: c.waves.map((w) => ({ id: w.id, opensAt: w.opensAt, closesAt: w.closesAt })) };
}

const freeze = (w: { closesAt: string }, id: string) => app.services.wellbeing.freeze(id, new Date(new Date(w.closesAt).getTime() + 1000));

/** Byte-for-byte the same JSON (key order included), and structurally equal. */
function expectSame(x: WellbeingReport, y: WellbeingReport) {
  expect(x).toEqual(y);
  expect(JSON.stringify(x)).toBe(JSON.stringify(y));
}

beforeAll(async () => {
  app = await createTestApp({ work: false });
  a = await orgWithPerson(app, "owner");
  b = await orgWithPerson(app, "owner");
  for (let i = 0; i < 7; i++) {
    const m = await signUp(app, { verified: true, name: `Cache Member ${i}` });
    await addMember(app, a.org.id, m.id, "member");
    membersA.push(m);
  }
  const membersB: Person[] = [];
  for (let i = 0; i < 6; i++) {
    const m = await signUp(app, { verified: true, name: `Other Member ${i}` });
    await addMember(app, b.org.id, m.id, "member");
    membersB.push(m);
  }
  who5Id = (await app.services.wellbeing.listInstruments(ownerA(), a.org.id)).items.find((i) => i.builtInKey === "who-5")!.id;
  campA = await campaignWithAnswers(a.org.id, ownerA(), membersA, 1);
  campB = await campaignWithAnswers(b.org.id, ownerB(), membersB, 4);
  // A: wave 1 closed; waves 2 and 3 answered but still to be closed (the "new frozen wave" test).
  // B: waves 1 and 2 closed.
  await freeze(campA.waves[0]!, campA.waves[0]!.id);
  for (const w of campB.waves.slice(0, 2)) await freeze(w, w.id);
}, 180_000);
afterAll(async () => app?.close());

describe("program report cache", () => {
  it("a hit returns exactly what a fresh computation returns, without computing again", async () => {
    const { spy, cached, reference, cache } = services();
    const queries = [{ campaignId: campA.id }, { campaignId: campA.id, by: "discipline" }, { campaignId: campA.id, by: "group", waves: campA.waves[0]!.id }, { campaignId: campA.id, discipline: "unspecified,nurse", by: "cohort" }];
    for (const q of queries) {
      const first = await cached.report(ownerA(), a.org.id, q);
      const second = await cached.report(ownerA(), a.org.id, q);
      expectSame(second, first);
      expectSame(second, await reference.report(ownerA(), a.org.id, q));
    }
    expect(spy.calls).toBe(queries.length);
    expect(cache.stats()).toMatchObject({ hits: queries.length, entries: queries.length });
    // The figures are there (7 respondents ≥ 5): the test compares real numbers, not two suppressions.
    const r = await cached.report(ownerA(), a.org.id, { campaignId: campA.id });
    expect(r.all.map((c) => (c.status === "ok" ? c.respondents : 0))).toEqual([7]);
  });

  it("a served report cannot be changed by its caller (the shared value is frozen; group names are fresh)", async () => {
    const { cached } = services();
    const r = await cached.report(ownerA(), a.org.id, { campaignId: campA.id });
    expect(() => {
      (r.all as unknown[]).push("x");
    }).toThrow(TypeError);
    r.labels.group = { injected: "nope" };
    const again = await cached.report(ownerA(), a.org.id, { campaignId: campA.id });
    expect(again.labels.group).not.toHaveProperty("injected");
    expect(again.all).toHaveLength(1);
  });

  it("ten concurrent identical requests compute once", async () => {
    // Every computation waits until the other nine have joined it (or 5 s pass): without
    // single-flight there would be ten computations.
    let cacheRef: ReturnType<typeof createWellbeingReportCache> | undefined;
    const joinedAll = async () => {
      const until = Date.now() + 5_000;
      while ((cacheRef?.stats().joined ?? 0) < 9 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    };
    const { spy, cached, reference, cache } = services(joinedAll);
    cacheRef = cache;
    const q = { campaignId: campA.id, by: "discipline" };
    const results = await Promise.all(Array.from({ length: 10 }, () => cached.report(ownerA(), a.org.id, q)));
    expect(spy.calls).toBe(1);
    expect(cache.stats()).toMatchObject({ flights: 1, joined: 9 });
    const fresh = await reference.report(ownerA(), a.org.id, q);
    for (const r of results) expectSame(r, fresh);
  });

  it("freezing a new wave is a new version: the next report includes it (with or without a new pairing)", async () => {
    const { spy, cached, reference } = services();
    const q = { campaignId: campA.id, by: "group" };
    const before = await cached.report(ownerA(), a.org.id, q);
    expect(before.waves).toEqual([campA.waves[0]!.id]);
    expect(before.change).toBeNull();
    await cached.report(ownerA(), a.org.id, q);
    expect(spy.calls).toBe(1);

    // Wave 2 closes: a new frozen wave and nothing else (no pairing: it is not the campaign's last).
    const [w1, w2, w3] = campA.waves as [(typeof campA.waves)[0], (typeof campA.waves)[0], (typeof campA.waves)[0]];
    expect(await freeze(w2, w2.id)).toMatchObject({ pairings: 0 });
    const two = await cached.report(ownerA(), a.org.id, q);
    expect(spy.calls).toBe(2);
    expect(two.waves).toEqual([w1.id, w2.id]);
    expect(two.change!.scales[0]).toMatchObject({ kind: "unpaired", status: "ok", nBefore: 7, nAfter: 7 }); // 1 → 2 is not the pairing: Welch
    expectSame(two, await reference.report(ownerA(), a.org.id, q));

    // Wave 3 closes: a new frozen wave and the campaign's first → last pairing.
    expect(await freeze(w3, w3.id)).toMatchObject({ pairings: 1 });
    const three = await cached.report(ownerA(), a.org.id, q);
    expect(spy.calls).toBe(3);
    expect(three.waves).toEqual([w1.id, w2.id, w3.id]);
    expect(three.change).toMatchObject({ from: w1.id, to: w3.id });
    expect(three.change!.scales[0]).toMatchObject({ kind: "paired", status: "ok", n: 7 });
    expectSame(three, await reference.report(ownerA(), a.org.id, q));
  });

  it("a respondent deleting their data changes no frozen atom, so the cached report stays exactly the fresh one", async () => {
    const { spy, cached, reference } = services();
    const q = { campaignId: campA.id };
    const atomsBefore = await app.services.kernel.db.select({ n: sql<number>`count(*)::int`, r: sql<number>`coalesce(sum(${wellbeingAtom.respondents}), 0)::int` }).from(wellbeingAtom).where(sql`${wellbeingAtom.waveId} in (${sql.join(campA.waves.map((w) => sql`${w.id}::uuid`), sql`, `)})`);
    const before = await cached.report(ownerA(), a.org.id, q);
    const responsesBefore = (await app.services.kernel.db.select({ n: sql<number>`count(*)::int` }).from(wellbeingResponse).where(eq(wellbeingResponse.organisationId, a.org.id)))[0]!.n;

    const m = membersA[0]!;
    const out = await app.services.wellbeing.deleteMyData(actor(m, a.org.id));
    expect(out.deletedResponses).toBe(3); // one per wave: the person's confidential responses are gone
    const responsesAfter = (await app.services.kernel.db.select({ n: sql<number>`count(*)::int` }).from(wellbeingResponse).where(eq(wellbeingResponse.organisationId, a.org.id)))[0]!.n;
    expect(responsesAfter).toBe(responsesBefore - 3);
    // …but the frozen atoms — the only input of a report — are unchanged (ADR 015: published totals keep them).
    const atomsAfter = await app.services.kernel.db.select({ n: sql<number>`count(*)::int`, r: sql<number>`coalesce(sum(${wellbeingAtom.respondents}), 0)::int` }).from(wellbeingAtom).where(sql`${wellbeingAtom.waveId} in (${sql.join(campA.waves.map((w) => sql`${w.id}::uuid`), sql`, `)})`);
    expect(atomsAfter).toEqual(atomsBefore);

    const after = await cached.report(ownerA(), a.org.id, q);
    expect(spy.calls).toBe(1); // same version: served from the cache…
    const fresh = await reference.report(ownerA(), a.org.id, q);
    expectSame(after, fresh); // …and that is exactly what a fresh computation gives
    expectSame(after, before);
  });

  it("raising the minimum cell size is a new version: cells below it disappear at once (and lowering it back is correct too)", async () => {
    const { spy, cached, reference } = services();
    const q = { campaignId: campA.id, by: "discipline" };
    const at5 = await cached.report(ownerA(), a.org.id, q);
    expect(at5.minCell).toBe(5);
    expect(at5.all.some((c) => c.status === "ok")).toBe(true);
    try {
      await app.services.organisations.updateSettings(ownerA(), a.org.id, { settings: { minimumCellSize: 8 } });
      const at8 = await cached.report(ownerA(), a.org.id, q);
      expect(spy.calls).toBe(2);
      expect(at8.minCell).toBe(8);
      expect(at8.all.every((c) => c.status === "suppressed")).toBe(true); // 7 respondents < 8
      expect(at8.rows).toEqual([]);
      expect(JSON.stringify(at8)).not.toMatch(/respondents/);
      expectSame(at8, await reference.report(ownerA(), a.org.id, q));
    } finally {
      await app.services.organisations.updateSettings(ownerA(), a.org.id, { settings: { minimumCellSize: 5 } });
    }
    const back = await cached.report(ownerA(), a.org.id, q);
    expectSame(back, await reference.report(ownerA(), a.org.id, q));
    expectSame(back, at5);
  });

  it("one organisation's entry never answers another: same service, same cache", async () => {
    const { cached, reference, cache } = services();
    const qA = { campaignId: campA.id };
    const rA = await cached.report(ownerA(), a.org.id, qA);
    expect(cache.stats().entries).toBe(1);
    // Organisation B's owner asks for A's campaign through B's path: 404, as without a cache.
    const err = await cached.report(ownerB(), b.org.id, qA).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(err) && err.code).toBe("not_found");
    // …and through A's path: not a member of A, refused before any cache is consulted.
    const refused = await cached.report(ownerB(), a.org.id, qA).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(refused) && refused.code).toBe("not_found");
    // B's own report is B's figures (6 respondents), equal to a fresh computation, and not A's.
    const rB = await cached.report(ownerB(), b.org.id, { campaignId: campB.id });
    expectSame(rB, await reference.report(ownerB(), b.org.id, { campaignId: campB.id }));
    expect(rB.all.map((c) => (c.status === "ok" ? c.respondents : 0))).toEqual([6, 6]);
    expect(rB.campaign.id).not.toBe(rA.campaign.id);
    expect(cache.stats().entries).toBe(2);
  });

  it("through the API (the application's own cache): another organisation gets 404 after A's report was cached", async () => {
    const path = (orgId: string) => `/api/v1/orgs/${orgId}/wellbeing/reports?campaignId=${campA.id}`;
    const ok = await app.request(path(a.org.id), { method: "GET", cookie: a.person.cookie });
    expect(ok.status).toBe(200);
    expect((await app.request(path(a.org.id), { method: "GET", cookie: a.person.cookie })).status).toBe(200);
    expect((await app.request(path(b.org.id), { method: "GET", cookie: b.person.cookie })).status).toBe(404);
    expect((await app.request(path(a.org.id), { method: "GET", cookie: b.person.cookie })).status).toBe(404);
    expect(app.services.wellbeingReports.cacheStats()?.hits).toBeGreaterThan(0);
  });
});
