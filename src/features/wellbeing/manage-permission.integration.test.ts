// Who administers well-being check-ins ("wellbeing:manage", ADR 017 item 10): owners, admins and
// coordinators — the roles that also read the program reports. Supervisors, leaders and members
// get 403 for every administrative action and nothing changes; another organisation's coordinator
// gets 404; an API token needs the permission too.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { isAppError } from "../../platform/http/errors.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import type { Role } from "../../platform/tenancy/schema.ts";
import { ORDINAL_VALUE_URL, type Questionnaire } from "./fhir.ts";
import { wellbeingCampaign, wellbeingInstrument, wellbeingInvitation, wellbeingWave } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
const HOUR = 3_600_000;

let app: TestApp;
let orgId: string;
let owner: Person;
let coordinator: Person;
let supervisor: Person;
let leader: Person;
let member: Person;
let other: Awaited<ReturnType<typeof orgWithPerson>>;
let who5Id: string;

const actorOf = (p: Person, role: Role, org = orgId): Actor => ({ kind: "user", userId: p.id, memberships: new Map([[org, role]]) });
const svc = () => app.services.wellbeing;
const db = () => app.services.kernel.db;

const questionnaire = (slug: string): Questionnaire => ({
  resourceType: "Questionnaire",
  url: `https://example.org/fhir/Questionnaire/${slug}`,
  version: "1",
  title: `Coordinated ${slug}`,
  status: "active",
  item: [
    { linkId: "q1", text: "I feel supported", type: "choice", required: true, answerOption: [0, 1, 2, 3].map((v) => ({ valueCoding: { code: `c${v}`, display: `${v}` }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: v }] })) },
    { linkId: "q2", text: "I can ask for help", type: "integer", required: true },
  ],
});
const scoring = { scales: [{ id: "support", items: ["q1", "q2"], method: "sum", range: [0, 10] }], bands: [{ scale: "support", upTo: 3, labelKey: "local.low", severity: "elevated" }] };
const campaignInput = (name: string) => ({ name, mode: "confidential", instrumentIds: [who5Id], cohort: { kind: "organisation" }, schedule: { kind: "once", opensAt: new Date(Date.now() - HOUR).toISOString() } });

const api = (path: string, init: { method?: string; cookie?: string; token?: string; json?: unknown } = {}) => app.request(`/api/v1/orgs/${orgId}/wellbeing${path}`, { method: init.method ?? "GET", ...init });

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
  const o = await orgWithPerson(app, "owner");
  orgId = o.org.id;
  owner = o.person;
  const add = async (role: Role, name: string) => {
    const p = await signUp(app, { verified: true, name });
    await addMember(app, orgId, p.id, role);
    return p;
  };
  coordinator = await add("coordinator", "Cora Coordinator");
  supervisor = await add("supervisor", "Sami Supervisor");
  leader = await add("leader", "Lee Leader");
  member = await add("member", "Mara Member");
  other = await orgWithPerson(app, "coordinator");
  who5Id = (await svc().listInstruments(actorOf(owner, "owner"), orgId)).items.find((i) => i.builtInKey === "who-5")!.id;
}, 120_000);
afterAll(async () => app?.close());

