import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { isAnonymousLogPath } from "../../platform/http/app.server.ts";
import { isAppError } from "../../platform/http/errors.ts";
import { mailMessage } from "../../platform/mail/schema.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { groupMembership } from "../groups/schema.ts";
import { profile } from "../profile/schema.ts";
import { WELLBEING_ANONYMOUS_PATHS } from "./api.server.ts";
import { buildResponse, ORDINAL_VALUE_URL, type Questionnaire } from "./fhir.ts";
import { who5 } from "./instruments/index.ts";
import { wellbeingAtom, wellbeingDraft, wellbeingInvitation, wellbeingNullifier, wellbeingPairAtom, wellbeingPairingWave, wellbeingResponse, wellbeingWave } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
const DAY = 86_400_000;
const HOUR = 3_600_000;

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
const members: Person[] = [];
let outsider: Person;
let otherOrg: Awaited<ReturnType<typeof orgWithPerson>>;
let groupId: string;
let who5Id: string;

const actorOf = (p: Person, role: "member" | "owner" = "member", orgId = org.id): Actor => ({ kind: "user", userId: p.id, memberships: new Map([[orgId, role]]) });
const ownerActor = () => actorOf(owner, "owner");
const svc = () => app.services.wellbeing;
const db = () => app.services.kernel.db;
const who5Answers = (code: string) => buildResponse(who5.questionnaire, Object.fromEntries(["who5-1", "who5-2", "who5-3", "who5-4", "who5-5"].map((k) => [k, code])));

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  await db().update(organisation).set({ settings: { supportUrl: "https://support.example.org/help", contactEmail: "care@example.org" } }).where(eq(organisation.id, org.id));
  for (let i = 0; i < 7; i++) {
    const m = await signUp(app, { verified: true, name: `Wellbeing Member${String.fromCharCode(65 + i)}` });
    await addMember(app, org.id, m.id, "member");
    await db().insert(profile).values({ userId: m.id, disciplines: i % 2 ? ["nurse"] : ["physician", "nurse"] }).onConflictDoUpdate({ target: profile.userId, set: { disciplines: i % 2 ? ["nurse"] : ["physician", "nurse"] } });
    members.push(m);
  }
  outsider = await signUp(app, { verified: true, name: "Olwen Outsider" });
  await addMember(app, org.id, outsider.id, "member"); // in the organisation, not in the group
  otherOrg = await orgWithPerson(app, "owner");
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: { name: "Wellbeing group", description: "A standing Balint group.", format: "online", meetingLink: "https://meet.example.org/wb", languages: ["en"], timeZone: "UTC", schedule: { rrule: "FREQ=WEEKLY;COUNT=20", dtstartLocal: "2030-01-06T19:00", durationMinutes: 90 }, capacity: 15, leaders: [{ userId: owner.id, kind: "leader" }] },
  });
  if (res.status !== 201) throw new Error(`group: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
  await db().insert(groupMembership).values(members.map((m) => ({ groupId, userId: m.id, status: "active" as const, term: 1, agreementAcceptedAt: new Date() })));
  const list = await svc().listInstruments(ownerActor(), org.id);
  who5Id = list.items.find((i) => i.builtInKey === "who-5")!.id;
}, 120_000);
afterAll(async () => app?.close());

async function campaign(mode: "anonymous" | "confidential", schedule: Record<string, unknown>, extra: Record<string, unknown> = {}, now = new Date()) {
  return svc().createCampaign(ownerActor(), org.id, { name: `Check-in ${mode}`, mode, instrumentIds: [who5Id], cohort: { kind: "groups", groupIds: [groupId] }, cohortLabel: "residents", schedule, windowDays: 14, ...extra }, now);
}

async function tokensOf(waveId: string): Promise<Map<string, string>> {
  const rows = await db().select().from(wellbeingInvitation).where(eq(wellbeingInvitation.waveId, waveId));
  return new Map(rows.map((r) => [r.userId, svc().tokenOf(r.id, r.tokenSalt)]));
}

describe("instruments: import, validation, retire", () => {
  const imported: Questionnaire = {
    resourceType: "Questionnaire",
    url: "https://example.org/fhir/Questionnaire/team-climate",
    version: "1",
    title: "Team climate (local)",
    status: "active",
    item: [
      { linkId: "q1", text: "My team supports me", type: "choice", required: true, answerOption: [0, 1, 2, 3].map((v) => ({ valueCoding: { code: `c${v}`, display: `${v}` }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: v }] })) },
      { linkId: "q2", text: "I can ask for help", type: "integer", required: true },
    ],
  };
  const scoring = { scales: [{ id: "climate", items: ["q1", "q2"], method: "sum", range: [0, 10] }], bands: [{ scale: "climate", upTo: 3, labelKey: "local.low", severity: "elevated" }] };

  it("refuses an invalid Questionnaire with 400 naming the FHIR path, and stores nothing", async () => {
    const before = (await svc().listInstruments(ownerActor(), org.id)).items.length;
    const bad = { ...imported, item: [{ linkId: "q1", text: "Pick", type: "choice", answerOption: [] }, { linkId: "q1", type: "date" }] };
    const res = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments`, { method: "POST", cookie: owner.cookie, json: { questionnaire: bad, scoring } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.some((f) => f.path.startsWith("questionnaire.item[1]"))).toBe(true);
    const notFhir = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments`, { method: "POST", cookie: owner.cookie, json: { questionnaire: { resourceType: "Patient" }, scoring } });
    expect(notFhir.status).toBe(400);
    const badRule = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments`, { method: "POST", cookie: owner.cookie, json: { questionnaire: imported, scoring: { ...scoring, scales: [{ ...scoring.scales[0], items: ["q1", "nope"] }] } } });
    expect(badRule.status).toBe(400);
    expect(JSON.stringify(await badRule.json())).toContain("scoring.scales[0].items[1]");
    const extra = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments`, { method: "POST", cookie: owner.cookie, json: { questionnaire: imported, scoring, note: "x" } });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(await extra.json())).toContain('"path":"note"');
    expect((await svc().listInstruments(ownerActor(), org.id)).items.length).toBe(before);
  });

  it("imports a valid one (201, then 409 for the same url and version); members cannot import", async () => {
    const member = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments`, { method: "POST", cookie: members[0]!.cookie, json: { questionnaire: imported, scoring } });
    expect(member.status).toBe(403);
    const res = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments`, { method: "POST", cookie: owner.cookie, json: { questionnaire: imported, scoring } });
    expect(res.status).toBe(201);
    const again = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments`, { method: "POST", cookie: owner.cookie, json: { questionnaire: imported, scoring } });
    expect(again.status).toBe(409);
    const other = await app.request(`/api/v1/orgs/${otherOrg.org.id}/wellbeing/instruments`, { method: "GET", cookie: owner.cookie });
    expect(other.status).toBe(404);
  });

  it("retiring keeps past answers, and a retired instrument cannot start a new campaign", async () => {
    const inst = (await svc().listInstruments(ownerActor(), org.id)).items.find((i) => i.url === imported.url)!;
    const now = new Date();
    const c = await svc().createCampaign(ownerActor(), org.id, { name: "Local", mode: "confidential", instrumentIds: [inst.id], cohort: { kind: "groups", groupIds: [groupId] }, schedule: { kind: "once", opensAt: new Date(now.getTime() - HOUR).toISOString() } }, now);
    await svc().sendInvitations(ownerActor(), org.id, c.waves[0]!.id, now);
    const token = (await tokensOf(c.waves[0]!.id)).get(members[0]!.id)!;
    const out = await svc().answerByToken({ kind: "anonymous", userId: null, memberships: new Map() }, token, { instrumentId: inst.id, response: buildResponse(imported, { q1: "c1", q2: 1 }) }, now);
    expect(out.scales[0]!.score).toBe(2);
    expect(out.scales[0]!.band?.labelKey).toBe("local.low");
    const res = await app.request(`/api/v1/orgs/${org.id}/wellbeing/instruments/${inst.id}/retire`, { method: "POST", cookie: owner.cookie });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { retired: boolean }).retired).toBe(true);
    expect(await db().select().from(wellbeingResponse).where(eq(wellbeingResponse.instrumentId, inst.id))).toHaveLength(1);
    const mine = await svc().myResults(actorOf(members[0]!));
    expect(mine.items.some((r) => r.instrumentId === inst.id && r.scales[0]!.score === 2)).toBe(true);
    const refused = await failure(svc().createCampaign(ownerActor(), org.id, { name: "Again", mode: "anonymous", instrumentIds: [inst.id], cohort: { kind: "organisation" }, schedule: { kind: "once", opensAt: now.toISOString() } }, now));
    expect(isAppError(refused) && refused.fields?.[0]?.path).toBe("instrumentIds.0");
  });
});

