import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXAMPLE_PATHWAYS, parsePathwayDefinition, PathwayDefinition } from "./pathway.ts";
import { candidateVersion, evaluate, type HistoryRecord } from "./progress.ts";

const NOW = new Date("2027-06-15T12:00:00Z");
const examples = EXAMPLE_PATHWAYS.map((p) => PathwayDefinition.parse(p.definition));
/** A pathway with both forms of the faculty_observations requirement (issue 6), for the properties. */
const withObservations = PathwayDefinition.parse({
  title: "Observed leader",
  requirements: [
    { id: "observed", kind: "faculty_observations", label: "Two faculty observations", minCount: 2 },
    { id: "observed-well", kind: "faculty_observations", label: "One observation at level 3+", minCount: 1, competencies: ["safety", "group_process"], minLevel: 3 },
    { id: "intensives", kind: "events_attended", label: "One intensive", kinds: ["intensive"], minCount: 1 },
  ],
});

const iso = fc.integer({ min: Date.parse("2023-01-01"), max: NOW.getTime() }).map((t) => new Date(t).toISOString());
const sessionId = fc.integer({ min: 0, max: 60 }).map((n) => `session:g:${n}`);
const record: fc.Arbitrary<HistoryRecord> = fc.oneof(
  fc.record({ type: fc.constant("attended" as const), id: sessionId, at: iso }),
  fc.record({ type: fc.constant("led" as const), id: sessionId, at: iso, role: fc.constantFrom("leader" as const, "co_leader" as const), supervised: fc.boolean() }),
  fc.record({ type: fc.constant("supervised" as const), id: sessionId, at: iso }),
  fc.record({ type: fc.constant("debrief" as const), id: sessionId, at: iso }),
  fc.record({ type: fc.constant("event" as const), id: fc.integer({ min: 0, max: 8 }).map((n) => `event:${n}`), at: iso, kind: fc.constantFrom("intensive", "workshop", "webinar"), final: fc.boolean() }),
  fc.record({ type: fc.constant("supervision_meeting" as const), id: fc.uuid(), at: iso }),
  fc.record({ type: fc.constant("membership" as const), id: fc.constant("membership:org"), at: iso, goodStanding: fc.constant(true) }),
  fc.record({ type: fc.constant("verified" as const), id: fc.uuid(), at: iso, requirementId: fc.constantFrom("agreement", "portfolio", "supervisor-report", "training-record") }),
  fc.record({
    type: fc.constant("observation" as const),
    id: fc.integer({ min: 0, max: 12 }).map((n) => `observation:${n}`),
    at: iso,
    ratings: fc.dictionary(fc.constantFrom("safety", "group_process", "boundaries"), fc.integer({ min: 1, max: 4 })),
  }),
);
const history = fc.array(record, { maxLength: 80 });
const pathway = fc.constantFrom(...examples, withObservations);

