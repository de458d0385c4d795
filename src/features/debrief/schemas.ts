import { z } from "zod";
import { DEBRIEF_TEXT_MAX } from "./constants.ts";

/** PUT …/debrief: the whole text, the revision it was based on (0 for a new debrief). */
export const SaveDebriefInput = z.strictObject({
  text: z
    .string({ message: "Write the debrief as text." })
    .max(DEBRIEF_TEXT_MAX, `Use at most ${DEBRIEF_TEXT_MAX} characters.`)
    .refine((s) => s.trim().length > 0, "Write something before saving (or delete the debrief)."),
  revision: z.number({ message: "Send the revision you started from (0 for a new debrief)." }).int("Use a whole number.").min(0, "Use 0 or more.").max(2_147_483_647),
  /** The writer has seen the identifier check's findings and saves anyway. */
  acknowledgeFindings: z.boolean({ message: "Use true or false." }).optional(),
});
export type SaveDebriefInput = z.infer<typeof SaveDebriefInput>;

/** POST …/debrief/attach: keep it for supervision (it does not expire), or stop keeping it. */
export const AttachDebriefInput = z.strictObject({
  attached: z.boolean({ message: "Use true or false." }),
});

/** POST …/debrief/complete: no body fields. */
export const CompleteDebriefInput = z.strictObject({});
