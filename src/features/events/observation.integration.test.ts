import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { supervisionSettings } from "../accreditation/supervision-schema.ts";
import { eventObservation } from "./observation-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
type Json = Record<string, unknown>;
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}
interface EventJson {
  id: string;
  slug: string;
  tiers: { id: string; eligibility: string }[];
  days: { date: string; sessions: { id: string }[] }[];
}
interface FormJson {
  leaders: { userId: string; name: string }[];
  competencies: { key: string; label: string }[];
  mayRecord: boolean;
  observations: { id: string; narrative: string; leader: { userId: string } }[];
}

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let organiser: Person;
let faculty: Person;
let otherFaculty: Person;
let leader: Person;
let participant: Person;
let outsider: Awaited<ReturnType<typeof orgWithPerson>>;
let intensive: EventJson;
let workshop: EventJson;

let seq = 0;
async function createPublished(facultyId: string): Promise<EventJson> {
  seq += 1;
  const body = {
    kind: "intensive",
    slug: `obs-intensive-${seq}`,
    title: `Observed intensive ${seq}`,
    language: "en",
    timeZone: "Europe/London",
    format: "in_person",
    venue: "Retreat centre",
    capacity: 20,
    days: [
      { date: "2031-06-10", sessions: [{ kind: "experiential_group", title: "Group one", start: "09:00", end: "10:30" }] },
      { date: "2031-06-11", sessions: [{ kind: "small_group", title: "Group two", start: "09:00", end: "10:30" }] },
    ],
    tiers: [{ name: "Standard", amountMinor: 0, currency: "GBP", eligibility: "anyone" }],
    faculty: [{ userId: facultyId, role: "faculty" }],
  };
  const res = await app.request(`/api/v1/orgs/${org.id}/events`, { method: "POST", cookie: organiser.cookie, json: body });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as EventJson;
  const pub = await app.request(`/api/v1/orgs/${org.id}/events/${created.id}/publish`, { method: "POST", cookie: organiser.cookie });
  if (pub.status !== 200) throw new Error(`publish failed: ${pub.status} ${await pub.text()}`);
  return (await pub.json()) as EventJson;
}

async function registerAs(e: EventJson, person: Person, role: "participant" | "leader_in_training") {
  const res = await app.request(`/api/v1/events/${org.slug}/${e.slug}/registrations`, { method: "POST", cookie: person.cookie, json: { tierId: e.tiers[0]!.id, role } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
}

const url = (e: EventJson, orgId = org.id) => `/api/v1/orgs/${orgId}/events/${e.id}/observations`;
const observe = (e: EventJson, person: Person, body: Json) => app.request(url(e), { method: "POST", cookie: person.cookie, json: body });
const good = (extra: Json = {}): Json => ({ leaderUserId: leader.id, observedOn: "2031-06-10", ratings: [{ competency: "boundaries", level: 3 }, { competency: "protecting_the_presenter", level: 4 }], narrative: "Held the frame calmly and brought the group back to the doctor.", ...extra });

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: organiser } = await orgWithPerson(app, "coordinator"));
  faculty = await signUp(app, { verified: true, name: "Fran Faculty" });
  await addMember(app, org.id, faculty.id, "member");
  otherFaculty = await signUp(app, { verified: true, name: "Olga Other" });
  await addMember(app, org.id, otherFaculty.id, "member");
  leader = await signUp(app, { verified: true, name: "Lee Leader" });
  participant = await signUp(app, { verified: true, name: "Pat Participant" });
  outsider = await orgWithPerson(app, "owner");
  intensive = await createPublished(faculty.id);
  workshop = await createPublished(otherFaculty.id);
  await registerAs(intensive, leader, "leader_in_training");
  await registerAs(intensive, participant, "participant");
});
afterAll(async () => app?.close());

