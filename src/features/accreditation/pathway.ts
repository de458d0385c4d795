// Accreditation pathways as data (issue 7): a pathway version is a list of requirements; the rules
// of each society are definitions, not code. Pure: no I/O, safe for the browser (the coordinator's
// JSON editor validates with the same schema) and the server.
import { z } from "zod";

export const REQUIREMENT_KINDS = [
  "sessions_attended",
  "sessions_led",
  "supervised_sessions",
  "supervision_meetings",
  "events_attended",
  "debriefs_completed",
  "membership_in_good_standing",
  "supervisor_report_competencies",
  "faculty_observations",
  "verified_item",
] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

export const EVENT_KIND_NAMES = ["intensive", "workshop", "conference", "webinar", "fellowship_cohort", "other"] as const;

const count = z.number().int().min(1).max(10_000);
const base = {
  /** Stable id within the pathway ("lead-monthly"); evidence may point at it. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lower-case letters, digits and hyphens (≤ 40)"),
  /** A short label shown to candidates ("Lead or co-lead at least monthly for two years"). */
  label: z.string().trim().min(1).max(160),
};

export const SessionsAttendedRequirement = z.strictObject({ ...base, kind: z.literal("sessions_attended"), minCount: count });
export const SessionsLedRequirement = z.strictObject({
  ...base,
  kind: z.literal("sessions_led"),
  minCount: count,
  /** Which credits count; both by default (led or co-led). */
  roles: z.array(z.enum(["leader", "co_leader"])).min(1).max(2).default(["leader", "co_leader"]),
  /** From the first to the last counted session, at least this many months. */
  minSpanMonths: z.number().int().min(1).max(240).optional(),
  /** Frequency: at least this many calendar months with ≥ 1 led session ("monthly for two years" = 24). */
  minActiveMonths: z.number().int().min(1).max(240).optional(),
});
export const SupervisedSessionsRequirement = z.strictObject({ ...base, kind: z.literal("supervised_sessions"), minCount: count });
export const SupervisionMeetingsRequirement = z.strictObject({
  ...base,
  kind: z.literal("supervision_meetings"),
  perYear: count,
  /** Counted over the last `years` × 12 months (default 1): perYear × years meetings in that window. */
  years: z.number().int().min(1).max(10).default(1),
});
export const EventsAttendedRequirement = z.strictObject({
  ...base,
  kind: z.literal("events_attended"),
  kinds: z.array(z.enum(EVENT_KIND_NAMES)).min(1).max(EVENT_KIND_NAMES.length),
  minCount: count,
  /** One of them must be a final credentialing event (a verified evidence flag, or one of finalEventIds). */
  requireFinal: z.boolean().default(false),
  finalEventIds: z.array(z.string().uuid()).max(50).default([]),
});
export const DebriefsCompletedRequirement = z
  .strictObject({
    ...base,
    kind: z.literal("debriefs_completed"),
    minCount: count.optional(),
    /** A debrief after every led session: as many debriefed led sessions as the pathway's led sessions require. */
    afterEveryLedSession: z.boolean().default(false),
  })
  .refine((r) => r.minCount !== undefined || r.afterEveryLedSession, { message: "give minCount or afterEveryLedSession", path: ["minCount"] });
export const MembershipRequirement = z.strictObject({
  ...base,
  kind: z.literal("membership_in_good_standing"),
  /** Member for at least this many months (0 = member now). */
  minMonths: z.number().int().min(0).max(600).default(0),
});
export const ReportCompetenciesRequirement = z.strictObject({
  ...base,
  kind: z.literal("supervisor_report_competencies"),
  competencies: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)).min(1).max(20),
  /** Rating at or above this level (1–5) in the latest supervisor report. */
  minLevel: z.number().int().min(1).max(5),
});
/**
 * Faculty observations of the candidate leading under observation at an event (issue 6): at least
 * `minCount` observations; with `competencies`, only observations rating EACH of them at or above
 * `minLevel` count (1–4, the scale of the events slice's observation form).
 */
export const FacultyObservationsRequirement = z
  .strictObject({
    ...base,
    kind: z.literal("faculty_observations"),
    minCount: count,
    competencies: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)).min(1).max(20).optional(),
    minLevel: z.number().int().min(1).max(4).optional(),
  })
  .refine((r) => (r.competencies === undefined) === (r.minLevel === undefined), { message: "give both competencies and minLevel, or neither", path: ["minLevel"] });
export const VerifiedItemRequirement = z.strictObject({ ...base, kind: z.literal("verified_item"), minCount: count.default(1) });

export const Requirement = z.union([
  SessionsAttendedRequirement,
  SessionsLedRequirement,
  SupervisedSessionsRequirement,
  SupervisionMeetingsRequirement,
  EventsAttendedRequirement,
  DebriefsCompletedRequirement,
  MembershipRequirement,
  ReportCompetenciesRequirement,
  FacultyObservationsRequirement,
  VerifiedItemRequirement,
]);
export type Requirement = z.infer<typeof Requirement>;