describe("coordinators administer check-ins (wellbeing:manage)", () => {
  it("a coordinator imports an instrument and retires it (REST), audited under their name", async () => {
    const res = await api("/instruments", { method: "POST", cookie: coordinator.cookie, json: { questionnaire: questionnaire("climate"), scoring } });
    expect(res.status).toBe(201);
    const imported = (await res.json()) as { id: string; retired: boolean; organisationId: string };
    expect(imported.retired).toBe(false);
    expect(imported.organisationId).toBe(orgId);
    const retired = await api(`/instruments/${imported.id}/retire`, { method: "POST", cookie: coordinator.cookie });
    expect(retired.status).toBe(200);
    expect(((await retired.json()) as { retired: boolean }).retired).toBe(true);
    const [row] = await db().select().from(wellbeingInstrument).where(eq(wellbeingInstrument.id, imported.id));
    expect(row!.retiredAt).not.toBeNull();
    const audited = await db().select().from(auditEvent).where(and(eq(auditEvent.targetId, imported.id), eq(auditEvent.actorUserId, coordinator.id)));
    expect(audited.map((a) => a.action).sort()).toEqual(["wellbeing.instrument_imported", "wellbeing.instrument_retired"]);
  });

  it("a coordinator creates a campaign (service and REST), sees it, sends, moves, closes and ends", async () => {
    const direct = await svc().createCampaign(actorOf(coordinator, "coordinator"), orgId, campaignInput("Coordinator direct"));
    expect(direct.waves).toHaveLength(1);
    const res = await api("/campaigns", { method: "POST", cookie: coordinator.cookie, json: campaignInput("Coordinator spring") });
    expect(res.status).toBe(201);
    const c = (await res.json()) as { id: string; name: string; waves: { id: string; status: string }[] };
    expect(c.waves[0]!.status).toBe("open");
    const list = await api("/campaigns", { cookie: coordinator.cookie });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toEqual(expect.arrayContaining([direct.id, c.id]));
    expect((await api(`/campaigns/${c.id}`, { cookie: coordinator.cookie })).status).toBe(200);
    const waveId = c.waves[0]!.id;
    const sent = await api(`/waves/${waveId}/invitations`, { method: "POST", cookie: coordinator.cookie });
    expect(sent.status).toBe(200);
    const invited = ((await sent.json()) as { invited: number }).invited;
    expect(invited).toBe(5); // owner, coordinator, supervisor, leader, member
    expect(await db().select().from(wellbeingInvitation).where(eq(wellbeingInvitation.waveId, waveId))).toHaveLength(invited);
    const moved = await api(`/waves/${waveId}`, { method: "PATCH", cookie: coordinator.cookie, json: { closesAt: new Date(Date.now() + 3 * 24 * HOUR).toISOString() } });
    expect(moved.status).toBe(200);
    const closed = await api(`/waves/${waveId}/close`, { method: "POST", cookie: coordinator.cookie });
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as { status: string }).status).toBe("closed");
    const ended = await api(`/campaigns/${c.id}/end`, { method: "POST", cookie: coordinator.cookie });
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as { endedAt: string | null }).endedAt).not.toBeNull();
  });

  it("supervisors, leaders and members get 403 for every administrative action, and nothing changes", async () => {
    const inst = await svc().importInstrument(actorOf(owner, "owner"), orgId, { questionnaire: questionnaire("owned"), scoring });
    const c = await svc().createCampaign(actorOf(owner, "owner"), orgId, campaignInput("Owner autumn"));
    const waveId = c.waves[0]!.id;
    const snapshot = async () => ({
      instruments: (await db().select().from(wellbeingInstrument)).map((r) => [r.id, r.retiredAt]),
      campaigns: (await db().select().from(wellbeingCampaign)).map((r) => [r.id, r.endedAt]),
      waves: (await db().select().from(wellbeingWave)).map((r) => [r.id, r.opensAt.toISOString(), r.closesAt.toISOString(), r.invitedAt, r.frozenAt]),
      invitations: (await db().select().from(wellbeingInvitation)).length,
    });
    const before = await snapshot();
    for (const [person, role] of [[supervisor, "supervisor"], [leader, "leader"], [member, "member"]] as const) {
      const calls: [string, Promise<Response>][] = [
        ["import", api("/instruments", { method: "POST", cookie: person.cookie, json: { questionnaire: questionnaire(`by-${role}`), scoring } })],
        ["retire", api(`/instruments/${inst.id}/retire`, { method: "POST", cookie: person.cookie })],
        ["create", api("/campaigns", { method: "POST", cookie: person.cookie, json: campaignInput(`By ${role}`) })],
        ["list", api("/campaigns", { cookie: person.cookie })],
        ["get", api(`/campaigns/${c.id}`, { cookie: person.cookie })],
        ["move", api(`/waves/${waveId}`, { method: "PATCH", cookie: person.cookie, json: { closesAt: new Date(Date.now() + 5 * 24 * HOUR).toISOString() } })],
        ["send", api(`/waves/${waveId}/invitations`, { method: "POST", cookie: person.cookie })],
        ["close", api(`/waves/${waveId}/close`, { method: "POST", cookie: person.cookie })],
        ["end", api(`/campaigns/${c.id}/end`, { method: "POST", cookie: person.cookie })],
      ];
      for (const [name, call] of calls) expect([role, name, (await call).status]).toEqual([role, name, 403]);
      // The service refuses the same way (the UI's actions call it directly).
      const refused = await failure(svc().createCampaign(actorOf(person, role), orgId, campaignInput(`Direct by ${role}`)));
      expect(isAppError(refused) && refused.status).toBe(403);
      const retire = await failure(svc().retireInstrument(actorOf(person, role), orgId, inst.id));
      expect(isAppError(retire) && retire.status).toBe(403);
    }
    expect(await snapshot()).toEqual(before);
    // Everyone may still list the questionnaires (organisation:read), as before.
    expect((await api("/instruments", { cookie: member.cookie })).status).toBe(200);
  });

  it("another organisation's coordinator gets 404, not 403", async () => {
    const res = await api("/campaigns", { method: "POST", cookie: other.person.cookie, json: campaignInput("Intruder") });
    expect(res.status).toBe(404);
    const refused = await failure(svc().importInstrument(actorOf(other.person, "coordinator", other.org.id), orgId, { questionnaire: questionnaire("intruder"), scoring }));
    expect(isAppError(refused) && refused.status).toBe(404);
    expect(await db().select().from(wellbeingCampaign).where(eq(wellbeingCampaign.name, "Intruder"))).toHaveLength(0);
  });

  it("a coordinator's API token needs wellbeing:manage: report-only tokens get 403", async () => {
    const token = async (permissions: string[]) => {
      const res = await app.request("/api/v1/tokens", { method: "POST", cookie: coordinator.cookie, json: { name: `Check-ins ${permissions.join(" ")}`, organisationId: orgId, permissions } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { token: string }).token;
    };
    const reportOnly = await token(["organisation:read", "wellbeing:report"]);
    expect((await api("/campaigns", { method: "POST", token: reportOnly, json: campaignInput("By report token") })).status).toBe(403);
    const manage = await token(["organisation:read", "wellbeing:manage"]);
    const res = await api("/campaigns", { method: "POST", token: manage, json: campaignInput("By manage token") });
    expect(res.status).toBe(201);
    // A leader cannot give a token what their role lacks.
    const refused = await app.request("/api/v1/tokens", { method: "POST", cookie: leader.cookie, json: { name: "No", organisationId: orgId, permissions: ["wellbeing:manage"] } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('"path":"permissions"');
  });
});
