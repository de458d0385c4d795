import { describe, expect, it } from "vitest";
import { applyCompetencyEdit, keyFromLabel, reconcileRetired, type CompetencyLists } from "./competency-list.ts";

const NOW = new Date("2026-04-01T09:00:00Z");
const lists = (): CompetencyLists => ({
  active: [
    { key: "boundaries", label: "Boundaries" },
    { key: "safety", label: "Safety" },
    { key: "group_process", label: "Group process" },
  ],
  retired: [{ key: "old_one", label: "Old one", retiredAt: "2025-01-01T00:00:00.000Z" }],
});
const keys = (l: CompetencyLists) => l.active.map((c) => c.key);
function ok(outcome: ReturnType<typeof applyCompetencyEdit>): CompetencyLists {
  if (!outcome.ok) throw new Error(`expected ok, got ${outcome.message}`);
  return outcome.lists;
}

describe("keyFromLabel", () => {
  it("makes a key from a name, without accents, starting with a letter", () => {
    expect(keyFromLabel("Protecting the presenter")).toBe("protecting_the_presenter");
    expect(keyFromLabel("  Protección del presentador ")).toBe("proteccion_del_presentador");
    expect(keyFromLabel("360° feedback")).toBe("c_360_feedback");
    expect(keyFromLabel("—!")).toBe("");
    expect(keyFromLabel("x".repeat(60))).toHaveLength(40);
  });
});

describe("applyCompetencyEdit", () => {
  it("adds at the end, deriving a free key from the name", () => {
    const l = ok(applyCompetencyEdit(lists(), { op: "add", label: "Reflective capacity" }, NOW));
    expect(l.active.at(-1)).toEqual({ key: "reflective_capacity", label: "Reflective capacity" });
    // A derived key that is taken (here by a retired competency) gets a number.
    const again = ok(applyCompetencyEdit(lists(), { op: "add", label: "Old  one!" }, NOW));
    expect(again.active.at(-1)!.key).toBe("old_one_2");
  });

  it("refuses bad, taken and retired keys and bad names, naming the field", () => {
    const problem = (edit: Parameters<typeof applyCompetencyEdit>[1]) => {
      const o = applyCompetencyEdit(lists(), edit, NOW);
      return o.ok ? null : { reason: o.reason, path: o.problems[0]!.path };
    };
    expect(problem({ op: "add", key: "Bad Key", label: "X" })).toEqual({ reason: "invalid", path: "key" });
    expect(problem({ op: "add", key: "safety", label: "Safety two" })).toEqual({ reason: "invalid", path: "key" });
    expect(problem({ op: "add", key: "old_one", label: "Back again" })).toEqual({ reason: "invalid", path: "key" });
    expect(problem({ op: "add", label: "   " })).toEqual({ reason: "invalid", path: "label" });
    expect(problem({ op: "add", label: "x".repeat(81) })).toEqual({ reason: "invalid", path: "label" });
    expect(problem({ op: "add", label: " SAFETY " })).toEqual({ reason: "invalid", path: "label" });
    expect(problem({ op: "add", label: "!!!" })).toEqual({ reason: "invalid", path: "key" });
    expect(problem({ op: "rename", key: "nope", label: "X" })).toEqual({ reason: "not_found", path: "key" });
    expect(problem({ op: "rename", key: "safety", label: "boundaries" })).toEqual({ reason: "invalid", path: "label" });
  });

  it("holds at most 20 active competencies", () => {
    let l: CompetencyLists = { active: [], retired: [] };
    for (let i = 0; i < 20; i += 1) l = ok(applyCompetencyEdit(l, { op: "add", label: `Competency ${i}` }, NOW));
    const o = applyCompetencyEdit(l, { op: "add", label: "One too many" }, NOW);
    expect(o.ok).toBe(false);
  });

  it("renames keeping the key and the place; the same name with other case is fine for itself", () => {
    const l = ok(applyCompetencyEdit(lists(), { op: "rename", key: "safety", label: "  Safety of the group " }, NOW));
    expect(l.active[1]).toEqual({ key: "safety", label: "Safety of the group" });
    expect(ok(applyCompetencyEdit(lists(), { op: "rename", key: "safety", label: "SAFETY" }, NOW)).active[1]!.label).toBe("SAFETY");
  });

  it("moves up and down; at the ends nothing changes", () => {
    expect(keys(ok(applyCompetencyEdit(lists(), { op: "move", key: "safety", direction: "up" }, NOW)))).toEqual(["safety", "boundaries", "group_process"]);
    expect(keys(ok(applyCompetencyEdit(lists(), { op: "move", key: "safety", direction: "down" }, NOW)))).toEqual(["boundaries", "group_process", "safety"]);
    expect(keys(ok(applyCompetencyEdit(lists(), { op: "move", key: "boundaries", direction: "up" }, NOW)))).toEqual(["boundaries", "safety", "group_process"]);
    expect(keys(ok(applyCompetencyEdit(lists(), { op: "move", key: "group_process", direction: "down" }, NOW)))).toEqual(["boundaries", "safety", "group_process"]);
  });

  it("retires into the retired list with its label, never the last one, and restores at the end", () => {
    const l = ok(applyCompetencyEdit(lists(), { op: "retire", key: "safety" }, NOW));
    expect(keys(l)).toEqual(["boundaries", "group_process"]);
    expect(l.retired.at(-1)).toEqual({ key: "safety", label: "Safety", retiredAt: NOW.toISOString() });
    const back = ok(applyCompetencyEdit(l, { op: "restore", key: "safety" }, NOW));
    expect(keys(back)).toEqual(["boundaries", "group_process", "safety"]);
    expect(back.retired.map((c) => c.key)).toEqual(["old_one"]);
    const single: CompetencyLists = { active: [{ key: "only", label: "Only" }], retired: [] };
    const last = applyCompetencyEdit(single, { op: "retire", key: "only" }, NOW);
    expect(last.ok ? null : last.reason).toBe("conflict");
    const none = applyCompetencyEdit(lists(), { op: "restore", key: "safety" }, NOW);
    expect(none.ok ? null : none.reason).toBe("not_found");
  });

  it("does not change the lists it is given", () => {
    const input = lists();
    applyCompetencyEdit(input, { op: "retire", key: "safety" }, NOW);
    applyCompetencyEdit(input, { op: "move", key: "safety", direction: "up" }, NOW);
    expect(input).toEqual(lists());
  });
});

describe("reconcileRetired", () => {
  it("retires what left the list and un-retires what came back", () => {
    const out = reconcileRetired(lists(), [{ key: "boundaries", label: "Boundaries" }, { key: "old_one", label: "Old one" }], NOW);
    expect(out).toEqual([
      { key: "safety", label: "Safety", retiredAt: NOW.toISOString() },
      { key: "group_process", label: "Group process", retiredAt: NOW.toISOString() },
    ]);
  });
});
