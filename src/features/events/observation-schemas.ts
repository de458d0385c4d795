// Input schema of a faculty observation (shared by the REST API and the form; no server imports).
// Rules that need the database (the leader is a leader in training at the event, the session is
// the event's, the competencies are the organisation's) are checked by the service, with paths.
import { z } from "zod";
import { COMPETENCY_MAX } from "./competencies.ts";

export const NARRATIVE_MAX = 1000;

export const ObservationRatingInput = z.strictObject({
  competency: z.string().trim().min(1, "Choose a competency.").max(COMPETENCY_MAX, `Use at most ${COMPETENCY_MAX} characters.`),
  level: z.number({ message: "Choose a level from 1 to 4." }).int("Choose a level from 1 to 4.").min(1, "Choose a level from 1 to 4.").max(4, "Choose a level from 1 to 4."),
});

export const ObservationInput = z.strictObject({
  /** The leader in training observed (a confirmed registration with that role at the event). */
  leaderUserId: z.string().trim().min(1, "Choose the leader in training.").max(100),
  /** A session of the event (optional). */
  sessionId: z.uuid({ message: "must be a session id (UUID)" }).nullable().optional(),
  /** The day observed, one of the event's days; defaults to the session's day. */
  observedOn: z.iso.date({ message: "Use a date like 2031-04-16." }).optional(),
  ratings: z.array(ObservationRatingInput).min(1, "Rate at least one competency.").max(30),
  /** How the leader led; never case content or patient details. */
  narrative: z.string().trim().max(NARRATIVE_MAX, `Use at most ${NARRATIVE_MAX} characters.`).default(""),
  /** Save although the identifier check found something (the observer checked it). */
  acknowledgeFindings: z.boolean().optional(),
});
export type ObservationInput = z.infer<typeof ObservationInput>;
