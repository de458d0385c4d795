// Demo data closing the loop between events and accreditation (issues 6 and 7), run after the
// events, accreditation and review seeds. At the Northlake Balint Society:
// - the PAST intensive gets a published small-group roster, check-ins (everyone on the first three
//   days, most on the last), CE certificates for all who earned credit, and one faculty observation
//   of a leader in training (one registrant's role set to leader_in_training by the organiser);
// - one demo leader holds an issued credential (the one the committee approved, or one issued by
//   the coordinator through the credentials service) and an opt-in, published directory listing,
//   so /leaders is not empty.
// Everything goes through the services (validation, audit, mail). Deterministic given `now`.
import { and, asc, eq, gt, inArray, isNull, lte, or } from "drizzle-orm";
import { user } from "../platform/auth/schema.ts";
import type { Actor } from "../platform/policy/policy.ts";
import type { AppServices } from "../platform/services.server.ts";
import { membership, organisation, type Role } from "../platform/tenancy/schema.ts";
import { accreditationCandidate } from "../features/accreditation/schema.ts";
import { accreditationCredential } from "../features/accreditation/credential-schema.ts";
import { event, eventDay, eventRegistration } from "../features/events/schema.ts";

const ORG_SLUG = "northlake-balint-society";

export interface EventsExtraSeedResult {
  rosterGroups: number;
  checkins: number;
  certificates: number;
  observations: number;
  credentialHolder: string | null;
  directoryListings: number;
}

const empty: EventsExtraSeedResult = { rosterGroups: 0, checkins: 0, certificates: 0, observations: 0, credentialHolder: null, directoryListings: 0 };