describe("answering: bad input is refused and nothing is stored", () => {
  let waveId: string;
  let tokens: Map<string, string>;
  const count = async () => (await db().select().from(wellbeingResponse).where(eq(wellbeingResponse.waveId, waveId))).length;

  beforeAll(async () => {
    const c = await campaign("confidential", { kind: "once", opensAt: new Date(Date.now() - HOUR).toISOString() });
    waveId = c.waves[0]!.id;
    const res = await app.request(`/api/v1/orgs/${org.id}/wellbeing/waves/${waveId}/invitations`, { method: "POST", cookie: owner.cookie });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { invited: number }).invited).toBe(members.length);
    tokens = await tokensOf(waveId);
  });

  it("invites the cohort once (one per person per wave) and mails each a link", async () => {
    expect(tokens.size).toBe(members.length);
    expect(tokens.has(outsider.id)).toBe(false);
    const again = await svc().sendInvitations(ownerActor(), org.id, waveId);
    expect(again.invited).toBe(0);
    const link = `/wellbeing/answer/${tokens.get(members[0]!.id)}`;
    for (let i = 0; i < 100 && !app.mail.sent.some((m) => m.to === members[0]!.email && m.text.includes(link)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(app.mail.sent.some((m) => m.to === members[0]!.email && m.text.includes(link))).toBe(true);
    const stored = await db().select().from(wellbeingInvitation).where(eq(wellbeingInvitation.waveId, waveId));
    expect(stored.every((r) => !Object.values(r).includes(tokens.get(r.userId) ?? null))).toBe(true); // only the hash is stored
  });

  it("400 out of range, missing required, unknown field, wrong instrument; 404 unknown token; 403 foreign token", async () => {
    const token = tokens.get(members[1]!.id)!;
    const post = (json: unknown, cookie?: string, t = token) => app.request(`/api/v1/wellbeing/checkins/${t}/answers`, { method: "POST", json, ...(cookie ? { cookie } : {}) });
    const outOfRange = who5Answers("most");
    outOfRange.item![2]!.answer = [{ valueCoding: { code: "sometimes-maybe" } }];
    const r1 = await post({ instrumentId: who5Id, response: outOfRange });
    expect(r1.status).toBe(400);
    expect(JSON.stringify(await r1.json())).toContain("response.item[2]");
    const missing = who5Answers("most");
    missing.item = missing.item!.slice(0, 4);
    const r2 = await post({ instrumentId: who5Id, response: missing });
    expect(r2.status).toBe(400);
    expect(JSON.stringify(await r2.json())).toContain("who5-5");
    const r3 = await post({ instrumentId: who5Id, response: who5Answers("most"), caseNote: "x" });
    expect(r3.status).toBe(400);
    expect(JSON.stringify(await r3.json())).toContain('"path":"caseNote"');
    const r4 = await post({ instrumentId: "00000000-0000-4000-8000-000000000000", response: who5Answers("most") });
    expect(r4.status).toBe(400);
    const r5 = await post({ instrumentId: who5Id, response: { ...who5Answers("most"), status: "in-progress" } });
    expect(r5.status).toBe(400);
    const r6 = await post({ instrumentId: who5Id, response: who5Answers("most") }, undefined, "A".repeat(43));
    expect(r6.status).toBe(404);
    const r7 = await post({ instrumentId: who5Id, response: who5Answers("most") }, members[2]!.cookie); // members[1]'s link, signed in as members[2]
    expect(r7.status).toBe(403);
    const r8 = await app.request(`/api/v1/orgs/${org.id}/wellbeing/waves/${waveId}/answers`, { method: "POST", cookie: outsider.cookie, json: { instrumentId: who5Id, response: who5Answers("most") } });
    expect(r8.status).toBe(404); // not invited
    expect(await count()).toBe(0);
    expect(await db().select().from(wellbeingNullifier).where(eq(wellbeingNullifier.waveId, waveId))).toHaveLength(0);
  });

  it("answers once (201 with the score and calm support on distress); a second answer or a reused token is 409", async () => {
    const token = tokens.get(members[1]!.id)!;
    const ok = await app.request(`/api/v1/wellbeing/checkins/${token}/answers`, { method: "POST", json: { instrumentId: who5Id, response: who5Answers("some") } });
    expect(ok.status).toBe(201);
    const out = (await ok.json()) as { scales: { score: number }[]; distressFlag: boolean; support: { supportUrl: string } };
    expect(out.scales[0]!.score).toBe(20);
    expect(out.distressFlag).toBe(true);
    expect(out.support.supportUrl).toBe("https://support.example.org/help");
    const reused = await app.request(`/api/v1/wellbeing/checkins/${token}/answers`, { method: "POST", json: { instrumentId: who5Id, response: who5Answers("all") } });
    expect(reused.status).toBe(409);
    const signedIn = await app.request(`/api/v1/orgs/${org.id}/wellbeing/waves/${waveId}/answers`, { method: "POST", cookie: members[1]!.cookie, json: { instrumentId: who5Id, response: who5Answers("all") } });
    expect(signedIn.status).toBe(409);
    expect(await count()).toBe(1);
    // The distress flag is never stored.
    const [row] = await db().select().from(wellbeingResponse).where(eq(wellbeingResponse.waveId, waveId));
    expect(JSON.stringify(row)).not.toMatch(/distress/i);
  });

  it("saves progress under the token and restores it in the form", async () => {
    const token = tokens.get(members[3]!.id)!;
    const put = await app.request(`/api/v1/wellbeing/checkins/${token}/draft`, { method: "PUT", json: { instrumentId: who5Id, answers: { "who5-1": "most" } } });
    expect(put.status).toBe(200);
    const form = await app.request(`/api/v1/wellbeing/checkins/${token}`);
    expect(form.status).toBe(200);
    const f = (await form.json()) as { mode: string; instruments: { draft: Record<string, string> | null; answered: boolean }[] };
    expect(f.mode).toBe("confidential");
    expect(f.instruments[0]!.draft).toEqual({ "who5-1": "most" });
    const [d] = await db().select().from(wellbeingDraft).where(eq(wellbeingDraft.waveId, waveId));
    expect(JSON.stringify(d)).not.toContain(members[3]!.id);
  });

  it("a closed wave refuses answers (409) and nothing is stored", async () => {
    const close = await app.request(`/api/v1/orgs/${org.id}/wellbeing/waves/${waveId}/close`, { method: "POST", cookie: owner.cookie });
    expect(close.status).toBe(200);
    const token = tokens.get(members[4]!.id)!;
    const late = await app.request(`/api/v1/wellbeing/checkins/${token}/answers`, { method: "POST", json: { instrumentId: who5Id, response: who5Answers("most") } });
    expect(late.status).toBe(409);
    expect(await count()).toBe(1);
    expect(await db().select().from(wellbeingDraft).where(eq(wellbeingDraft.waveId, waveId))).toHaveLength(0);
    expect(await db().select().from(wellbeingNullifier).where(eq(wellbeingNullifier.waveId, waveId))).toHaveLength(0);
  });
});

