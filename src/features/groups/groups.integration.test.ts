import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq, sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp, uniqueEmail } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { openDatabase } from "../../platform/db/client.server.ts";
import { isAppError } from "../../platform/http/errors.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { membership } from "../../platform/tenancy/schema.ts";
import { OFFER_EXPIRY_QUEUE, createGroupsService } from "./service.server.ts";
import { balintGroup, groupMembership, groupWaitlist } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
type Json = Record<string, unknown>;
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let leader: Person;

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, org.id, leader.id, "leader");
});
afterAll(async () => app?.close());

let seq = 0;
/** A valid online group: Wednesdays 19:00 in New York from 2 January 2030, 8 meetings. */
function groupBody(overrides: Json = {}): Json {
  seq += 1;
  return {
    name: `Wednesday residents ${seq}`,
    description: "A standing Balint group for residents.",
    format: "online",
    meetingLink: `https://meet.example.org/secret-room-${seq}`,
    languages: ["en"],
    disciplines: ["residents"],
    timeZone: "America/New_York",
    schedule: { rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=8", dtstartLocal: "2030-01-02T19:00", durationMinutes: 90 },
    capacity: 10,
    leaders: [{ userId: leader.id, kind: "leader" }],
    ...overrides,
  };
}

async function createGroup(overrides: Json = {}, orgId = org.id, cookie = owner.cookie) {
  const res = await app.request(`/api/v1/orgs/${orgId}/groups`, { method: "POST", cookie, json: groupBody(overrides) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; slug: string; name: string; meetingDetails: unknown };
}

const groupUrl = (groupId: string, rest = "", orgId = org.id) => `/api/v1/orgs/${orgId}/groups/${groupId}${rest}`;

async function requestJoin(groupId: string, person: Person, note?: string, orgId = org.id) {
  return app.request(groupUrl(groupId, "/join-requests", orgId), { method: "POST", cookie: person.cookie, json: note === undefined ? {} : { note } });
}

async function decide(groupId: string, userId: string, decision: "approve" | "decline", cookie = leader.cookie) {
  return app.request(groupUrl(groupId, `/join-requests/${userId}/decision`), { method: "POST", cookie, json: { decision } });
}

async function activeCount(groupId: string) {
  const [row] = await app.services.kernel.db.select({ n: count() }).from(groupMembership).where(and(eq(groupMembership.groupId, groupId), eq(groupMembership.status, "active")));
  return row!.n;
}

async function fullGroup(capacity = 3) {
  const g = await createGroup({ capacity });
  const members: Person[] = [];
  for (let i = 0; i < capacity; i++) {
    const p = await signUp(app, { verified: true, name: `Member ${i}` });
    expect((await requestJoin(g.id, p)).status).toBe(201);
    expect((await decide(g.id, p.id, "approve")).status).toBe(200);
    members.push(p);
  }
  return { g, members };
}

describe("creating groups", () => {
  async function refused(overrides: Json) {
    const [before] = await app.services.kernel.db.select({ n: count() }).from(balintGroup);
    const res = await app.request(`/api/v1/orgs/${org.id}/groups`, { method: "POST", cookie: owner.cookie, json: groupBody(overrides) });
    const body = (await res.json()) as ErrorBody;
    const [after] = await app.services.kernel.db.select({ n: count() }).from(balintGroup);
    expect(after!.n, "nothing written").toBe(before!.n);
    return { status: res.status, paths: (body.error.fields ?? []).map((f) => f.path) };
  }

  it("names an invalid RRULE as schedule.rrule", async () => {
    const r = await refused({ schedule: { rrule: "FREQ=HOURLY;COUNT=3", dtstartLocal: "2030-01-02T19:00", durationMinutes: 90 } });
    expect(r.status).toBe(400);
    expect(r.paths).toContain("schedule.rrule");
  });

  it("names an unknown time zone", async () => {
    const r = await refused({ timeZone: "Mars/Olympus_Mons" });
    expect(r.status).toBe(400);
    expect(r.paths).toEqual(["timeZone"]);
  });

  it("refuses capacity 2 and 16", async () => {
    for (const capacity of [2, 16]) {
      const r = await refused({ capacity });
      expect(r.status).toBe(400);
      expect(r.paths).toEqual(["capacity"]);
    }
  });

  it("refuses a term that ends before it starts", async () => {
    const r = await refused({ schedule: { rrule: "FREQ=WEEKLY;BYDAY=WE;UNTIL=20291201T000000Z", dtstartLocal: "2030-01-02T19:00", durationMinutes: 90 } });
    expect(r.status).toBe(400);
    expect(r.paths).toEqual(["schedule.rrule"]);
  });

  it("names every schedule field at fault, and a missing address for an in-person group", async () => {
    const r = await refused({ format: "in_person", meetingLink: null, schedule: { rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=8", dtstartLocal: "2030-01-03T19:00", durationMinutes: 10 } });
    expect(r.status).toBe(400);
    expect(r.paths.sort()).toEqual(["address", "schedule.dtstartLocal", "schedule.durationMinutes"]);
  });

  it("refuses a leader who is only a member of the organisation", async () => {
    const plain = await signUp(app, { verified: true });
    await addMember(app, org.id, plain.id, "member");
    const r = await refused({ leaders: [{ userId: plain.id, kind: "leader" }] });
    expect(r.status).toBe(400);
    expect(r.paths).toEqual(["leaders.0.userId"]);
  });

  it("lets coordinators create and refuses leaders and members", async () => {
    const res = await app.request(`/api/v1/orgs/${org.id}/groups`, { method: "POST", cookie: leader.cookie, json: groupBody() });
    expect(res.status).toBe(403);
    const g = await createGroup();
    expect(g.meetingDetails).toEqual({ meetingLink: expect.stringContaining("secret-room"), address: null });
  });

  it("lets a group's leader edit its description and link, but not its capacity", async () => {
    const g = await createGroup();
    const ok = await app.request(groupUrl(g.id), { method: "PATCH", cookie: leader.cookie, json: { description: "New words", meetingLink: "https://meet.example.org/new" } });
    expect(ok.status).toBe(200);
    const no = await app.request(groupUrl(g.id), { method: "PATCH", cookie: leader.cookie, json: { capacity: 12 } });
    expect(no.status).toBe(403);
    expect(((await no.json()) as ErrorBody).error.fields?.[0]?.path).toBe("capacity");
  });
});

describe("the public directory", () => {
  let dirOrg: Awaited<ReturnType<typeof orgWithPerson>>;
  let dirLeader: Person;
  const token = `zq${Date.now().toString(36)}`;
  const names: Record<string, string> = {};

  beforeAll(async () => {
    dirOrg = await orgWithPerson(app, "owner");
    dirLeader = await signUp(app, { verified: true, name: "Secret Leadername" });
    await addMember(app, dirOrg.org.id, dirLeader.id, "leader");
    const make = async (key: string, overrides: Json) => {
      const g = await createGroup({ leaders: [{ userId: dirLeader.id, kind: "leader" }], name: `${key} ${token}`, ...overrides }, dirOrg.org.id, dirOrg.person.cookie);
      names[key] = g.name;
      return g;
    };
    // New York, Wednesdays 19:00 (= Thursday morning in Tokyo), capacity 3.
    const ny = await make("Alpha", { capacity: 3 });
    // Madrid, Mondays 10:00, in person, Spanish, nursing.
    await make("Bravo", {
      format: "in_person",
      meetingLink: null,
      address: "Calle Secreta 12, Madrid",
      languages: ["es"],
      disciplines: ["nursing"],
      timeZone: "Europe/Madrid",
      schedule: { rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=8", dtstartLocal: "2030-01-07T10:00", durationMinutes: 90 },
    });
    await make("Charlie", { visibility: "unlisted" });
    await make("Delta", { visibility: "private" });
    const archived = await make("Echo", {});
    await app.request(`/api/v1/orgs/${dirOrg.org.id}/groups/${archived.id}/archive`, { method: "POST", cookie: dirOrg.person.cookie });
    // Fill Alpha so that openSeats leaves it out.
    for (let i = 0; i < 3; i++) {
      const p = await signUp(app, { verified: true, name: `Hidden Membername ${i}` });
      expect((await requestJoin(ny.id, p, undefined, dirOrg.org.id)).status).toBe(201);
      const res = await app.request(`/api/v1/orgs/${dirOrg.org.id}/groups/${ny.id}/join-requests/${p.id}/decision`, { method: "POST", cookie: dirLeader.cookie, json: { decision: "approve" } });
      expect(res.status).toBe(200);
    }
  });

  async function search(params: Record<string, string>) {
    const qs = new URLSearchParams({ organisationSlug: dirOrg.org.slug, ...params });
    const res = await app.request(`/api/v1/directory/groups?${qs}`);
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as { items: { name: string; seatsLeft: number; nextSession: { start: string } | null }[]; total: number; page: number; pageSize: number } };
  }
  const namesOf = (r: Awaited<ReturnType<typeof search>>) => r.body.items.map((i) => i.name);

  it("lists only listed, non-archived groups, ordered by name, with seats and the next session", async () => {
    const r = await search({});
    expect(r.status).toBe(200);
    expect(namesOf(r)).toEqual([names["Alpha"], names["Bravo"]]);
    expect(r.body.total).toBe(2);
    expect(r.body.items[0]!.seatsLeft).toBe(0);
    expect(r.body.items[1]!.seatsLeft).toBe(10);
    expect(r.body.items[0]!.nextSession?.start).toBe("2030-01-03T00:00:00.000Z");
  });

  it("never exposes links, addresses or people's names", async () => {
    const r = await search({});
    expect(r.text).not.toContain("meet.example.org");
    expect(r.text).not.toContain("Calle Secreta");
    expect(r.text).not.toContain("Leadername");
    expect(r.text).not.toContain("Membername");
    expect(r.text).not.toContain(dirLeader.id);
    expect(r.text).not.toMatch(/"(meetingLink|address|leaders|members)"/);
  });

  it("filters by text, format, language, discipline and open seats", async () => {
    expect(namesOf(await search({ q: `bra ${token}` }))).toEqual([names["Bravo"]]);
    expect(namesOf(await search({ format: "in_person" }))).toEqual([names["Bravo"]]);
    expect(namesOf(await search({ language: "es" }))).toEqual([names["Bravo"]]);
    expect(namesOf(await search({ discipline: "residents" }))).toEqual([names["Alpha"]]);
    expect(namesOf(await search({ openSeats: "true" }))).toEqual([names["Bravo"]]);
  });

  it("reads weekday and time of day in the viewer's time zone", async () => {
    expect(namesOf(await search({ weekday: "WE", timeOfDay: "evening", timeZone: "America/New_York" }))).toEqual([names["Alpha"]]);
    expect(namesOf(await search({ weekday: "TH", timeOfDay: "morning", timeZone: "Asia/Tokyo" }))).toEqual([names["Alpha"]]);
    expect(namesOf(await search({ weekday: "WE", timeZone: "Asia/Tokyo" }))).toEqual([]);
    // Madrid Monday 10:00 is Monday evening in Tokyo and Monday early morning in New York.
    expect(namesOf(await search({ timeOfDay: "evening", timeZone: "Asia/Tokyo" }))).toEqual([names["Bravo"]]);
    expect(namesOf(await search({ weekday: "MO", timeOfDay: "morning", timeZone: "America/New_York" }))).toEqual([names["Bravo"]]);
  });

  it("paginates with a stable order and says when nothing matches", async () => {
    const p1 = await search({ pageSize: "1", page: "1" });
    const p2 = await search({ pageSize: "1", page: "2" });
    const p3 = await search({ pageSize: "1", page: "3" });
    expect([...namesOf(p1), ...namesOf(p2)]).toEqual([names["Alpha"], names["Bravo"]]);
    expect(p2.body).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(p3.body.items).toEqual([]);
    const none = await search({ q: "nothingmatchesthis" });
    expect(none.body).toMatchObject({ items: [], total: 0 });
  });

  it("answers 400 naming the query field at fault", async () => {
    for (const [field, value] of [["weekday", "XX"], ["timeOfDay", "noon"], ["pageSize", "1000"], ["timeZone", "Mars/Olympus"], ["format", "phone"]] as const) {
      const r = await search({ [field]: value });
      expect(r.status, field).toBe(400);
      expect((r.body as unknown as ErrorBody).error.fields?.map((f) => f.path), field).toEqual([field]);
    }
  });

  it("shows a listed or unlisted group by its link, never a private or archived one", async () => {
    const slugOf = (key: string) => names[key]!.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const one = await app.request(`/api/v1/directory/groups/${dirOrg.org.slug}/${slugOf("Charlie")}`);
    expect(one.status).toBe(200);
    const text = await one.text();
    expect(text).not.toContain("meet.example.org");
    expect((await app.request(`/api/v1/directory/groups/${dirOrg.org.slug}/${slugOf("Delta")}`)).status).toBe(404);
    expect((await app.request(`/api/v1/directory/groups/${dirOrg.org.slug}/${slugOf("Echo")}`)).status).toBe(404);
  });
});

describe("joining a group", () => {
  it("join → approve → agreement: the link appears only after the agreement", async () => {
    const g = await createGroup();
    const person = await signUp(app, { verified: true, name: "Noor Newcomer" });
    // Not yet in the organisation: may ask for a listed group.
    const res = await requestJoin(g.id, person, "I am a second-year resident.");
    expect(res.status).toBe(201);
    expect((await requestJoin(g.id, person)).status).toBe(409);

    const members = (await (await app.request(groupUrl(g.id, "/members"), { cookie: leader.cookie })).json()) as { items: { userId: string; status: string; requestNote?: string }[] };
    expect(members.items).toEqual([expect.objectContaining({ userId: person.id, status: "pending", requestNote: "I am a second-year resident." })]);

    expect((await decide(g.id, person.id, "approve")).status).toBe(200);
    const mail = await app.waitForMail(person.email, /Welcome to/);
    expect(mail.text).toContain(g.name);
    // Approval made them a member of the organisation.
    const [m] = await app.services.kernel.db.select().from(membership).where(and(eq(membership.organisationId, org.id), eq(membership.userId, person.id)));
    expect(m?.role).toBe("member");

    const before = (await (await app.request(groupUrl(g.id), { cookie: person.cookie })).json()) as { myStatus: string; meetingDetails: unknown };
    expect(before.myStatus).toBe("active");
    expect(before.meetingDetails).toBeNull();

    const agreed = await app.request(groupUrl(g.id, "/agreement"), { method: "POST", cookie: person.cookie });
    expect(agreed.status).toBe(200);
    const after = (await (await app.request(groupUrl(g.id), { cookie: person.cookie })).json()) as { agreementAcceptedAt: string | null; meetingDetails: { meetingLink: string } | null };
    expect(after.meetingDetails?.meetingLink).toContain("secret-room");
    expect(after.agreementAcceptedAt).not.toBeNull();

    const audits = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.actorUserId, person.id)));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(["group.join_requested", "group.agreement_accepted"]));
    // The note never reaches the audit log.
    const all = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.organisationId, org.id));
    expect(JSON.stringify(all)).not.toContain("second-year");
  });

  it("a decline is emailed and the note is cleared", async () => {
    const g = await createGroup();
    const person = await signUp(app, { verified: true });
    await requestJoin(g.id, person, "Please consider me.");
    expect((await decide(g.id, person.id, "decline")).status).toBe(200);
    await app.waitForMail(person.email, /About your request/);
    const [row] = await app.services.kernel.db.select().from(groupMembership).where(and(eq(groupMembership.groupId, g.id), eq(groupMembership.userId, person.id)));
    expect(row).toMatchObject({ status: "declined", requestNote: null });
    // A declined person may ask again later.
    expect((await requestJoin(g.id, person)).status).toBe(201);
  });

  it("invitation-only groups refuse requests; private groups are invisible to outsiders", async () => {
    const inv = await createGroup({ joinPolicy: "invitation" });
    const priv = await createGroup({ visibility: "private" });
    const person = await signUp(app, { verified: true });
    expect((await requestJoin(inv.id, person)).status).toBe(403);
    expect((await requestJoin(priv.id, person)).status).toBe(404);
  });

  it("refuses approvals past capacity with 409 suggesting the waitlist", async () => {
    const { g } = await fullGroup(3);
    const late = await signUp(app, { verified: true });
    await requestJoin(g.id, late);
    const res = await decide(g.id, late.id, "approve");
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toMatch(/waitlist/i);
    expect(await activeCount(g.id)).toBe(3);
  });

  it("holds capacity under 10 concurrent approvals from two connection pools", async () => {
    const g = await createGroup({ capacity: 3 });
    const people: Person[] = [];
    for (let i = 0; i < 10; i++) {
      const p = await signUp(app, { verified: true, email: uniqueEmail("racer") });
      expect((await requestJoin(g.id, p)).status).toBe(201);
      people.push(p);
    }
    const kernel = app.services.kernel;
    const actor: Actor = { kind: "user", userId: leader.id, memberships: new Map([[org.id, "leader"]]) };
    const services = [app.services.groups];
    let second: Awaited<ReturnType<typeof openDatabase>> | null = null;
    if (app.config.database.kind === "postgres") {
      second = await openDatabase({ kind: "postgres", url: app.config.database.url, poolSize: 5 });
      services.push(createGroupsService({ ...kernel, database: second, db: second.db }));
    }
    try {
      const results = await Promise.allSettled(people.map((p, i) => services[i % services.length]!.decide(actor, org.id, g.id, p.id, { decision: "approve" })));
      const ok = results.filter((r) => r.status === "fulfilled");
      const conflicts = results.filter((r) => r.status === "rejected" && isAppError(r.reason) && r.reason.code === "conflict");
      expect(ok).toHaveLength(3);
      expect(conflicts).toHaveLength(7);
      expect(await activeCount(g.id)).toBe(3);
    } finally {
      await second?.close();
    }
  });
});

