import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { pdfText } from "../../platform/pdf/pdf-text.test-support.ts";
import { newCertificateCode } from "./certificate.ts";
import { eventRosterMember, eventCertificate } from "./roster-schema.ts";
import { event, eventDay, eventKeepApart, eventPriceTier, eventQuestion, eventRegistration, eventRegistrationAnswer, eventSession } from "./schema.ts";

// Events, days, sessions and registrations are inserted directly (the events slice's own rules
// are tested there); everything this file tests goes through the REST API.
type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string; slug: string };
let owner: Person;
let otherOwner: Person;
let otherOrg: { id: string };
let eventId: string;
let dayIds: string[];
const people: Person[] = [];
const names = ["Ana Alvarez", "Ben Brook", "Cy Chen", "Dee Diaz", "Eli Evans", "Fay Fox", "Gus Gray", "Hal Hart"];

const api = (path: string, cookie: string, init: { method?: string; json?: unknown } = {}) =>
  app.request(`/api/v1${path}`, { method: init.method ?? "GET", cookie, ...(init.json !== undefined ? { json: init.json } : {}) });
const ev = (path = "") => `/orgs/${org.id}/events/${eventId}${path}`;

beforeAll(async () => {
  app = await createTestApp();
  const a = await orgWithPerson(app, "coordinator");
  org = a.org;
  owner = a.person;
  const b = await orgWithPerson(app, "owner");
  otherOrg = b.org;
  otherOwner = b.person;
  const db = app.services.kernel.db;
  const [e] = await db
    .insert(event)
    .values({ organisationId: org.id, kind: "intensive", slug: "spring-intensive", title: "Spring Intensive", language: "en", timeZone: "UTC", format: "in_person", venue: "Lakeside", capacity: 40, ceHours: 12, ceStatement: "Accredited for 12 hours of CE.", status: "published" })
    .returning();
  eventId = e!.id;
  const days = await db
    .insert(eventDay)
    .values([{ eventId, date: "2026-04-16" }, { eventId, date: "2026-04-17" }])
    .returning();
  dayIds = days.map((d) => d.id);
  // Day 1: 8 hours of sessions, day 2: 4 hours → 12 session hours in all, ceHours 12.
  await db.insert(eventSession).values([
    { eventId, dayId: dayIds[0]!, kind: "experiential_group", title: "Morning group", startsAt: new Date("2026-04-16T09:00:00Z"), endsAt: new Date("2026-04-16T13:00:00Z") },
    { eventId, dayId: dayIds[0]!, kind: "small_group", title: "Afternoon group", startsAt: new Date("2026-04-16T14:00:00Z"), endsAt: new Date("2026-04-16T18:00:00Z") },
    { eventId, dayId: dayIds[1]!, kind: "faculty_panel", title: "Panel", startsAt: new Date("2026-04-17T09:00:00Z"), endsAt: new Date("2026-04-17T13:00:00Z") },
  ]);
  const [tier] = await db.insert(eventPriceTier).values({ eventId, name: "Trainee", amountMinor: 70000, currency: "USD", eligibility: "trainee" }).returning();
  const [question] = await db.insert(eventQuestion).values({ eventId, kind: "dietary", label: "Dietary needs" }).returning();
  const disciplines = ["family_medicine", "psychiatry", "nursing", "social_work"];
  for (const [i, name] of names.entries()) {
    const p = await signUp(app, { verified: true, name });
    people.push(p);
    const [reg] = await db
      .insert(eventRegistration)
      .values({ organisationId: org.id, eventId, userId: p.id, tierId: tier!.id, status: "confirmed", discipline: disciplines[i % 4], experience: i % 2 ? "none" : "over_3_years", affiliation: i < 4 ? "Mercy Hospital" : "County Clinic", amountMinor: 70000, paymentStatus: i === 0 ? "paid" : "unpaid" })
      .returning();
    // A formula-looking answer: the export must neutralise it.
    await db.insert(eventRegistrationAnswer).values({ registrationId: reg!.id, questionId: question!.id, value: i === 0 ? "=HYPERLINK(\"x\")" : "none" });
    if (i === 1) await db.insert(eventKeepApart).values({ registrationId: reg!.id, colleagueEmail: "ana@example.org", colleagueUserId: people[0]!.id });
  }
  // Someone waitlisted: not placed, not checked in.
  const waiting = await signUp(app, { verified: true, name: "Wai Ting" });
  await db.insert(eventRegistration).values({ organisationId: org.id, eventId, userId: waiting.id, status: "waitlisted", waitlistPosition: 1 });
  // A member of the organisation who is not an organiser.
  const member = await signUp(app, { verified: true });
  await addMember(app, org.id, member.id, "member");
  people.push(member);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe("rosters", () => {
  it("generates balanced groups that keep apart who asked", async () => {
    const res = await api(ev("/roster/generate"), owner.cookie, { method: "POST", json: { minSize: 3, maxSize: 5, targetSize: 4, seed: 5 } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groups: Array<{ name: string; members: string[] }> };
    expect(body.groups).toHaveLength(2);
    expect(body.groups.flatMap((g) => g.members).sort()).toEqual(people.slice(0, 8).map((p) => p.id).sort());
    expect(body.groups.some((g) => g.members.includes(people[0]!.id) && g.members.includes(people[1]!.id))).toBe(false);
    // Affiliations are mixed: each group has people from both places.
    for (const g of body.groups) {
      const fromMercy = g.members.filter((m) => people.findIndex((p) => p.id === m) < 4).length;
      expect(fromMercy).toBe(2);
    }
  });

  it("refuses impossible sizes with 400 naming minSize", async () => {
    const res = await api(ev("/roster/generate"), owner.cookie, { method: "POST", json: { minSize: 5, maxSize: 6 } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { fields: Array<{ path: string }>; message: string } };
    expect(body.error.fields[0]!.path).toBe("minSize");
    expect(body.error.message).toContain("8 people cannot be split into groups of 5–6");
  });

  it("a roster placing one person twice → 400 naming the person, nothing written", async () => {
    const ids = people.slice(0, 8).map((p) => p.id);
    const res = await api(ev("/roster"), owner.cookie, {
      method: "PUT",
      json: { minSize: 3, maxSize: 5, groups: [{ name: "Blue", members: ids.slice(0, 4) }, { name: "Green", members: [...ids.slice(4), ids[2]!] }] },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; fields: Array<{ path: string; message: string }> } };
    expect(body.error.message).toBe("Cy Chen is in two groups: Blue and Green.");
    expect(body.error.fields[0]!.path).toBe("groups.1.members.4");
    const rows = await app.services.kernel.db.select().from(eventRosterMember).where(eq(eventRosterMember.eventId, eventId));
    expect(rows).toHaveLength(0);
  });

  it("refuses keep-apart violations and unknown people", async () => {
    const ids = people.slice(0, 8).map((p) => p.id);
    const together = await api(ev("/roster"), owner.cookie, { method: "PUT", json: { minSize: 3, maxSize: 5, groups: [{ name: "A", members: ids.slice(0, 4) }, { name: "B", members: ids.slice(4) }] } });
    expect(together.status).toBe(400);
    expect(((await together.json()) as { error: { message: string } }).error.message).toContain("asked to be kept apart");
    const stranger = await api(ev("/roster"), owner.cookie, { method: "PUT", json: { minSize: 3, maxSize: 5, groups: [{ name: "A", members: [...ids, people[8]!.id] }] } });
    expect(stranger.status).toBe(400);
  });

  it("saves, guards the version, publishes and emails each person their group", async () => {
    const ids = people.slice(0, 8).map((p) => p.id);
    const groups = [{ name: "Blue", members: [ids[0]!, ids[2]!, ids[4]!, ids[6]!] }, { name: "Green", members: [ids[1]!, ids[3]!, ids[5]!, ids[7]!] }];
    // Participants see nothing before publishing.
    expect(await (await api("/me/event-groups", people[0]!.cookie)).json()).toEqual([]);
    const saved = await api(ev("/roster"), owner.cookie, { method: "PUT", json: { minSize: 3, maxSize: 5, groups } });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { version: number }).version).toBe(1);
    const again = await api(ev("/roster"), owner.cookie, { method: "PUT", json: { minSize: 3, maxSize: 5, version: 1, groups } });
    expect(((await again.json()) as { version: number }).version).toBe(2);
    const stale = await api(ev("/roster"), owner.cookie, { method: "PUT", json: { minSize: 3, maxSize: 5, version: 1, groups } });
    expect(stale.status).toBe(409);
    const published = await api(ev("/roster/publish"), owner.cookie, { method: "POST" });
    expect(published.status).toBe(200);
    const mail = await app.waitForMail(people[0]!.email, /small group/);
    expect(mail.text).toContain("Blue");
    expect(mail.text).toContain("Cy Chen");
    const mine = (await (await api("/me/event-groups", people[0]!.cookie)).json()) as Array<{ groupName: string; members: string[] }>;
    expect(mine).toEqual([{ eventId, eventTitle: "Spring Intensive", organisationName: expect.any(String), groupName: "Blue", members: ["Cy Chen", "Eli Evans", "Gus Gray"] }]);
    const view = (await (await api(ev("/roster"), owner.cookie)).json()) as { roster: { status: string; groups: unknown[] } };
    expect(view.roster.status).toBe("published");
  });

  it("is for organisers of the event's organisation only", async () => {
    expect((await api(ev("/roster"), people[8]!.cookie)).status).toBe(403);
    expect((await api(ev("/roster"), otherOwner.cookie)).status).toBe(404);
    expect((await api(`/orgs/${otherOrg.id}/events/${eventId}/roster`, otherOwner.cookie)).status).toBe(404);
    expect((await api(ev("/checkins"), otherOwner.cookie)).status).toBe(404);
    expect((await api(ev("/attendees.csv"), people[8]!.cookie)).status).toBe(403);
  });
});

describe("check-in, certificates, export", () => {
  it("checks people in per day and computes hours", async () => {
    // Ana both days (12 h), Ben day 1 only (8 h of 12 → 8 CE hours), Cy none.
    for (const [who, day] of [[0, 0], [0, 1], [1, 0]] as const) {
      const res = await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: dayIds[day], userId: people[who]!.id, present: true } });
      expect(res.status).toBe(200);
    }
    // Idempotent.
    const twice = await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: dayIds[0], userId: people[1]!.id, present: true } });
    expect(((await twice.json()) as { summary: { creditHours: number } }).summary.creditHours).toBe(8);
    const list = (await (await api(ev("/checkins"), owner.cookie)).json()) as { people: Array<{ userId: string; summary: { creditHours: number; daysAttended: number } }> };
    const of = (i: number) => list.people.find((p) => p.userId === people[i]!.id)!.summary;
    expect(of(0)).toMatchObject({ creditHours: 12, daysAttended: 2 });
    expect(of(1)).toMatchObject({ creditHours: 8, daysAttended: 1 });
    expect(of(2)).toMatchObject({ creditHours: 0, daysAttended: 0 });
    // Checking out removes the day again.
    await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: dayIds[1], userId: people[1]!.id, present: true } });
    const out = await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: dayIds[1], userId: people[1]!.id, present: false } });
    expect(((await out.json()) as { days: string[] }).days).toEqual([dayIds[0]]);
  });

  it("refuses bad check-ins with 400 naming the field", async () => {
    const notReg = await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: dayIds[0], userId: people[8]!.id, present: true } });
    expect(notReg.status).toBe(400);
    expect(((await notReg.json()) as { error: { fields: Array<{ path: string }> } }).error.fields[0]!.path).toBe("userId");
    const badDay = await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: "00000000-0000-4000-8000-000000000000", userId: people[0]!.id, present: true } });
    expect(badDay.status).toBe(400);
    const junk = await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: "nope", userId: 3 } });
    expect(junk.status).toBe(400);
  });

  it("refuses certificates for hours not attended", async () => {
    const none = await api(ev("/certificates"), owner.cookie, { method: "POST", json: { userId: people[2]!.id } });
    expect(none.status).toBe(409);
    const tooMany = await api(ev("/certificates"), owner.cookie, { method: "POST", json: { userId: people[1]!.id, hours: 9 } });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { fields: Array<{ path: string }> } }).error.fields[0]!.path).toBe("hours");
    const rows = await app.services.kernel.db.select().from(eventCertificate).where(eq(eventCertificate.eventId, eventId));
    expect(rows).toHaveLength(0);
  });

  it("issues, downloads and verifies a certificate; tampered codes are invalid", async () => {
    const res = await api(ev("/certificates"), owner.cookie, { method: "POST", json: { userId: people[1]!.id } });
    expect(res.status).toBe(201);
    const cert = (await res.json()) as { code: string; hours: number; firstDay: string; lastDay: string };
    expect(cert).toMatchObject({ hours: 8, firstDay: "2026-04-16", lastDay: "2026-04-16" });
    expect((await api(ev("/certificates"), owner.cookie, { method: "POST", json: { userId: people[1]!.id } })).status).toBe(409);
    const mail = await app.waitForMail(people[1]!.email, /certificate/i);
    expect(mail.text).toContain(cert.code);

    const pdf = await api(`/certificates/${cert.code}/pdf`, people[1]!.cookie);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    // Someone else may not download it; its organisers may.
    expect((await api(`/certificates/${cert.code}/pdf`, people[0]!.cookie)).status).toBe(404);
    expect((await api(`/certificates/${cert.code}/pdf`, owner.cookie)).status).toBe(200);

    const verify = await app.request(`/api/v1/certificates/${cert.code.toLowerCase()}/verification`);
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ status: "valid", personName: "Ben Brook", eventTitle: "Spring Intensive", hours: 8 });
    // Change one symbol: the check symbol no longer matches, or no such certificate exists.
    const last = cert.code.at(-2) === "0" ? "1" : "0";
    const tampered = `${cert.code.slice(0, -2)}${last}${cert.code.at(-1)}`;
    const bad = await app.request(`/api/v1/certificates/${tampered}/verification`);
    expect(bad.status).toBe(404);
    expect(await bad.text()).not.toContain("Ben Brook");
    expect((await app.services.eventRosters.verifyCertificate(tampered)).status).toBe("unknown");
    // A well-formed code (right check symbol) that was never issued is unknown too.
    const forged = newCertificateCode();
    expect((await app.request(`/api/v1/certificates/${forged}/verification`)).status).toBe(404);
    expect((await app.services.eventRosters.verifyCertificate(forged)).status).toBe("unknown");

    const page = await app.request(`/verify/certificate/${cert.code}`);
    if (page.status === 200) expect(await page.text()).toContain("Ben Brook");

    const attended = await app.services.eventRosters.attendedEvents(people[1]!.id);
    expect(attended).toEqual([expect.objectContaining({ eventId, creditHours: 8, daysAttended: 1, certificateCode: cert.code, kind: "intensive" })]);
    expect(await app.services.eventRosters.attendedEvents(people[2]!.id)).toEqual([]);
  });

  it("issues the rest in one go, and revocation shows on verification", async () => {
    const res = await api(ev("/certificates/issue-all"), owner.cookie, { method: "POST" });
    expect(((await res.json()) as { issued: number }).issued).toBe(1); // Ana; Ben has one, the others attended nothing
    const [ana] = await app.services.kernel.db.select().from(eventCertificate).where(and(eq(eventCertificate.eventId, eventId), eq(eventCertificate.userId, people[0]!.id)));
    expect(ana!.hours).toBe(12);
    expect((await api(`/orgs/${org.id}/certificates/${ana!.id}`, owner.cookie, { method: "DELETE" })).status).toBe(200);
    const v = (await (await app.request(`/api/v1/certificates/${ana!.code}/verification`)).json()) as { status: string };
    expect(v.status).toBe("revoked");
  });

  it("exports attendees as formula-safe CSV and records the export", async () => {
    const res = await api(ev("/attendees.csv"), owner.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = await res.text();
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toContain("question: Dietary needs");
    expect(lines[0]).toContain("present 2026-04-16");
    expect(lines).toHaveLength(1 + 9); // 8 confirmed + 1 waitlisted
    const ana = lines.find((l) => l.includes("Ana Alvarez"))!;
    expect(ana).toContain(`"'=HYPERLINK(""x"")"`);
    expect(ana).toContain("Trainee,700.00,USD,paid");
    expect(ana).toMatch(/,yes,yes,2,12,12,/);
    const ben = lines.find((l) => l.includes("Ben Brook"))!;
    expect(ben).toMatch(/,yes,no,1,8,8,[0-9A-Z-]{19}$/);
    const audits = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.action, "event.attendees_exported")));
    expect(audits).toHaveLength(1);
  });
});

describe("certificate PDF through the download route", () => {
  it("prints a name outside Windows-1252 exactly, in the embedded Unicode font", async () => {
    const name = "Łukasz Řehoř-Nguyễn Ștefan Şahin";
    const p = await signUp(app, { verified: true, name });
    await app.services.kernel.db.insert(eventRegistration).values({ organisationId: org.id, eventId, userId: p.id, status: "confirmed" });
    expect((await api(ev("/checkins"), owner.cookie, { method: "PUT", json: { dayId: dayIds[1], userId: p.id, present: true } })).status).toBe(200);
    const issued = await api(ev("/certificates"), owner.cookie, { method: "POST", json: { userId: p.id } });
    expect(issued.status).toBe(201);
    const { code } = (await issued.json()) as { code: string };
    const res = await api(`/certificates/${code}/pdf`, p.cookie);
    expect(res.status).toBe(200);
    const { pages, fonts } = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(pages[0]).toContain(name);
    expect(pages[0]).toContain(`Verification code: ${code}`);
    expect(fonts.every((f) => f.subtype === "/Type0" && f.hasToUnicode && f.baseFont.startsWith("/DejaVuSans"))).toBe(true);
  });
});