describe("faculty observations of leaders in training", () => {
  it("gives the faculty the form with the leaders in training and the default competencies", async () => {
    const res = await app.request(url(intensive), { cookie: faculty.cookie });
    expect(res.status).toBe(200);
    const form = (await res.json()) as FormJson;
    expect(form.mayRecord).toBe(true);
    expect(form.leaders.map((l) => l.userId)).toEqual([leader.id]);
    expect(form.competencies.map((c) => c.key)).toEqual(["boundaries", "safety", "protecting_the_presenter", "group_process", "confidentiality"]);
  });

  it("records an observation, audited without the narrative; the leader reads it", async () => {
    const res = await observe(intensive, faculty, good({ sessionId: intensive.days[0]!.sessions[0]!.id }));
    expect(res.status).toBe(201);
    const saved = (await res.json()) as { id: string; ratings: { competency: string; level: number }[]; observedOn: string; session: { title: string } | null };
    expect(saved.ratings).toEqual(expect.arrayContaining([{ competency: "boundaries", label: "Boundaries", level: 3 }]));
    expect(saved.session?.title).toBe("Group one");
    const [audit] = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.action, "event.observation_recorded"), eq(auditEvent.targetId, saved.id)));
    expect(audit).toBeDefined();
    expect(JSON.stringify(audit!.details)).not.toContain("frame");

    const mine = (await (await app.request("/api/v1/me/event-observations", { cookie: leader.cookie })).json()) as { items: { id: string; narrative: string; observer: { name: string } }[] };
    const item = mine.items.find((i) => i.id === saved.id)!;
    expect(item.narrative).toContain("Held the frame");
    expect(item.observer.name).toBe("Fran Faculty");
    const others = (await (await app.request("/api/v1/me/event-observations", { cookie: participant.cookie })).json()) as { items: unknown[] };
    expect(others.items).toEqual([]);

    const records = await app.services.eventObservations.observationsOf(leader.id);
    const rec = records.find((r) => r.id === saved.id)!;
    expect(rec).toMatchObject({ eventId: intensive.id, observedOn: "2031-06-10", organisationId: org.id });
    expect(rec.ratings).toHaveLength(2);
    expect(Object.keys(rec)).not.toContain("narrative");
  });

  it("refuses someone who is not a leader in training there with 400 naming leaderUserId, and writes nothing", async () => {
    const before = (await app.services.kernel.db.select().from(eventObservation)).length;
    for (const leaderUserId of [participant.id, outsider.person.id, faculty.id]) {
      const res = await observe(intensive, faculty, good({ leaderUserId }));
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.fields!.map((f) => f.path)).toContain("leaderUserId");
    }
    expect((await app.services.kernel.db.select().from(eventObservation)).length).toBe(before);
  });

  it("names the field for bad ratings, sessions and days", async () => {
    const cases: [Json, string][] = [
      [{ ratings: [{ competency: "charisma", level: 3 }] }, "ratings.0.competency"],
      [{ ratings: [{ competency: "safety", level: 5 }] }, "ratings.0.level"],
      [{ ratings: [] }, "ratings"],
      [{ ratings: [{ competency: "safety", level: 2 }, { competency: "safety", level: 3 }] }, "ratings.1.competency"],
      [{ sessionId: workshop.days[0]!.sessions[0]!.id }, "sessionId"],
      [{ observedOn: "2031-07-01" }, "observedOn"],
      [{ narrative: "x".repeat(1001) }, "narrative"],
    ];
    for (const [extra, path] of cases) {
      const res = await observe(intensive, faculty, good(extra));
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as ErrorBody).error.fields!.map((f) => f.path)).toContain(path);
    }
  });

  it("warns about identifiers in the narrative (422) unless acknowledged", async () => {
    const narrative = "Mrs Delacroix, born 14 March 1961, was discussed at length.";
    const warned = await observe(intensive, faculty, good({ narrative }));
    expect(warned.status).toBe(422);
    const body = (await warned.json()) as { error: { code: string }; findings: { kind: string }[] };
    expect(body.error.code).toBe("identifiers_found");
    expect(body.findings.length).toBeGreaterThan(0);
    expect((await app.services.kernel.db.select().from(eventObservation).where(eq(eventObservation.narrative, narrative))).length).toBe(0);
    const ok = await observe(intensive, faculty, good({ narrative, acknowledgeFindings: true }));
    expect(ok.status).toBe(201);
  });

  it("keeps other faculty, members and outsiders out (403 inside the organisation, 404 outside)", async () => {
    expect((await observe(intensive, otherFaculty, good())).status).toBe(403);
    expect((await app.request(url(intensive), { cookie: otherFaculty.cookie })).status).toBe(403);
    expect((await observe(intensive, outsider.person, good())).status).toBe(404);
    expect((await app.request(url(intensive), { cookie: outsider.person.cookie })).status).toBe(404);
    expect((await app.request(url(intensive, outsider.org.id), { cookie: outsider.person.cookie })).status).toBe(404);
    expect((await observe(intensive, leader, good())).status).toBe(404);
    expect((await app.request(url(intensive))).status).toBe(401);
    // The organiser reads every observation but, not being faculty, does not record.
    const orgView = (await (await app.request(url(intensive), { cookie: organiser.cookie })).json()) as FormJson;
    expect(orgView.mayRecord).toBe(false);
    expect(orgView.observations.length).toBeGreaterThan(0);
    expect((await observe(intensive, organiser, good())).status).toBe(403);
    // Faculty of the other event see only their own (none there).
    const theirs = (await (await app.request(url(workshop), { cookie: otherFaculty.cookie })).json()) as FormJson;
    expect(theirs.observations).toEqual([]);
  });

  it("uses the organisation's own competency list (its supervision settings) when it has one", async () => {
    const db = app.services.kernel.db;
    await db.insert(supervisionSettings).values({ organisationId: org.id, competencies: [{ key: "containment", label: "Containment" }, { key: "group_process", label: "Group process" }] });
    try {
      const form = (await (await app.request(url(intensive), { cookie: faculty.cookie })).json()) as FormJson;
      expect(form.competencies).toEqual([{ key: "containment", label: "Containment" }, { key: "group_process", label: "Group process" }]);
      expect((await observe(intensive, faculty, good({ ratings: [{ competency: "boundaries", level: 2 }] }))).status).toBe(400);
      const ok = await observe(intensive, faculty, good({ ratings: [{ competency: "containment", level: 2 }] }));
      expect(ok.status).toBe(201);
      expect(((await ok.json()) as { ratings: unknown[] }).ratings).toEqual([{ competency: "containment", label: "Containment", level: 2 }]);
    } finally {
      await db.delete(supervisionSettings).where(eq(supervisionSettings.organisationId, org.id));
    }
  });

  it("counts faculty and leaders in training registered through a package", async () => {
    const a = await createPublished(otherFaculty.id);
    const b = await createPublished(otherFaculty.id);
    const pkgRes = await app.request(`/api/v1/orgs/${org.id}/event-packages`, { method: "POST", cookie: organiser.cookie, json: { slug: `obs-series-${seq}`, title: "Observed series", eventIds: [a.id, b.id], tiers: [{ name: "Series", amountMinor: 0, currency: "GBP", eligibility: "anyone" }] } });
    expect(pkgRes.status).toBe(201);
    const pkg = (await pkgRes.json()) as { slug: string; tiers: { id: string }[] };
    const trainee = await signUp(app, { verified: true, name: "Tia Trainee" });
    const visiting = await signUp(app, { verified: true, name: "Vic Visiting" });
    for (const [p, role] of [[trainee, "leader_in_training"], [visiting, "participant"]] as const) {
      const r = await app.request(`/api/v1/event-packages/${org.slug}/${pkg.slug}/registrations`, { method: "POST", cookie: p.cookie, json: { tierId: pkg.tiers[0]!.id, role } });
      expect(r.status).toBe(201);
    }
    // The organiser makes the visitor (not a member of the organisation) faculty of the series.
    const regs = (await (await app.request(`/api/v1/orgs/${org.id}/events/${b.id}/registrations`, { cookie: organiser.cookie })).json()) as { items: { id: string; userId: string }[] };
    const visitingReg = regs.items.find((r) => r.userId === visiting.id)!;
    expect((await app.request(`/api/v1/orgs/${org.id}/event-registrations/${visitingReg.id}/role`, { method: "POST", cookie: organiser.cookie, json: { role: "faculty" } })).status).toBe(200);
    const res = await observe(b, visiting, good({ leaderUserId: trainee.id, observedOn: "2031-06-11" }));
    expect(res.status).toBe(201);
    const observing = await app.services.eventObservations.eventsIObserve({ kind: "user", userId: visiting.id, memberships: new Map() } as never);
    expect(observing.items.map((i) => i.eventId)).toEqual(expect.arrayContaining([a.id, b.id]));
  });
});
