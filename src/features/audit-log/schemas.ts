import { z } from "zod";

export const AUDIT_PAGE_SIZE_DEFAULT = 25;
export const AUDIT_PAGE_SIZE_MAX = 100;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar day (YYYY-MM-DD, read in the viewer's time zone) or an ISO 8601 instant. */
const dayOrInstant = z
  .string()
  .trim()
  .refine((v) => (DAY.test(v) ? !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) : !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v)), {
    message: "Use a date such as 2026-03-31 or an ISO 8601 time.",
  });

/** Filters for the audit log, as query parameters (strings) from the API and the UI. */
export const AuditQuery = z.object({
  action: z
    .string()
    .trim()
    .regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/, "Use an action name such as member.removed.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  actorUserId: z.string().trim().min(1).max(100).optional(),
  from: dayOrInstant.optional().or(z.literal("").transform(() => undefined)),
  to: dayOrInstant.optional().or(z.literal("").transform(() => undefined)),
  page: z.coerce.number({ message: "Use a page number." }).int().min(1, "Pages start at 1.").max(100_000).default(1),
  pageSize: z.coerce
    .number({ message: "Use a number." })
    .int()
    .min(1, "At least 1.")
    .max(AUDIT_PAGE_SIZE_MAX, `At most ${AUDIT_PAGE_SIZE_MAX}.`)
    .default(AUDIT_PAGE_SIZE_DEFAULT),
});
export type AuditQuery = z.input<typeof AuditQuery>;
export type AuditFilters = z.output<typeof AuditQuery>;
