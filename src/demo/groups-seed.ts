import type { Actor } from "../platform/policy/policy.ts";
import type { Role } from "../platform/tenancy/schema.ts";
import { DEMO_GENERATED_HANDLES, DEMO_ORGANISATIONS, DEMO_PEOPLE, type DemoContext, type DemoOrgKey, type DemoPerson } from "./seed.ts";

/**
 * Thirty Balint groups over the three organisations, with a year of history, all written through
 * the groups and sessions services (so every rule, lock and audit entry applies):
 *
 * - first meetings about a year ago, some later, three not started yet; weekly, fortnightly and
 *   monthly rhythms; online, in person and hybrid; English, Spanish and bilingual groups; groups
 *   in America/Chicago, Denver, New_York, Los_Angeles, Mexico_City, Europe/Madrid and Australia/Sydney;
 * - leaders and co-leaders; listed, unlisted and private groups;
 * - a cancelled and a moved meeting in the past, and upcoming ones; summer breaks as pauses;
 * - attendance recorded after each past meeting (mostly present, some absent or excused; a few
 *   people joined later), except in a few groups whose last meetings are still unrecorded, so the
 *   leader's nudge shows;
 * - terms that ended, and one group that started a new term with the same members;
 * - members who left; pending join requests with short logistic notes; a full group with a waitlist;
 * - "can't come" answers for upcoming meetings with a short logistic note (never case content).
 *
 * The services accept a `now` for past-dated work (recordAttendance, rsvp); group creation accepts
 * a first meeting in the past, so nothing is written around the rules.
 */

type Weekday = "MO" | "TU" | "WE" | "TH" | "FR" | "SA";
type LeaderRef = string; // a handle, or "@n": the organisation's n-th generated leader

interface GroupPlan {
  org: DemoOrgKey;
  slug: string;
  name: string;
  description: string;
  format: "online" | "in_person" | "hybrid";
  languages: string[];
  disciplines: string[];
  timeZone?: string;
  freq: "weekly" | "fortnightly" | "monthly";
  weekday: Weekday;
  time: string;
  /** Weeks before `now` of the first meeting (negative: the group has not started yet). */
  startWeeksAgo: number;
  count: number;
  durationMinutes: number;
  firstDurationMinutes?: number;
  capacity: number;
  /** Active members at the end (before leavers leave). */
  members: number;
  include?: string[];
  leaders: [LeaderRef, LeaderRef?];
  visibility?: "listed" | "unlisted" | "private";
  ceCredit?: string;
  pause?: "summer" | "august" | "southern_summer";
  cancelPast?: boolean;
  movePast?: boolean;
  cancelUpcoming?: boolean;
  moveUpcoming?: boolean;
  /** The last N past meetings have no attendance yet (the leader's nudge). */
  overdue?: number;
  termEnded?: boolean;
  newTerm?: { startWeeksAgo: number; count: number };
  waitlist?: number;
  pending?: number;
  leavers?: number;
  /** Prefer people in these time zones (an Australian group). */
  preferZones?: string[];
  /** Prefer people who speak this language. */
  preferLanguage?: string;
}

const CE = "Approved for 1.5 CE credits per meeting (demo text).";

