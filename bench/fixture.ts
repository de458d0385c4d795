// Bench fixture for issue 3: 10,000 groups for the directory and a member of 10 groups with a
// year of exceptions for the calendar feed. Written with bulk SQL (a fixture, not user data), but
// every derived column comes from the groups slice's own functions: `deriveSchedule` (weekdays,
// local_start_minute, last_meeting_ends_at), `occurrences` (the real original starts of the
// meetings that the exceptions name); `search` is a generated column.
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { user } from "../src/platform/auth/schema.ts";
import type { Database } from "../src/platform/db/client.server.ts";
import { membership, organisation } from "../src/platform/tenancy/schema.ts";
import { balintGroup, groupLeader, groupMembership } from "../src/features/groups/schema.ts";
import { occurrences } from "../src/features/groups/schedule.ts";
import { deriveSchedule } from "../src/features/groups/service.server.ts";
import { calendarFeed, groupPause, sessionException } from "../src/features/sessions/schema.ts";

const DAY = 86_400_000;

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

async function insertChunked<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

const ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/London", "Europe/Madrid", "Europe/Berlin", "Australia/Sydney", "America/Mexico_City", "Asia/Tokyo"];
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA"] as const;
const WEEKDAY_INDEX = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 } as const;
const FIRST = ["Tuesday evening", "Thursday lunchtime", "Monday morning", "Residents'", "Physicians'", "Nurses'", "Mixed disciplines", "Faculty", "Early career", "Primary care", "Hospital staff", "Grupo Balint", "Groupe Balint", "Rural clinicians'", "Paediatrics", "Emergency department", "Psychotherapists'", "Students'", "Leaders'", "Palliative care"];
const SECOND = ["online group", "circle", "hybrid group", "in-person group", "peer group", "Balint group", "weekly group", "monthly group", "fortnightly group", "reflective group"];
const LANGS: string[][] = [["en"], ["en"], ["en"], ["en"], ["es"], ["es", "en"], ["fr"], ["de"], ["en", "fr"], ["pt-BR"]];
const DISCIPLINES: string[][] = [[], [], [], ["residents"], ["physicians"], ["nurses"], ["nurses", "psychologists"], ["social_workers"], ["psychotherapists"], ["medical_students"]];
const DESCRIPTIONS = [
  "A Balint group for clinicians who want to think together about the doctor-patient relationship.",
  "We meet regularly to reflect on the relationships that make clinical work hard and rewarding.",
  "Open to every discipline; no experience of Balint work needed.",
  "A protected space for residents, led by trained Balint leaders.",
  "Un espacio de reflexión sobre la relación clínica, abierto a todas las profesiones sanitarias.",
];

function nextWeekday(from: Date, weekday: number): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

function scheduleFor(random: ReturnType<typeof prng>, now: Date, weeksAgo: number, count: number, freq: "weekly" | "fortnightly" | "monthly") {
  const wd = random.pick(WEEKDAYS);
  const start = nextWeekday(new Date(now.getTime() - weeksAgo * 7 * DAY), WEEKDAY_INDEX[wd]);
  // The n-th weekday of the month; a 5th one (29th–31st) is the month's last ("-1").
  const nth = start.getUTCDate() > 28 ? -1 : Math.ceil(start.getUTCDate() / 7);
  const rrule = freq === "monthly" ? `FREQ=MONTHLY;BYDAY=${nth}${wd};COUNT=${count}` : `FREQ=WEEKLY;${freq === "fortnightly" ? "INTERVAL=2;" : ""}BYDAY=${wd};COUNT=${count}`;
  const hour = random.pick([7, 8, 12, 13, 16, 18, 19, 20]);
  const minute = random.pick(["00", "15", "30"]);
  return { rrule, dtstartLocal: `${start.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:${minute}`, durationMinutes: random.pick([60, 75, 90]) };
}

export interface FixtureResult {
  groups: number;
  organisations: number;
  memberships: number;
  feedToken: string;
  feedGroups: number;
  feedExceptions: number;
  feedPauses: number;
  ms: number;
}

/**
 * Adds the fixture to a migrated database that already has its owner (`ownerEmail`, made by the
 * setup API). The owner becomes the member (8 groups) and leader (2 groups) whose feed is measured.
 */
