// The organisation's competency list, edited one step at a time (the coordinators' competencies
// page and its REST routes): add, rename, move up/down, retire and restore. Pure, no I/O;
// unit-tested in competency-list.test.ts. The service applies an edit under a row lock.
//
// Rules:
// - Keys are stable identifiers (pathway definitions and reports refer to them): lower-case
//   letters, digits and _, starting with a letter, at most 40. A key is never reused for another
//   meaning: retiring keeps the key and its label in the retired list, and adding a retired key is
//   refused (restore it instead). Without a key, one is derived from the name.
// - Names (labels) are 1–80 characters, unique on the active list (case and accents ignored).
// - The active list holds 1–20 competencies: the last one cannot be retired, a 21st not added.
// - Moving the first up or the last down changes nothing.

export interface Competency {
  key: string;
  label: string;
}
export interface RetiredCompetency extends Competency {
  retiredAt: string;
}
export interface CompetencyLists {
  active: Competency[];
  retired: RetiredCompetency[];
}

export type CompetencyEdit =
  | { op: "add"; key?: string | undefined; label: string }
  | { op: "rename"; key: string; label: string }
  | { op: "move"; key: string; direction: "up" | "down" }
  | { op: "retire"; key: string }
  | { op: "restore"; key: string };

export interface EditProblem {
  path: string;
  message: string;
}
export type EditOutcome = { ok: true; lists: CompetencyLists } | { ok: false; reason: "invalid" | "not_found" | "conflict"; message: string; problems: EditProblem[] };

export const COMPETENCY_KEY = /^[a-z][a-z0-9_]{0,39}$/;
export const MAX_ACTIVE_COMPETENCIES = 20;
export const LABEL_MAX = 80;

/** A comparable form of a name: trimmed, lower-case, without accents, spaces collapsed. */
function fold(label: string): string {
  return label.normalize("NFKD").replace(/\p{M}/gu, "").trim().replace(/\s+/g, " ").toLowerCase();
}

/** A key made from a name: "Protecting the presenter" → "protecting_the_presenter". "" when the name has no letters or digits. */
export function keyFromLabel(label: string): string {
  let key = fold(label)
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!key) return "";
  if (!/^[a-z]/.test(key)) key = `c_${key}`;
  return key.slice(0, 40).replace(/_+$/, "");
}

function checkLabel(label: string, active: readonly Competency[], exceptKey?: string): EditProblem | null {
  const trimmed = label.trim();
  if (!trimmed) return { path: "label", message: "Write a name." };
  if (trimmed.length > LABEL_MAX) return { path: "label", message: `At most ${LABEL_MAX} characters.` };
  if (trimmed.includes("\u0000")) return { path: "label", message: "Contains a character that is not allowed." };
  if (active.some((c) => c.key !== exceptKey && fold(c.label) === fold(trimmed))) return { path: "label", message: "A competency with this name is already on the list." };
  return null;
}

const invalid = (problem: EditProblem): EditOutcome => ({ ok: false, reason: "invalid", message: `${problem.path}: ${problem.message}`, problems: [problem] });
const missing = (key: string): EditOutcome => ({ ok: false, reason: "not_found", message: "That competency was not found.", problems: [{ path: "key", message: `No competency "${key}" on the list.` }] });

/** Applies one edit; returns the new lists (new arrays, the input is not changed) or why not. */
export function applyCompetencyEdit(lists: CompetencyLists, edit: CompetencyEdit, now: Date): EditOutcome {
  const active = lists.active.map((c) => ({ ...c }));
  const retired = lists.retired.map((c) => ({ ...c }));
  const index = "key" in edit && edit.key ? active.findIndex((c) => c.key === edit.key) : -1;
  switch (edit.op) {
    case "add": {
      const labelProblem = checkLabel(edit.label, active);
      if (labelProblem) return invalid(labelProblem);
      if (active.length >= MAX_ACTIVE_COMPETENCIES) return invalid({ path: "label", message: `The list holds at most ${MAX_ACTIVE_COMPETENCIES} competencies: retire one first.` });
      const taken = new Set([...active, ...retired].map((c) => c.key));
      let key = edit.key?.trim() ?? "";
      if (key) {
        if (!COMPETENCY_KEY.test(key)) return invalid({ path: "key", message: "Use lower-case letters, digits and _, starting with a letter (at most 40)." });
        if (active.some((c) => c.key === key)) return invalid({ path: "key", message: "This key is already on the list." });
        if (retired.some((c) => c.key === key)) return invalid({ path: "key", message: "This key belongs to a retired competency: restore it instead." });
      } else {
        const base = keyFromLabel(edit.label);
        if (!base) return invalid({ path: "key", message: "The name has no letters or digits to make a key from: give a key." });
        key = base;
        for (let n = 2; taken.has(key); n += 1) key = `${base.slice(0, 40 - String(n).length - 1)}_${n}`;
      }
      active.push({ key, label: edit.label.trim() });
      return { ok: true, lists: { active, retired } };
    }
    case "rename": {
      if (index < 0) return missing(edit.key);
      const labelProblem = checkLabel(edit.label, active, edit.key);
      if (labelProblem) return invalid(labelProblem);
      active[index] = { key: edit.key, label: edit.label.trim() };
      return { ok: true, lists: { active, retired } };
    }
    case "move": {
      if (index < 0) return missing(edit.key);
      const to = edit.direction === "up" ? index - 1 : index + 1;
      if (to < 0 || to >= active.length) return { ok: true, lists: { active, retired } };
      [active[index], active[to]] = [active[to]!, active[index]!];
      return { ok: true, lists: { active, retired } };
    }
    case "retire": {
      if (index < 0) return missing(edit.key);
      if (active.length === 1) return { ok: false, reason: "conflict", message: "Keep at least one competency on the list.", problems: [{ path: "key", message: "The last competency cannot be retired." }] };
      const [gone] = active.splice(index, 1);
      retired.push({ ...gone!, retiredAt: now.toISOString() });
      return { ok: true, lists: { active, retired } };
    }
    case "restore": {
      const at = retired.findIndex((c) => c.key === edit.key);
      if (at < 0) return { ok: false, reason: "not_found", message: "That retired competency was not found.", problems: [{ path: "key", message: `No retired competency "${edit.key}".` }] };
      if (active.length >= MAX_ACTIVE_COMPETENCIES) return invalid({ path: "key", message: `The list holds at most ${MAX_ACTIVE_COMPETENCIES} competencies: retire one first.` });
      const [back] = retired.splice(at, 1);
      if (checkLabel(back!.label, active)) return invalid({ path: "key", message: "A competency with the same name is on the list: rename it first." });
      active.push({ key: back!.key, label: back!.label });
      return { ok: true, lists: { active, retired } };
    }
  }
}

/**
 * After the whole list is replaced (PUT settings): competencies that left the active list are
 * retired (kept with their label), and retired ones that are back on it leave the retired list.
 */
export function reconcileRetired(previous: CompetencyLists, nextActive: readonly Competency[], now: Date): RetiredCompetency[] {
  const nextKeys = new Set(nextActive.map((c) => c.key));
  const out = previous.retired.filter((c) => !nextKeys.has(c.key));
  for (const c of previous.active) if (!nextKeys.has(c.key) && !out.some((r) => r.key === c.key)) out.push({ key: c.key, label: c.label, retiredAt: now.toISOString() });
  return out;
}