export const GROUP_PLANS: GroupPlan[] = [
  // ---- Northlake Balint Society (12) -------------------------------------------------------
  { org: "society", slug: "tuesday-evening-online", name: "Tuesday evening online group", description: "A monthly online Balint group for clinicians of every discipline. The first meeting is longer, so we can get to know each other.", format: "online", languages: ["en"], disciplines: [], freq: "monthly", weekday: "TU", time: "19:00", startWeeksAgo: 50, count: 18, durationMinutes: 90, firstDurationMinutes: 120, capacity: 10, members: 8, leaders: ["sofia.marin", "@0"], ceCredit: CE, cancelPast: true },
  { org: "society", slug: "physicians-circle", name: "Physicians' circle (in person)", description: "A fortnightly in-person group for practising physicians, in the society's meeting room downtown.", format: "in_person", languages: ["en"], disciplines: ["physicians"], freq: "fortnightly", weekday: "TH", time: "18:30", startWeeksAgo: 52, count: 32, durationMinutes: 90, capacity: 8, members: 8, leaders: ["daniel.osei", "@1"], ceCredit: CE, waitlist: 3 },
  { org: "society", slug: "grupo-balint-en-espanol", name: "Grupo Balint en español (en línea)", description: "Un grupo Balint mensual en español para profesionales de la salud de todo el país.", format: "online", languages: ["es"], disciplines: [], freq: "monthly", weekday: "WE", time: "20:00", startWeeksAgo: 46, count: 16, durationMinutes: 90, capacity: 9, members: 6, leaders: ["sofia.marin"], pause: "summer", preferLanguage: "es" },
  { org: "society", slug: "nurses-psychologists-mornings", name: "Nurses and psychologists, mornings", description: "A weekly early-morning group for nurses and psychologists, online, before clinics start.", format: "online", languages: ["en"], disciplines: ["nurses", "psychologists"], freq: "weekly", weekday: "MO", time: "07:30", startWeeksAgo: 26, count: 40, durationMinutes: 60, capacity: 8, members: 6, leaders: ["mei.tanaka"], overdue: 2 },
  { org: "society", slug: "asia-pacific-evenings", name: "Asia-Pacific evening group (online)", description: "For members in Australia and New Zealand: a fortnightly online group at a civil hour in Sydney.", format: "online", languages: ["en"], disciplines: [], timeZone: "Australia/Sydney", freq: "fortnightly", weekday: "WE", time: "19:30", startWeeksAgo: 44, count: 30, durationMinutes: 90, capacity: 10, members: 6, leaders: ["@2", "@3"], pause: "southern_summer", preferZones: ["Australia/Sydney", "Australia/Melbourne", "Pacific/Auckland"] },
  { org: "society", slug: "east-coast-lunchtime", name: "East Coast lunchtime group", description: "Weekly at lunchtime Eastern time; join in the room or online.", format: "hybrid", languages: ["en"], disciplines: [], timeZone: "America/New_York", freq: "weekly", weekday: "TH", time: "12:00", startWeeksAgo: 52, count: 60, durationMinutes: 75, capacity: 12, members: 10, leaders: ["miriam.cohen", "henrik.lindqvist"], pause: "summer", movePast: true, moveUpcoming: true, leavers: 1 },
  { org: "society", slug: "pacific-evenings", name: "Pacific evening group", description: "A fortnightly online group on Pacific time, open to every discipline.", format: "online", languages: ["en"], disciplines: [], timeZone: "America/Los_Angeles", freq: "fortnightly", weekday: "MO", time: "18:00", startWeeksAgo: 30, count: 26, durationMinutes: 90, capacity: 10, members: 7, leaders: ["mei.tanaka", "@4"], pending: 2 },
  { org: "society", slug: "leader-development", name: "Leader development group", description: "A monthly group for members training to lead Balint groups, with a supervisor.", format: "online", languages: ["en"], disciplines: [], freq: "monthly", weekday: "FR", time: "16:00", startWeeksAgo: 48, count: 10, durationMinutes: 120, capacity: 8, members: 5, leaders: ["kwame.mensah", "miriam.cohen"], termEnded: true },
  { org: "society", slug: "psychotherapists-counsellors", name: "Psychotherapists and counsellors", description: "A fortnightly online group for psychotherapists and counsellors.", format: "online", languages: ["en"], disciplines: ["psychotherapists"], freq: "fortnightly", weekday: "TU", time: "20:00", startWeeksAgo: 20, count: 24, durationMinutes: 90, capacity: 8, members: 5, leaders: ["@5"], pending: 1 },
  { org: "society", slug: "thursday-mornings-new", name: "Thursday morning group (starting soon)", description: "A new weekly online group, early on Thursdays. Requests are open.", format: "online", languages: ["en"], disciplines: [], freq: "weekly", weekday: "TH", time: "07:30", startWeeksAgo: -3, count: 20, durationMinutes: 60, capacity: 10, members: 3, leaders: ["daniel.osei"], pending: 2 },
  { org: "society", slug: "saturday-intensive", name: "Saturday intensive (by link)", description: "A monthly three-hour Saturday group; shared by link with the society's partner programmes.", format: "in_person", languages: ["en"], disciplines: [], freq: "monthly", weekday: "SA", time: "10:00", startWeeksAgo: 36, count: 12, durationMinutes: 180, capacity: 12, members: 9, leaders: ["priya.raman", "@0"], visibility: "unlisted", ceCredit: CE },
  { org: "society", slug: "chairs-peer-group", name: "Chairs' peer group", description: "A private monthly group for the society's committee chairs.", format: "online", languages: ["en"], disciplines: [], freq: "monthly", weekday: "MO", time: "19:00", startWeeksAgo: 52, count: 14, durationMinutes: 90, capacity: 6, members: 4, leaders: ["miriam.cohen"], visibility: "private", pause: "summer" },
  // ---- Riverside Family Medicine Residency (9) ---------------------------------------------
  { org: "residency", slug: "pgy1-wednesday", name: "PGY-1 Wednesday group", description: "A protected hour for first-year residents, in the conference room.", format: "in_person", languages: ["en"], disciplines: ["residents"], freq: "weekly", weekday: "WE", time: "12:00", startWeeksAgo: 21, count: 40, durationMinutes: 60, capacity: 12, members: 11, leaders: ["nadia.haddad", "@0"], cancelPast: true, overdue: 2 },
  { org: "residency", slug: "pgy23-hybrid", name: "PGY-2/3 hybrid group", description: "Second- and third-year residents; join in the room or online.", format: "hybrid", languages: ["en"], disciplines: ["residents"], freq: "weekly", weekday: "TU", time: "12:15", startWeeksAgo: 52, count: 28, durationMinutes: 60, capacity: 10, members: 8, include: ["emily.hart"], leaders: ["hana.kim", "nadia.haddad"], newTerm: { startWeeksAgo: 18, count: 36 } },
  { org: "residency", slug: "faculty-balint", name: "Faculty Balint group", description: "Monthly group for teaching faculty.", format: "in_person", languages: ["en"], disciplines: ["physicians"], freq: "monthly", weekday: "TH", time: "17:30", startWeeksAgo: 50, count: 14, durationMinutes: 90, capacity: 8, members: 6, leaders: ["kwame.mensah"], pause: "summer", ceCredit: "1.5 AAFP Prescribed credits per meeting (demo text)." },
  { org: "residency", slug: "mixed-evenings", name: "Mixed disciplines, evenings", description: "Residents, nurses and behavioural health colleagues together, online.", format: "online", languages: ["en", "es"], disciplines: [], freq: "fortnightly", weekday: "MO", time: "19:30", startWeeksAgo: 40, count: 28, durationMinutes: 75, capacity: 10, members: 8, include: ["emily.hart"], leaders: ["@1", "hana.kim"], moveUpcoming: true, cancelUpcoming: true, leavers: 1 },
  { org: "residency", slug: "intern-orientation", name: "Intern orientation group", description: "Eight weekly meetings for new interns in their first months.", format: "in_person", languages: ["en"], disciplines: ["residents"], freq: "weekly", weekday: "TH", time: "13:00", startWeeksAgo: 40, count: 8, durationMinutes: 60, capacity: 12, members: 10, leaders: ["nadia.haddad"], termEnded: true },
  { org: "residency", slug: "nursing-behavioural-health", name: "Nursing and behavioural health", description: "A fortnightly early-morning group for nurses and behavioural health staff.", format: "in_person", languages: ["en"], disciplines: ["nurses", "social_workers"], freq: "fortnightly", weekday: "WE", time: "07:30", startWeeksAgo: 34, count: 30, durationMinutes: 60, capacity: 10, members: 6, leaders: ["@2"], pending: 2 },
  { org: "residency", slug: "grupo-clinica-espanol", name: "Grupo Balint de la clínica (español)", description: "Un grupo mensual en español para el personal de la clínica.", format: "online", languages: ["es"], disciplines: [], freq: "monthly", weekday: "TU", time: "18:00", startWeeksAgo: 24, count: 12, durationMinutes: 90, capacity: 8, members: 4, leaders: ["rafael.duarte"], pending: 1, preferLanguage: "es" },
  { org: "residency", slug: "pgy3-capstone", name: "PGY-3 capstone group", description: "A fortnightly group for residents in their final year.", format: "in_person", languages: ["en"], disciplines: ["residents"], freq: "fortnightly", weekday: "FR", time: "12:00", startWeeksAgo: 16, count: 20, durationMinutes: 60, capacity: 8, members: 7, leaders: ["@0"], overdue: 1 },
  { org: "residency", slug: "spring-hybrid-new", name: "Second-year spring group (starting soon)", description: "A new weekly hybrid group for second-year residents. Ask for a place.", format: "hybrid", languages: ["en"], disciplines: ["residents"], freq: "weekly", weekday: "MO", time: "12:00", startWeeksAgo: -5, count: 16, durationMinutes: 60, capacity: 10, members: 2, leaders: ["hana.kim"], pending: 3 },
  // ---- Hospital Clínico San Rafael · Bienestar (9) -----------------------------------------
  { org: "hospital", slug: "grupo-de-los-martes", name: "Grupo de los martes (presencial)", description: "Grupo Balint semanal para el personal del hospital, en la sala de docencia.", format: "in_person", languages: ["es"], disciplines: [], freq: "weekly", weekday: "TU", time: "14:30", startWeeksAgo: 52, count: 60, durationMinutes: 90, capacity: 10, members: 9, leaders: ["aitor.etxeberria", "montserrat.puig"], pause: "august", cancelPast: true, movePast: true, leavers: 1 },
  { org: "hospital", slug: "enfermeria-mensual", name: "Enfermería: grupo mensual", description: "Un espacio mensual para enfermeras y enfermeros; en la sala o en línea.", format: "hybrid", languages: ["es"], disciplines: ["nurses"], freq: "monthly", weekday: "WE", time: "15:00", startWeeksAgo: 50, count: 14, durationMinutes: 90, capacity: 10, members: 8, leaders: ["montserrat.puig"], pause: "august" },
  { org: "hospital", slug: "residentes-mir", name: "Residentes MIR (en línea)", description: "Grupo quincenal en línea para residentes.", format: "online", languages: ["es", "ca"], disciplines: ["residents"], freq: "fortnightly", weekday: "TH", time: "20:00", startWeeksAgo: 44, count: 30, durationMinutes: 75, capacity: 9, members: 7, leaders: ["@0", "@1"], overdue: 2 },
  { org: "hospital", slug: "grupo-bilingue", name: "Grupo bilingüe / bilingual group", description: "Español e inglés; para profesionales internacionales del hospital.", format: "online", languages: ["es", "en"], disciplines: [], freq: "fortnightly", weekday: "MO", time: "18:00", startWeeksAgo: 30, count: 24, durationMinutes: 60, capacity: 8, members: 5, leaders: ["sofia.marin"], pending: 1, preferLanguage: "en" },
  { org: "hospital", slug: "urgencias-mediodia", name: "Urgencias: grupo de mediodía", description: "Grupo semanal para el servicio de urgencias, a mediodía.", format: "in_person", languages: ["es"], disciplines: [], freq: "weekly", weekday: "TH", time: "13:30", startWeeksAgo: 38, count: 46, durationMinutes: 60, capacity: 12, members: 10, leaders: ["@2"], pause: "august", moveUpcoming: true },
  { org: "hospital", slug: "atencion-primaria", name: "Atención primaria (centros de salud)", description: "Grupo quincenal para médicos y enfermeras de los centros de salud del área.", format: "hybrid", languages: ["es"], disciplines: ["physicians", "nurses"], freq: "fortnightly", weekday: "WE", time: "16:00", startWeeksAgo: 52, count: 30, durationMinutes: 90, capacity: 10, members: 7, leaders: ["aitor.etxeberria"], pause: "august", cancelUpcoming: true },
  { org: "hospital", slug: "grupo-latinoamericano", name: "Grupo Balint latinoamericano (en línea)", description: "Un grupo mensual en línea para colegas de América Latina, los sábados por la mañana.", format: "online", languages: ["es"], disciplines: [], timeZone: "America/Mexico_City", freq: "monthly", weekday: "SA", time: "10:00", startWeeksAgo: 28, count: 14, durationMinutes: 120, capacity: 10, members: 6, leaders: ["sofia.marin", "@3"], pending: 1, preferZones: ["America/Bogota", "America/Mexico_City"] },
  { org: "hospital", slug: "pediatria-neonatologia", name: "Pediatría y neonatología", description: "Grupo quincenal para el área materno-infantil.", format: "in_person", languages: ["es"], disciplines: [], freq: "fortnightly", weekday: "MO", time: "14:00", startWeeksAgo: 12, count: 20, durationMinutes: 75, capacity: 8, members: 6, leaders: ["@3"] },
  { org: "hospital", slug: "nuevo-grupo-jueves", name: "Nuevo grupo de los jueves (inscripción abierta)", description: "Un grupo nuevo, semanal y en línea. Empieza pronto: pide tu plaza.", format: "online", languages: ["es"], disciplines: [], freq: "weekly", weekday: "TH", time: "19:00", startWeeksAgo: -2, count: 20, durationMinutes: 75, capacity: 10, members: 0, leaders: ["montserrat.puig"], pending: 2 },
];

