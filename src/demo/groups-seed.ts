import type { Actor } from "../platform/policy/policy.ts";
import type { Role } from "../platform/tenancy/schema.ts";
import { DEMO_ORGANISATIONS, DEMO_PEOPLE, type DemoContext, type DemoOrgKey } from "./seed.ts";

/**
 * Balint groups for the demo, created through the groups service (so every rule applies):
 * four listed groups per organisation with different formats, languages, rhythms and times,
 * each with some members who were approved and accepted the group agreement, leaving seats free.
 */
interface GroupPlan {
  org: DemoOrgKey;
  name: string;
  description: string;
  format: "online" | "in_person" | "hybrid";
  languages: string[];
  disciplines: string[];
  weekday: "MO" | "TU" | "WE" | "TH";
  time: string;
  monthly?: boolean;
  count: number;
  durationMinutes: number;
  firstDurationMinutes?: number;
  capacity: number;
  members: number;
}

const PLANS: GroupPlan[] = [
  { org: "society", name: "Tuesday evening online group", description: "A monthly online Balint group for clinicians of every discipline. The first meeting is longer, so we can get to know each other.", format: "online", languages: ["en"], disciplines: [], weekday: "TU", time: "19:00", monthly: true, count: 8, durationMinutes: 60, firstDurationMinutes: 90, capacity: 10, members: 6 },
  { org: "society", name: "Physicians' circle (in person)", description: "A fortnightly in-person group for practising physicians.", format: "in_person", languages: ["en"], disciplines: ["physicians"], weekday: "TH", time: "18:30", count: 10, durationMinutes: 90, capacity: 8, members: 5 },
  { org: "society", name: "Grupo Balint en español (en línea)", description: "Un grupo Balint mensual en español para profesionales de la salud.", format: "online", languages: ["es"], disciplines: [], weekday: "WE", time: "20:00", monthly: true, count: 8, durationMinutes: 75, capacity: 9, members: 3 },
  { org: "society", name: "Nurses and psychologists, mornings", description: "A morning group for nurses and psychologists, online.", format: "online", languages: ["en"], disciplines: ["nurses", "psychologists"], weekday: "MO", time: "08:00", count: 12, durationMinutes: 60, capacity: 8, members: 2 },
  { org: "residency", name: "PGY-1 Wednesday group", description: "A protected hour for first-year residents, in the conference room.", format: "in_person", languages: ["en"], disciplines: ["residents"], weekday: "WE", time: "12:00", count: 20, durationMinutes: 60, capacity: 12, members: 6 },
  { org: "residency", name: "PGY-2/3 hybrid group", description: "Second- and third-year residents; join in the room or online.", format: "hybrid", languages: ["en"], disciplines: ["residents"], weekday: "TU", time: "12:15", count: 16, durationMinutes: 60, capacity: 10, members: 5 },
  { org: "residency", name: "Faculty Balint group", description: "Monthly group for teaching faculty.", format: "in_person", languages: ["en"], disciplines: ["physicians"], weekday: "TH", time: "17:30", monthly: true, count: 10, durationMinutes: 90, capacity: 8, members: 3 },
  { org: "residency", name: "Mixed disciplines, evenings", description: "Residents, nurses and behavioural health colleagues together, online.", format: "online", languages: ["en", "es"], disciplines: [], weekday: "MO", time: "19:30", count: 8, durationMinutes: 75, capacity: 10, members: 2 },
  { org: "hospital", name: "Grupo de los martes (presencial)", description: "Grupo Balint semanal para el personal del hospital.", format: "in_person", languages: ["es"], disciplines: [], weekday: "TU", time: "14:30", count: 12, durationMinutes: 90, capacity: 10, members: 5 },
  { org: "hospital", name: "Enfermería: grupo mensual", description: "Un espacio mensual para enfermeras y enfermeros.", format: "hybrid", languages: ["es"], disciplines: ["nurses"], weekday: "WE", time: "15:00", monthly: true, count: 8, durationMinutes: 90, capacity: 10, members: 3 },
  { org: "hospital", name: "Residentes MIR (en línea)", description: "Grupo en línea para residentes.", format: "online", languages: ["es", "ca"], disciplines: ["residents"], weekday: "TH", time: "20:00", count: 10, durationMinutes: 75, capacity: 9, members: 2 },
  { org: "hospital", name: "Grupo bilingüe / bilingual group", description: "Español e inglés; para profesionales internacionales del hospital.", format: "online", languages: ["es", "en"], disciplines: [], weekday: "MO", time: "18:00", count: 8, durationMinutes: 60, capacity: 8, members: 2 },
];

