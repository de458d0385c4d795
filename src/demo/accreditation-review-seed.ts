// Demo data for supervision and committee review (issue 7, brief Q), in the Northlake Balint
// Society: both supervisors on the supervisors list; leaders at different stages of supervision
// (an active agreement with a year of confirmed meetings, a report and one meeting awaiting
// confirmation; an agreement proposed but not yet accepted; a request waiting for an answer); a
// committee (the coordinator chairs, a supervisor sits on it); and, for candidates the
// accreditation core's seed enrolled, applications at different stages (in review with a
// recommendation; approved). Everything goes through the services (validation, audit, mail);
// only dates are moved back so the history spans the past year. Deterministic given `now`.
// Call AFTER the organisations, people and the accreditation core's demo data are seeded.
import { and, asc, eq, inArray } from "drizzle-orm";
import { user } from "../platform/auth/schema.ts";
import type { Actor } from "../platform/policy/policy.ts";
import type { AppServices } from "../platform/services.server.ts";
import { membership, organisation, type Role } from "../platform/tenancy/schema.ts";
import { accreditationCandidate } from "../features/accreditation/schema.ts";
import { supervision, supervisorReport } from "../features/accreditation/supervision-schema.ts";

export interface SupervisionSeedResult {
  supervisors: number;
  supervisions: number;
  meetings: number;
  reports: number;
  applications: number;
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export async function seedSupervisionAndReviews(services: AppServices, options: { now: Date }): Promise<SupervisionSeedResult> {
  const { db } = services.kernel;
  const now = options.now;
  const result: SupervisionSeedResult = { supervisors: 0, supervisions: 0, meetings: 0, reports: 0, applications: 0 };
  const [org] = await db.select().from(organisation).where(eq(organisation.slug, "northlake-balint-society"));
  if (!org) return result;
  const people = await db
    .select({ id: user.id, email: user.email, role: membership.role })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(eq(membership.organisationId, org.id))
    .orderBy(asc(user.email));
  const actorFor = async (userId: string): Promise<Actor> => {
    const rows = await db.select({ organisationId: membership.organisationId, role: membership.role }).from(membership).where(eq(membership.userId, userId));
    return { kind: "user", userId, memberships: new Map(rows.map((r) => [r.organisationId, r.role as Role])) };
  };
  const byRole = (role: Role) => people.filter((p) => p.role === role);
  const supervisors = byRole("supervisor");
  const owner = byRole("owner")[0];
  const coordinator = byRole("coordinator")[0];
  const leaders = byRole("leader");
  if (!owner || supervisors.length === 0 || leaders.length === 0) return result;

  // Supervisors list.
  for (const [i, s] of supervisors.entries()) {
    await services.supervision.optIn(await actorFor(s.id), org.id, { capacity: 3 + i, languages: i === 0 ? ["en", "he"] : ["en"], feeText: i === 0 ? "USD 900 a year, invoiced quarterly" : "USD 75 a meeting", mode: i === 0 ? "online" : "both" });
    result.supervisors++;
  }

  const ratingsOf = async (level: number) => Object.fromEntries((await services.supervision.getSettings(await actorFor(owner.id), org.id)).competencies.map((c, i) => [c.key, Math.min(4, level + (i % 2))]));

  // Stage 1: an active supervision a year old, with monthly confirmed meetings, a report, one pending meeting.
  const [sup0, sup1] = [supervisors[0]!, supervisors[1] ?? supervisors[0]!];
  const stages: Array<{ candidate: string; supervisor: string; stage: "active" | "proposed" | "requested" }> = [];
  if (leaders[0]) stages.push({ candidate: leaders[0].id, supervisor: sup0.id, stage: "active" });
  if (leaders[1]) stages.push({ candidate: leaders[1].id, supervisor: sup1.id, stage: "active" });
  if (leaders[2]) stages.push({ candidate: leaders[2].id, supervisor: sup0.id, stage: "proposed" });
  if (leaders[3]) stages.push({ candidate: leaders[3].id, supervisor: sup1.id, stage: "requested" });
  for (const [n, st] of stages.entries()) {
    const cand = await actorFor(st.candidate);
    const supActor = await actorFor(st.supervisor);
    const created = await services.supervision.requestSupervision(cand, org.id, { supervisorUserId: st.supervisor });
    result.supervisions++;
    if (st.stage === "requested") continue;
    await services.supervision.propose(supActor, org.id, created.id, { termsText: "Monthly supervision meetings for two years, online or in person; a written report every six months; either side may end the agreement with a month's notice.", feeText: st.supervisor === sup0.id ? "USD 900 a year" : "USD 75 a meeting" });
    if (st.stage === "proposed") continue;
    await services.supervision.accept(cand, org.id, created.id);
    const months = n === 0 ? 13 : 7;
    const startedAt = new Date(now.getTime() - months * 30 * DAY);
    await db.update(supervision).set({ requestedAt: new Date(startedAt.getTime() - 7 * DAY), supervisorAcceptedAt: new Date(startedAt.getTime() - 3 * DAY), candidateAcceptedAt: startedAt, startedAt }).where(eq(supervision.id, created.id));
    for (let m = months - 1; m >= 1; m--) {
      const heldOn = isoDay(new Date(now.getTime() - m * 30 * DAY));
      const byCandidate = m % 2 === 0;
      const view = await services.supervision.logMeeting(byCandidate ? cand : supActor, org.id, created.id, { heldOn, minutes: 60, mode: m % 3 === 0 ? "in_person" : "online" }, {}, now);
      const meeting = view.meetings.find((x) => x.heldOn === heldOn)!;
      await services.supervision.decideMeeting(byCandidate ? supActor : cand, org.id, meeting.id, { confirm: true });
      result.meetings++;
    }
    // The latest meeting awaits the supervisor's confirmation.
    await services.supervision.logMeeting(cand, org.id, created.id, { heldOn: isoDay(new Date(now.getTime() - 2 * DAY)), minutes: 50, mode: "online" }, {}, now);
    result.meetings++;
    const report = await services.supervision.submitReport(supActor, org.id, created.id, {
      periodStart: isoDay(startedAt),
      periodEnd: isoDay(new Date(startedAt.getTime() + 182 * DAY)),
      ratings: await ratingsOf(n === 0 ? 3 : 2),
      narrative: n === 0 ? "Keeps the group's focus on the doctor-patient relationship and protects presenters well; growing confidence in holding silence." : "Establishes the frame clearly; is working on not rescuing the group with premature advice.",
    });
    await db.update(supervisorReport).set({ submittedAt: new Date(startedAt.getTime() + 184 * DAY) }).where(eq(supervisorReport.id, report.id));
    result.reports++;
  }

  // Committee: the coordinator (or the owner) chairs; the first supervisor sits on it.
  const ownerActor = await actorFor(owner.id);
  const chairId = (coordinator ?? owner).id;
  await services.accreditationReviews.setCommitteeMember(ownerActor, org.id, { userId: chairId, role: "chair" });
  await services.accreditationReviews.setCommitteeMember(ownerActor, org.id, { userId: sup1.id, role: "member" });
  const chair = await actorFor(chairId);
  const member = await actorFor(sup1.id);

  // Applications for candidates the core's seed enrolled (if any): one decided (approved), one in review.
  const candidacies = await db
    .select()
    .from(accreditationCandidate)
    .where(and(eq(accreditationCandidate.organisationId, org.id), eq(accreditationCandidate.status, "active"), inArray(accreditationCandidate.userId, people.map((p) => p.id))))
    .orderBy(asc(accreditationCandidate.enrolledAt), asc(accreditationCandidate.id));
  for (const [i, c] of candidacies.slice(0, 2).entries()) {
    const cand = await actorFor(c.userId);
    const app = await services.accreditationReviews.apply(cand, org.id, { candidateId: c.id, explanation: "My supervisor and I agree I am ready; the remaining intensive is booked for the spring." });
    result.applications++;
    await services.accreditationReviews.assignReviewers(chair, org.id, app.id, { reviewerUserIds: [sup1.id] });
    if (c.userId === sup1.id) continue;
    await services.accreditationReviews.recommend(member, org.id, app.id, { recommendation: "approve", comments: "Reports show steady, safe leading; supervision record complete." });
    if (i === 0) await services.accreditationReviews.decide(chair, org.id, app.id, { decision: "approve", reasons: "Meets the pathway's requirements; the supervisor's reports support accreditation." });
  }
  return result;
}