describe("evaluate (properties)", () => {
  it("adding evidence never lowers progress (reports aside: the latest report decides)", () => {
    fc.assert(
      fc.property(pathway, history, history, (p, before, added) => {
        const a = evaluate(p, before, NOW);
        const b = evaluate(p, [...before, ...added], NOW);
        expect(b.fraction).toBeGreaterThanOrEqual(a.fraction - 1e-12);
        a.requirements.forEach((r, i) => {
          const after = b.requirements[i]!;
          expect(after.done).toBeGreaterThanOrEqual(r.done);
          if (r.met) expect(after.met).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("the same record is never counted twice", () => {
    fc.assert(
      fc.property(pathway, history, (p, h) => {
        expect(evaluate(p, [...h, ...h, ...h], NOW)).toEqual(evaluate(p, h, NOW));
      }),
      { numRuns: 200 },
    );
  });

  it("order of the history does not matter", () => {
    fc.assert(
      fc.property(pathway, history, (p, h) => {
        const uniq = [...new Map(h.map((r) => [`${r.type}|${r.id}`, r])).values()];
        expect(evaluate(p, uniq.toReversed(), NOW)).toEqual(evaluate(p, uniq, NOW));
      }),
      { numRuns: 200 },
    );
  });

  it("publishing a newer version never changes a candidate's evaluation; only a recorded move does", () => {
    fc.assert(
      fc.property(history, fc.array(fc.constantFrom(...examples), { minLength: 1, maxLength: 4 }), (h, newer) => {
        const versions = new Map<string, PathwayDefinition>([["v1", examples[0]!]]);
        const before = evaluate(versions.get(candidateVersion("v1", []))!, h, NOW);
        newer.forEach((def, i) => versions.set(`v${i + 2}`, def));
        const after = evaluate(versions.get(candidateVersion("v1", []))!, h, NOW);
        expect(after).toEqual(before);
        const moved = candidateVersion("v1", [{ toVersionId: "v2", movedAt: "2027-01-01T00:00:00Z" }]);
        expect(moved).toBe("v2");
      }),
      { numRuns: 100 },
    );
  });
});

describe("evaluate (examples)", () => {
  const abs = examples[0]!;
  const monthly = (n: number, from = "2025-01-10"): HistoryRecord[] =>
    Array.from({ length: n }, (_, i) => {
      const d = new Date(from + "T18:00:00Z");
      d.setUTCMonth(d.getUTCMonth() + i);
      return { type: "led" as const, id: `session:g:${i}`, at: d.toISOString(), role: "co_leader" as const, supervised: i < 5 };
    });

  it("counts led sessions, span and active months and projects a date at the current pace", () => {
    const e = evaluate(abs, monthly(12), NOW);
    const led = e.requirements.find((r) => r.id === "lead-monthly")!;
    expect(led.done).toBe(12);
    expect(led.met).toBe(false);
    expect(led.left).toEqual(expect.arrayContaining([{ what: "count", count: 12 }, { what: "active_months", count: 12 }]));
    expect(led.projectedDate).not.toBeNull();
    expect(led.projectedDate! > NOW.toISOString().slice(0, 10)).toBe(true);
    const supervised = e.requirements.find((r) => r.id === "supervised")!;
    expect([supervised.done, supervised.required, supervised.met]).toEqual([5, 12, false]);
    expect(e.met).toBe(false);
  });

  it("meets the led requirement after 24 monthly sessions over two years", () => {
    const e = evaluate(abs, monthly(25, "2025-01-10"), NOW);
    const led = e.requirements.find((r) => r.id === "lead-monthly")!;
    expect(led.met).toBe(true);
    expect(led.left).toEqual([]);
  });

  it("debrief after every led session counts only debriefed led sessions and lists the gaps", () => {
    const led = monthly(3);
    const h: HistoryRecord[] = [...led, { type: "debrief", id: led[0]!.id, at: led[0]!.at }];
    const d = evaluate(abs, h, NOW).requirements.find((r) => r.id === "debrief-every")!;
    expect(d.done).toBe(1);
    expect(d.required).toBe(24);
    expect(d.gaps).toEqual([led[1]!.id, led[2]!.id]);
  });

  it("requires a final credentialing intensive", () => {
    const ev = (n: number, final = false): HistoryRecord => ({ type: "event", id: `event:${n}`, at: `2026-0${n}-01T09:00:00Z`, kind: "intensive", final });
    const r1 = evaluate(abs, [ev(1), ev(2), ev(3)], NOW).requirements.find((r) => r.id === "intensives")!;
    expect(r1.met).toBe(false);
    expect(r1.left).toEqual([{ what: "final_event" }]);
    const r2 = evaluate(abs, [ev(1), ev(2), ev(3, true)], NOW).requirements.find((r) => r.id === "intensives")!;
    expect(r2.met).toBe(true);
  });

  it("takes competencies from the latest supervisor report", () => {
    const bsanz = examples[2]!;
    const all5 = { boundaries: 4, safety: 4, protecting_the_presenter: 3, group_process: 3, confidentiality: 5 };
    const h: HistoryRecord[] = [
      { type: "report", id: "r1", at: "2026-01-01T00:00:00Z", ratings: all5 },
      { type: "report", id: "r2", at: "2026-07-01T00:00:00Z", ratings: { ...all5, safety: 2 } },
    ];
    const c = evaluate(bsanz, h, NOW).requirements.find((r) => r.id === "competencies")!;
    expect(c.done).toBe(4);
    expect(c.left).toEqual([{ what: "competency", competency: "safety", level: 2, minLevel: 3 }]);
  });

  it("counts faculty observations, and with competencies only those rating each at or above the level", () => {
    const obs = (n: number, ratings: Record<string, number>, at = "2026-05-0" + n + "T12:00:00Z"): HistoryRecord => ({ type: "observation", id: `observation:${n}`, at, ratings });
    const h = [obs(1, { safety: 4, group_process: 2 }), obs(2, { safety: 3 })];
    const [plain, strict] = evaluate(withObservations, h, NOW).requirements;
    expect([plain!.done, plain!.required, plain!.met]).toEqual([2, 2, true]);
    expect([strict!.done, strict!.met, strict!.left]).toEqual([0, false, [{ what: "count", count: 1 }]]);
    const later = evaluate(withObservations, [...h, obs(3, { safety: 3, group_process: 4 }), obs(4, { safety: 4, group_process: 4 }, "2031-01-01T00:00:00Z")], NOW).requirements[1]!;
    expect([later.done, later.met]).toEqual([1, true]);
    // Observations never count toward other kinds.
    expect(evaluate(withObservations, h, NOW).requirements[2]!.done).toBe(0);
  });

  it("ignores records dated in the future and counts a meeting once however it was recorded", () => {
    const h: HistoryRecord[] = [
      { type: "attended", id: "session:g:1", at: "2026-01-01T18:00:00Z" },
      { type: "attended", id: "session:g:1", at: "2026-01-01T18:00:00Z" },
      { type: "attended", id: "session:g:2", at: "2030-01-01T18:00:00Z" },
    ];
    const uk = examples[1]!;
    expect(evaluate(uk, h, NOW).requirements[0]!.done).toBe(1);
  });
});

describe("pathway definitions", () => {
  it("ships three examples, each valid and marked as an example", () => {
    expect(EXAMPLE_PATHWAYS).toHaveLength(3);
    for (const p of EXAMPLE_PATHWAYS) {
      const parsed = parsePathwayDefinition(p.definition);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.example?.note).toMatch(/check against the society's current rules/);
    }
  });

  it("rejects bad definitions naming the field", () => {
    const bad = parsePathwayDefinition({ title: "X", requirements: [{ id: "a", kind: "sessions_led", label: "L", minCount: 0 }, { id: "a", kind: "verified_item", label: "V" }] });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path)).toContain("requirements.0.minCount");
    const dup = parsePathwayDefinition({ title: "X", requirements: [{ id: "a", kind: "verified_item", label: "V" }, { id: "a", kind: "verified_item", label: "W" }] });
    expect(dup.ok).toBe(false);
    if (!dup.ok) expect(dup.issues[0]!.path).toBe("requirements.1.id");
    expect(parsePathwayDefinition({ title: "X", requirements: [{ id: "a", kind: "nope", label: "V" }] }).ok).toBe(false);
    expect(parsePathwayDefinition({ title: "X", requirements: [{ id: "d", kind: "debriefs_completed", label: "D" }] }).ok).toBe(false);
    const halfObs = parsePathwayDefinition({ title: "X", requirements: [{ id: "o", kind: "faculty_observations", label: "O", minCount: 1, competencies: ["safety"] }] });
    expect(halfObs.ok).toBe(false);
    if (!halfObs.ok) expect(halfObs.issues.map((i) => i.path)).toContain("requirements.0.minLevel");
    expect(parsePathwayDefinition({ title: "X", requirements: [{ id: "o", kind: "faculty_observations", label: "O", minCount: 1, minLevel: 5, competencies: ["safety"] }] }).ok).toBe(false);
    expect(parsePathwayDefinition({ title: "X", requirements: [{ id: "o", kind: "faculty_observations", label: "O", minCount: 1 }] }).ok).toBe(true);
  });
});
