// Demo data for training events (issue 6): at the Northlake Balint Society, an ABS-like 4-day
// intensive held twice a year (a past one and an upcoming one, member / non-member / trainee
// tiers), a webinar and a small workshop with a waitlist, and a series package; registrations
// made through the events service (so capacity, waitlist and emails behave as in real use).
// Deterministic given `now`. Call after the organisations and people are seeded.
import { eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { user } from "../platform/auth/schema.ts";
import type { Actor } from "../platform/policy/policy.ts";
import type { AppServices } from "../platform/services.server.ts";
import { membership, organisation, type Role } from "../platform/tenancy/schema.ts";

const ORG_SLUG = "northlake-balint-society";
const TZ = "America/Chicago";

export interface EventsSeedResult {
  events: number;
  registrations: number;
}

function localDate(now: Date, plusDays: number): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(TZ).toPlainDate().add({ days: plusDays }).toString();
}
const addDays = (date: string, n: number) => Temporal.PlainDate.from(date).add({ days: n }).toString();

function intensiveDays(start: string) {
  return [0, 1, 2, 3].map((i) => ({
    date: addDays(start, i),
    label: `Day ${i + 1}`,
    sessions:
      i === 3
        ? [
            { kind: "experiential_group", title: "Experiential group", start: "09:00", end: "10:30" },
            { kind: "debrief", title: "Closing debrief", start: "11:00", end: "12:30" },
          ]
        : [
            { kind: "experiential_group", title: "Experiential group", start: "09:00", end: "10:30" },
            { kind: "small_group", title: "Small discussion groups", start: "11:00", end: "12:30" },
            { kind: "faculty_panel", title: "Faculty panel", start: "14:00", end: "15:00" },
            { kind: "debrief", title: "Faculty and leaders' debrief", start: "16:00", end: "17:00" },
          ],
  }));
}

const INTENSIVE_TIERS = [
  { name: "Member", amountMinor: 82500, currency: "USD", eligibility: "member" },
  { name: "Non-member", amountMinor: 92500, currency: "USD", eligibility: "anyone" },
  { name: "Trainee", amountMinor: 66000, currency: "USD", eligibility: "trainee", traineeDisciplines: [], discountLabel: "20% off for trainees" },
];
const QUESTIONS = [
  { kind: "dietary", label: "Dietary needs", options: ["none", "vegetarian", "vegan", "gluten_free", "halal", "kosher"], required: true },
  { kind: "accessibility", label: "Accessibility needs (optional)" },
  { kind: "balint_experience", label: "Experience with Balint groups", required: true },
];