export async function seedEventsExtra(services: AppServices, options: { now: Date }): Promise<EventsExtraSeedResult> {
  const { db } = services.kernel;
  const now = options.now;
  const today = now.toISOString().slice(0, 10);
  const [org] = await db.select().from(organisation).where(eq(organisation.slug, ORG_SLUG));
  if (!org) return empty;
  const actorFor = async (userId: string): Promise<Actor> => {
    const rows = await db.select({ organisationId: membership.organisationId, role: membership.role }).from(membership).where(eq(membership.userId, userId));
    return { kind: "user", userId, memberships: new Map(rows.map((r) => [r.organisationId, r.role as Role])) };
  };
  const staff = await db.select({ id: membership.userId, role: membership.role }).from(membership).innerJoin(user, eq(user.id, membership.userId)).where(eq(membership.organisationId, org.id)).orderBy(asc(user.email));
  const organiserRow = staff.find((p) => p.role === "coordinator") ?? staff.find((p) => p.role === "owner");
  if (!organiserRow) return empty;
  const organiser = await actorFor(organiserRow.id);
  const result: EventsExtraSeedResult = { ...empty };

  // ---- the past intensive: roster, check-ins, certificates, one observation ----
  const intensives = await db.select().from(event).where(and(eq(event.organisationId, org.id), eq(event.kind, "intensive"))).orderBy(asc(event.slug));
  let past: (typeof intensives)[number] | undefined;
  let pastDays: { id: string; date: string }[] = [];
  for (const ev of intensives) {
    const days = await db.select({ id: eventDay.id, date: eventDay.date }).from(eventDay).where(eq(eventDay.eventId, ev.id)).orderBy(asc(eventDay.date));
    if (days.length && days.at(-1)!.date < today) {
      past = ev;
      pastDays = days;
      break;
    }
  }
  if (past) {
    const regs = await db
      .select({ id: eventRegistration.id, userId: eventRegistration.userId, role: membership.role })
      .from(eventRegistration)
      .innerJoin(membership, and(eq(membership.userId, eventRegistration.userId), eq(membership.organisationId, org.id)))
      .innerJoin(user, eq(user.id, eventRegistration.userId))
      .where(and(eq(eventRegistration.eventId, past.id), eq(eventRegistration.status, "confirmed")))
      .orderBy(asc(user.email));
    // One registrant (a leader, if any) led small groups under observation: a leader in training.
    const trainee = regs.find((r) => r.role === "leader") ?? regs[0];
    if (trainee) await services.events.setRole(organiser, org.id, trainee.id, { role: "leader_in_training" });

    // Small groups of 3–5, balanced by the roster service, saved and published.
    const proposal = await services.eventRosters.generateRoster(organiser, org.id, past.id, { minSize: 3, maxSize: 5, targetSize: 4, seed: 7 });
    await services.eventRosters.saveRoster(organiser, org.id, past.id, { minSize: proposal.minSize, maxSize: proposal.maxSize, groups: proposal.groups });
    await services.eventRosters.publishRoster(organiser, org.id, past.id);
    result.rosterGroups = proposal.groups.length;

    // Check-ins: everyone on the first days; every fourth person missed the last day.
    for (const [i, r] of regs.entries()) {
      if (!r.userId) continue;
      for (const [d, day] of pastDays.entries()) {
        if (d === pastDays.length - 1 && i % 4 === 3) continue;
        await services.eventRosters.setCheckin(organiser, org.id, past.id, { dayId: day.id, userId: r.userId, present: true });
        result.checkins++;
      }
    }
    result.certificates = (await services.eventRosters.issueAllCertificates(organiser, org.id, past.id)).issued;

    // A faculty member observes the leader in training on day 2 (levels only count for accreditation).
    const faculty = staff.find((p) => p.role === "supervisor" && p.id !== trainee?.userId);
    if (trainee?.userId && faculty) {
      const competencies = await services.eventObservations.competenciesOf(org.id);
      const levels = [3, 4, 3, 2, 3];
      const input = {
        leaderUserId: trainee.userId,
        observedOn: pastDays[Math.min(1, pastDays.length - 1)]!.date,
        ratings: competencies.slice(0, 5).map((c, i) => ({ competency: c.key, level: levels[i % levels.length]! })),
        narrative: "Held the frame calmly, kept time, and brought the group back to the doctor when questions turned to advice. Could invite quieter members in earlier.",
      };
      const facultyActor = await actorFor(faculty.id);
      let outcome = await services.eventObservations.record(facultyActor, org.id, past.id, input);
      if (outcome.outcome === "findings") outcome = await services.eventObservations.record(facultyActor, org.id, past.id, { ...input, acknowledgeFindings: true });
      if (outcome.outcome === "saved") result.observations = 1;
    }
  }

  // ---- one demo leader holds a credential and is listed in the directory ----
  const valid = and(lte(accreditationCredential.validFrom, now), or(isNull(accreditationCredential.validUntil), gt(accreditationCredential.validUntil, now)));
  let [held] = await db
    .select({ userId: accreditationCredential.userId })
    .from(accreditationCredential)
    .where(and(eq(accreditationCredential.organisationId, org.id), isNull(accreditationCredential.revokedAt), valid))
    .orderBy(asc(accreditationCredential.validFrom))
    .limit(1);
  if (!held) {
    const leaders = staff.filter((p) => p.role === "leader").map((p) => p.id);
    const [cand] = leaders.length
      ? await db
          .select({ id: accreditationCandidate.id, userId: accreditationCandidate.userId })
          .from(accreditationCandidate)
          .where(and(eq(accreditationCandidate.organisationId, org.id), inArray(accreditationCandidate.userId, leaders)))
          .orderBy(asc(accreditationCandidate.enrolledAt))
          .limit(1)
      : [];
    if (cand) {
      const until = new Date(now);
      until.setUTCFullYear(until.getUTCFullYear() + 5);
      await services.credentials.issueCredential(
        org.id,
        cand.id,
        {
          achievement: { name: "Balint group leader (demo)", description: `${org.name}: accredited Balint group leader (demo credential).`, criteria: "Met the requirements of the society's leader pathway and was approved by the accreditation committee (demo)." },
          validUntil: until.toISOString(),
        },
        { actor: organiser, now },
      );
      held = { userId: cand.userId };
    }
  }
  if (held) {
    const [person] = await db.select({ name: user.name }).from(user).where(eq(user.id, held.userId));
    await services.credentials.saveListing(await actorFor(held.userId), org.id, { displayName: person?.name ?? "Accredited leader", languages: ["en", "es"], region: "Northlake", online: true, inPerson: true, openToCoLeading: true, published: true }, {}, now);
    result.credentialHolder = held.userId;
    result.directoryListings = 1;
  }
  return result;
}