describe("anonymous mode: nothing links an answer to a person", () => {
  it("stores no person, pseudonym or time; after close: no nullifiers, new ids, frozen atoms", async () => {
    const now = new Date();
    const c = await campaign("anonymous", { kind: "once", opensAt: new Date(now.getTime() - HOUR).toISOString() }, {}, now);
    const waveId = c.waves[0]!.id;
    await svc().sendInvitations(ownerActor(), org.id, waveId, now);
    const tokens = await tokensOf(waveId);
    for (const m of members.slice(0, 6)) {
      await svc().answerByToken({ kind: "anonymous", userId: null, memberships: new Map() }, tokens.get(m.id)!, { instrumentId: who5Id, response: who5Answers("most") }, now);
    }
    const rows = await db().select().from(wellbeingResponse).where(eq(wellbeingResponse.waveId, waveId));
    expect(rows).toHaveLength(6);
    const invitations = await db().select().from(wellbeingInvitation).where(eq(wellbeingInvitation.waveId, waveId));
    const personal = [...members.flatMap((m) => [m.id, m.email]), ...invitations.flatMap((i) => [i.id, i.tokenHash, i.tokenSalt])];
    for (const r of rows) {
      expect(r.pseudonym).toBeNull();
      expect(r.answeredAt).toBeNull();
      const text = JSON.stringify(r);
      for (const p of personal) expect(text).not.toContain(p);
    }
    // The invitation rows are never marked.
    expect(invitations.every((i) => i.remindedAt === null)).toBe(true);
    const idsBefore = new Set(rows.map((r) => r.id));
    await svc().closeWave(ownerActor(), org.id, waveId, new Date(now.getTime() + HOUR));
    const after = await db().select().from(wellbeingResponse).where(eq(wellbeingResponse.waveId, waveId));
    expect(after).toHaveLength(6);
    expect(after.some((r) => idsBefore.has(r.id))).toBe(false);
    expect(await db().select().from(wellbeingNullifier).where(eq(wellbeingNullifier.waveId, waveId))).toHaveLength(0);
    const atoms = await db().select().from(wellbeingAtom).where(eq(wellbeingAtom.waveId, waveId));
    expect(atoms.reduce((n, a) => n + a.respondents, 0)).toBe(6);
    expect(atoms.every((a) => a.cell.cohort === "residents" && a.cell.group === groupId)).toBe(true);
    // Nobody can find anonymous answers as "theirs".
    expect((await svc().myResults(actorOf(members[0]!))).items.some((r) => r.waveId === waveId)).toBe(false);
  });

  it("logs the answer routes anonymously", () => {
    expect(WELLBEING_ANONYMOUS_PATHS.length).toBeGreaterThan(0);
    expect(isAnonymousLogPath("/api/v1/wellbeing/checkins/abc/answers")).toBe(true);
    expect(isAnonymousLogPath(`/api/v1/orgs/${org.id}/wellbeing/waves/${groupId}/answers`)).toBe(true);
    expect(isAnonymousLogPath("/wellbeing/answer/abc")).toBe(true);
    expect(isAnonymousLogPath(`/wellbeing/checkin/${org.id}/${groupId}`)).toBe(true);
    expect(isAnonymousLogPath(`/api/v1/orgs/${org.id}/wellbeing/campaigns`)).toBe(false);
  });
});