const WEEKDAY_INDEX = { MO: 1, TU: 2, WE: 3, TH: 4 } as const;
const ORDINALS = ["1", "2", "3", "4"];

function actorFor(ctx: DemoContext, handle: string): Actor {
  const person = DEMO_PEOPLE.find((p) => p.handle === handle)!;
  const memberships = new Map<string, Role>();
  for (const [key, role] of Object.entries(person.memberships)) {
    memberships.set(DEMO_ORGANISATIONS.find((o) => o.key === key)!.id, role as Role);
  }
  return { kind: "user", userId: ctx.userIds.get(handle)!, memberships };
}

/** The first date on or after `from` (UTC calendar) that falls on `weekday`, as YYYY-MM-DD. */
function nextWeekday(from: Date, weekday: number): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (d.getUTCDay() !== weekday) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

export async function seedGroups(ctx: DemoContext): Promise<number> {
  const { groups } = ctx.services;
  let created = 0;
  for (const [index, plan] of PLANS.entries()) {
    const org = DEMO_ORGANISATIONS.find((o) => o.key === plan.org)!;
    const people = DEMO_PEOPLE.filter((p) => p.memberships[plan.org]);
    const manager = people.find((p) => p.memberships[plan.org] === "owner")!;
    const leaders = people.filter((p) => ["leader", "supervisor"].includes(p.memberships[plan.org]!));
    const leader = leaders[index % leaders.length]!;
    const start = nextWeekday(new Date(ctx.now.getTime() + (3 + index) * 86_400_000), WEEKDAY_INDEX[plan.weekday]);
    const nth = Math.min(4, Math.ceil(start.getUTCDate() / 7));
    const rrule = plan.monthly
      ? `FREQ=MONTHLY;BYDAY=${ORDINALS[nth - 1]}${plan.weekday};COUNT=${plan.count}`
      : `FREQ=WEEKLY;${index % 2 === 1 ? "INTERVAL=2;" : ""}BYDAY=${plan.weekday};COUNT=${plan.count}`;
    const slugBase = `demo-${index + 1}`;
    const group = await groups.create(actorFor(ctx, manager.handle), org.id, {
      name: plan.name,
      slug: slugBase,
      description: plan.description,
      format: plan.format,
      ...(plan.format !== "in_person" ? { meetingLink: `https://meet.example.org/balint-demo-${index + 1}` } : {}),
      ...(plan.format !== "online" ? { address: `${org.name}, meeting room ${index + 1}` } : {}),
      languages: plan.languages,
      disciplines: plan.disciplines,
      timeZone: org.timeZone,
      schedule: {
        rrule,
        dtstartLocal: `${start.toISOString().slice(0, 10)}T${plan.time}`,
        durationMinutes: plan.durationMinutes,
        ...(plan.firstDurationMinutes ? { firstDurationMinutes: plan.firstDurationMinutes } : {}),
      },
      capacity: plan.capacity,
      ceCredit: plan.org === "society" ? "Approved for 1.0 CE credit per meeting (demo text)." : undefined,
      visibility: "listed",
      joinPolicy: "request",
      leaders: [{ userId: ctx.userIds.get(leader.handle)!, kind: "leader" }],
    });
    created += 1;
    const candidates = people.filter((p) => p.memberships[plan.org] === "member" || p.memberships[plan.org] === "coordinator");
    const chosen = candidates.slice(index % 3, (index % 3) + plan.members);
    for (const person of chosen) {
      const actor = actorFor(ctx, person.handle);
      await groups.requestToJoin(actor, org.id, group.id, {});
      await groups.decide(actorFor(ctx, leader.handle), org.id, group.id, actor.userId!, { decision: "approve" });
      await groups.acceptAgreement(actor, org.id, group.id);
    }
  }
  return created;
}
