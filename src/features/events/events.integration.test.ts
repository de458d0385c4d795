import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { sign } from "./payments.server.ts";
import { eventKeepApart, eventRegistration, eventRegistrationAnswer } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
type Json = Record<string, unknown>;
interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}
interface EventJson {
  id: string;
  slug: string;
  tiers: { id: string; name: string; eligibility: string }[];
  questions: { id: string; kind: string }[];
  seatsLeft: number;
  onlineLink?: string | null;
}
interface MyReg {
  id: string;
  status: string;
  waitlistPosition: number | null;
  paymentStatus: string;
  onlineLinks: { link: string }[];
}

const SECRET = "whsec_test_0123456789abcdef";
let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let organiser: Person;
let member: Person;
let faculty: Person;
let other: Awaited<ReturnType<typeof orgWithPerson>>;

beforeAll(async () => {
  app = await createTestApp({ env: { PAYMENT_WEBHOOK_SECRETS: `acmepay:${SECRET}` } });
  ({ org, person: organiser } = await orgWithPerson(app, "coordinator"));
  member = await signUp(app, { verified: true, name: "Mia Member" });
  await addMember(app, org.id, member.id, "member");
  faculty = await signUp(app, { verified: true, name: "Fay Faculty" });
  await addMember(app, org.id, faculty.id, "supervisor");
  other = await orgWithPerson(app, "owner");
});
afterAll(async () => app?.close());

let seq = 0;
function eventBody(overrides: Json = {}): Json {
  seq += 1;
  return {
    kind: "intensive",
    slug: `spring-intensive-${seq}`,
    title: `Spring intensive ${seq}`,
    description: "Four days of Balint groups.",
    language: "en",
    timeZone: "America/Chicago",
    format: "hybrid",
    venue: "Retreat centre, Wisconsin",
    onlineLink: `https://meet.example.org/secret-${seq}`,
    ceStatement: "This activity is approved for AAFP Prescribed credits.",
    ceHours: 24,
    capacity: 10,
    days: [
      { date: "2031-04-16", sessions: [{ kind: "experiential_group", title: "Large group", start: "09:00", end: "10:30" }, { kind: "small_group", title: "Small groups", start: "11:00", end: "12:30" }] },
      { date: "2031-04-17", sessions: [{ kind: "faculty_panel", title: "Faculty panel", start: "09:00", end: "10:00" }, { kind: "debrief", title: "Debrief", start: "16:00", end: "17:00" }] },
    ],
    tiers: [
      { name: "Member", amountMinor: 80000, currency: "USD", eligibility: "member" },
      { name: "Non-member", amountMinor: 90000, currency: "USD", eligibility: "anyone" },
      { name: "Trainee", amountMinor: 64000, currency: "USD", eligibility: "trainee", traineeDisciplines: ["family_medicine", "psychiatry"], discountLabel: "20% off" },
    ],
    questions: [
      { kind: "dietary", label: "Dietary needs", options: ["none", "vegetarian", "vegan", "gluten_free"], required: true },
      { kind: "accessibility", label: "Accessibility needs" },
      { kind: "balint_experience", label: "Experience with Balint groups" },
    ],
    faculty: [{ userId: faculty.id, role: "supervisor" }],
    ...overrides,
  };
}