describe("confidential mode: my trend, pairing, download and delete", () => {
  it("two waves: the periodic work opens, reminds and closes; my trend; first and last waves paired once", async () => {
    const t0 = new Date(Date.UTC(2031, 0, 10, 9));
    const c = await campaign("confidential", { kind: "every", opensAt: t0.toISOString(), everyMonths: 3, until: new Date(Date.UTC(2031, 3, 30)).toISOString() }, { reminderDaysBefore: 3 }, t0);
    expect(c.waves).toHaveLength(2);
    const w1 = c.waves[0]!;
    const w2 = c.waves[1]!;
    // Wave 1 opens through the hourly work.
    const tick1 = await svc().tick(new Date(t0.getTime() + HOUR));
    expect(tick1.opened).toBeGreaterThanOrEqual(1);
    const t1 = await tokensOf(w1.id);
    const codes = ["most", "most", "more-than-half", "all", "most", "less-than-half"];
    for (const [i, m] of members.slice(0, 6).entries()) await svc().answerByToken(actorOf(m), t1.get(m.id)!, { instrumentId: who5Id, response: who5Answers(codes[i]!) }, new Date(t0.getTime() + 2 * HOUR));
    // Reminder 3 days before close: only members[6] has not answered.
    const reminded = async () => (await db().select().from(mailMessage).where(eq(mailMessage.template, "wellbeingReminder"))).map((m) => m.toAddress);
    expect(await reminded()).toEqual([]);
    await svc().tick(new Date(t0.getTime() + 12 * DAY));
    const reminders = (await reminded()).map((toAddress) => ({ toAddress }));
    expect(reminders.map((m) => m.toAddress)).toEqual([members[6]!.email]);
    // Close wave 1, open wave 2 three months later.
    const closed = await svc().tick(new Date(t0.getTime() + 15 * DAY));
    expect(closed.closed).toBeGreaterThanOrEqual(1);
    const t2open = new Date(Date.UTC(2031, 3, 10, 10));
    await svc().tick(t2open);
    const t2 = await tokensOf(w2.id);
    for (const m of members.slice(0, 6)) await svc().answerByToken(actorOf(m), t2.get(m.id)!, { instrumentId: who5Id, response: who5Answers("some") }, new Date(t2open.getTime() + HOUR));
    await svc().tick(new Date(t2open.getTime() + 15 * DAY));
    const frozen = await db().select().from(wellbeingWave).where(sql`${wellbeingWave.id} in (${w1.id}, ${w2.id}) and ${wellbeingWave.frozenAt} is not null`);
    expect(frozen).toHaveLength(2);

    // My trend: two results in order, the second with the distress flag (computed, not stored).
    const mine = await svc().myResults(actorOf(members[0]!));
    const trend = mine.items.filter((r) => r.waveId === w1.id || r.waveId === w2.id);
    expect(trend.map((r) => r.scales[0]!.score)).toEqual([80, 20]);
    expect(trend.map((r) => r.distressFlag)).toEqual([false, true]);
    expect(mine.support[org.id]!.contactEmail).toBe("care@example.org");
    // Someone else's results never show up in mine.
    expect(mine.items.every((r) => r.organisationId === org.id)).toBe(true);
    expect((await svc().myResults(actorOf(members[6]!))).items.filter((r) => r.waveId === w1.id)).toHaveLength(0);

    // Pairing: waves 1 and 2, each in one pairing (a primary key); pair atom over the 6 returning people.
    const atoms = await svc().campaignAtoms(org.id, c.id);
    expect(atoms.pairings).toHaveLength(1);
    const pairs = atoms.pairings[0]!.pairAtoms[who5Id]!;
    expect(pairs.reduce((n, p) => n + p.pairs, 0)).toBe(6);
    expect(atoms.atoms[who5Id]!.filter((a) => a.wave === w1.id).reduce((n, a) => n + a.respondents, 0)).toBe(6);
    const dup = await failure(db().insert(wellbeingPairingWave).values({ waveId: w1.id, pairingId: atoms.pairings[0]!.id }));
    expect(dup).toBeInstanceOf(Error);
    expect(await db().select().from(wellbeingPairAtom)).not.toHaveLength(0);
  });

  it("downloads my data as a FHIR Bundle and CSV, then deletes it (frozen totals stay)", async () => {
    const m = members[0]!;
    const bundleRes = await app.request("/api/v1/me/wellbeing/export/fhir", { cookie: m.cookie });
    expect(bundleRes.status).toBe(200);
    const bundle = (await bundleRes.json()) as { resourceType: string; entry: { resource: { resourceType: string; status: string } }[] };
    expect(bundle.resourceType).toBe("Bundle");
    expect(bundle.entry.length).toBeGreaterThanOrEqual(2);
    expect(bundle.entry.every((e) => e.resource.resourceType === "QuestionnaireResponse" && e.resource.status === "completed")).toBe(true);
    const csvRes = await app.request("/api/v1/me/wellbeing/export/csv", { cookie: m.cookie });
    expect(csvRes.status).toBe(200);
    const csv = await csvRes.text();
    expect(csv.split("\r\n")[0]).toBe("campaign,wave_closes_at,answered_at,instrument,scale,score,band");
    expect(csv).toContain(",who5,80,");
    const atomTotal = async () => (await db().select().from(wellbeingAtom)).reduce((n, a) => n + a.respondents, 0);
    const totalBefore = await atomTotal();
    const del = await app.request("/api/v1/me/wellbeing/data", { method: "DELETE", cookie: m.cookie });
    expect(del.status).toBe(200);
    expect(((await del.json()) as { deletedResponses: number }).deletedResponses).toBeGreaterThanOrEqual(2);
    expect((await svc().myResults(actorOf(m))).items).toHaveLength(0);
    expect(await atomTotal()).toBe(totalBefore);
    // Someone else's data is untouched.
    expect((await svc().myResults(actorOf(members[1]!))).items.length).toBeGreaterThan(0);
  });
});