export async function seedEvents(services: AppServices, options: { now: Date }): Promise<EventsSeedResult> {
  const { db } = services.kernel;
  const now = options.now;
  const [org] = await db.select().from(organisation).where(eq(organisation.slug, ORG_SLUG));
  if (!org) return { events: 0, registrations: 0 };
  const people = await db
    .select({ id: user.id, role: membership.role, name: user.name })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(eq(membership.organisationId, org.id))
    .orderBy(user.email);
  const actorFor = async (userId: string): Promise<Actor> => {
    const rows = await db.select({ organisationId: membership.organisationId, role: membership.role }).from(membership).where(eq(membership.userId, userId));
    return { kind: "user", userId, memberships: new Map(rows.map((r) => [r.organisationId, r.role as Role])) };
  };
  const organiserRow = people.find((p) => p.role === "coordinator") ?? people.find((p) => p.role === "owner");
  if (!organiserRow) return { events: 0, registrations: 0 };
  const organiser = await actorFor(organiserRow.id);
  const supervisors = people.filter((p) => p.role === "supervisor").slice(0, 2);
  const members = people.filter((p) => p.role === "member" || p.role === "leader");

  const create = async (body: Record<string, unknown>) => {
    const e = await services.events.createEvent(organiser, org.id, body);
    await services.events.publishEvent(organiser, org.id, e.id);
    return e;
  };
  const pastStart = localDate(now, -200);
  const nextStart = localDate(now, 130);
  const base = { language: "en", timeZone: TZ, questions: QUESTIONS, faculty: supervisors.map((s) => ({ userId: s.id, role: "supervisor" })) };
  const past = await create({
    ...base,
    kind: "intensive",
    slug: `intensive-${pastStart.slice(0, 7)}`,
    title: `Leadership Intensive (${pastStart.slice(0, 4)})`,
    description: "Four days of experiential Balint groups, small discussion groups and faculty panels for group leaders and those learning to lead.",
    format: "in_person",
    venue: "Lakeside Retreat Center, Northlake (demo)",
    ceStatement: "This live activity is approved for up to 24 continuing education credits (demo statement).",
    ceHours: 24,
    capacity: 24,
    days: intensiveDays(pastStart),
    tiers: INTENSIVE_TIERS,
  });
  const upcoming = await create({
    ...base,
    kind: "intensive",
    slug: `intensive-${nextStart.slice(0, 7)}`,
    title: `Leadership Intensive (${nextStart.slice(0, 4)})`,
    description: "Our twice-yearly intensive. A series of three intensives is recommended for leader accreditation.",
    format: "in_person",
    venue: "Lakeside Retreat Center, Northlake (demo)",
    ceStatement: "This live activity is approved for up to 24 continuing education credits (demo statement).",
    ceHours: 24,
    capacity: 24,
    registrationClosesAt: new Date(`${addDays(nextStart, -14)}T23:59:00Z`).toISOString(),
    days: intensiveDays(nextStart),
    tiers: INTENSIVE_TIERS,
  });
  const webinarDay = localDate(now, 21);
  const webinar = await create({
    ...base,
    questions: [],
    kind: "webinar",
    slug: `webinar-${webinarDay}`,
    title: "Webinar: Starting a Balint group in your residency",
    description: "A one-hour introduction for programme directors and new leaders.",
    format: "online",
    onlineLink: "https://meet.demo.balint-commons.example/webinar-start",
    ceHours: 1,
    ceStatement: "1 continuing education credit (demo statement).",
    capacity: 100,
    days: [{ date: webinarDay, sessions: [{ kind: "other", title: "Talk and questions", start: "18:00", end: "19:00" }] }],
    tiers: [
      { name: "Members", amountMinor: 0, currency: "USD", eligibility: "member" },
      { name: "Everyone else", amountMinor: 2500, currency: "USD", eligibility: "anyone" },
    ],
  });
  const workshopDay = localDate(now, 42);
  const workshop = await create({
    ...base,
    kind: "workshop",
    slug: `workshop-${workshopDay}`,
    title: "Workshop: Co-leading a Balint group",
    description: "A practical day on co-leadership for leaders in training.",
    format: "hybrid",
    venue: "Northlake Medical School, Room 4 (demo)",
    onlineLink: "https://meet.demo.balint-commons.example/workshop-coleading",
    ceHours: 5,
    capacity: 8,
    days: [
      {
        date: workshopDay,
        sessions: [
          { kind: "experiential_group", title: "Demonstration group", start: "09:30", end: "11:00" },
          { kind: "small_group", title: "Practice in pairs", start: "11:30", end: "13:00" },
          { kind: "debrief", title: "Debrief", start: "14:00", end: "15:00" },
        ],
      },
    ],
    tiers: [
      { name: "Member", amountMinor: 15000, currency: "USD", eligibility: "member" },
      { name: "Trainee", amountMinor: 12000, currency: "USD", eligibility: "trainee", discountLabel: "20% off for trainees" },
    ],
  });

  let registrations = 0;
  const experience = ["none", "under_1_year", "1_to_3_years", "over_3_years"] as const;
  const reg = async (e: { slug: string; tiers: { id: string; eligibility: string }[]; questions: { id: string; kind: string }[] }, personIndex: number, opts: { trainee?: boolean } = {}) => {
    const person = members[personIndex % members.length]!;
    const tier = e.tiers.find((t) => t.eligibility === (opts.trainee ? "trainee" : "member")) ?? e.tiers[0]!;
    const answers: Record<string, string> = {};
    for (const q of e.questions) {
      if (q.kind === "dietary") answers[q.id] = personIndex % 4 === 0 ? "vegetarian" : "none";
      if (q.kind === "balint_experience") answers[q.id] = experience[personIndex % experience.length]!;
    }
    const r = await services.events.register(await actorFor(person.id), ORG_SLUG, { kind: "event", slug: e.slug }, {
      tierId: tier.id,
      answers,
      experience: experience[personIndex % experience.length],
      discipline: personIndex % 3 === 0 ? "family_medicine" : personIndex % 3 === 1 ? "psychiatry" : "nursing",
      ...(opts.trainee ? { trainee: { stage: "resident", discipline: "family_medicine", confirm: true } } : {}),
    }, {}, now);
    registrations++;
    return r;
  };

  // Past intensive: 12 participants, most paid by hand, one waived; then registration closed.
  for (let i = 0; i < Math.min(12, members.length); i++) {
    const r = await reg(past, i, { trainee: i % 5 === 4 });
    await services.events.recordPayment(organiser, org.id, r.id, i === 0 ? { status: "waived", reference: "scholarship" } : { status: "paid", reference: `INV-${pastStart.slice(0, 4)}-${String(i + 1).padStart(3, "0")}` });
  }
  await services.events.updateEvent(organiser, org.id, past.id, { registrationClosesAt: new Date(`${addDays(pastStart, -14)}T23:59:00Z`).toISOString() });
  // Upcoming intensive: 8 so far, some paid.
  for (let i = 0; i < Math.min(8, members.length); i++) {
    const r = await reg(upcoming, i + 3, { trainee: i === 2 });
    if (i % 2 === 0) await services.events.recordPayment(organiser, org.id, r.id, { status: "paid", reference: `INV-${nextStart.slice(0, 4)}-${String(i + 1).padStart(3, "0")}` });
  }
  // Webinar: 6 members (free tier).
  for (let i = 0; i < Math.min(6, members.length); i++) await reg(webinar, i + 1);
  // Workshop: 10 people for 8 places: two on the waitlist.
  for (let i = 0; i < Math.min(10, members.length); i++) await reg(workshop, i + 2, { trainee: i % 4 === 1 });

  // Series: the upcoming intensive and the workshop, one registration.
  await services.events.createPackage(organiser, org.id, {
    slug: "leader-track",
    title: "Leader track: intensive + co-leading workshop",
    eventIds: [upcoming.id, workshop.id],
    tiers: [{ name: "Member series price", amountMinor: 90000, currency: "USD", eligibility: "member" }],
  });
  return { events: 4, registrations };
}