describe("the waitlist", () => {
  it("offers a freed seat, passes an expired offer on, and respects capacity on acceptance", async () => {
    const { g, members } = await fullGroup(3);
    const db = app.services.kernel.db;
    const [w1, w2, w3] = [await signUp(app, { verified: true }), await signUp(app, { verified: true }), await signUp(app, { verified: true })];
    for (const [i, w] of [w1, w2, w3].entries()) {
      const res = await app.request(groupUrl(g.id, "/waitlist"), { method: "POST", cookie: w!.cookie });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ position: i + 1 });
    }
    expect((await app.request(groupUrl(g.id, "/waitlist"), { method: "POST", cookie: w1!.cookie })).status).toBe(409);

    // Reorder with a reason: w3 first.
    const moved = await app.request(groupUrl(g.id, `/waitlist/${w3!.id}/position`), { method: "POST", cookie: leader.cookie, json: { position: 1, reason: "schedule_fit", note: "Only free on Wednesdays." } });
    expect(moved.status).toBe(200);
    const list = (await moved.json()) as { items: { userId: string; position: number; reorderReason: string | null }[] };
    expect(list.items.map((i) => i.userId)).toEqual([w3!.id, w1!.id, w2!.id]);
    expect(list.items[0]!.reorderReason).toBe("schedule_fit");
    const [reorderAudit] = await db.select().from(auditEvent).where(and(eq(auditEvent.action, "group.waitlist_reordered"), eq(auditEvent.targetId, w3!.id)));
    expect(reorderAudit?.details).toMatchObject({ reason: "schedule_fit", from: 3, to: 1, groupId: g.id });
    expect(JSON.stringify(reorderAudit)).not.toContain("Wednesdays");

    // Self-removal: w1 leaves the waitlist.
    expect((await app.request(groupUrl(g.id, "/waitlist"), { method: "DELETE", cookie: w1!.cookie })).status).toBe(204);

    // A member leaves: w3 (first) gets a 48-hour offer by email, and its expiry is scheduled.
    expect((await app.request(groupUrl(g.id, "/leave"), { method: "POST", cookie: members[0]!.cookie })).status).toBe(204);
    await app.waitForMail(w3!.email, /A place is free/);
    const [offer3] = await db.select().from(groupWaitlist).where(and(eq(groupWaitlist.groupId, g.id), eq(groupWaitlist.userId, w3!.id)));
    expect(offer3!.offerExpiresAt!.getTime() - offer3!.offeredAt!.getTime()).toBe(48 * 3600 * 1000);
    const jobs = await db.execute(sql`select start_after from pgboss.job where name = ${OFFER_EXPIRY_QUEUE} and data->>'waitlistId' = ${offer3!.id}`);
    const jobRows = (jobs as unknown as { rows: { start_after: Date | string }[] }).rows;
    expect(jobRows).toHaveLength(1);
    expect(new Date(jobRows[0]!.start_after).getTime()).toBe(offer3!.offerExpiresAt!.getTime());
    // Nobody else can be approved into the offered seat.
    const other = await signUp(app, { verified: true });
    await requestJoin(g.id, other);
    expect((await decide(g.id, other.id, "approve")).status).toBe(409);

    // The offer expires: it passes to w2.
    const past = new Date(Date.now() - 60_000);
    await db.update(groupWaitlist).set({ offerExpiresAt: past }).where(eq(groupWaitlist.id, offer3!.id));
    expect(await app.services.groups.expireOffer({ waitlistId: offer3!.id, expiresAt: past.toISOString() })).toBe("expired");
    expect(await app.services.groups.expireOffer({ waitlistId: offer3!.id, expiresAt: past.toISOString() })).toBe("skipped");
    await app.waitForMail(w2!.email, /A place is free/);
    expect((await app.request(groupUrl(g.id, "/waitlist/offer"), { method: "POST", cookie: w3!.cookie })).status).toBe(404);

    // w2 accepts: active, off the waitlist, capacity full again.
    expect((await app.request(groupUrl(g.id, "/waitlist/offer"), { method: "POST", cookie: w2!.cookie })).status).toBe(200);
    expect(await activeCount(g.id)).toBe(3);
    const rest = await db.select().from(groupWaitlist).where(eq(groupWaitlist.groupId, g.id));
    expect(rest).toEqual([]);
  });

  it("refuses the waitlist while places are free, and a removal offers the seat", async () => {
    const { g, members } = await fullGroup(3);
    const w = await signUp(app, { verified: true });
    await app.request(groupUrl(g.id, "/waitlist"), { method: "POST", cookie: w.cookie });
    const removed = await app.request(groupUrl(g.id, `/members/${members[1]!.id}`), { method: "DELETE", cookie: leader.cookie });
    expect(removed.status).toBe(204);
    await app.waitForMail(w.email, /A place is free/);
    const open = await createGroup();
    const x = await signUp(app, { verified: true });
    expect((await app.request(groupUrl(open.id, "/waitlist"), { method: "POST", cookie: x.cookie })).status).toBe(409);
  });
});

