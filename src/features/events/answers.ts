// Pure rules for registration answers against the organiser's questions. No I/O.
import type { FieldError } from "../../platform/http/errors.ts";
import { DISCIPLINES, EXPERIENCE_LEVELS, type QUESTION_KINDS } from "./constants.ts";

export interface QuestionRule {
  id: string;
  kind: (typeof QUESTION_KINDS)[number];
  options: readonly string[];
  required: boolean;
}

/** Answer rules by question kind (the answer is at most 200 characters, checked by zod). */
export function answerIssues(questions: readonly QuestionRule[], answers: Record<string, string>): FieldError[] {
  const issues: FieldError[] = [];
  const known = new Set(questions.map((q) => q.id));
  for (const id of Object.keys(answers)) if (!known.has(id)) issues.push({ path: `answers.${id}`, message: "This is not a question of this event." });
  for (const q of questions) {
    const value = (answers[q.id] ?? "").trim();
    const path = `answers.${q.id}`;
    if (!value) {
      if (q.required) issues.push({ path, message: "Please answer this question." });
      continue;
    }
    if (q.kind === "choice" && !q.options.includes(value)) issues.push({ path, message: `Choose one of ${q.options.join(", ")}.` });
    if (q.kind === "discipline" && !(q.options.length ? q.options : (DISCIPLINES as readonly string[])).includes(value)) issues.push({ path, message: "Choose one of the listed disciplines." });
    if (q.kind === "balint_experience" && !(EXPERIENCE_LEVELS as readonly string[]).includes(value)) issues.push({ path, message: `Choose one of ${EXPERIENCE_LEVELS.join(", ")}.` });
    if (q.kind === "dietary" && q.options.length && !q.options.includes(value)) issues.push({ path, message: `Choose one of ${q.options.join(", ")}.` });
  }
  return issues;
}

