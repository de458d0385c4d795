import { z } from "zod";
import { FEEDBACK_COMMENT_MAX, FEEDBACK_VALUES } from "./privacy.ts";

const score = z.number({ message: "must be a whole number from 1 to 5" }).int({ message: "must be a whole number from 1 to 5" }).min(1, { message: "must be from 1 to 5" }).max(5, { message: "must be from 1 to 5" });

/**
 * One member's answer about one meeting. Strict: any other field (case text smuggled into a
 * payload) is refused with a 400 naming it. `confirmComment` is the "send anyway" after the
 * identifier check warned about the comment.
 */
export const FeedbackInput = z
  .object({
    safeToSpeak: score,
    feltHeard: score,
    seeDifferently: score,
    values: z.array(z.enum(FEEDBACK_VALUES, { message: `must be one of ${FEEDBACK_VALUES.join(", ")}` })).max(FEEDBACK_VALUES.length).optional(),
    comment: z.string().max(FEEDBACK_COMMENT_MAX, { message: `must be at most ${FEEDBACK_COMMENT_MAX} characters` }).nullable().optional(),
    confirmComment: z.boolean().optional(),
  })
  .strict();
export type FeedbackInput = z.infer<typeof FeedbackInput>;