describe("terms", () => {
  it("ends a term and starts a new one with the same members, who accept the agreement again", async () => {
    const { g, members } = await fullGroup(3);
    await app.request(groupUrl(g.id, "/agreement"), { method: "POST", cookie: members[0]!.cookie });
    const early = await app.request(groupUrl(g.id, "/term"), { method: "POST", cookie: leader.cookie, json: { sameMembers: true, schedule: { rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=8", dtstartLocal: "2030-06-05T19:00", durationMinutes: 90 } } });
    expect(early.status).toBe(409);
    expect((await app.request(groupUrl(g.id, "/term/end"), { method: "POST", cookie: leader.cookie })).status).toBe(200);
    const next = await app.request(groupUrl(g.id, "/term"), { method: "POST", cookie: leader.cookie, json: { sameMembers: true, schedule: { rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=8", dtstartLocal: "2030-06-05T19:00", durationMinutes: 90 } } });
    expect(next.status).toBe(200);
    expect(await next.json()).toMatchObject({ term: 2, termEndedAt: null });
    expect(await activeCount(g.id)).toBe(3);
    const view = (await (await app.request(groupUrl(g.id), { cookie: members[0]!.cookie })).json()) as { meetingDetails: unknown };
    expect(view.meetingDetails).toBeNull();
  });
});

describe("other organisations", () => {
  it("answers 404 for another organisation's group, also through one's own organisation id", async () => {
    const other = await orgWithPerson(app, "owner");
    const g = await createGroup({ visibility: "private" });
    const pending = await signUp(app, { verified: true });
    await addMember(app, org.id, pending.id, "member");
    await requestJoin(g.id, pending);
    const cookie = other.person.cookie;
    expect((await app.request(groupUrl(g.id), { cookie })).status).toBe(404);
    expect((await app.request(groupUrl(g.id, "", other.org.id), { cookie })).status).toBe(404);
    expect((await app.request(groupUrl(g.id, "", other.org.id), { method: "PATCH", cookie, json: { name: "Taken over" } })).status).toBe(404);
    expect((await app.request(groupUrl(g.id, `/join-requests/${pending.id}/decision`, other.org.id), { method: "POST", cookie, json: { decision: "approve" } })).status).toBe(404);
    expect((await app.request(groupUrl(g.id, "/members", other.org.id), { cookie })).status).toBe(404);
    expect((await app.request(groupUrl(g.id, "/join-requests", other.org.id), { method: "POST", cookie, json: {} })).status).toBe(404);
    expect((await app.request(groupUrl(g.id, "/join-requests"), { method: "POST", cookie, json: {} })).status).toBe(404);
    const [row] = await app.services.kernel.db.select().from(balintGroup).where(eq(balintGroup.id, g.id));
    expect(row!.name).not.toBe("Taken over");
    expect(await activeCount(g.id)).toBe(0);
  });
});