async function createPublished(overrides: Json = {}): Promise<EventJson> {
  const res = await app.request(`/api/v1/orgs/${org.id}/events`, { method: "POST", cookie: organiser.cookie, json: eventBody(overrides) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const created = (await res.json()) as EventJson;
  const pub = await app.request(`/api/v1/orgs/${org.id}/events/${created.id}/publish`, { method: "POST", cookie: organiser.cookie });
  if (pub.status !== 200) throw new Error(`publish failed: ${pub.status} ${await pub.text()}`);
  return (await pub.json()) as EventJson;
}

const tier = (e: EventJson, eligibility: string) => e.tiers.find((t) => t.eligibility === eligibility)!.id;
const dietary = (e: EventJson) => e.questions.find((q) => q.kind === "dietary")!.id;

function register(e: EventJson, person: Person, body: Json) {
  return app.request(`/api/v1/events/${org.slug}/${e.slug}/registrations`, { method: "POST", cookie: person.cookie, json: body });
}
const anyoneBody = (e: EventJson, extra: Json = {}) => ({ tierId: tier(e, "anyone"), answers: { [dietary(e)]: "vegetarian" }, ...extra });

describe("organising events", () => {
  it("creates, publishes and shows a public page without the online link", async () => {
    const e = await createPublished();
    expect(e.onlineLink).toMatch(/^https:\/\/meet/);
    const pub = await app.request(`/api/v1/public/events/${org.slug}/${e.slug}`);
    expect(pub.status).toBe(200);
    const text = await pub.text();
    expect(text).not.toContain("meet.example.org");
    const body = JSON.parse(text) as { days: { sessions: { start: string }[] }[]; faculty: { name: string }[] };
    // 09:00 in Chicago on 16 April 2031 (CDT, UTC−5) is 14:00 UTC.
    expect(body.days[0]!.sessions[0]!.start).toBe("2031-04-16T14:00:00.000Z");
    expect(body.faculty.map((f) => f.name)).toEqual(["Fay Faculty"]);
    const ics = await app.request(`/api/v1/public/events/${org.slug}/${e.slug}/calendar`);
    expect(ics.headers.get("content-type")).toContain("text/calendar");
    const cal = await ics.text();
    expect(cal.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(cal).not.toContain("meet.example.org");
    const list = (await (await app.request(`/api/v1/public/events/${org.slug}`)).json()) as { upcoming: { slug: string }[] };
    expect(list.upcoming.map((u) => u.slug)).toContain(e.slug);
  });

  it("keeps drafts private and refuses bad input with field paths", async () => {
    const res = await app.request(`/api/v1/orgs/${org.id}/events`, { method: "POST", cookie: organiser.cookie, json: eventBody() });
    const draft = (await res.json()) as EventJson;
    expect((await app.request(`/api/v1/public/events/${org.slug}/${draft.slug}`)).status).toBe(404);
    const bad = await app.request(`/api/v1/orgs/${org.id}/events`, { method: "POST", cookie: organiser.cookie, json: eventBody({ venue: null, days: [{ date: "2031-05-01", sessions: [{ kind: "other", title: "x", start: "10:00", end: "09:00" }] }] }) });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as ErrorBody).error.fields!.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["venue", "days.0.sessions.0.end"]));
    const dup = await app.request(`/api/v1/orgs/${org.id}/events`, { method: "POST", cookie: organiser.cookie, json: eventBody({ slug: draft.slug }) });
    expect(dup.status).toBe(409);
  });

  it("lets only organisers of the same organisation manage (outsiders 404, members 403)", async () => {
    const e = await createPublished();
    expect((await app.request(`/api/v1/orgs/${org.id}/events/${e.id}`, { cookie: other.person.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${org.id}/events/${e.id}/registrations`, { cookie: other.person.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${other.org.id}/events/${e.id}`, { cookie: other.person.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${org.id}/events`, { method: "POST", cookie: member.cookie, json: eventBody() })).status).toBe(403);
  });
});

describe("registering", () => {
  it("confirms, stores answers and keep-apart requests, mails an .ics with one VEVENT per session", async () => {
    const e = await createPublished();
    const person = await signUp(app, { verified: true });
    const res = await register(e, person, anyoneBody(e, { keepApart: [member.email], experience: "none" }));
    expect(res.status).toBe(201);
    const reg = (await res.json()) as MyReg;
    expect(reg.status).toBe("confirmed");
    expect(reg.onlineLinks[0]!.link).toMatch(/meet\.example\.org/);
    const answers = await app.services.kernel.db.select().from(eventRegistrationAnswer).where(eq(eventRegistrationAnswer.registrationId, reg.id));
    expect(answers.map((a) => a.value)).toEqual(["vegetarian"]);
    const apart = await app.services.kernel.db.select().from(eventKeepApart).where(eq(eventKeepApart.registrationId, reg.id));
    expect(apart).toEqual([{ registrationId: reg.id, colleagueEmail: member.email, colleagueUserId: member.id }]);
    const mail = (await app.waitForMail(person.email, /registered/)) as { attachments?: { filename: string; content: string }[] };
    expect(mail.attachments?.[0]?.filename).toBe("event.ics");
    expect(mail.attachments![0]!.content.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    // Twice: 409, nothing written.
    const again = await register(e, person, anyoneBody(e));
    expect(again.status).toBe(409);
    const mine = await app.services.kernel.db.select().from(eventRegistration).where(and(eq(eventRegistration.eventId, e.id), eq(eventRegistration.userId, person.id)));
    expect(mine).toHaveLength(1);
  });

  it("refuses after close, before opening and for ineligible tiers", async () => {
    const closed = await createPublished({ registrationClosesAt: "2020-01-01T00:00:00Z" });
    const person = await signUp(app, { verified: true });
    expect((await register(closed, person, anyoneBody(closed))).status).toBe(409);
    const future = await createPublished({ registrationOpensAt: "2099-01-01T00:00:00Z" });
    expect((await register(future, person, anyoneBody(future))).status).toBe(409);

    const e = await createPublished();
    const asMember = await register(e, person, anyoneBody(e, { tierId: tier(e, "member") }));
    expect(asMember.status).toBe(403);
    expect(((await asMember.json()) as ErrorBody).error.fields?.[0]?.path).toBe("tierId");
    const noDeclaration = await register(e, person, anyoneBody(e, { tierId: tier(e, "trainee") }));
    expect(noDeclaration.status).toBe(400);
    expect(((await noDeclaration.json()) as ErrorBody).error.fields?.[0]?.path).toBe("trainee");
    const wrongDiscipline = await register(e, person, anyoneBody(e, { tierId: tier(e, "trainee"), trainee: { stage: "resident", discipline: "nursing", confirm: true } }));
    expect(wrongDiscipline.status).toBe(403);
    expect(((await wrongDiscipline.json()) as ErrorBody).error.fields?.[0]?.path).toBe("tierId");
    const otherEvent = await createPublished();
    const foreignTier = await register(e, person, anyoneBody(e, { tierId: tier(otherEvent, "anyone") }));
    expect(foreignTier.status).toBe(400);
    expect(((await foreignTier.json()) as ErrorBody).error.fields?.[0]?.path).toBe("tierId");
    const missing = await register(e, person, { tierId: tier(e, "anyone"), answers: {} });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorBody).error.fields?.[0]?.path).toBe(`answers.${dietary(e)}`);
    const badChoice = await register(e, person, { tierId: tier(e, "anyone"), answers: { [dietary(e)]: "steak" } });
    expect(badChoice.status).toBe(400);
    const none = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.userId, person.id));
    expect(none).toHaveLength(0);
    // Eligible: a trainee in family medicine gets the trainee price; a member the member price.
    const trainee = await register(e, person, anyoneBody(e, { tierId: tier(e, "trainee"), trainee: { stage: "resident", discipline: "family_medicine", confirm: true } }));
    expect(trainee.status).toBe(201);
    expect((await register(e, member, anyoneBody(e, { tierId: tier(e, "member") }))).status).toBe(201);
  });

  it("waitlists when full, offers a freed seat, passes on an expired offer, 410 on a late accept", async () => {
    const e = await createPublished({ capacity: 1 });
    const [a, b, c] = [await signUp(app, { verified: true }), await signUp(app, { verified: true }), await signUp(app, { verified: true })];
    const ra = (await (await register(e, a, anyoneBody(e))).json()) as MyReg;
    const rb = (await (await register(e, b, anyoneBody(e))).json()) as MyReg;
    const rc = (await (await register(e, c, anyoneBody(e))).json()) as MyReg;
    expect([ra.status, rb.status, rc.status]).toEqual(["confirmed", "waitlisted", "waitlisted"]);
    expect([rb.waitlistPosition, rc.waitlistPosition]).toEqual([1, 2]);

    // Organiser moves c ahead of b, with a reason (audited).
    const moved = await app.request(`/api/v1/orgs/${org.id}/events/${e.id}/waitlist/${rc.id}/position`, { method: "POST", cookie: organiser.cookie, json: { position: 1, reason: "discipline_balance" } });
    expect(moved.status).toBe(200);
    const noReason = await app.request(`/api/v1/orgs/${org.id}/events/${e.id}/waitlist/${rc.id}/position`, { method: "POST", cookie: organiser.cookie, json: { position: 1 } });
    expect(noReason.status).toBe(400);
    const [entry] = await app.services.kernel.db.select().from(auditEvent).where(and(eq(auditEvent.action, "event.waitlist_reordered"), eq(auditEvent.targetId, rc.id)));
    expect(entry?.details).toMatchObject({ reason: "discipline_balance", from: 2, to: 1 });

    // a cancels: c (now first) gets an offer by email.
    expect((await app.request(`/api/v1/me/event-registrations/${ra.id}/cancel`, { method: "POST", cookie: a.cookie })).status).toBe(200);
    await app.waitForMail(c.email, /place is free/);
    const [offered] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.id, rc.id));
    expect(offered!.status).toBe("offered");
    // b cannot take it; the seat is held.
    expect((await app.request(`/api/v1/me/event-registrations/${rb.id}/accept`, { method: "POST", cookie: b.cookie })).status).toBe(409);
    // Other people cannot touch c's registration.
    expect((await app.request(`/api/v1/me/event-registrations/${rc.id}/accept`, { method: "POST", cookie: b.cookie })).status).toBe(404);

    // The offer expires: c is out, b gets the offer.
    const later = new Date(offered!.offerExpiresAt!.getTime() + 1000);
    expect(await app.services.events.expireOffer({ registrationId: rc.id, expiresAt: offered!.offerExpiresAt!.toISOString() }, later)).toBe("expired");
    const late = await app.request(`/api/v1/me/event-registrations/${rc.id}/accept`, { method: "POST", cookie: c.cookie });
    expect(late.status).toBe(409); // already cancelled as expired
    const [bNow] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.id, rb.id));
    expect(bNow!.status).toBe("offered");
    await app.waitForMail(b.email, /place is free/);
    const ok = await app.request(`/api/v1/me/event-registrations/${rb.id}/accept`, { method: "POST", cookie: b.cookie });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as MyReg).status).toBe("confirmed");
  });

  it("answers 410 when an offer is taken after it expired (before the job ran)", async () => {
    const e = await createPublished({ capacity: 1 });
    const [a, b] = [await signUp(app, { verified: true }), await signUp(app, { verified: true })];
    const ra = (await (await register(e, a, anyoneBody(e))).json()) as MyReg;
    const rb = (await (await register(e, b, anyoneBody(e))).json()) as MyReg;
    await app.request(`/api/v1/me/event-registrations/${ra.id}/cancel`, { method: "POST", cookie: a.cookie });
    const [offered] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.id, rb.id));
    expect(offered!.status).toBe("offered");
    await expect(app.services.events.acceptOffer({ kind: "user", userId: b.id, memberships: new Map() }, rb.id, {}, new Date(offered!.offerExpiresAt!.getTime() + 1))).rejects.toMatchObject({ code: "gone" });
    const [after] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.id, rb.id));
    expect(after!.status).toBe("cancelled");
    expect(after!.cancellationReason).toBe("offer_expired");
  });

  it("lets a waitlisted person remove themselves", async () => {
    const e = await createPublished({ capacity: 1 });
    const [a, b] = [await signUp(app, { verified: true }), await signUp(app, { verified: true })];
    await register(e, a, anyoneBody(e));
    const rb = (await (await register(e, b, anyoneBody(e))).json()) as MyReg;
    const res = await app.request(`/api/v1/me/event-registrations/${rb.id}/cancel`, { method: "POST", cookie: b.cookie });
    expect(res.status).toBe(200);
    const [row] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.id, rb.id));
    expect(row!.cancellationReason).toBe("left_waitlist");
  });

  it("never exceeds capacity under concurrent registrations", async () => {
    const e = await createPublished({ capacity: 3 });
    const people = await Promise.all(Array.from({ length: 8 }, () => signUp(app, { verified: true })));
    const results = await Promise.all(people.map((p) => register(e, p, anyoneBody(e))));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
    const rows = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.eventId, e.id));
    expect(rows.filter((r) => r.status === "confirmed")).toHaveLength(3);
    const waiting = rows.filter((r) => r.status === "waitlisted").map((r) => r.waitlistPosition).sort();
    expect(waiting).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("packages", () => {
  it("one registration for a series, one calendar entry per session, seats used in every event", async () => {
    const e1 = await createPublished({ capacity: 5 });
    const e2 = await createPublished({ capacity: 5 });
    const res = await app.request(`/api/v1/orgs/${org.id}/event-packages`, {
      method: "POST",
      cookie: organiser.cookie,
      json: { slug: `series-${seq}`, title: "Series of two", eventIds: [e1.id, e2.id], tiers: [{ name: "Series", amountMinor: 150000, currency: "USD", eligibility: "anyone" }] },
    });
    expect(res.status).toBe(201);
    const pkg = (await res.json()) as { slug: string; tiers: { id: string }[] };
    const person = await signUp(app, { verified: true });
    const reg = await app.request(`/api/v1/event-packages/${org.slug}/${pkg.slug}/registrations`, { method: "POST", cookie: person.cookie, json: { tierId: pkg.tiers[0]!.id } });
    expect(reg.status).toBe(201);
    const { id } = (await reg.json()) as MyReg;
    const cal = await (await app.request(`/api/v1/me/event-registrations/${id}/calendar`, { cookie: person.cookie })).text();
    expect(cal.match(/BEGIN:VEVENT/g)).toHaveLength(8);
    expect(cal).toContain("meet.example.org");
    const seats = (await (await app.request(`/api/v1/public/events/${org.slug}/${e2.slug}`)).json()) as EventJson;
    expect(seats.seatsLeft).toBe(4);
    // Registering for a single event of the series as well: 409.
    expect((await register(e1, person, anyoneBody(e1))).status).toBe(409);
  });
});

describe("payments", () => {
  async function paidSetup() {
    const e = await createPublished();
    const person = await signUp(app, { verified: true });
    const reg = (await (await register(e, person, anyoneBody(e))).json()) as MyReg;
    return { e, person, reg };
  }
  function webhook(body: Json, secret = SECRET, t = Math.floor(Date.now() / 1000)) {
    const raw = JSON.stringify(body);
    return app.request("/api/v1/payments/webhook/acmepay", { method: "POST", body: raw, headers: { "content-type": "application/json", origin: "https://acmepay.example", "x-payment-signature": sign(secret, t, raw) } });
  }

  it("marks paid through a correctly signed webhook, once; refuses bad signatures", async () => {
    const { reg } = await paidSetup();
    const notice = { id: `evt_${reg.id}`, type: "payment.succeeded", registrationId: reg.id, amountMinor: 90000, currency: "USD", reference: "ch_123" };
    expect((await webhook(notice, "wrong-secret-wrong-secret")).status).toBe(401);
    expect((await webhook(notice, SECRET, Math.floor(Date.now() / 1000) - 3600)).status).toBe(401);
    let [row] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.id, reg.id));
    expect(row!.paymentStatus).toBe("unpaid");
    const ok = await webhook(notice);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ outcome: "applied" });
    [row] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.id, reg.id));
    expect(row).toMatchObject({ paymentStatus: "paid", paymentProvider: "acmepay", paymentReference: "ch_123" });
    expect(await (await webhook(notice)).json()).toEqual({ outcome: "duplicate" });
    const short = await webhook({ ...notice, id: `evt2_${reg.id}`, amountMinor: 100 });
    expect(await short.json()).toEqual({ outcome: "amount_mismatch" });
    expect((await app.request("/api/v1/payments/webhook/manual", { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status).toBe(404);
  });

  it("lets the organiser record payments by hand; outsiders get 404", async () => {
    const { reg } = await paidSetup();
    const url = `/api/v1/orgs/${org.id}/event-registrations/${reg.id}/payment`;
    expect((await app.request(url, { method: "POST", cookie: organiser.cookie, json: { status: "refunded" } })).status).toBe(409);
    const paid = await app.request(url, { method: "POST", cookie: organiser.cookie, json: { status: "paid", reference: "INV-2031-004" } });
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ paymentStatus: "paid", paymentProvider: "manual", paymentReference: "INV-2031-004" });
    expect((await app.request(`/api/v1/orgs/${other.org.id}/event-registrations/${reg.id}/payment`, { method: "POST", cookie: other.person.cookie, json: { status: "waived" } })).status).toBe(404);
    expect((await app.request(url, { method: "POST", cookie: other.person.cookie, json: { status: "waived" } })).status).toBe(404);
    const list = (await (await app.request(`/api/v1/orgs/${org.id}/events/${reg.id}/registrations`, { cookie: organiser.cookie })).json()) as ErrorBody;
    expect(list.error.code).toBe("not_found");
  });
});
