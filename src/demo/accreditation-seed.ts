// Demo data for the accreditation core (issue 7, brief P): at the Northlake Balint Society, the three
// example pathways (marked as examples) and candidates at different stages — enrolled with verified
// evidence (one with an uploaded certificate), enrolled with evidence awaiting review, one with a
// rejected item, one just enrolled on the BSANZ example, one withdrawn. Sessions, debriefs and event
// check-ins seeded elsewhere count automatically. Goes through the services (rules apply).
// Call after organisations, people, meetings and events are seeded, BEFORE the supervision/review seed
// (which applies for the first active candidacies).
import { and, asc, eq } from "drizzle-orm";
import { user } from "../platform/auth/schema.ts";
import type { Actor } from "../platform/policy/policy.ts";
import type { AppServices } from "../platform/services.server.ts";
import { membership, organisation, type Role } from "../platform/tenancy/schema.ts";
import { accreditationCandidate, accreditationPathway } from "../features/accreditation/schema.ts";

export interface AccreditationSeedResult {
  pathways: number;
  candidates: number;
  evidence: number;
}

const DAY = 86_400_000;
/** A tiny valid-looking PDF (the demo certificate upload). */
const DEMO_PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

export async function seedAccreditation(services: AppServices, options: { now: Date }): Promise<AccreditationSeedResult> {
  const { db } = services.kernel;
  const svc = services.accreditation;
  const result: AccreditationSeedResult = { pathways: 0, candidates: 0, evidence: 0 };
  const [org] = await db.select().from(organisation).where(eq(organisation.slug, "northlake-balint-society"));
  if (!org) return result;
  const people = await db
    .select({ id: user.id, role: membership.role })
    .from(membership)
    .innerJoin(user, eq(user.id, membership.userId))
    .where(eq(membership.organisationId, org.id))
    .orderBy(asc(user.email));
  const actorFor = async (userId: string): Promise<Actor> => {
    const rows = await db.select({ organisationId: membership.organisationId, role: membership.role }).from(membership).where(eq(membership.userId, userId));
    return { kind: "user", userId, memberships: new Map(rows.map((r) => [r.organisationId, r.role as Role])) };
  };
  // Decisions by the coordinator: supervisors decide only for the people they supervise, and
  // supervisions are seeded later (accreditation-review-seed.ts).
  const coordinatorRow = people.find((p) => p.role === "coordinator") ?? people.find((p) => p.role === "owner");
  if (!coordinatorRow) return result;
  const coordinator = await actorFor(coordinatorRow.id);

  result.pathways = (await svc.installExamples(coordinator, org.id)).created.length;
  const pathways = await db.select().from(accreditationPathway).where(eq(accreditationPathway.organisationId, org.id));
  const abs = pathways.find((p) => p.key === "abs-leader");
  const bsanz = pathways.find((p) => p.key === "bsanz-leader");
  if (!abs || !bsanz) return result;

  const leaders = people.filter((p) => p.role === "leader");
  const members = people.filter((p) => p.role === "member");
  const dateAgo = (days: number) => new Date(options.now.getTime() - days * DAY).toISOString().slice(0, 10);
  const enrol = async (userId: string, pathwayId: string, daysAgo: number) => {
    const actor = await actorFor(userId);
    const c = await svc.enrol(actor, org.id, { pathwayId });
    await db.update(accreditationCandidate).set({ enrolledAt: new Date(options.now.getTime() - daysAgo * DAY) }).where(eq(accreditationCandidate.id, c.id));
    result.candidates++;
    return { actor, id: c.id };
  };
  const add = async (who: { actor: Actor; id: string }, input: Record<string, unknown>, file: Uint8Array | null = null) => {
    const r = await svc.addEvidence(who.actor, org.id, who.id, input, file);
    if (r.outcome !== "added") throw new Error("demo evidence was flagged by the identifier check");
    result.evidence++;
    return r.evidence.id;
  };

  // 1. Well along the ABS-like pathway: two intensives elsewhere (verified, one with a certificate),
  //    the supervisor agreement verified.
  if (leaders[0]) {
    const c = await enrol(leaders[0].id, abs.id, 420);
    const e1 = await add(c, { kind: "event_attended", eventKind: "intensive", description: "four-day intensive at another society", occurredOn: dateAgo(400), hours: 24 }, DEMO_PDF);
    const e2 = await add(c, { kind: "event_attended", eventKind: "intensive", description: "second intensive, regional meeting", occurredOn: dateAgo(200), hours: 24 });
    const e3 = await add(c, { kind: "verified_item", requirementId: "agreement", description: "signed supervisor agreement", occurredOn: dateAgo(380) }, DEMO_PDF);
    for (const id of [e1, e2, e3]) await svc.decideEvidence(coordinator, org.id, id, { decision: "verify" });
  }
  // 2. Earlier on: prior co-leading abroad awaiting review, one item rejected with a reason.
  if (leaders[1]) {
    const c = await enrol(leaders[1].id, abs.id, 150);
    await add(c, { kind: "session_led", description: "co-led a residents' group before joining", occurredOn: dateAgo(300), hours: 1.5 });
    const rejected = await add(c, { kind: "event_attended", eventKind: "workshop", description: "one-day workshop on group process", occurredOn: dateAgo(90), hours: 6 });
    await svc.decideEvidence(coordinator, org.id, rejected, { decision: "reject", reason: "A workshop does not count as an intensive on this pathway" });
    await add(c, { kind: "verified_item", requirementId: "agreement", description: "signed supervisor agreement", occurredOn: dateAgo(140) }, DEMO_PDF);
  }
  // 3. Just enrolled on the BSANZ example.
  if (leaders[2]) await enrol(leaders[2].id, bsanz.id, 7);
  // 4. A member who enrolled and withdrew.
  const quitter = members[0];
  if (quitter) {
    const c = await enrol(quitter.id, abs.id, 240);
    await svc.withdraw(c.actor, org.id, c.id);
  }
  // 5. A member starting out on the BSANZ example with a training record awaiting review.
  if (members[1]) {
    const c = await enrol(members[1].id, bsanz.id, 60);
    await add(c, { kind: "verified_item", requirementId: "training-record", description: "annual training record", occurredOn: dateAgo(20) }, DEMO_PDF);
  }
  return result;
}

/** For tests and the demo summary: how many candidates the organisation has by status. */
export async function candidateCounts(services: AppServices, organisationId: string) {
  const rows = await services.kernel.db.select({ status: accreditationCandidate.status }).from(accreditationCandidate).where(and(eq(accreditationCandidate.organisationId, organisationId)));
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}
