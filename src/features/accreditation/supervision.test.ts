import { describe, expect, it } from "vitest";
import { DEFAULT_COMPETENCIES, addMonths, checkRatings, meetingsPerYear, nextReportDue, reportIsDue, reportReminderKind, stepRefusal } from "./supervision.ts";

describe("report schedule", () => {
  it("adds calendar months, clamping to the month's end", () => {
    expect(addMonths(new Date("2026-08-31T10:00:00Z"), 6).toISOString()).toBe("2027-02-28T10:00:00.000Z");
    expect(addMonths(new Date("2027-08-31T00:00:00Z"), 6).toISOString()).toBe("2028-02-29T00:00:00.000Z");
    expect(addMonths(new Date("2026-01-15T00:00:00Z"), 12).toISOString()).toBe("2027-01-15T00:00:00.000Z");
  });
  it("is due an interval after the start, then after the latest report", () => {
    const start = new Date("2026-01-10T00:00:00Z");
    expect(nextReportDue(start, null, 6).toISOString().slice(0, 10)).toBe("2026-07-10");
    expect(nextReportDue(start, new Date("2026-07-01T00:00:00Z"), 6).toISOString().slice(0, 10)).toBe("2027-01-01");
    expect(reportIsDue(start, null, 6, new Date("2026-07-09T23:59:59Z"))).toBe(false);
    expect(reportIsDue(start, null, 6, new Date("2026-07-10T00:00:00Z"))).toBe(true);
  });
});

describe("report reminders", () => {
  it("asks for none before the due date, 'due' from it, 'overdue' from N days after", () => {
    const due = new Date("2026-07-10T00:00:00Z");
    expect(reportReminderKind(due, new Date("2026-07-09T23:59:59Z"))).toBeNull();
    expect(reportReminderKind(due, due)).toBe("due");
    expect(reportReminderKind(due, new Date("2026-07-23T23:59:59Z"))).toBe("due");
    expect(reportReminderKind(due, new Date("2026-07-24T00:00:00Z"))).toBe("overdue");
    expect(reportReminderKind(due, new Date("2026-07-12T00:00:00Z"), 2)).toBe("overdue");
  });
});

describe("ratings", () => {
  const all = Object.fromEntries(DEFAULT_COMPETENCIES.map((c) => [c.key, 3]));
  it("accepts every competency rated within the levels", () => {
    expect(checkRatings(all, DEFAULT_COMPETENCIES, 4)).toEqual([]);
  });
  it("names missing, unknown and out-of-range ratings", () => {
    const problems = checkRatings({ ...all, safety: 5, boundaries: 2.5, unknown: 1, confidentiality: undefined }, DEFAULT_COMPETENCIES, 4).map((p) => p.path);
    expect(problems.sort()).toEqual(["ratings.boundaries", "ratings.confidentiality", "ratings.safety", "ratings.unknown"]);
    expect(checkRatings({ ...all, safety: 0 }, DEFAULT_COMPETENCIES, 4).map((p) => p.path)).toEqual(["ratings.safety"]);
  });
});

describe("meetings per year", () => {
  it("counts confirmed meetings only", () => {
    expect(meetingsPerYear([
      { heldOn: "2025-12-31", status: "confirmed" },
      { heldOn: "2026-01-01", status: "confirmed" },
      { heldOn: "2026-02-01", status: "pending" },
      { heldOn: "2026-03-01", status: "rejected" },
      { heldOn: "2026-04-01", status: "confirmed" },
    ])).toEqual({ "2025": 1, "2026": 2 });
  });
});

describe("application order", () => {
  it("refuses steps out of order", () => {
    expect(stepRefusal("submitted", "assign")).toBeNull();
    expect(stepRefusal("submitted", "recommend", { isAssignedReviewer: true })).not.toBeNull();
    expect(stepRefusal("submitted", "decide", { reviewers: 0, recommendations: 0 })).not.toBeNull();
    expect(stepRefusal("in_review", "recommend", { isAssignedReviewer: true })).toBeNull();
    expect(stepRefusal("in_review", "recommend", { isAssignedReviewer: true, alreadyRecommended: true })).not.toBeNull();
    expect(stepRefusal("in_review", "recommend", { isAssignedReviewer: false })).not.toBeNull();
    expect(stepRefusal("in_review", "decide", { reviewers: 2, recommendations: 1 })).not.toBeNull();
    expect(stepRefusal("in_review", "decide", { reviewers: 2, recommendations: 2 })).toBeNull();
    for (const step of ["assign", "recommend", "decide", "withdraw"] as const) {
      expect(stepRefusal("decided", step, { isAssignedReviewer: true, reviewers: 1, recommendations: 1 })).not.toBeNull();
      expect(stepRefusal("withdrawn", step, { isAssignedReviewer: true, reviewers: 1, recommendations: 1 })).not.toBeNull();
    }
  });
});