const WEEKDAY_INDEX: Record<Weekday, number> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };
const DISCIPLINE_OF: Record<string, string> = { residents: "resident", physicians: "physician", nurses: "nurse", psychologists: "psychologist", social_workers: "social_worker", psychotherapists: "psychotherapist" };
const DAY = 86_400_000;

/** Short logistic notes: never anything about patients or cases. */
const CANT_COME_NOTES_EN = ["On call that evening, sorry.", "Travelling for a conference.", "Clinic runs late that day.", "Childcare fell through; back next time.", "On nights this week.", "Away on annual leave."];
const CANT_COME_NOTES_ES = ["Estoy de guardia ese día.", "Viaje a un congreso.", "La consulta se alarga ese día.", "De vacaciones esa semana.", "Turno de noche esa semana."];
const REQUEST_NOTES_EN = ["I can make most Mondays; nights rotation in March.", "New to Balint work; I'd like to join from the next meeting.", "Happy to join online if the room is full.", ""];
const REQUEST_NOTES_ES = ["Puedo asistir casi todas las semanas salvo en guardias.", "Me incorporo al servicio este mes.", ""];

function actorFor(ctx: DemoContext, person: DemoPerson): Actor {
  const memberships = new Map<string, Role>();
  for (const [key, role] of Object.entries(person.memberships)) memberships.set(DEMO_ORGANISATIONS.find((o) => o.key === key)!.id, role as Role);
  return { kind: "user", userId: ctx.userIds.get(person.handle)!, memberships };
}

