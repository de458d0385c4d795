import { z } from "zod";
import { ATTENDANCE_STATUSES, EXCEPTION_REASONS, REMINDER_OFFSETS, RSVP_NOTE_MAX, RSVP_STATUSES } from "./constants.ts";

export { ATTENDANCE_STATUSES, EXCEPTION_REASONS, REMINDER_OFFSETS, RSVP_NOTE_MAX, RSVP_STATUSES };

const instant = z.iso.datetime({ offset: true, message: "must be a date-time (ISO 8601)" });
const localDate = z.iso.date({ message: "must be a date (YYYY-MM-DD)" });

export const WindowQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
});
export type WindowQuery = z.infer<typeof WindowQuery>;

export const CancelInput = z.strictObject({ reason: z.enum(EXCEPTION_REASONS).default("other") });

export const RescheduleInput = z.strictObject({
  start: instant,
  durationMinutes: z.number().int().min(30).max(240).optional(),
  reason: z.enum(EXCEPTION_REASONS).default("other"),
});

export const ChangeLinkInput = z.strictObject({
  meetingLink: z.url({ protocol: /^https?$/, message: "must be an http(s) link" }).max(500),
  reason: z.enum(EXCEPTION_REASONS).default("other"),
});

export const PauseInput = z
  .strictObject({ startDate: localDate, endDate: localDate })
  .refine((v) => v.startDate <= v.endDate, { path: ["endDate"], message: "must not be before startDate" });

export const RsvpInput = z.strictObject({
  status: z.enum(RSVP_STATUSES),
  note: z.string().trim().max(RSVP_NOTE_MAX, `at most ${RSVP_NOTE_MAX} characters`).optional(),
});

export const AttendanceInput = z.strictObject({
  entries: z
    .array(z.strictObject({ userId: z.string().min(1).max(100), status: z.enum(ATTENDANCE_STATUSES) }))
    .min(1)
    .max(30),
});

export const ReminderPreferenceInput = z.strictObject({
  offsetsMinutes: z
    .array(z.union(REMINDER_OFFSETS.map((n) => z.literal(n)), { message: `must be one of ${REMINDER_OFFSETS.join(", ")}` }))
    .max(REMINDER_OFFSETS.length)
    .refine((a) => new Set(a).size === a.length, { message: "must not repeat an offset" }),
});

/** Who led one held meeting: per leader, whether they led it (the "led this meeting" checkboxes). */
export const SessionLeadersInput = z.strictObject({
  leaders: z
    .array(z.strictObject({ userId: z.string().min(1).max(100), led: z.boolean() }))
    .min(1)
    .max(20),
});
