// Pure parsing of the organisers' plain-text form fields (one item a line) into API input.
// Lines that do not match come back as field errors naming the line; no I/O.
import type { FieldError } from "../../platform/http/errors.ts";

export interface ParsedDay {
  date: string;
  sessions: { kind: string; title: string; start: string; end: string }[];
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** "2031-04-16 09:00-10:30 experiential_group Large group" → days with sessions. */
export function parseProgramme(text: string): { days: ParsedDay[]; issues: FieldError[] } {
  const days = new Map<string, ParsedDay>();
  const issues: FieldError[] = [];
  for (const [i, line] of lines(text).entries()) {
    const m = /^(\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s+([a-z_]+)\s+(.+)$/.exec(line);
    if (!m) {
      issues.push({ path: "programme", message: `Line ${i + 1}: use "2031-04-16 09:00-10:30 experiential_group Title".` });
      continue;
    }
    const [, date, start, end, kind, title] = m as unknown as [string, string, string, string, string, string];
    const day = days.get(date) ?? { date, sessions: [] };
    day.sessions.push({ kind, title, start, end });
    days.set(date, day);
  }
  return { days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)), issues };
}

/** "trainee 64000 USD Trainee (20% off)" → tiers. */
export function parseTiers(text: string): { tiers: { eligibility: string; amountMinor: number; currency: string; name: string }[]; issues: FieldError[] } {
  const tiers: { eligibility: string; amountMinor: number; currency: string; name: string }[] = [];
  const issues: FieldError[] = [];
  for (const [i, line] of lines(text).entries()) {
    const m = /^([a-z]+)\s+(\d+)\s+([A-Za-z]{3})\s+(.+)$/.exec(line);
    if (!m) {
      issues.push({ path: "tiers", message: `Line ${i + 1}: use "member 80000 USD Member price".` });
      continue;
    }
    tiers.push({ eligibility: m[1]!, amountMinor: Number(m[2]), currency: m[3]!.toUpperCase(), name: m[4]! });
  }
  return { tiers, issues };
}

/** "dietary | Dietary needs | none, vegetarian *" → questions. */
export function parseQuestions(text: string): { questions: { kind: string; label: string; options: string[]; required: boolean }[]; issues: FieldError[] } {
  const questions: { kind: string; label: string; options: string[]; required: boolean }[] = [];
  const issues: FieldError[] = [];
  for (const [i, raw] of lines(text).entries()) {
    const required = raw.endsWith("*");
    const line = required ? raw.slice(0, -1).trim() : raw;
    const [kind, label, opts] = line.split("|").map((p) => p.trim());
    if (!kind || !label) {
      issues.push({ path: "questions", message: `Line ${i + 1}: use "dietary | Dietary needs | none, vegetarian".` });
      continue;
    }
    questions.push({ kind, label, options: opts ? opts.split(",").map((o) => o.trim()).filter(Boolean) : [], required });
  }
  return { questions, issues };
}