export const PathwayDefinition = z
  .strictObject({
    title: z.string().trim().min(1).max(120),
    summary: z.string().trim().max(600).optional(),
    /** Set on shipped examples: they must be checked against the society's current rules. */
    example: z.strictObject({ note: z.string().max(300), sources: z.array(z.string().max(300)).max(10) }).optional(),
    requirements: z.array(Requirement).min(1).max(40),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.requirements.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: "custom", message: `duplicate requirement id "${r.id}"`, path: ["requirements", i, "id"] });
      seen.add(r.id);
    });
  });
export type PathwayDefinition = z.infer<typeof PathwayDefinition>;
/** What a coordinator writes (defaults may be omitted). */
export type PathwayDefinitionInput = z.input<typeof PathwayDefinition>;

/** Validates a definition (e.g. parsed JSON from the editor); issues carry the path of the field. */
export function parsePathwayDefinition(raw: unknown): { ok: true; value: PathwayDefinition } | { ok: false; issues: { path: string; message: string }[] } {
  const r = PathwayDefinition.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })) };
}

export const DEFAULT_COMPETENCIES = ["boundaries", "safety", "protecting_the_presenter", "group_process", "confidentiality"] as const;

const EXAMPLE_NOTE = "Example — check against the society's current rules before use.";
const DOMAIN_SOURCE = "Balint Commons docs: ../shared/DOMAIN.md section 3 (summary of the society's published criteria)";

/** Three example pathways shipped as data (issue 7). NOT authoritative: each says so. */
export const EXAMPLE_PATHWAYS: { key: string; name: string; definition: PathwayDefinitionInput }[] = [
  {
    key: "abs-leader",
    name: "Balint group leader (ABS-like example)",
    definition: {
      title: "Balint group leader (ABS-like example)",
      summary: "Modelled on the American Balint Society credentialing route.",
      example: { note: EXAMPLE_NOTE, sources: [DOMAIN_SOURCE, "American Balint Society — leader credentialing criteria (public site; check the current version)"] },
      requirements: [
        { id: "membership", kind: "membership_in_good_standing", label: "Society member in good standing" },
        { id: "lead-monthly", kind: "sessions_led", label: "Lead or co-lead at least monthly for two years", minCount: 24, minSpanMonths: 24, minActiveMonths: 24 },
        { id: "supervised", kind: "supervised_sessions", label: "At least 12 supervised, recorded sessions", minCount: 12 },
        { id: "debrief-every", kind: "debriefs_completed", label: "Debrief with the co-leader after every group", afterEveryLedSession: true },
        { id: "intensives", kind: "events_attended", label: "Three intensives, the last a credentialing intensive", kinds: ["intensive"], minCount: 3, requireFinal: true },
        { id: "agreement", kind: "verified_item", label: "Signed supervisor agreement", minCount: 1 },
      ],
    },
  },
  {
    key: "uk-leader-pre-2023",
    name: "Group leader (UK Balint Society, criteria before June 2023 — example)",
    definition: {
      title: "Group leader (UK Balint Society, before June 2023 — example)",
      summary: "Modelled on the UK Balint Society's accreditation criteria in force before June 2023 (20 sessions as a member is the route without psychoanalytic training).",
      example: { note: EXAMPLE_NOTE, sources: [DOMAIN_SOURCE, "The Balint Society (UK) — leader accreditation criteria before June 2023 (public site; superseded)"] },
      requirements: [
        { id: "member-sessions", kind: "sessions_attended", label: "20 sessions as a group member (8 with psychoanalytic training)", minCount: 20 },
        { id: "co-lead", kind: "sessions_led", label: "Co-lead at least 20 sessions", minCount: 20 },
        { id: "weekends", kind: "events_attended", label: "At least 2 leadership weekends", kinds: ["intensive", "workshop"], minCount: 2 },
        { id: "portfolio", kind: "verified_item", label: "Portfolio accepted", minCount: 1 },
        { id: "supervisor-report", kind: "verified_item", label: "Supervisor's report", minCount: 1 },
      ],
    },
  },
  {
    key: "bsanz-leader",
    name: "Accredited leader (BSANZ example)",
    definition: {
      title: "Accredited leader (BSANZ example)",
      summary: "Modelled on the Balint Society of Australia & New Zealand leader accreditation.",
      example: { note: EXAMPLE_NOTE, sources: [DOMAIN_SOURCE, "Balint Society of Australia & New Zealand — leader accreditation (public site; check the current version)"] },
      requirements: [
        { id: "lead-20-meetings", kind: "sessions_led", label: "Lead or co-lead at least 30 case discussions over at least 20 meetings", minCount: 20 },
        { id: "supervision", kind: "supervision_meetings", label: "At least 10 supervision sessions a year with a Leader Trainer", perYear: 10 },
        { id: "intensives", kind: "events_attended", label: "Two intensives (or one plus an approved international workshop)", kinds: ["intensive", "workshop"], minCount: 2 },
        { id: "training-record", kind: "verified_item", label: "Annual training record", minCount: 1 },
        { id: "competencies", kind: "supervisor_report_competencies", label: "Supervisor reports: competencies at level 3 or above", competencies: [...DEFAULT_COMPETENCIES], minLevel: 3 },
      ],
    },
  },
];