describe("campaign input", () => {
  it("400 naming the field: unknown cohort group, bad schedule, unknown field; other organisation 404", async () => {
    const post = (json: unknown, orgId = org.id) => app.request(`/api/v1/orgs/${orgId}/wellbeing/campaigns`, { method: "POST", cookie: owner.cookie, json });
    const base = { name: "X", mode: "anonymous", instrumentIds: [who5Id], cohort: { kind: "organisation" }, schedule: { kind: "once", opensAt: new Date().toISOString() } };
    const r1 = await post({ ...base, cohort: { kind: "groups", groupIds: ["00000000-0000-4000-8000-000000000000"] } });
    expect(r1.status).toBe(400);
    expect(JSON.stringify(await r1.json())).toContain("cohort.groupIds.0");
    const r2 = await post({ ...base, schedule: { kind: "every", opensAt: new Date().toISOString(), everyMonths: 0, until: new Date().toISOString() } });
    expect(r2.status).toBe(400);
    expect(JSON.stringify(await r2.json())).toContain("schedule.everyMonths");
    const r3 = await post({ ...base, mode: "open" });
    expect(r3.status).toBe(400);
    expect(JSON.stringify(await r3.json())).toContain('"path":"mode"');
    const r4 = await post({ ...base, schedule: { kind: "term", opensAt: new Date().toISOString() } });
    expect(r4.status).toBe(400);
    expect(JSON.stringify(await r4.json())).toContain("schedule.kind");
    const r5 = await post(base, otherOrg.org.id);
    expect(r5.status).toBe(404);
    const ok = await post(base);
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { mode: string; waves: unknown[] };
    expect(created.mode).toBe("anonymous");
    expect(created.waves).toHaveLength(1);
  });
});

