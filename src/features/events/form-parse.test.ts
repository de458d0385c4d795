import { describe, expect, it } from "vitest";
import { parseProgramme, parseQuestions, parseTiers } from "./form-parse.ts";
import { answerIssues } from "./answers.ts";

describe("organisers' plain-text fields", () => {
  it("groups sessions by day and reports bad lines", () => {
    const { days, issues } = parseProgramme("2031-04-17 09:00-10:00 faculty_panel Panel\n2031-04-16 09:00-10:30 experiential_group Large group\nnonsense");
    expect(days.map((d) => d.date)).toEqual(["2031-04-16", "2031-04-17"]);
    expect(days[0]!.sessions[0]).toEqual({ kind: "experiential_group", title: "Large group", start: "09:00", end: "10:30" });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toMatch(/Line 3/);
  });
  it("reads tiers and questions", () => {
    expect(parseTiers("trainee 64000 usd Trainee (20% off)").tiers).toEqual([{ eligibility: "trainee", amountMinor: 64000, currency: "USD", name: "Trainee (20% off)" }]);
    expect(parseTiers("free").issues).toHaveLength(1);
    expect(parseQuestions("dietary | Dietary needs | none, vegan *").questions).toEqual([{ kind: "dietary", label: "Dietary needs", options: ["none", "vegan"], required: true }]);
  });
});

describe("answers against questions", () => {
  const qs = [
    { id: "q1", kind: "choice" as const, options: ["a", "b"], required: true },
    { id: "q2", kind: "balint_experience" as const, options: [], required: false },
    { id: "q3", kind: "short_text" as const, options: [], required: false },
  ];
  it("names each field at fault", () => {
    expect(answerIssues(qs, {}).map((i) => i.path)).toEqual(["answers.q1"]);
    expect(answerIssues(qs, { q1: "c", q2: "lots", zz: "x" }).map((i) => i.path)).toEqual(["answers.zz", "answers.q1", "answers.q2"]);
    expect(answerIssues(qs, { q1: "a", q2: "none", q3: "wheelchair access" })).toEqual([]);
  });
});
