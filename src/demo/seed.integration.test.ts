import { and, count, countDistinct, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, cookiesFrom, type TestApp } from "../../tests/support/test-app.ts";
import { user } from "../platform/auth/schema.ts";
import { auditEvent } from "../platform/audit/schema.ts";
import { installation, membership, organisation } from "../platform/tenancy/schema.ts";
import { invitation } from "../features/organisations/schema.ts";
import { apiToken } from "../features/api-tokens/schema.ts";
import { profile } from "../features/profile/schema.ts";
import { ROLES } from "../platform/tenancy/schema.ts";
import { balintGroup, groupLeader, groupMembership, groupWaitlist } from "../features/groups/schema.ts";
import { attendance, attendanceChange, groupPause, rsvp, sessionException } from "../features/sessions/schema.ts";
import { GROUP_PLANS } from "./groups-seed.ts";
import { eventRegistration } from "../features/events/schema.ts";
import { accreditationCredential } from "../features/accreditation/credential-schema.ts";
import { eventObservation } from "../features/events/observation-schema.ts";
import { eventCertificate, eventCheckin, eventRoster } from "../features/events/roster-schema.ts";
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_PEOPLE, DEMO_SHOWCASE, createPrng, demoEmail, seedDemo } from "./seed.ts";

const NOW = new Date("2026-06-01T12:00:00Z");
const DAY = 86_400_000;