export async function seedBenchFixture(db: Database, ownerEmail: string, groupCount = 10_000, now = new Date()): Promise<FixtureResult> {
  const t0 = performance.now();
  const random = prng(3_000_003);
  const [owner] = await db.select({ id: user.id }).from(user).where(eq(user.email, ownerEmail));
  if (!owner) throw new Error(`no user ${ownerEmail}`);
  const [ownerOrg] = await db.select({ organisationId: membership.organisationId }).from(membership).where(eq(membership.userId, owner.id));

  // 25 organisations, 400 people (members of the groups, so seats and "open seats" are realistic).
  const orgRows = Array.from({ length: 25 }, (_, i) => ({ slug: `bench-org-${i + 1}`, name: `Bench Balint Organisation ${i + 1}`, timeZone: ZONES[i % ZONES.length]! }));
  const orgs = await db.insert(organisation).values(orgRows).returning({ id: organisation.id });
  const people = Array.from({ length: 400 }, (_, i) => ({ id: `bench_person_${i}`, name: `Bench Person ${i}`, email: `bench.person.${i}@example.org`, emailVerified: true }));
  await insertChunked(people, 200, (c) => db.insert(user).values(c));

  // 10,000 groups.
  const groups: Array<typeof balintGroup.$inferInsert> = [];
  for (let i = 0; i < groupCount; i++) {
    const timeZone = random.pick(ZONES);
    const freq = random.pick(["weekly", "weekly", "fortnightly", "monthly"] as const);
    const schedule = scheduleFor(random, now, random.int(-8, 52), freq === "monthly" ? random.int(8, 14) : random.int(10, 48), freq);
    const format = random.pick(["online", "in_person", "hybrid"] as const);
    const r = random.next();
    groups.push({
      organisationId: orgs[i % orgs.length]!.id,
      slug: `group-${i + 1}`,
      name: `${random.pick(FIRST)} ${random.pick(SECOND)} ${i + 1}`,
      description: random.pick(DESCRIPTIONS),
      format,
      address: format === "online" ? null : "Room 1, example street",
      meetingLink: format === "in_person" ? null : `https://meet.example.org/bench-${i + 1}`,
      disciplines: random.pick(DISCIPLINES),
      languages: random.pick(LANGS),
      timeZone,
      ...schedule,
      ...deriveSchedule(schedule, timeZone),
      capacity: random.int(6, 12),
      visibility: r < 0.9 ? "listed" : r < 0.95 ? "unlisted" : "private",
      archivedAt: random.next() < 0.02 ? new Date(now.getTime() - 30 * DAY) : null,
    });
  }
  const ids: Array<{ id: string; capacity: number }> = [];
  await insertChunked(groups, 500, async (c) => ids.push(...(await db.insert(balintGroup).values(c).returning({ id: balintGroup.id, capacity: balintGroup.capacity }))));
  const members: Array<typeof groupMembership.$inferInsert> = [];
  for (const g of ids) {
    const n = random.int(0, g.capacity);
    const start = random.int(0, people.length - 1);
    for (let k = 0; k < n; k++) members.push({ groupId: g.id, userId: people[(start + k * 7) % people.length]!.id, status: "active", agreementAcceptedAt: now, decidedAt: now });
  }
  await insertChunked(members, 1000, (c) => db.insert(groupMembership).values(c));

  // The feed: the owner is a member of 8 groups and leads 2, each with a year of exceptions.
  const orgId = ownerOrg?.organisationId ?? orgs[0]!.id;
  let feedExceptions = 0;
  let feedPauses = 0;
  for (let i = 0; i < 10; i++) {
    const timeZone = ZONES[i % 4]!;
    const freq = i % 3 === 2 ? "fortnightly" : "weekly";
    const schedule = scheduleFor(random, now, 40, freq === "weekly" ? 60 : 30, freq);
    const [g] = await db
      .insert(balintGroup)
      .values({ organisationId: orgId, slug: `feed-group-${i + 1}`, name: `Feed group ${i + 1}`, description: "Bench group for the calendar feed.", format: "online", meetingLink: `https://meet.example.org/feed-${i + 1}`, languages: ["en"], timeZone, ...schedule, ...deriveSchedule(schedule, timeZone), capacity: 10, visibility: "private" })
      .returning();
    if (i < 2) await db.insert(groupLeader).values({ groupId: g!.id, userId: owner.id, kind: "leader" });
    else await db.insert(groupMembership).values({ groupId: g!.id, userId: owner.id, status: "active", agreementAcceptedAt: now, decidedAt: now });
    const all = occurrences({ rrule: g!.rrule, dtstartLocal: g!.dtstartLocal, timeZone, durationMinutes: g!.durationMinutes });
    const exceptions: Array<typeof sessionException.$inferInsert> = [];
    all.forEach((o, k) => {
      if (k % 6 === 3) exceptions.push({ groupId: g!.id, occurrenceStart: o.start, kind: "cancelled", reason: "holiday" });
      else if (k % 6 === 5) exceptions.push({ groupId: g!.id, occurrenceStart: o.start, kind: "changed", newStart: new Date(o.start.getTime() + 2 * 3_600_000), reason: "venue_unavailable" });
      else if (k % 10 === 7) exceptions.push({ groupId: g!.id, occurrenceStart: o.start, kind: "changed", meetingLink: `https://meet.example.org/feed-${i + 1}-alt`, reason: "technical" });
    });
    if (exceptions.length) await db.insert(sessionException).values(exceptions);
    feedExceptions += exceptions.length;
    const y = new Date(now.getTime() - 150 * DAY);
    await db.insert(groupPause).values({ groupId: g!.id, startDate: y.toISOString().slice(0, 10), endDate: new Date(y.getTime() + 21 * DAY).toISOString().slice(0, 10) });
    feedPauses += 1;
  }
  const token = randomBytes(32).toString("base64url");
  await db.insert(calendarFeed).values({ userId: owner.id, tokenHash: createHash("sha256").update(token, "utf8").digest("hex") });
  return { groups: groupCount, organisations: orgs.length, memberships: members.length, feedToken: token, feedGroups: 10, feedExceptions, feedPauses, ms: Math.round(performance.now() - t0) };
}
