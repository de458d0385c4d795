// zod input schemas for pathway and candidate requests (shared by the API and the forms).
import { z } from "zod";

export const PathwayKey = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lower-case letters, digits and hyphens (≤ 40)");

export const CreatePathwayInput = z.strictObject({
  key: PathwayKey,
  name: z.string().trim().min(1, "required").max(120),
  /** The definition (see pathway.ts); validated separately so issues name `definition.<path>`. */
  definition: z.unknown(),
  publish: z.boolean().default(false),
});

export const SaveDraftInput = z.strictObject({
  name: z.string().trim().min(1).max(120).optional(),
  definition: z.unknown(),
});

export const EnrolInput = z.strictObject({ pathwayId: z.uuid({ message: "must be a pathway id" }) });
export const MoveCandidateInput = z.strictObject({ versionId: z.uuid({ message: "must be a version id" }) });