describe("demo seed", () => {
  let app: TestApp;
  let result: Awaited<ReturnType<typeof seedDemo>>;
  beforeAll(async () => {
    app = await createTestApp();
    result = await seedDemo(app.services, { now: NOW });
    console.log(`demo seed took ${(result.durationMs / 1000).toFixed(1)} s`);
  }, 300_000);
  afterAll(async () => app?.close());

  it("fills an empty installation with three organisations and about two hundred people", async () => {
    const { db } = app.services.kernel;
    expect(result).toMatchObject({ seeded: true, organisations: 3, people: DEMO_PEOPLE.length });
    const [orgs] = await db.select({ n: count() }).from(organisation);
    const [people] = await db.select({ n: count() }).from(user);
    const [profiles] = await db.select({ n: count() }).from(profile);
    expect(orgs!.n).toBe(3);
    expect(people!.n).toBeGreaterThanOrEqual(190);
    expect(people!.n).toBe(DEMO_PEOPLE.length);
    expect(profiles!.n).toBe(people!.n);
    const verified = await db.select({ n: count() }).from(user).where(eq(user.emailVerified, true));
    expect(verified[0]!.n).toBe(people!.n);
    const [installed] = await db.select({ n: count() }).from(installation);
    expect(installed!.n).toBe(1);
    expect(await app.services.setup.isNeeded()).toBe(false);
  });

  it("represents every role, people in two organisations, and the Spanish-language hospital", async () => {
    const { db } = app.services.kernel;
    const rows = await db.select({ role: membership.role, userId: membership.userId }).from(membership);
    expect(new Set(rows.map((r) => r.role))).toEqual(new Set(ROLES));
    const perPerson = new Map<string, number>();
    for (const r of rows) perPerson.set(r.userId, (perPerson.get(r.userId) ?? 0) + 1);
    expect([...perPerson.values()].filter((n) => n > 1).length).toBeGreaterThanOrEqual(3);
    const [hospital] = await db.select().from(organisation).where(eq(organisation.name, "Hospital Clínico San Rafael · Bienestar"));
    expect(hospital).toMatchObject({ defaultLocale: "es", timeZone: "Europe/Madrid", kind: "hospital" });
    const spanish = await db.select({ n: count() }).from(profile).where(eq(profile.locale, "es"));
    expect(spanish[0]!.n).toBeGreaterThanOrEqual(10);
  });

  it("has pending and accepted invitations, an API token and an audit history of identifiers", async () => {
    const { db } = app.services.kernel;
    const invitations = await db.select({ status: invitation.status }).from(invitation);
    expect(invitations.filter((i) => i.status === "pending").length).toBeGreaterThanOrEqual(3);
    expect(invitations.filter((i) => i.status === "accepted").length).toBeGreaterThanOrEqual(20);
    const [tokens] = await db.select({ n: count() }).from(apiToken);
    expect(tokens!.n).toBe(1);
    expect(result.apiToken?.token).toMatch(/^bc_pat_/);
    // Groups, sessions, feedback, the companion and debriefs audit through their own services.
    const serviceAudited = ["group", "session", "feedback", "meeting", "companion", "facilitation", "debrief", "attendance", "event", "payment", "registration", "roster", "certificate", "wellbeing", "accreditation", "supervision", "supervisor", "credential", "directory", "library"];
    const events = (await db.select().from(auditEvent)).filter((e) => !serviceAudited.some((p) => e.action.startsWith(p)));
    expect(events.length).toBe(result.auditEvents + 1); // + api_token.created by the service (group and session events come from their services)
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["setup.completed", "auth.signed_in", "invitation.accepted", "member.role_changed", "api_token.created"]));
  });

  it("fills the public directory with listed groups; one is full with a waitlist; no links leak", async () => {
    expect(result.groups).toBe(GROUP_PLANS.length);
    expect(result.groups).toBeGreaterThanOrEqual(28);
    const listed = GROUP_PLANS.filter((p) => (p.visibility ?? "listed") === "listed").length;
    const page = (await (await app.request("/api/v1/directory/groups?pageSize=100")).json()) as {
      total: number;
      items: Array<{ seatsLeft: number; capacity: number; meetingLink?: unknown }>;
    };
    expect(page.total).toBe(listed);
    expect(page.items.filter((g) => g.seatsLeft === 0).length).toBeGreaterThanOrEqual(1);
    expect(page.items.filter((g) => g.seatsLeft > 0 && g.seatsLeft < g.capacity).length).toBeGreaterThanOrEqual(listed - 3);
    expect(JSON.stringify(page)).not.toContain("meet.example.org");
  });

  it("has the scale of issue 3: about 200 people, 30 groups, a year of meetings with attendance", async () => {
    const { db } = app.services.kernel;
    const [people] = await db.select({ n: count() }).from(user);
    expect(people!.n).toBeGreaterThanOrEqual(190);
    const [groups] = await db.select({ n: count() }).from(balintGroup);
    expect(groups!.n).toBe(30);
    const perOrg = await db.select({ org: balintGroup.organisationId, n: count() }).from(balintGroup).groupBy(balintGroup.organisationId);
    expect(perOrg.length).toBe(3);
    expect(Math.min(...perOrg.map((r) => r.n))).toBeGreaterThanOrEqual(8);
    const [active] = await db.select({ n: count() }).from(groupMembership).where(eq(groupMembership.status, "active"));
    expect(active!.n).toBeGreaterThanOrEqual(170);
    const [meetings] = await db.select({ n: countDistinct(sql`(${attendance.groupId}, ${attendance.occurrenceStart})`) }).from(attendance);
    expect(meetings!.n).toBe(result.groupStats!.meetingsRecorded);
    expect(meetings!.n).toBeGreaterThanOrEqual(400);
    const rows = await db.select({ status: attendance.status, n: count() }).from(attendance).groupBy(attendance.status);
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    const total = (by["present"] ?? 0) + (by["absent"] ?? 0) + (by["excused"] ?? 0);
    expect(total).toBe(result.groupStats!.attendanceRecords);
    expect(by["present"]! / total).toBeGreaterThan(0.75);
    expect(by["absent"]).toBeGreaterThan(0);
    expect(by["excused"]).toBeGreaterThan(0);
    // The first meetings were about a year ago, and some groups have not started yet.
    const starts = (await db.select({ dtstartLocal: balintGroup.dtstartLocal }).from(balintGroup)).map((g) => Date.parse(`${g.dtstartLocal}:00Z`));
    expect(Math.min(...starts)).toBeLessThan(NOW.getTime() - 330 * DAY);
    expect(starts.filter((s) => s > NOW.getTime()).length).toBeGreaterThanOrEqual(2);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it("has the variety: cancelled and moved meetings, pauses, terms, leavers, requests, waitlist, RSVPs, leaders and co-leaders", async () => {
    const { db } = app.services.kernel;
    const exceptions = await db.select({ kind: sessionException.kind, start: sessionException.occurrenceStart }).from(sessionException);
    expect(exceptions.filter((e) => e.kind === "cancelled" && e.start < NOW).length).toBeGreaterThanOrEqual(1);
    expect(exceptions.filter((e) => e.kind === "changed" && e.start < NOW).length).toBeGreaterThanOrEqual(1);
    expect(exceptions.filter((e) => e.kind === "cancelled" && e.start > NOW).length).toBeGreaterThanOrEqual(1);
    expect(exceptions.filter((e) => e.kind === "changed" && e.start > NOW).length).toBeGreaterThanOrEqual(1);
    const [pauses] = await db.select({ n: count() }).from(groupPause);
    expect(pauses!.n).toBeGreaterThanOrEqual(5);
    const ended = await db.select({ term: balintGroup.term, endedAt: balintGroup.termEndedAt }).from(balintGroup);
    expect(ended.filter((g) => g.endedAt !== null).length).toBeGreaterThanOrEqual(2);
    expect(ended.filter((g) => g.term === 2 && g.endedAt === null).length).toBe(1);
    const statuses = await db.select({ status: groupMembership.status, note: groupMembership.requestNote }).from(groupMembership);
    expect(statuses.filter((m) => m.status === "pending").length).toBeGreaterThanOrEqual(8);
    expect(statuses.filter((m) => m.status === "pending" && m.note).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((m) => m.status === "left").length).toBeGreaterThanOrEqual(2);
    const [waiting] = await db.select({ n: count() }).from(groupWaitlist);
    expect(waiting!.n).toBeGreaterThanOrEqual(3);
    const kinds = await db.select({ kind: groupLeader.kind }).from(groupLeader);
    expect(kinds.filter((k) => k.kind === "co_leader").length).toBeGreaterThanOrEqual(8);
    const answers = await db.select({ status: rsvp.status, note: rsvp.note, start: rsvp.occurrenceStart }).from(rsvp);
    expect(answers.filter((a) => a.status === "not_going" && a.note).length).toBeGreaterThanOrEqual(5);
    expect(answers.every((a) => a.start > NOW)).toBe(true);
    const zones = new Set((await db.select({ tz: balintGroup.timeZone }).from(balintGroup)).map((g) => g.tz));
    expect([...zones]).toEqual(expect.arrayContaining(["Europe/Madrid", "Australia/Sydney", "America/Denver"]));
  });

  it("keeps the invariants: no group over capacity, every active member accepted this term's agreement, attendance only for members", async () => {
    const { db } = app.services.kernel;
    const groups = await db.select().from(balintGroup);
    const members = await db.select().from(groupMembership);
    for (const g of groups) {
      const active = members.filter((m) => m.groupId === g.id && m.status === "active");
      expect(active.length, g.slug).toBeLessThanOrEqual(g.capacity);
      for (const m of active) {
        expect(m.agreementAcceptedAt, `${g.slug} ${m.userId}`).not.toBeNull();
        expect(m.term, `${g.slug} ${m.userId}`).toBe(g.term);
      }
    }
    const everMember = new Set(members.filter((m) => m.status === "active" || m.status === "left").map((m) => `${m.groupId}:${m.userId}`));
    const marks = await db.select({ groupId: attendance.groupId, userId: attendance.userId, start: attendance.occurrenceStart }).from(attendance);
    expect(marks.every((a) => everMember.has(`${a.groupId}:${a.userId}`))).toBe(true);
    expect(marks.every((a) => a.start < NOW)).toBe(true);
    // Attendance went through recordAttendance: every row has its history entry.
    const [changes] = await db.select({ n: count() }).from(attendanceChange);
    expect(changes!.n).toBe(marks.length);
  });

  it("shows leaders the attendance nudge for a few groups only, and members their sessions", async () => {
    const nadia = DEMO_PEOPLE.find((p) => p.handle === "nadia.haddad")!;
    const memberships = new Map(Object.entries(nadia.memberships).map(([key, role]) => [DEMO_ORGANISATIONS.find((o) => o.key === key)!.id, role!]));
    const overdue = await app.services.sessions.attendanceOverdue({ kind: "user", userId: `demo_nadia_haddad`, memberships }, NOW);
    expect(overdue.items.length).toBeGreaterThanOrEqual(1);
    expect(new Set(overdue.items.map((i) => i.groupId)).size).toBe(1);
    const { db } = app.services.kernel;
    const [emily] = await db.select({ n: count() }).from(groupMembership).where(and(eq(groupMembership.userId, "demo_emily_hart"), eq(groupMembership.status, "active")));
    expect(emily!.n).toBeGreaterThanOrEqual(2);
  });

  it("has meetings run with the companion, debriefs sealed at rest, and anonymous feedback in closed bins (issue 4)", async () => {
    const { db } = app.services.kernel;
    expect(result.meetings!.runs).toBeGreaterThanOrEqual(3);
    expect(result.meetings!.debriefs).toBeGreaterThanOrEqual(2);
    const runs = (await db.execute(sql`select count(*)::int as n from meeting_run where ended_at is not null`)) as unknown as { rows: { n: number }[] };
    expect(runs.rows[0]!.n).toBe(result.meetings!.runs);
    const presenters = (await db.execute(sql`select count(*)::int as n from meeting_presenter`)) as unknown as { rows: { n: number }[] };
    expect(presenters.rows[0]!.n).toBeGreaterThan(0);
    const sealed = (await db.execute(sql`select body_sealed from meeting_debrief`)) as unknown as { rows: { body_sealed: string }[] };
    expect(sealed.rows).toHaveLength(result.meetings!.debriefs);
    for (const r of sealed.rows) {
      expect(r.body_sealed).toMatch(/^v1\./);
      expect(r.body_sealed).not.toMatch(/pushback|presenter|group/i);
    }
    const completions = (await db.execute(sql`select count(*)::int as n from debrief_completion`)) as unknown as { rows: { n: number }[] };
    expect(completions.rows[0]!.n).toBeGreaterThanOrEqual(result.meetings!.debriefs);
    expect(result.feedback!.answers).toBeGreaterThan(100);
    const bins = (await db.execute(sql`select min(responses)::int as least, min(min_cell)::int as cell, count(*)::int as n from feedback_bin`)) as unknown as { rows: { least: number; cell: number; n: number }[] };
    expect(bins.rows[0]!.n).toBeGreaterThan(0);
    expect(bins.rows[0]!.least).toBeGreaterThanOrEqual(5);
    const answerColumns = (await db.execute(sql`select column_name from information_schema.columns where table_name = 'feedback_answer'`)) as unknown as { rows: { column_name: string }[] };
    expect(answerColumns.rows.map((c) => c.column_name).filter((c) => /user|created|updated|_at$/.test(c))).toEqual([]);
  });

  it("has past and upcoming intensives, a webinar and a workshop with a waitlist (issue 6)", async () => {
    expect(result.events!.events).toBe(4);
    const list = await app.services.events.publicEvents("northlake-balint-society", NOW);
    expect(list.past.map((e) => e.kind)).toEqual(["intensive"]);
    expect(list.upcoming.map((e) => e.kind).sort()).toEqual(["intensive", "webinar", "workshop"]);
    const workshop = list.upcoming.find((e) => e.kind === "workshop")!;
    const rows = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.eventId, workshop.id));
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(8);
    expect(rows.filter((r) => r.status === "waitlisted").length).toBeGreaterThan(0);
    expect(list.past[0]!.registrationOpen).toBe(false);
    expect(list.packages).toHaveLength(1);
  });

  it("has two years of well-being check-ins with closed waves (issue 5)", () => {
    expect(result.wellbeing!.campaigns).toBeGreaterThanOrEqual(2);
    expect(result.wellbeing!.waves).toBeGreaterThanOrEqual(4);
    expect(result.wellbeing!.answers).toBeGreaterThan(500);
  });

  it("has accreditation candidates at different stages, supervision and committee applications (issue 7)", () => {
    expect(result.accreditation).toEqual({ pathways: 3, candidates: 5, evidence: 7 });
    expect(result.reviews!.supervisions).toBeGreaterThan(0);
    expect(result.reviews!.meetings).toBeGreaterThan(0);
    expect(result.reviews!.applications).toBeGreaterThan(0);
  });

  it("gives the past intensive a published roster, check-ins and certificates", async () => {
    const { db } = app.services.kernel;
    expect(result.eventsExtra!.rosterGroups).toBeGreaterThanOrEqual(2);
    const rosters = await db.select().from(eventRoster);
    expect(rosters.filter((r) => r.status === "published")).toHaveLength(1);
    const [checkins] = await db.select({ n: count() }).from(eventCheckin);
    expect(checkins!.n).toBe(result.eventsExtra!.checkins);
    expect(result.eventsExtra!.checkins).toBeGreaterThan(20);
    const [certs] = await db.select({ n: count() }).from(eventCertificate);
    expect(certs!.n).toBe(result.eventsExtra!.certificates);
    expect(result.eventsExtra!.certificates).toBeGreaterThanOrEqual(10);
  });

  it("records one faculty observation of a leader in training, which the accreditation work reads", async () => {
    const { db } = app.services.kernel;
    expect(result.eventsExtra!.observations).toBe(1);
    const [obs] = await db.select().from(eventObservation);
    expect(obs).toBeDefined();
    const [reg] = await db.select({ role: eventRegistration.role }).from(eventRegistration).where(and(eq(eventRegistration.userId, obs!.leaderUserId), eq(eventRegistration.eventId, obs!.eventId)));
    expect(reg!.role).toBe("leader_in_training");
    const records = await app.services.eventObservations.observationsOf(obs!.leaderUserId);
    expect(records).toHaveLength(1);
    expect(records[0]!.ratings.length).toBeGreaterThanOrEqual(3);
  });

  it("lists one credentialed demo leader in the public directory", async () => {
    const { db } = app.services.kernel;
    expect(result.eventsExtra!.credentialHolder).not.toBeNull();
    const creds = await db.select().from(accreditationCredential).where(eq(accreditationCredential.userId, result.eventsExtra!.credentialHolder!));
    expect(creds.length).toBeGreaterThanOrEqual(1);
    const res = await app.request("/api/v1/leaders");
    expect(res.status).toBe(200);
    const entries = (await res.json()) as { displayName: string }[];
    expect(entries.length).toBeGreaterThanOrEqual(1);
    // The /leaders page reads the same searchDirectory.
    expect((await app.services.credentials.searchDirectory({})).length).toBe(entries.length);
  });

  it("lets a demo account sign in with the shared password, and the API token work", async () => {
    for (const { handle } of DEMO_SHOWCASE.slice(0, 2)) {
      const res = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: demoEmail(handle), password: DEMO_PASSWORD } });
      expect(res.status, handle).toBe(200);
      const me = await app.request("/api/v1/me", { cookie: cookiesFrom(res) });
      expect(me.status).toBe(200);
    }
    const wrong = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: demoEmail("amara.okafor"), password: "not-the-password-at-all" } });
    expect(wrong.status).toBe(401);
    const viaToken = await app.request("/api/v1/me", { token: result.apiToken!.token });
    expect(viaToken.status).toBe(200);
  });

  it("does nothing on an installation that already has data", async () => {
    const again = await seedDemo(app.services);
    expect(again.seeded).toBe(false);
    const [people] = await app.services.kernel.db.select({ n: count() }).from(user);
    expect(people!.n).toBe(DEMO_PEOPLE.length);
  });

  it("is deterministic: the same seed gives the same sequence", () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const c = createPrng(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });
});