describe("cohorts and schedules", () => {
  it("a discipline cohort invites only people of that discipline (across the organisation)", async () => {
    const now = new Date();
    const c = await svc().createCampaign(ownerActor(), org.id, { name: "Physicians", mode: "anonymous", instrumentIds: [who5Id], cohort: { kind: "discipline", discipline: "physician" }, schedule: { kind: "once", opensAt: new Date(now.getTime() - HOUR).toISOString() } }, now);
    await svc().sendInvitations(ownerActor(), org.id, c.waves[0]!.id, now);
    const invited = new Set((await tokensOf(c.waves[0]!.id)).keys());
    expect([...invited].sort()).toEqual(members.filter((_, i) => i % 2 === 0).map((m) => m.id).sort());
  });

  it("a term schedule has a start and an end wave (the groups' last meeting); ending the campaign drops unopened waves", async () => {
    const now = new Date();
    const c = await svc().createCampaign(ownerActor(), org.id, { name: "Term", mode: "confidential", instrumentIds: [who5Id], cohort: { kind: "groups", groupIds: [groupId] }, schedule: { kind: "term", opensAt: now.toISOString() } }, now);
    expect(c.waves.map((w) => w.label)).toEqual(["start", "end"]);
    expect(new Date(c.waves[1]!.opensAt).getTime()).toBeGreaterThan(new Date(c.waves[0]!.closesAt).getTime());
    const ended = await svc().endCampaign(ownerActor(), org.id, c.id, new Date(now.getTime() + HOUR));
    expect(ended.endedAt).not.toBeNull();
    expect(ended.waves.map((w) => [w.label, w.status])).toEqual([["start", "closed"]]);
    const moved = await failure(svc().updateWave(ownerActor(), org.id, c.waves[0]!.id, { closesAt: new Date(now.getTime() + DAY).toISOString() }, new Date(now.getTime() + 2 * HOUR)));
    expect(isAppError(moved) && moved.status).toBe(409);
  });
});
