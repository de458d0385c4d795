// Demo data: three organisations, about 200 people and 30 Balint groups with a year of
// meetings and attendance (groups-seed.ts), all obviously fake (addresses end in
// .example), for `npm run demo`, screenshots and manual testing. Deterministic: the same run
// produces the same people, roles and history (a seeded PRNG picks the varying parts).
// Later issues extend it: add a `seedX` function and call it from `seedDemo`.
import { createHash, randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import { performance } from "node:perf_hooks";
import { account, user } from "../platform/auth/schema.ts";
import { assertAuditDetails, type AuditDetails } from "../platform/audit/audit.server.ts";
import { auditEvent } from "../platform/audit/schema.ts";
import type { Executor } from "../platform/db/client.server.ts";
import type { Locale } from "../platform/i18n/locales.ts";
import type { Actor } from "../platform/policy/policy.ts";
import type { AppServices } from "../platform/services.server.ts";
import { installation, membership, organisation, type Role } from "../platform/tenancy/schema.ts";
import type { Discipline } from "../features/profile/disciplines.ts";
import { invitation } from "../features/organisations/schema.ts";
import { profile } from "../features/profile/schema.ts";
import { generatedPeople } from "./people-extra.ts";
import type { GroupsSeedResult } from "./groups-seed.ts";

/** Every demo account signs in with this password. */
export const DEMO_PASSWORD = "quiet-harbour-listening-26";
export const DEMO_DOMAIN = "demo.balint-commons.example";

/** Mulberry32: small, fast, good enough to make demo data vary deterministically. */
export function createPrng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Prng = ReturnType<typeof createPrng>;

/** A deterministic UUID-shaped id from a label, so reruns name the same rows. */
function demoUuid(label: string): string {
  const h = createHash("sha256").update(`balint-commons-demo:${label}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type DemoOrgKey = "society" | "residency" | "hospital";

export interface DemoOrganisation {
  key: DemoOrgKey;
  id: string;
  slug: string;
  name: string;
  kind: "society" | "residency" | "hospital";
  defaultLocale: Locale;
  timeZone: string;
}

export const DEMO_ORGANISATIONS: DemoOrganisation[] = [
  { key: "society", id: demoUuid("org:society"), slug: "northlake-balint-society", name: "Northlake Balint Society", kind: "society", defaultLocale: "en", timeZone: "America/Chicago" },
  { key: "residency", id: demoUuid("org:residency"), slug: "riverside-family-medicine", name: "Riverside Family Medicine Residency", kind: "residency", defaultLocale: "en", timeZone: "America/Denver" },
  { key: "hospital", id: demoUuid("org:hospital"), slug: "san-rafael-bienestar", name: "Hospital Clínico San Rafael · Bienestar", kind: "hospital", defaultLocale: "es", timeZone: "Europe/Madrid" },
];

export interface DemoPerson {
  /** Short stable handle, also the local part of the email address. */
  handle: string;
  name: string;
  pronouns: string | null;
  locale: Locale | null;
  timeZone: string;
  languages: string[];
  disciplines: Discipline[];
  memberships: Partial<Record<DemoOrgKey, Role>>;
}

/** The hand-written people: every role appears; a few belong to two organisations. */
const CORE_PEOPLE: DemoPerson[] = [
  // Northlake Balint Society (national society)
  { handle: "amara.okafor", name: "Amara Okafor", pronouns: "she/her", locale: "en", timeZone: "America/Chicago", languages: ["en", "yo"], disciplines: ["physician"], memberships: { society: "owner" } },
  { handle: "henrik.lindqvist", name: "Henrik Lindqvist", pronouns: "he/him", locale: "en", timeZone: "America/New_York", languages: ["en", "sv"], disciplines: ["psychotherapist"], memberships: { society: "admin" } },
  { handle: "priya.raman", name: "Priya Raman", pronouns: "she/her", locale: "en", timeZone: "America/Los_Angeles", languages: ["en", "ta"], disciplines: ["physician"], memberships: { society: "coordinator" } },
  { handle: "miriam.cohen", name: "Miriam Cohen", pronouns: "she/her", locale: null, timeZone: "America/New_York", languages: ["en", "he"], disciplines: ["psychologist"], memberships: { society: "supervisor" } },
  { handle: "kwame.mensah", name: "Kwame Mensah", pronouns: "he/him", locale: "en", timeZone: "America/Chicago", languages: ["en"], disciplines: ["physician"], memberships: { society: "supervisor", residency: "supervisor" } },
  { handle: "sofia.marin", name: "Sofía Marín", pronouns: "she/her", locale: "es", timeZone: "America/Mexico_City", languages: ["es", "en"], disciplines: ["psychologist"], memberships: { society: "leader", hospital: "supervisor" } },
  { handle: "daniel.osei", name: "Daniel Osei", pronouns: "he/him", locale: "en", timeZone: "America/Chicago", languages: ["en", "fr"], disciplines: ["physician"], memberships: { society: "leader" } },
  { handle: "mei.tanaka", name: "Mei Tanaka", pronouns: "she/her", locale: null, timeZone: "America/Los_Angeles", languages: ["en", "ja"], disciplines: ["nurse"], memberships: { society: "leader" } },
  { handle: "alex.nowak", name: "Alex Nowak", pronouns: "they/them", locale: "en", timeZone: "America/Chicago", languages: ["en", "pl"], disciplines: ["social_worker"], memberships: { society: "member" } },
  { handle: "fatima.al-sayed", name: "Fatima Al-Sayed", pronouns: "she/her", locale: "en", timeZone: "America/Detroit", languages: ["en", "ar"], disciplines: ["physician"], memberships: { society: "member" } },
  { handle: "jamal.washington", name: "Jamal Washington", pronouns: "he/him", locale: "en", timeZone: "America/New_York", languages: ["en"], disciplines: ["physician"], memberships: { society: "member" } },
  { handle: "ingrid.berg", name: "Ingrid Berg", pronouns: null, locale: "en", timeZone: "America/Chicago", languages: ["en", "nb"], disciplines: ["psychologist"], memberships: { society: "member" } },
  { handle: "tomas.novak", name: "Tomáš Novák", pronouns: "he/him", locale: null, timeZone: "America/Chicago", languages: ["en", "cs"], disciplines: ["physician"], memberships: { society: "member" } },
  { handle: "aroha.ngata", name: "Aroha Ngata", pronouns: "she/her", locale: "en", timeZone: "America/Denver", languages: ["en"], disciplines: ["nurse"], memberships: { society: "member" } },
  { handle: "chen.wei", name: "Chen Wei", pronouns: "he/him", locale: "en", timeZone: "America/Los_Angeles", languages: ["en", "zh"], disciplines: ["physician"], memberships: { society: "member" } },
  { handle: "nadia.haddad", name: "Nadia Haddad", pronouns: "she/her", locale: "en", timeZone: "America/New_York", languages: ["en", "ar", "fr"], disciplines: ["psychotherapist"], memberships: { society: "member", residency: "leader" } },
  // Riverside Family Medicine Residency
  { handle: "grace.whitfield", name: "Grace Whitfield", pronouns: "she/her", locale: "en", timeZone: "America/Denver", languages: ["en"], disciplines: ["physician"], memberships: { residency: "owner" } },
  { handle: "rafael.duarte", name: "Rafael Duarte", pronouns: "he/him", locale: "en", timeZone: "America/Denver", languages: ["en", "pt"], disciplines: ["physician"], memberships: { residency: "coordinator" } },
  { handle: "hana.kim", name: "Hana Kim", pronouns: "she/her", locale: "en", timeZone: "America/Denver", languages: ["en", "ko"], disciplines: ["psychologist"], memberships: { residency: "leader" } },
  { handle: "oluwaseun.adeyemi", name: "Oluwaseun Adeyemi", pronouns: "he/him", locale: "en", timeZone: "America/Denver", languages: ["en", "yo"], disciplines: ["resident"], memberships: { residency: "member" } },
  { handle: "emily.hart", name: "Emily Hart", pronouns: "she/her", locale: "en", timeZone: "America/Denver", languages: ["en"], disciplines: ["resident"], memberships: { residency: "member" } },
  { handle: "arjun.mehta", name: "Arjun Mehta", pronouns: "he/him", locale: "en", timeZone: "America/Denver", languages: ["en", "hi"], disciplines: ["resident"], memberships: { residency: "member" } },
  { handle: "lucia.romero", name: "Lucía Romero", pronouns: "she/her", locale: "es", timeZone: "America/Denver", languages: ["es", "en"], disciplines: ["resident"], memberships: { residency: "member" } },
  { handle: "sam.begay", name: "Sam Begay", pronouns: "they/them", locale: "en", timeZone: "America/Phoenix", languages: ["en"], disciplines: ["resident"], memberships: { residency: "member" } },
  { handle: "nguyen.thi.lan", name: "Nguyễn Thị Lan", pronouns: "she/her", locale: "en", timeZone: "America/Denver", languages: ["en", "vi"], disciplines: ["resident"], memberships: { residency: "member" } },
  { handle: "yusuf.demir", name: "Yusuf Demir", pronouns: "he/him", locale: "en", timeZone: "America/Denver", languages: ["en", "tr"], disciplines: ["resident"], memberships: { residency: "member" } },
  { handle: "claire.dubois", name: "Claire Dubois", pronouns: "she/her", locale: null, timeZone: "America/Denver", languages: ["en", "fr"], disciplines: ["medical_student"], memberships: { residency: "member" } },
  { handle: "marcus.lee", name: "Marcus Lee", pronouns: "he/him", locale: "en", timeZone: "America/Denver", languages: ["en"], disciplines: ["resident"], memberships: { residency: "member" } },
  // Hospital Clínico San Rafael · Bienestar (Spanish-language well-being service)
  { handle: "carmen.ruiz", name: "Carmen Ruiz Ortega", pronouns: "ella", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "ca"], disciplines: ["psychologist"], memberships: { hospital: "owner" } },
  { handle: "javier.moreno", name: "Javier Moreno Gil", pronouns: "él", locale: "es", timeZone: "Europe/Madrid", languages: ["es"], disciplines: ["physician"], memberships: { hospital: "admin" } },
  { handle: "lucia.fernandez", name: "Lucía Fernández Vidal", pronouns: "ella", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "gl"], disciplines: ["nurse"], memberships: { hospital: "coordinator" } },
  { handle: "aitor.etxeberria", name: "Aitor Etxeberria", pronouns: "él", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "eu"], disciplines: ["psychotherapist"], memberships: { hospital: "leader" } },
  { handle: "montserrat.puig", name: "Montserrat Puig", pronouns: "ella", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "ca"], disciplines: ["psychologist"], memberships: { hospital: "leader" } },
  { handle: "pablo.sanchez", name: "Pablo Sánchez Rey", pronouns: "él", locale: "es", timeZone: "Europe/Madrid", languages: ["es"], disciplines: ["resident"], memberships: { hospital: "member" } },
  { handle: "ines.castro", name: "Inés Castro León", pronouns: "ella", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "pt"], disciplines: ["nurse"], memberships: { hospital: "member" } },
  { handle: "youssef.benali", name: "Youssef Benali", pronouns: "él", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "ar", "fr"], disciplines: ["physician"], memberships: { hospital: "member" } },
  { handle: "ana.ionescu", name: "Ana Ionescu", pronouns: "ella", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "ro"], disciplines: ["nurse"], memberships: { hospital: "member" } },
  { handle: "diego.herrera", name: "Diego Herrera", pronouns: null, locale: "es", timeZone: "America/Bogota", languages: ["es"], disciplines: ["social_worker"], memberships: { hospital: "member" } },
  { handle: "alba.navarro", name: "Alba Navarro", pronouns: "elle", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "en"], disciplines: ["other_health_professional"], memberships: { hospital: "member" } },
  { handle: "mateo.silva", name: "Mateo Silva", pronouns: "él", locale: "es", timeZone: "Europe/Madrid", languages: ["es", "pt"], disciplines: ["resident"], memberships: { hospital: "member", society: "member" } },
];

/**
 * The people: the hand-written ones above plus about 160 generated members and leaders
 * (people-extra.ts, deterministic), about 200 in all.
 */
const GENERATED_PEOPLE = generatedPeople(new Set(CORE_PEOPLE.map((p) => p.handle)));
export const DEMO_PEOPLE: DemoPerson[] = [...CORE_PEOPLE, ...GENERATED_PEOPLE];
export const DEMO_GENERATED_HANDLES: ReadonlySet<string> = new Set(GENERATED_PEOPLE.map((p) => p.handle));

export const demoEmail = (handle: string) => `${handle}@${DEMO_DOMAIN}`;

/** Accounts worth printing: one per kind of person someone trying the demo wants to be. */
export const DEMO_SHOWCASE: Array<{ label: string; handle: string }> = [
  { label: "Owner, Northlake Balint Society", handle: "amara.okafor" },
  { label: "Coordinator, Riverside Family Medicine Residency", handle: "rafael.duarte" },
  { label: "Leader (and member of two organisations)", handle: "nadia.haddad" },
  { label: "Member, resident", handle: "emily.hart" },
  { label: "Propietaria (español), Hospital Clínico San Rafael", handle: "carmen.ruiz" },
];

export interface DemoContext {
  services: AppServices;
  prng: Prng;
  /** Fixed "now" for the history, so timestamps are stable relative to it. */
  now: Date;
  userIds: Map<string, string>;
}

/** True when the installation holds no organisation and no person yet. */
export async function isEmptyInstallation(db: Executor): Promise<boolean> {
  const [orgs] = await db.select({ n: count() }).from(organisation);
  const [people] = await db.select({ n: count() }).from(user);
  return (orgs?.n ?? 0) === 0 && (people?.n ?? 0) === 0;
}

export async function seedOrganisations(tx: Executor, ctx: DemoContext): Promise<void> {
  for (const org of DEMO_ORGANISATIONS) {
    const createdAt = new Date(ctx.now.getTime() - ctx.prng.int(200, 400) * 86_400_000);
    await tx.insert(organisation).values({
      id: org.id,
      slug: org.slug,
      name: org.name,
      kind: org.kind,
      defaultLocale: org.defaultLocale,
      timeZone: org.timeZone,
      settings: { minimumCellSize: 5, contactEmail: `wellbeing@${DEMO_DOMAIN}` },
      createdAt,
      updatedAt: createdAt,
    });
  }
  // The installation is set up: the first organisation is the one setup would have made.
  await tx.insert(installation).values({ id: "singleton", organisationId: DEMO_ORGANISATIONS[0]!.id });
}

export async function seedPeople(tx: Executor, ctx: DemoContext, passwordHash: string): Promise<void> {
  for (const person of DEMO_PEOPLE) {
    const id = `demo_${person.handle.replace(/[^a-z0-9]/g, "_")}`;
    const createdAt = new Date(ctx.now.getTime() - ctx.prng.int(30, 190) * 86_400_000);
    await tx.insert(user).values({ id, name: person.name, email: demoEmail(person.handle), emailVerified: true, createdAt, updatedAt: createdAt });
    await tx.insert(account).values({ id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: passwordHash, createdAt, updatedAt: createdAt });
    await tx.insert(profile).values({
      userId: id,
      pronouns: person.pronouns,
      disciplines: person.disciplines,
      languages: person.languages,
      timeZone: person.timeZone,
      locale: person.locale,
      updatedAt: createdAt,
    });
    ctx.userIds.set(person.handle, id);
  }
}

export async function seedMemberships(tx: Executor, ctx: DemoContext): Promise<void> {
  for (const person of DEMO_PEOPLE) {
    for (const [key, role] of Object.entries(person.memberships) as Array<[DemoOrgKey, Role]>) {
      const org = DEMO_ORGANISATIONS.find((o) => o.key === key)!;
      const createdAt = new Date(ctx.now.getTime() - ctx.prng.int(10, 180) * 86_400_000);
      await tx.insert(membership).values({ organisationId: org.id, userId: ctx.userIds.get(person.handle)!, role, createdAt, updatedAt: createdAt });
    }
  }
}

/** Pending invitations (not yet answered) and accepted ones (for people who joined that way). */
export async function seedInvitations(tx: Executor, ctx: DemoContext): Promise<void> {
  const token = (label: string) => createHash("sha256").update(`demo-invitation:${label}:${ctx.prng.next()}`).digest("hex");
  const owners: Record<DemoOrgKey, string> = { society: "amara.okafor", residency: "grace.whitfield", hospital: "carmen.ruiz" };
  const pending: Array<{ org: DemoOrgKey; email: string; role: Role; invitedBy: string }> = [
    { org: "society", email: `leila.farahani@${DEMO_DOMAIN}`, role: "leader", invitedBy: "henrik.lindqvist" },
    { org: "society", email: `bjorn.eriksen@${DEMO_DOMAIN}`, role: "member", invitedBy: "priya.raman" },
    { org: "residency", email: `zoe.campbell@${DEMO_DOMAIN}`, role: "member", invitedBy: "rafael.duarte" },
    { org: "residency", email: `kenji.watanabe@${DEMO_DOMAIN}`, role: "member", invitedBy: "rafael.duarte" },
    { org: "hospital", email: `rocio.jimenez@${DEMO_DOMAIN}`, role: "member", invitedBy: "lucia.fernandez" },
    { org: "hospital", email: `marta.lopez@${DEMO_DOMAIN}`, role: "leader", invitedBy: "carmen.ruiz" },
  ];
  for (const p of pending) {
    const org = DEMO_ORGANISATIONS.find((o) => o.key === p.org)!;
    const createdAt = new Date(ctx.now.getTime() - ctx.prng.int(1, 5) * 86_400_000);
    await tx.insert(invitation).values({
      organisationId: org.id,
      email: p.email,
      role: p.role,
      tokenHash: createHash("sha256").update(token(p.email)).digest("hex"),
      invitedByUserId: ctx.userIds.get(p.invitedBy)!,
      status: "pending",
      expiresAt: new Date(createdAt.getTime() + 14 * 86_400_000),
      createdAt,
    });
  }
  // Everyone who is not an owner joined by accepting an invitation from their organisation's owner.
  for (const person of DEMO_PEOPLE) {
    for (const [key, role] of Object.entries(person.memberships) as Array<[DemoOrgKey, Role]>) {
      if (role === "owner") continue;
      const org = DEMO_ORGANISATIONS.find((o) => o.key === key)!;
      const createdAt = new Date(ctx.now.getTime() - ctx.prng.int(60, 200) * 86_400_000);
      await tx.insert(invitation).values({
        organisationId: org.id,
        email: demoEmail(person.handle),
        role,
        tokenHash: createHash("sha256").update(token(`${key}:${person.handle}`)).digest("hex"),
        invitedByUserId: ctx.userIds.get(owners[key])!,
        status: "accepted",
        expiresAt: new Date(createdAt.getTime() + 14 * 86_400_000),
        acceptedByUserId: ctx.userIds.get(person.handle)!,
        acceptedAt: new Date(createdAt.getTime() + ctx.prng.int(1, 72) * 3_600_000),
        createdAt,
      });
    }
  }
}

/** A plausible recent history: sign-ins, invitations, role changes, profile updates. Identifiers only. */
export async function seedAuditEvents(tx: Executor, ctx: DemoContext): Promise<number> {
  const rows: Array<typeof auditEvent.$inferInsert> = [];
  const add = (orgKey: DemoOrgKey | null, handle: string, action: string, daysAgo: number, target?: { type: string; id: string }, details: AuditDetails = {}) => {
    assertAuditDetails(details);
    const org = orgKey ? DEMO_ORGANISATIONS.find((o) => o.key === orgKey)! : null;
    rows.push({
      organisationId: org?.id ?? null,
      actorUserId: ctx.userIds.get(handle)!,
      actorKind: "user",
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      details,
      ipAddress: `192.0.2.${ctx.prng.int(2, 250)}`, // TEST-NET-1: documentation addresses
      requestId: null,
      createdAt: new Date(ctx.now.getTime() - daysAgo * 86_400_000 - ctx.prng.int(0, 86_399) * 1000),
    });
  };
  add("society", "amara.okafor", "setup.completed", 300, { type: "organisation", id: DEMO_ORGANISATIONS[0]!.id });
  for (const person of DEMO_PEOPLE) {
    for (const [key, role] of Object.entries(person.memberships) as Array<[DemoOrgKey, Role]>) {
      if (role === "owner") continue;
      add(key, person.handle, "invitation.accepted", ctx.prng.int(60, 200), { type: "organisation", id: DEMO_ORGANISATIONS.find((o) => o.key === key)!.id }, { role });
    }
    const signIns = ctx.prng.int(1, 4);
    for (let i = 0; i < signIns; i++) add(null, person.handle, "auth.signed_in", ctx.prng.int(0, 45), undefined, { method: "sign-in/email" });
  }
  add("society", "henrik.lindqvist", "invitation.created", 3, { type: "invitation", id: "pending" }, { role: "leader" });
  add("society", "amara.okafor", "member.role_changed", 20, { type: "user", id: ctx.userIds.get("daniel.osei")! }, { from: "member", to: "leader" });
  add("residency", "grace.whitfield", "member.role_changed", 40, { type: "user", id: ctx.userIds.get("rafael.duarte")! }, { from: "leader", to: "coordinator" });
  add("hospital", "carmen.ruiz", "member.role_changed", 12, { type: "user", id: ctx.userIds.get("lucia.fernandez")! }, { from: "member", to: "coordinator" });
  add("hospital", "carmen.ruiz", "organisation.updated", 30, { type: "organisation", id: DEMO_ORGANISATIONS[2]!.id }, { field: "timeZone" });
  add(null, "sofia.marin", "profile.updated", 8, { type: "user", id: ctx.userIds.get("sofia.marin")! }, { field: "languages" });
  rows.sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime());
  for (const row of rows) await tx.insert(auditEvent).values(row);
  return rows.length;
}

/** A personal API token for the society's admin, made through the real service (it audits itself). */
export async function seedApiTokens(ctx: DemoContext): Promise<{ handle: string; token: string } | null> {
  const handle = "henrik.lindqvist";
  const userId = ctx.userIds.get(handle)!;
  const society = DEMO_ORGANISATIONS[0]!;
  const actor: Actor = { kind: "user", userId, memberships: new Map([[society.id, "admin" as Role]]) };
  const created = await ctx.services.apiTokens.create(actor, { name: "Membership sync (demo)", organisationId: society.id, permissions: ["organisation:read", "members:read"], expiresInDays: 90 });
  return { handle, token: created.token };
}

export interface DemoSeedResult {
  seeded: boolean;
  organisations: number;
  people: number;
  auditEvents: number;
  apiToken: { handle: string; token: string } | null;
  groups: number;
  /** Group memberships, attendance rows and meetings with attendance written by the groups seed. */
  groupStats: GroupsSeedResult | null;
  /** Anonymous feedback answered and bins closed (issue 4). */
  feedback: import("./feedback-seed.ts").FeedbackSeedResult | null;
  /** Meetings run with the companion and debriefs written (issue 4). */
  meetings: import("./meetings-seed.ts").MeetingsSeedResult | null;
  /** Training events and registrations (issue 6). */
  events: import("./events-seed.ts").EventsSeedResult | null;
  /** Learning library items and reading logs (issue 6). */
  library: Awaited<ReturnType<typeof import("./library-seed.ts").seedLibrary>> | null;
  /** Well-being campaigns, closed waves and answers (issue 5). */
  wellbeing: Awaited<ReturnType<typeof import("./wellbeing-seed.ts").seedWellbeing>> | null;
  /** Rosters, check-ins, certificates, an observation and a listed credential holder (issues 6–7). */
  eventsExtra: import("./events-extra-seed.ts").EventsExtraSeedResult | null;
  /** Accreditation pathways, candidates and evidence (issue 7). */
  accreditation: Awaited<ReturnType<typeof import("./accreditation-seed.ts").seedAccreditation>> | null;
  /** Supervision, applications and committee reviews (issue 7). */
  reviews: Awaited<ReturnType<typeof import("./accreditation-review-seed.ts").seedSupervisionAndReviews>> | null;
  /** How long seeding took. */
  durationMs: number;
}

/**
 * Seeds an empty installation; does nothing (seeded: false) when any organisation or person
 * already exists. All rows but the API token are written in one transaction.
 */
export async function seedDemo(services: AppServices, options: { now?: Date; seed?: number } = {}): Promise<DemoSeedResult> {
  const { db } = services.kernel;
  if (!(await isEmptyInstallation(db))) return { seeded: false, organisations: 0, people: 0, auditEvents: 0, apiToken: null, groups: 0, groupStats: null, feedback: null, meetings: null, events: null, library: null, accreditation: null, reviews: null, wellbeing: null, eventsExtra: null, durationMs: 0 };
  const started = performance.now();
  const ctx: DemoContext = { services, prng: createPrng(options.seed ?? 20_260_601), now: options.now ?? new Date(), userIds: new Map() };
  // One hash for the shared demo password (better-auth's own hasher, so sign-in accepts it).
  const passwordHash = await (await services.kernel.auth.$context).password.hash(DEMO_PASSWORD);
  let auditEvents = 0;
  await db.transaction(async (tx) => {
    await seedOrganisations(tx, ctx);
    await seedPeople(tx, ctx, passwordHash);
    await seedMemberships(tx, ctx);
    await seedInvitations(tx, ctx);
    auditEvents = await seedAuditEvents(tx, ctx);
  });
  const apiToken = await seedApiTokens(ctx);
  // Groups go through the groups service (outside the transaction above, like the API token).
  const { seedGroups } = await import("./groups-seed.ts");
  const groupStats = await seedGroups(ctx);
  // Anonymous feedback on the last months' meetings, through the feedback service (ADR 013).
  const feedback = await (await import("./feedback-seed.ts")).seedFeedback(services, { now: ctx.now });
  // The showcase leader ran her latest meetings with the companion and wrote debriefs (issue 4).
  const meetings = await (await import("./meetings-seed.ts")).seedMeetings(services, { now: ctx.now, leaderUserId: ctx.userIds.get("nadia.haddad")! });
  // Intensives (past and upcoming), a webinar and a workshop with registrations (issue 6).
  const events = await (await import("./events-seed.ts")).seedEvents(services, { now: ctx.now });
  // Two years of well-being check-ins, confidential and anonymous, with closed waves (issue 5).
  const wellbeing = await (await import("./wellbeing-seed.ts")).seedWellbeing(services, { now: ctx.now });
  // The learning library and a few reading logs (issue 6).
  const library = await (await import("./library-seed.ts")).seedLibrary(services, { now: ctx.now });
  // Accreditation (issue 7): pathways and candidates at different stages, then supervision, applications and reviews.
  const accreditation = await (await import("./accreditation-seed.ts")).seedAccreditation(services, { now: ctx.now });
  const reviews = await (await import("./accreditation-review-seed.ts")).seedSupervisionAndReviews(services, { now: ctx.now });
  // The past intensive's roster, check-ins, certificates and a faculty observation; a credentialed leader listed in /leaders (issues 6–7).
  const eventsExtra = await (await import("./events-extra-seed.ts")).seedEventsExtra(services, { now: ctx.now });
  const durationMs = Math.round(performance.now() - started);
  services.kernel.logger.info({ durationMs, people: DEMO_PEOPLE.length, ...groupStats }, `demo data seeded in ${(durationMs / 1000).toFixed(1)} s`);
  return { seeded: true, organisations: DEMO_ORGANISATIONS.length, people: DEMO_PEOPLE.length, auditEvents, apiToken, groups: groupStats.groups, groupStats, feedback, meetings, events, library, accreditation, reviews, wellbeing, eventsExtra, durationMs };
}
