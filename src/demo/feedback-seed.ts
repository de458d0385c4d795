// Demo data for anonymous meeting feedback (ADR 013): after the groups seed has recorded
// attendance, members recorded present at past meetings answer through the feedback service
// itself (with a past `now` inside each meeting's 7-day window), so every rule applies: no user
// id, one answer per person and meeting, identifier check on comments. Then bins are closed and
// the nullifiers of closed windows purged, as the daily job would.
import { and, eq, gte, lte } from "drizzle-orm";
import type { AppServices } from "../platform/services.server.ts";
import type { Actor } from "../platform/policy/policy.ts";
import { membership } from "../platform/tenancy/schema.ts";
import { attendance } from "../features/sessions/schema.ts";
import { FEEDBACK_VALUES } from "../features/feedback/privacy.ts";

const COMMENTS = [
  "The pushback phase felt unhurried and kind.",
  "I appreciated the silence before the closing round.",
  "Good pace today; the clarifying questions stayed open.",
  "It helped to hear how others would feel in that room.",
  "I left with a new question rather than an answer, which I liked.",
  "The group felt safe even though the case was heavy.",
  "More time for the presenter's return would have helped.",
  "The leaders kept us away from problem solving, gently.",
  "A quieter meeting than usual, but a thoughtful one.",
  "I noticed my own irritation and could stay curious about it.",
];

/** Deterministic pseudo-random numbers (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FeedbackSeedResult {
  answers: number;
  bins: number;
}

/**
 * Answers feedback for past meetings (the last `sinceDays`, default 120) with present attendance
 * (about 70 % of those present answer; about a third add a comment), then closes bins as of `now`.
 */
export async function seedFeedback(services: AppServices, options: { now?: Date; seed?: number; answerRate?: number; sinceDays?: number } = {}): Promise<FeedbackSeedResult> {
  const now = options.now ?? new Date();
  const random = prng(options.seed ?? 20_261_126);
  const rate = options.answerRate ?? 0.7;
  // Only recent meetings (default the last 120 days): enough closed bins, and a quick seed.
  const since = new Date(now.getTime() - (options.sinceDays ?? 120) * 86_400_000);
  const { db } = services.kernel;
  const rows = await db
    .select({ groupId: attendance.groupId, occurrenceStart: attendance.occurrenceStart, userId: attendance.userId })
    .from(attendance)
    .where(and(eq(attendance.status, "present"), gte(attendance.occurrenceStart, since), lte(attendance.occurrenceStart, now)))
    .orderBy(attendance.occurrenceStart);
  const roles = new Map<string, Map<string, (typeof membership.$inferSelect)["role"]>>();
  for (const m of await db.select().from(membership)) {
    if (!roles.has(m.userId)) roles.set(m.userId, new Map());
    roles.get(m.userId)!.set(m.organisationId, m.role);
  }
  const orgOf = new Map<string, string>();
  let answers = 0;
  for (const r of rows) {
    if (random() >= rate) continue;
    const memberships = roles.get(r.userId);
    if (!memberships) continue;
    const actor: Actor = { kind: "user", userId: r.userId, memberships };
    // Answer some hours to a few days after the meeting, never after `now`.
    const at = new Date(Math.min(now.getTime(), r.occurrenceStart.getTime() + (2 + Math.floor(random() * 100)) * 3_600_000));
    const base = 3 + Math.floor(random() * 3); // 3..5, a mostly good group
    const score = () => Math.max(1, Math.min(5, base + (random() < 0.2 ? -1 : 0) + (random() < 0.1 ? -1 : 0)));
    const values = FEEDBACK_VALUES.filter(() => random() < 0.3);
    const body: Record<string, unknown> = { safeToSpeak: score(), feltHeard: score(), seeDifferently: score(), values };
    if (random() < 0.35) body["comment"] = COMMENTS[Math.floor(random() * COMMENTS.length)];
    try {
      let orgId = orgOf.get(r.groupId);
      if (!orgId) {
        orgId = await services.feedback.organisationOf(actor, r.groupId);
        orgOf.set(r.groupId, orgId);
      }
      await services.feedback.submit(actor, orgId, r.groupId, r.occurrenceStart.toISOString(), body, at);
      answers += 1;
    } catch {
      // Not eligible (a leader, a cancelled meeting, a closed window): skip, as the form would.
    }
  }
  const { bins } = await services.feedback.closeAllBins(now);
  return { answers, bins };
}
