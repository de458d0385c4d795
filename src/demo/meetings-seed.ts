// Demo data for running meetings (issue 4): for the groups the showcase leader (Nadia) leads, the
// last few held meetings were run with the facilitation companion — opened, phases run, a presenter
// recorded (only the fact), ended — and the leaders wrote their private debrief for the most recent
// ones (sealed with the organisation's key; process language only, never a case). Everything goes
// through the services with a past `now`, so every rule (who may, when, what is stored) applies.
import { and, desc, eq, lte } from "drizzle-orm";
import type { AppServices } from "../platform/services.server.ts";
import type { Actor } from "../platform/policy/policy.ts";
import { membership } from "../platform/tenancy/schema.ts";
import { balintGroup, groupLeader, groupMembership } from "../features/groups/schema.ts";
import { attendance } from "../features/sessions/schema.ts";

const DEBRIEFS = [
  "The pushback phase took a while to warm up; we both noticed the group leaning towards advice and redirected twice. The presenter looked relieved on return. Next time: hold the silence a little longer before stepping in.",
  "A quieter meeting. Two newer members spoke for the first time in the pushback. We protected the presenter when the questions drifted into problem solving. Worth checking in with the group about the room's noise.",
  "Good rhythm. The group stayed with feelings rather than facts. We ran five minutes over in pushback and shortened the closing; both of us felt that was the right call.",
];

export interface MeetingsSeedResult {
  runs: number;
  debriefs: number;
}

export async function seedMeetings(services: AppServices, opts: { now: Date; leaderUserId: string; perGroup?: number }): Promise<MeetingsSeedResult> {
  const { db } = services.kernel;
  const perGroup = opts.perGroup ?? 3;
  const led = await db
    .select({ groupId: balintGroup.id, organisationId: balintGroup.organisationId })
    .from(groupLeader)
    .innerJoin(balintGroup, eq(balintGroup.id, groupLeader.groupId))
    .where(eq(groupLeader.userId, opts.leaderUserId));
  const memberships = new Map((await db.select().from(membership).where(eq(membership.userId, opts.leaderUserId))).map((m) => [m.organisationId, m.role] as const));
  const actor: Actor = { kind: "user", userId: opts.leaderUserId, memberships };
  let runs = 0;
  let debriefs = 0;
  for (const g of led) {
    if (!memberships.has(g.organisationId)) continue;
    // The most recent meetings with attendance recorded (so they were held).
    const held = await db
      .selectDistinct({ start: attendance.occurrenceStart })
      .from(attendance)
      .where(and(eq(attendance.groupId, g.groupId), lte(attendance.occurrenceStart, opts.now)))
      .orderBy(desc(attendance.occurrenceStart))
      .limit(perGroup);
    const presentMembers = async (start: Date) =>
      (
        await db
          .select({ userId: attendance.userId })
          .from(attendance)
          .innerJoin(groupMembership, and(eq(groupMembership.groupId, attendance.groupId), eq(groupMembership.userId, attendance.userId), eq(groupMembership.status, "active")))
          .where(and(eq(attendance.groupId, g.groupId), eq(attendance.occurrenceStart, start), eq(attendance.status, "present")))
      ).map((r) => r.userId);
    for (const [i, { start }] of held.entries()) {
      const iso = start.toISOString();
      const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
      try {
        let state = await services.facilitation.open(actor, g.organisationId, g.groupId, iso, {}, at(-10));
        const command = async (type: string, minutes: number) => {
          state = await services.facilitation.command(actor, g.organisationId, g.groupId, iso, { type, expectedVersion: state.clock?.version ?? 0 }, {}, at(minutes));
        };
        await command("start", 0);
        await command("next", 5);
        const presenter = (await presentMembers(start))[i % 3];
        if (presenter) state = await services.facilitation.recordPresenter(actor, g.organisationId, g.groupId, iso, { caseNumber: 1, userId: presenter }, {}, at(6));
        await command("next", 15);
        await command("next", 25);
        await command("next", 50);
        await command("next", 55);
        await services.facilitation.end(actor, g.organisationId, g.groupId, iso, {}, {}, at(60));
        runs++;
        if (i < 2) {
          await services.debrief.save(actor, g.organisationId, g.groupId, iso, { text: DEBRIEFS[(runs + i) % DEBRIEFS.length]!, revision: 0 }, {}, at(75));
          debriefs++;
        }
      } catch (error) {
        // A meeting the companion cannot run (e.g. paused) is simply skipped in the demo.
        services.kernel.logger.debug({ err: error, groupId: g.groupId, start: iso }, "demo: meeting not run with the companion");
      }
    }
  }
  return { runs, debriefs };
}