const utcDate = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** The first date on or after `from` (UTC calendar) that falls on `weekday`. */
function nextWeekday(from: Date, weekday: number): Date {
  const d = utcDate(from);
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

function schedule(plan: Pick<GroupPlan, "freq" | "weekday" | "time" | "durationMinutes" | "firstDurationMinutes">, startWeeksAgo: number, count: number, now: Date) {
  const start = nextWeekday(new Date(now.getTime() - startWeeksAgo * 7 * DAY), WEEKDAY_INDEX[plan.weekday]);
  // The n-th weekday of the month; a 5th one (29th–31st) is the month's last ("-1").
  const nth = start.getUTCDate() > 28 ? -1 : Math.ceil(start.getUTCDate() / 7);
  const rrule =
    plan.freq === "monthly"
      ? `FREQ=MONTHLY;BYDAY=${nth}${plan.weekday};COUNT=${count}`
      : `FREQ=WEEKLY;${plan.freq === "fortnightly" ? "INTERVAL=2;" : ""}BYDAY=${plan.weekday};COUNT=${count}`;
  return {
    rrule,
    dtstartLocal: `${isoDate(start)}T${plan.time}`,
    durationMinutes: plan.durationMinutes,
    ...(plan.firstDurationMinutes ? { firstDurationMinutes: plan.firstDurationMinutes } : {}),
  };
}

/** The most recent break of this kind that began before `now` (summer: 1 July–31 August, etc.). */
function pauseDates(kind: NonNullable<GroupPlan["pause"]>, now: Date): { startDate: string; endDate: string } {
  const y = now.getUTCFullYear();
  if (kind === "southern_summer") {
    const year = now.getTime() >= Date.UTC(y, 11, 20) ? y : y - 1;
    return { startDate: `${year}-12-20`, endDate: `${year + 1}-01-31` };
  }
  const [from, to] = kind === "summer" ? ["07-01", "08-31"] : ["08-01", "08-31"];
  const year = now.getTime() >= Date.parse(`${y}-${from}T00:00:00Z`) ? y : y - 1;
  return { startDate: `${year}-${from}`, endDate: `${year}-${to}` };
}

export interface GroupsSeedResult {
  groups: number;
  memberships: number;
  attendanceRecords: number;
  meetingsRecorded: number;
}

export async function seedGroups(ctx: DemoContext): Promise<GroupsSeedResult> {
  const { groups, sessions } = ctx.services;
  const { prng, now } = ctx;
  const byHandle = new Map(DEMO_PEOPLE.map((p) => [p.handle, p]));
  const groupCount = new Map<string, number>();
  const result: GroupsSeedResult = { groups: 0, memberships: 0, attendanceRecords: 0, meetingsRecorded: 0 };

  for (const plan of GROUP_PLANS) {
    const org = DEMO_ORGANISATIONS.find((o) => o.key === plan.org)!;
    const orgPeople = DEMO_PEOPLE.filter((p) => p.memberships[plan.org]);
    const generatedLeaders = orgPeople.filter((p) => p.memberships[plan.org] === "leader" && DEMO_GENERATED_HANDLES.has(p.handle));
    const resolve = (ref: LeaderRef) => (ref.startsWith("@") ? generatedLeaders[Number(ref.slice(1))]! : byHandle.get(ref)!);
    const leaders = plan.leaders.filter((l): l is string => !!l).map(resolve);
    const lead = leaders[0]!;
    const leadActor = actorFor(ctx, lead);
    const manager = orgPeople.find((p) => p.memberships[plan.org] === "owner")!;
    const timeZone = plan.timeZone ?? org.timeZone;
    const spanish = plan.languages[0] === "es";

    const group = await groups.create(actorFor(ctx, manager), org.id, {
      name: plan.name,
      slug: plan.slug,
      description: plan.description,
      format: plan.format,
      ...(plan.format !== "in_person" ? { meetingLink: `https://meet.example.org/balint-${plan.slug}` } : {}),
      ...(plan.format !== "online" ? { address: `${org.name}, meeting room ${result.groups + 1}` } : {}),
      languages: plan.languages,
      disciplines: plan.disciplines,
      timeZone,
      schedule: schedule(plan, plan.startWeeksAgo, plan.count, now),
      capacity: plan.capacity,
      ceCredit: plan.ceCredit,
      visibility: plan.visibility ?? "listed",
      joinPolicy: "request",
      leaders: leaders.map((l, i) => ({ userId: ctx.userIds.get(l.handle)!, kind: i === 0 ? ("leader" as const) : ("co_leader" as const) })),
    });
    result.groups += 1;

    // Breaks and past changes were decided before the meetings, so before members joined (no emails).
    if (plan.pause) await sessions.pause(leadActor, org.id, group.id, pauseDates(plan.pause, now));
    const meetings = async (from: Date, to: Date) => (await sessions.upcoming(leadActor, org.id, group.id, { from: from.toISOString(), to: to.toISOString() })).items;
    const yearAgo = new Date(now.getTime() - 390 * DAY);
    if (plan.cancelPast || plan.movePast) {
      const past = (await meetings(yearAgo, now)).filter((m) => m.status === "scheduled");
      if (plan.cancelPast && past.length > 4) await sessions.cancel(leadActor, org.id, group.id, past[Math.floor(past.length / 3)]!.occurrenceStart, { reason: "holiday" });
      if (plan.movePast && past.length > 6) {
        const m = past[Math.floor((past.length * 2) / 3)]!;
        await sessions.reschedule(leadActor, org.id, group.id, m.occurrenceStart, { start: new Date(new Date(m.start).getTime() + DAY).toISOString(), reason: "venue_unavailable" });
      }
    }

    // Members: the people named, then those who fit the group best and are in the fewest groups.
    const leaderHandles = new Set(leaders.map((l) => l.handle));
    const wanted = plan.disciplines.map((d) => DISCIPLINE_OF[d]).filter(Boolean);
    const candidates = orgPeople
      .filter((p) => !leaderHandles.has(p.handle) && ["member", "coordinator"].includes(p.memberships[plan.org]!) && !(plan.include ?? []).includes(p.handle))
      .map((p) => {
        let score = (groupCount.get(p.handle) ?? 0) * 10 + prng.next();
        if (wanted.length && !p.disciplines.some((d) => wanted.includes(d))) score += 25;
        if (plan.preferZones && !plan.preferZones.includes(p.timeZone)) score += 50;
        if (plan.preferLanguage && !p.languages.includes(plan.preferLanguage)) score += 50;
        return { p, score };
      })
      .sort((a, b) => a.score - b.score)
      .map((c) => c.p);
    const chosen = [...(plan.include ?? []).map((h) => byHandle.get(h)!), ...candidates].slice(0, plan.members);
    const rest = candidates.filter((p) => !chosen.includes(p));
    for (const person of chosen) {
      const actor = actorFor(ctx, person);
      await groups.requestToJoin(actor, org.id, group.id, {});
      await groups.decide(leadActor, org.id, group.id, actor.userId!, { decision: "approve" });
      await groups.acceptAgreement(actor, org.id, group.id);
      groupCount.set(person.handle, (groupCount.get(person.handle) ?? 0) + 1);
      result.memberships += 1;
    }

    // Attendance after each past meeting, recorded by the leader a few hours later.
    const recordHistory = async (termStart: Date, skipLast: number) => {
      const held = (await meetings(new Date(termStart.getTime() - DAY), now)).filter((m) => m.status !== "cancelled" && new Date(m.end).getTime() <= now.getTime());
      const toRecord = held.slice(0, Math.max(0, held.length - skipLast));
      // A few people joined a few meetings in; each person has their own reliability.
      const joinedAt = new Map(chosen.map((p) => [p.handle, toRecord.length > 8 && prng.next() < 0.15 ? prng.int(2, Math.floor(toRecord.length / 2)) : 0]));
      const reliability = new Map(chosen.map((p) => [p.handle, 0.78 + prng.next() * 0.2]));
      for (const [index, m] of toRecord.entries()) {
        const entries = chosen
          .filter((p) => index >= joinedAt.get(p.handle)!)
          .map((p) => {
            const r = prng.next();
            const status = r < reliability.get(p.handle)! ? "present" : prng.next() < 0.6 ? "excused" : "absent";
            return { userId: ctx.userIds.get(p.handle)!, status };
          });
        if (!entries.length) continue;
        const recordedAt = new Date(Math.min(now.getTime(), new Date(m.end).getTime() + prng.int(1, 30) * 3_600_000));
        await sessions.recordAttendance(leadActor, org.id, group.id, m.occurrenceStart, { entries }, {}, recordedAt);
        result.attendanceRecords += entries.length;
        result.meetingsRecorded += 1;
      }
    };
    if (chosen.length && plan.startWeeksAgo > 0) await recordHistory(new Date(now.getTime() - plan.startWeeksAgo * 7 * DAY), plan.newTerm ? 0 : (plan.overdue ?? 0));

    if (plan.termEnded || plan.newTerm) await groups.endTerm(leadActor, org.id, group.id);
    if (plan.newTerm) {
      await groups.startNewTerm(leadActor, org.id, group.id, { sameMembers: true, schedule: schedule(plan, plan.newTerm.startWeeksAgo, plan.newTerm.count, now) });
      for (const person of chosen) await groups.acceptAgreement(actorFor(ctx, person), org.id, group.id);
      await recordHistory(new Date(now.getTime() - plan.newTerm.startWeeksAgo * 7 * DAY), plan.overdue ?? 0);
    }

    // Upcoming: RSVPs ("can't come" with a short logistic note), a cancelled and a moved meeting.
    if (!plan.termEnded) {
      const next = (await meetings(now, new Date(now.getTime() + 60 * DAY))).filter((m) => m.status === "scheduled");
      for (const m of next.slice(0, 3)) {
        for (const person of chosen) {
          const r = prng.next();
          if (r > 0.14) continue;
          const notes = spanish ? CANT_COME_NOTES_ES : CANT_COME_NOTES_EN;
          await sessions.rsvp(actorFor(ctx, person), org.id, group.id, m.occurrenceStart, r < 0.11 ? { status: "not_going", note: prng.pick(notes) } : { status: "not_going" }, now);
        }
      }
      if (plan.cancelUpcoming && next.length > 3) await sessions.cancel(leadActor, org.id, group.id, next[3]!.occurrenceStart, { reason: "leader_unavailable" });
      if (plan.moveUpcoming && next.length > 2) {
        const m = next[2]!;
        await sessions.reschedule(leadActor, org.id, group.id, m.occurrenceStart, { start: new Date(new Date(m.start).getTime() + DAY).toISOString(), reason: "holiday" });
      }
    }

    // People who left (after their history), pending requests, and the waitlist of a full group.
    for (const person of plan.leavers ? chosen.slice(-plan.leavers) : []) {
      await groups.leave(actorFor(ctx, person), org.id, group.id);
      groupCount.set(person.handle, (groupCount.get(person.handle) ?? 1) - 1);
      result.memberships -= 1;
    }
    const queue = rest.filter((p) => (groupCount.get(p.handle) ?? 0) === 0).concat(rest.filter((p) => (groupCount.get(p.handle) ?? 0) > 0));
    for (const person of queue.slice(0, plan.pending ?? 0)) {
      const note = prng.pick(spanish ? REQUEST_NOTES_ES : REQUEST_NOTES_EN);
      await groups.requestToJoin(actorFor(ctx, person), org.id, group.id, note ? { note } : {});
    }
    for (const person of queue.slice(plan.pending ?? 0, (plan.pending ?? 0) + (plan.waitlist ?? 0))) {
      await groups.joinWaitlist(actorFor(ctx, person), org.id, group.id);
    }
  }
  return result;
}
