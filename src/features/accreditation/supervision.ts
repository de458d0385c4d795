// Pure rules for supervision and committee review (brief Q). No I/O; unit-tested in supervision.test.ts.

export const DEFAULT_COMPETENCIES: ReadonlyArray<{ key: string; label: string }> = [
  { key: "boundaries", label: "Boundaries" },
  { key: "safety", label: "Safety" },
  { key: "protecting_the_presenter", label: "Protecting the presenter" },
  { key: "group_process", label: "Group process" },
  { key: "confidentiality", label: "Confidentiality" },
];
export const DEFAULT_MAX_LEVEL = 4;
export const DEFAULT_REPORT_INTERVAL_MONTHS = 6;

/** Adds whole calendar months in UTC, clamping to the month's last day (31 Aug + 6 → 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}

/**
 * When the next supervisor report is due: `interval` months after the latest report, or after the
 * supervision started when there is none yet.
 */
export function nextReportDue(startedAt: Date, latestReportAt: Date | null, intervalMonths: number): Date {
  return addMonths(latestReportAt ?? startedAt, intervalMonths);
}

export function reportIsDue(startedAt: Date, latestReportAt: Date | null, intervalMonths: number, now: Date): boolean {
  return nextReportDue(startedAt, latestReportAt, intervalMonths).getTime() <= now.getTime();
}

/** Days after the due date when the supervisor is reminded a second (and last) time. */
export const REPORT_OVERDUE_DAYS = 14;

/**
 * Which reminder a report due at `due` calls for at `now`: none before it is due, "due" from the
 * due date, "overdue" from `overdueDays` days after it. Each kind is sent at most once per report
 * cycle (the service claims it), so a supervisor gets at most two emails per report.
 */
export function reportReminderKind(due: Date, now: Date, overdueDays = REPORT_OVERDUE_DAYS): "due" | "overdue" | null {
  if (due.getTime() > now.getTime()) return null;
  return now.getTime() >= due.getTime() + overdueDays * 86_400_000 ? "overdue" : "due";
}

export interface RatingProblem {
  path: string;
  message: string;
}

/**
 * Checks a report's ratings against the competency list: every competency rated exactly once with
 * an integer 1..maxLevel, nothing else. Returns the problems (empty when fine).
 */
export function checkRatings(ratings: Record<string, unknown>, competencies: ReadonlyArray<{ key: string }>, maxLevel: number): RatingProblem[] {
  const problems: RatingProblem[] = [];
  const keys = new Set(competencies.map((c) => c.key));
  for (const key of Object.keys(ratings)) {
    if (!keys.has(key)) problems.push({ path: `ratings.${key}`, message: "Not a competency of this organisation." });
  }
  for (const c of competencies) {
    const v = ratings[c.key];
    if (v === undefined) problems.push({ path: `ratings.${c.key}`, message: "Rate every competency." });
    else if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > maxLevel) problems.push({ path: `ratings.${c.key}`, message: `Must be a whole number from 1 to ${maxLevel}.` });
  }
  return problems;
}

/** Confirmed supervision meetings per calendar year ("2026" → 11). */
export function meetingsPerYear(meetings: ReadonlyArray<{ heldOn: string; status: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of meetings) {
    if (m.status !== "confirmed") continue;
    const year = m.heldOn.slice(0, 4);
    out[year] = (out[year] ?? 0) + 1;
  }
  return out;
}

// ---- applications -----------------------------------------------------------------------------

export type ApplicationStatus = "submitted" | "in_review" | "decided" | "withdrawn";
export type Recommendation = "approve" | "more_needed" | "decline";
export type ApplicationStep = "assign" | "recommend" | "decide" | "withdraw";

/**
 * The order of an application: submitted → (chair assigns reviewers) in_review → (each reviewer
 * recommends) → (chair decides) decided. Withdrawing is possible until decided. Returns null when
 * the step is allowed, else the reason (a 409).
 */
export function stepRefusal(
  status: ApplicationStatus,
  step: ApplicationStep,
  opts: { reviewers?: number; recommendations?: number; isAssignedReviewer?: boolean; alreadyRecommended?: boolean } = {},
): string | null {
  if (status === "decided") return "This application has been decided.";
  if (status === "withdrawn") return "This application was withdrawn.";
  switch (step) {
    case "assign":
      return null;
    case "recommend":
      if (status !== "in_review") return "No reviewers have been assigned yet.";
      if (!opts.isAssignedReviewer) return "You are not a reviewer of this application.";
      if (opts.alreadyRecommended) return "You have already made your recommendation.";
      return null;
    case "decide":
      if (status !== "in_review") return "Assign reviewers before deciding.";
      if ((opts.recommendations ?? 0) < 1) return "Wait for at least one recommendation before deciding.";
      if ((opts.recommendations ?? 0) < (opts.reviewers ?? 0)) return "Every assigned reviewer must recommend before the decision.";
      return null;
    case "withdraw":
      return null;
  }
}
