// Evidence rules (pure): input schema, what a piece of evidence identifies (its dedupe key) and the
// history record it becomes once verified. No I/O.
import { z } from "zod";
import { EVENT_KIND_NAMES } from "./pathway.ts";
import type { HistoryRecord } from "./progress.ts";

export const EVIDENCE_KIND_VALUES = ["session_attended", "session_led", "supervised_session", "supervision_meeting", "event_attended", "debrief", "membership", "verified_item"] as const;
export type EvidenceKindValue = (typeof EVIDENCE_KIND_VALUES)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date (yyyy-mm-dd)").refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "must be a real date");

export const AddEvidenceInput = z
  .strictObject({
    kind: z.enum(EVIDENCE_KIND_VALUES),
    /** For verified_item: which requirement of the pathway (its id). */
    requirementId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).optional(),
    description: z.string().trim().min(1, "required").max(200),
    occurredOn: isoDate,
    hours: z.coerce.number().min(0).max(1000).optional(),
    eventKind: z.enum(EVENT_KIND_NAMES).optional(),
    finalCredentialing: z.boolean().default(false),
    /** A meeting on this platform: its group and original start. */
    groupId: z.uuid().optional(),
    occurrenceStart: z.iso.datetime({ offset: true }).optional(),
    acknowledgeFindings: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if ((v.groupId === undefined) !== (v.occurrenceStart === undefined)) ctx.addIssue({ code: "custom", path: ["occurrenceStart"], message: "give both groupId and occurrenceStart, or neither" });
    if (v.groupId && !["session_attended", "session_led", "supervised_session", "debrief"].includes(v.kind)) ctx.addIssue({ code: "custom", path: ["groupId"], message: "only meeting evidence may name a meeting" });
    if (v.kind === "verified_item" && !v.requirementId) ctx.addIssue({ code: "custom", path: ["requirementId"], message: "required for a verified item" });
    if (v.kind === "event_attended" && !v.eventKind) ctx.addIssue({ code: "custom", path: ["eventKind"], message: "required for an event" });
  });
export type AddEvidenceInput = z.infer<typeof AddEvidenceInput>;

export const DecideEvidenceInput = z
  .strictObject({ decision: z.enum(["verify", "reject"]), reason: z.string().trim().max(300).optional() })
  .superRefine((v, ctx) => {
    if (v.decision === "reject" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "give a reason for rejecting" });
  });
export type DecideEvidenceInput = z.infer<typeof DecideEvidenceInput>;

/** The id of a platform meeting, shared by automatic records and evidence: counted once. */
export const sessionRef = (groupId: string, occurrenceStart: Date | string) => `session:${groupId}:${new Date(occurrenceStart).toISOString()}`;

/** FNV-1a (32-bit), for a short, stable fingerprint of a normalised label. Not a secret. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim()) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

const HISTORY_TYPE: Record<EvidenceKindValue, HistoryRecord["type"]> = {
  session_attended: "attended",
  session_led: "led",
  supervised_session: "supervised",
  supervision_meeting: "supervision_meeting",
  event_attended: "event",
  debrief: "debrief",
  membership: "membership",
  verified_item: "verified",
};
export const historyTypeOf = (kind: EvidenceKindValue) => HISTORY_TYPE[kind];

/**
 * What this evidence counts: the same key for the same thing, so it can be refused as a duplicate.
 * A platform meeting is identified by its group and start; anything else by kind, date and label.
 */
export function dedupeKeyOf(e: { kind: EvidenceKindValue; requirementId?: string | null; occurredOn: string; description: string; groupId?: string | null; occurrenceStart?: string | Date | null }): string {
  const type = HISTORY_TYPE[e.kind];
  if (e.groupId && e.occurrenceStart) return `${type}|${sessionRef(e.groupId, e.occurrenceStart)}`;
  if (e.kind === "membership") return `${type}|membership`;
  const scope = e.kind === "verified_item" ? `${e.requirementId ?? ""}:` : "";
  return `${type}|ext:${scope}${e.occurredOn}:${fingerprint(e.description)}`;
}

export interface EvidenceRowLike {
  id: string;
  kind: EvidenceKindValue;
  requirementId: string | null;
  occurredOn: string;
  eventKind: string | null;
  finalCredentialing: number | boolean;
  groupId: string | null;
  occurrenceStart: Date | null;
  status: string;
}

/** The history record a VERIFIED piece of evidence becomes (null when it is not verified). */
export function historyOfEvidence(e: EvidenceRowLike, leaderRole: "leader" | "co_leader" = "co_leader"): HistoryRecord | null {
  if (e.status !== "verified") return null;
  const at = e.occurrenceStart ? e.occurrenceStart.toISOString() : `${e.occurredOn}T12:00:00.000Z`;
  const id = e.groupId && e.occurrenceStart ? sessionRef(e.groupId, e.occurrenceStart) : `evidence:${e.id}`;
  switch (e.kind) {
    case "session_attended":
      return { type: "attended", id, at };
    case "session_led":
      return { type: "led", id, at, role: leaderRole };
    case "supervised_session":
      return { type: "supervised", id, at };
    case "debrief":
      return { type: "debrief", id, at };
    case "supervision_meeting":
      return { type: "supervision_meeting", id, at };
    case "event_attended":
      return { type: "event", id, at, kind: e.eventKind ?? "other", final: e.finalCredentialing === true || e.finalCredentialing === 1 };
    case "membership":
      return { type: "membership", id: "membership:evidence", at, goodStanding: true };
    case "verified_item":
      return { type: "verified", id, at, requirementId: e.requirementId ?? "" };
  }
}
