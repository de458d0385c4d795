import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  acceptsAnswers,
  type Atom,
  atomKey,
  buildReport,
  checkPairings,
  type Cell,
  checkFilter,
  commentAtoms,
  effectiveMinCell,
  freezePairs,
  freezeWave,
  isClosed,
  type PairAtom,
  pairAtomVisible,
  pairedChangeReport,
  primaryGroup,
  type ReportableResponse,
  type ReportFilter,
  ReportQueryError,
  type ReportSpec,
  reportSpecFor,
  toReportable,
  unpairedChangeReport,
  type Wave,
  WaveNotClosedError,
} from "./report-privacy.ts";
import { who5 } from "./instruments/index.ts";
import { score } from "./scoring.ts";
import { buildResponse } from "./fhir.ts";

const SPEC: ReportSpec = {
  scales: [{ id: "s", binEdges: [0, 25, 50, 75], bands: [{ scale: "s", upTo: 28, labelKey: "low", severity: "alert" }, { scale: "s", labelKey: "ok", severity: "ok" }] }],
};
const W1: Wave = { id: "w1", opensAt: new Date("2026-01-01T00:00:00Z"), closesAt: new Date("2026-02-01T00:00:00Z") };
const W2: Wave = { id: "w2", opensAt: new Date("2026-06-01T00:00:00Z"), closesAt: new Date("2026-07-01T00:00:00Z") };
const LATER = new Date("2026-08-01T00:00:00Z");

const cell = (group: string, discipline = "nurse", cohort = "c1"): Cell => ({ cohort, group, discipline });

// --- a population model the tests reason about -------------------------------------------------

interface Person {
  id: string;
  /** Per wave: the cell and score, or null if the person did not answer that wave. */
  w1: { cell: Cell; score: number; comment: boolean } | null;
  w2: { cell: Cell; score: number; comment: boolean } | null;
}

function responsesOf(people: readonly Person[], wave: "w1" | "w2"): ReportableResponse[] {
  return people.flatMap((p) => (p[wave] ? [{ cell: p[wave]!.cell, scores: { s: p[wave]!.score }, pseudonym: p.id, hasComment: p[wave]!.comment }] : []));
}

function freezeAll(people: readonly Person[], minCellAtClose: number) {
  const atoms = [...freezeWave(W1, responsesOf(people, "w1"), SPEC, minCellAtClose, LATER), ...freezeWave(W2, responsesOf(people, "w2"), SPEC, minCellAtClose, LATER)];
  const pairs = freezePairs(W1, W2, responsesOf(people, "w1"), responsesOf(people, "w2"), SPEC, minCellAtClose, LATER);
  return { atoms, pairs };
}

/** The variables (one per person and wave, and one per pair for cross terms) a figure depends on. */
function variablesOfAtoms(people: readonly Person[], basis: readonly string[]): string[] {
  const keys = new Set(basis);
  const out: string[] = [];
  for (const p of people) for (const w of ["w1", "w2"] as const) if (p[w] && keys.has(atomKey(w, p[w]!.cell))) out.push(`${p.id}@${w}`);
  return out;
}

function pairedPeople(people: readonly Person[], pairAtoms: readonly PairAtom[], basis: readonly string[]): Person[] {
  const keys = new Set(basis);
  return people.filter((p) => p.w1 && p.w2 && JSON.stringify(p.w1.cell) === JSON.stringify(p.w2.cell) && pairAtoms.some((a) => keys.has(a.key) && JSON.stringify(a.cell) === JSON.stringify(p.w1!.cell)));
}

/**
 * The finest sets an observer can isolate from a collection of figures: variables grouped by
 * which figures they take part in. Any union, intersection or difference of the figures' sets —
 * and any linear combination of their sums — is a union of these classes. Returns the sizes.
 */
function classSizes(sets: readonly (readonly string[])[]): number[] {
  const signature = new Map<string, string>();
  sets.forEach((set, i) => {
    for (const v of set) signature.set(v, `${signature.get(v) ?? ""},${i}`);
  });
  const sizes = new Map<string, number>();
  for (const sig of signature.values()) sizes.set(sig, (sizes.get(sig) ?? 0) + 1);
  return [...sizes.values()];
}

type Query = { kind: "report"; waves: ("w1" | "w2")[]; filter: ReportFilter } | { kind: "unpaired" | "paired"; filter: ReportFilter };

/** Runs queries as the service would and returns, per figure, the set of variables behind it. */
const seen = { reports: 0, unpaired: 0, paired: 0 };

function observe(people: readonly Person[], atoms: readonly Atom[], pairs: readonly PairAtom[], queries: readonly Query[], orgSetting: number): { sets: string[][]; respondents: number[] } {
  const sets: string[][] = [];
  const respondents: number[] = [];
  for (const q of queries) {
    if (q.kind === "report") {
      for (const f of buildReport(atoms, { waves: q.waves, filter: q.filter }, SPEC, orgSetting)) {
        if (f.status !== "ok") {
          expect(Object.keys(f).sort()).toEqual(["reason", "status", "wave"]); // no counts leak out of a suppressed figure
          continue;
        }
        const vars = variablesOfAtoms(people, f.basis);
        expect(f.respondents).toBe(vars.length);
        // the figure is the real mean of exactly these responses
        const raw = vars.map((v) => {
          const [id, w] = v.split("@") as [string, "w1" | "w2"];
          return people.find((p) => p.id === id)![w]!.score;
        });
        expect(Math.abs(f.scales[0]!.mean - raw.reduce((a, b) => a + b, 0) / raw.length)).toBeLessThanOrEqual(0.05 + 1e-9); // rounded to 1 decimal
        sets.push(vars);
        respondents.push(f.respondents);
        seen.reports++;
      }
    } else if (q.kind === "unpaired") {
      const c = unpairedChangeReport(atoms, "w1", "w2", q.filter, "s", orgSetting);
      if (c.status !== "ok") continue;
      const before = variablesOfAtoms(people, c.basis.filter((k) => k.startsWith("w1/")));
      const after = variablesOfAtoms(people, c.basis.filter((k) => k.startsWith("w2/")));
      sets.push(before, after);
      respondents.push(before.length, after.length);
      seen.unpaired++;
    } else {
      const c = pairedChangeReport(pairs, atoms, "w1", "w2", q.filter, "s", orgSetting);
      if (c.status !== "ok") continue;
      const ps = pairedPeople(people, pairs, c.basis);
      expect(c.change.n).toBe(ps.length);
      const meanDiff = ps.reduce((a, p) => a + p.w2!.score - p.w1!.score, 0) / ps.length;
      expect(c.change.meanDiff).toBeCloseTo(meanDiff, 9);
      sets.push(
        ps.map((p) => `${p.id}@w1`),
        ps.map((p) => `${p.id}@w2`),
        ps.map((p) => `${p.id}@pair`),
      );
      respondents.push(ps.length);
      seen.paired++;
    }
  }
  return { sets, respondents };
}

// --- generators --------------------------------------------------------------------------------

const GROUPS = ["g1", "g2", "g3"];
const DISCIPLINES = ["nurse", "physician"];
const COHORTS = ["c1", "c2"];
const cellArb = fc.record({ cohort: fc.constantFrom(...COHORTS), group: fc.constantFrom(...GROUPS), discipline: fc.constantFrom(...DISCIPLINES) });
/**
 * Populations built from blocks of people who share a wave-1 cell — sized around the threshold so
 * that atoms, pair atoms and their remainders often land just below, at and above it: some return
 * in the same cell, some move to another cell, some leave, and newcomers join in wave 2.
 */
const blockArb = fc.record({
  cell: cellArb,
  size: fc.integer({ min: 0, max: 12 }),
  returnShare: fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
  movers: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 })),
  moveTo: cellArb,
  newcomers: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 6 })),
  scores: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 32, maxLength: 32 }),
  comments: fc.boolean(),
});
const populationArb = fc.array(blockArb, { minLength: 0, maxLength: 10 }).map((blocks) => {
  const people: Person[] = [];
  blocks.forEach((b, bi) => {
    const returners = Math.round(b.size * b.returnShare);
    for (let i = 0; i < b.size; i++) {
      const w1 = { cell: b.cell, score: b.scores[i]!, comment: b.comments };
      const w2 = i < returners ? { cell: b.cell, score: b.scores[i + 12]!, comment: false } : i < returners + b.movers ? { cell: b.moveTo, score: b.scores[i + 12]!, comment: false } : null;
      people.push({ id: `b${bi}p${i}`, w1, w2 });
    }
    for (let i = 0; i < b.newcomers; i++) people.push({ id: `b${bi}n${i}`, w1: null, w2: { cell: b.cell, score: b.scores[24 + i]!, comment: b.comments } });
  });
  return people;
});
const subset = <T>(values: readonly T[]) => fc.option(fc.subarray([...values]), { freq: 2 }).map((v) => v ?? undefined);
const filterArb = fc.record({ cohort: subset(COHORTS), group: subset(GROUPS), discipline: subset(DISCIPLINES) }).map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as ReportFilter);
const queryArb: fc.Arbitrary<Query> = fc.oneof(
  fc.record({ kind: fc.constant("report" as const), waves: fc.subarray(["w1", "w2"] as ("w1" | "w2")[], { minLength: 1 }), filter: filterArb }),
  fc.record({ kind: fc.constantFrom("unpaired" as const, "paired" as const), filter: filterArb }),
);

// --- tests -------------------------------------------------------------------------------------

describe("thresholds and waves", () => {
  it("an organisation may raise the minimum cell size, never lower it", () => {
    expect(effectiveMinCell(undefined)).toBe(5);
    expect(effectiveMinCell(2)).toBe(5);
    expect(effectiveMinCell(Number.NaN)).toBe(5);
    expect(effectiveMinCell(7.8)).toBe(7);
  });

  it("accepts answers only while a wave is open; reports only closed waves", () => {
    expect(acceptsAnswers(W1, new Date("2025-12-31T23:59:59Z"))).toBe(false);
    expect(acceptsAnswers(W1, new Date("2026-01-15T00:00:00Z"))).toBe(true);
    expect(acceptsAnswers(W1, W1.closesAt)).toBe(false);
    expect(isClosed(W1, W1.closesAt)).toBe(true);
    expect(() => freezeWave(W1, [], SPEC, 5, new Date("2026-01-15T00:00:00Z"))).toThrow(WaveNotClosedError);
    expect(() => freezePairs(W1, W2, [], [], SPEC, 5, new Date("2026-06-15T00:00:00Z"))).toThrow(WaveNotClosedError);
  });

  it("attributes a person in two groups to one group only", () => {
    expect(primaryGroup([{ groupId: "b", joinedAt: new Date("2025-01-01") }, { groupId: "a", joinedAt: new Date("2025-03-01") }])).toBe("b");
    expect(primaryGroup([{ groupId: "b", joinedAt: new Date("2025-01-01") }, { groupId: "a", joinedAt: new Date("2025-01-01") }])).toBe("a");
    expect(primaryGroup([])).toBeNull();
  });

  it("refuses unknown filter dimensions with the field named", () => {
    expect(() => checkFilter({ site: ["x"] })).toThrow(ReportQueryError);
    try {
      checkFilter({ group: "g1" });
    } catch (e) {
      expect((e as ReportQueryError).field).toBe("filter.group");
    }
  });
});

describe("atoms and suppression", () => {
  const people = (n: number, c: Cell, from = 0, score = 50): Person[] => Array.from({ length: n }, (_, i) => ({ id: `${c.group}-${c.discipline}-${from + i}`, w1: { cell: c, score: score + i, comment: true }, w2: null }));

  it("stays suppressed until the fifth respondent, and says nothing about how many are waiting", () => {
    for (let n = 0; n <= 5; n++) {
      const { atoms } = freezeAll(people(n, cell("g1")), 5);
      const [f] = buildReport(atoms, { waves: ["w1"], filter: { group: ["g1"] } }, SPEC, null);
      if (n < 5) expect(f).toEqual({ wave: "w1", status: "suppressed", reason: "not-enough-responses" });
      else expect(f).toMatchObject({ status: "ok", respondents: 5, scales: [{ n: 5, mean: 52 }] });
    }
  });

  it("leaves small atoms out of totals too (remainder rule): 'all' equals the sum of visible cells", () => {
    const pop = [...people(6, cell("g1")), ...people(2, cell("g2")), ...people(7, cell("g3"))];
    const { atoms } = freezeAll(pop, 5);
    const [all] = buildReport(atoms, { waves: ["w1"], filter: {} }, SPEC, null);
    const [g13] = buildReport(atoms, { waves: ["w1"], filter: { group: ["g1", "g3"] } }, SPEC, null);
    expect(all).toMatchObject({ status: "ok", respondents: 13 });
    expect(g13).toEqual(all); // the hidden g2 can't be had by subtraction
    const [g2] = buildReport(atoms, { waves: ["w1"], filter: { group: ["g2"] } }, SPEC, null);
    expect(g2!.status).toBe("suppressed");
  });

  it("a later raise of the threshold hides more, never less", () => {
    const pop = [...people(6, cell("g1")), ...people(9, cell("g2"))];
    const { atoms } = freezeAll(pop, 5);
    expect(buildReport(atoms, { waves: ["w1"], filter: {} }, SPEC, 5)[0]).toMatchObject({ respondents: 15 });
    expect(buildReport(atoms, { waves: ["w1"], filter: {} }, SPEC, 8)[0]).toMatchObject({ respondents: 9 });
    // lowering again does not bring back what the raise hid, once the wave closed at 8
    const frozenAt8 = freezeAll(pop, 8).atoms;
    expect(buildReport(frozenAt8, { waves: ["w1"], filter: {} }, SPEC, 5)[0]).toMatchObject({ respondents: 9 });
  });

  it("shows comments only from atoms of 10 or more respondents", () => {
    const pop = [...people(9, cell("g1")), ...people(10, cell("g2"))];
    const { atoms } = freezeAll(pop, 5);
    expect(commentAtoms(atoms, "w1", {}, null)).toEqual([atomKey("w1", cell("g2"))]);
    expect(commentAtoms(atoms, "w1", {}, 12)).toEqual([]);
  });

  it("only complete scored responses are reportable", () => {
    const full = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, { "who5-1": "all", "who5-2": "all", "who5-3": "all", "who5-4": "all", "who5-5": "all" }));
    expect(toReportable(full, cell("g1"), null, false)).toEqual({ cell: cell("g1"), pseudonym: null, hasComment: false, scores: { who5: 100 } });
    const partial = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, { "who5-1": "all" }, "in-progress"));
    expect(toReportable(partial, cell("g1"), null, false)).toBeNull();
    expect(reportSpecFor(who5.scoring).scales[0]!.binEdges).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });
});

describe("paired change", () => {
  const cohortOf = (n: number, c: Cell, opts: { returners: number; newcomers: number }, offset = 0): Person[] => {
    const out: Person[] = [];
    for (let i = 0; i < n; i++) out.push({ id: `a${offset + i}`, w1: { cell: c, score: 40 + i, comment: false }, w2: i < opts.returners ? { cell: c, score: 50 + 2 * i, comment: false } : null });
    for (let i = 0; i < opts.newcomers; i++) out.push({ id: `n${offset + i}`, w1: null, w2: { cell: c, score: 90, comment: false } });
    return out;
  };

  it("uses pairs of people who answered both waves in the same cell", () => {
    const pop = cohortOf(6, cell("g1"), { returners: 6, newcomers: 0 });
    const { atoms, pairs } = freezeAll(pop, 5);
    const c = pairedChangeReport(pairs, atoms, "w1", "w2", {}, "s", null);
    expect(c.status).toBe("ok");
    if (c.status === "ok") {
      // differences 10 + i for i = 0..5: mean 12.5
      expect(c.change).toMatchObject({ n: 6, meanBefore: 42.5, meanAfter: 55 });
      expect(c.change.meanDiff).toBeCloseTo(12.5, 12);
    }
  });

  it("hides a pair atom whose unpaired remainder is below the threshold (one newcomer or one leaver)", () => {
    for (const opts of [
      { returners: 6, newcomers: 1 },
      { returners: 5, newcomers: 0 }, // 6 in wave 1, 5 returned: the leaver would be isolated
    ]) {
      const pop = cohortOf(6, cell("g1"), opts);
      const { atoms, pairs } = freezeAll(pop, 5);
      expect(pairs).toHaveLength(1);
      expect(pairAtomVisible(pairs[0]!, atoms, null)).toBe(false);
      expect(pairedChangeReport(pairs, atoms, "w1", "w2", {}, "s", null).status).toBe("suppressed");
      // A naive rule (pairs ≥ k) would let paired minus unpaired figures isolate one person:
      const naiveSets = [variablesOfAtoms(pop, atoms.filter((a) => a.wave === "w1").map((a) => a.key)), variablesOfAtoms(pop, atoms.filter((a) => a.wave === "w2").map((a) => a.key)), ...[1, 2].map((w) => pairedPeople(pop, pairs, pairs.map((p) => p.key)).map((p) => `${p.id}@w${w}`))];
      expect(Math.min(...classSizes(naiveSets))).toBe(1);
    }
  });

  it("pairs each wave at most once: overlapping pairings would cut a wave into tiny intersections", () => {
    expect(checkPairings([{ from: "w1", to: "w2" }, { from: "w3", to: "w4" }])).toEqual([]);
    expect(checkPairings([{ from: "w1", to: "w2" }, { from: "w2", to: "w3" }])).toEqual(["pairings[1]: wave w2 is already paired in pairings[0]"]);
    expect(checkPairings([{ from: "w1", to: "w1" }])).toEqual(["pairings[0]: a pairing needs two different waves"]);
    expect(() => freezePairs(W1, W2, [], [], SPEC, 5, LATER, [{ from: "w0", to: "w1" }])).toThrow(/already paired/);
    // Why: wave 2 has 10 respondents; 1→2 pairs people 0–4, 2→3 pairs people 3–7. Each pair atom is
    // ≥ 5 with remainders of 5, yet together they isolate {0,1,2}, {3,4}, {5,6,7} and {8,9} in wave 2.
    const w2 = Array.from({ length: 10 }, (_, i) => `p${i}@w2`);
    const sizes = classSizes([w2, w2.slice(0, 5), w2.slice(3, 8)]);
    expect(Math.min(...sizes)).toBe(2);
  });

  it("anonymous mode never pairs; Welch is used instead", () => {
    const pop = cohortOf(6, cell("g1"), { returners: 6, newcomers: 0 });
    const anon = (w: "w1" | "w2") => responsesOf(pop, w).map((r) => ({ ...r, pseudonym: null }));
    expect(freezePairs(W1, W2, anon("w1"), anon("w2"), SPEC, 5, LATER)).toEqual([]);
    const { atoms } = freezeAll(pop, 5);
    const c = unpairedChangeReport(atoms, "w1", "w2", {}, "s", null);
    expect(c.status === "ok" && c.change.diff).toBeCloseTo(12.5, 9);
  });
});

describe("no sequence of reports isolates fewer than the threshold (property)", () => {
  it("every class of responses an observer can separate, across any queries, holds ≥ k; no figure uses fewer", () => {
    fc.assert(
      fc.property(populationArb, fc.array(queryArb, { minLength: 1, maxLength: 10 }), fc.integer({ min: 3, max: 8 }), fc.integer({ min: 0, max: 9 }), (people, queries, closeSetting, orgSetting) => {
        const { atoms, pairs } = freezeAll(people, closeSetting);
        const { sets, respondents } = observe(people, atoms, pairs, queries, orgSetting);
        const k = Math.max(effectiveMinCell(closeSetting), effectiveMinCell(orgSetting));
        for (const n of respondents) expect(n).toBeGreaterThanOrEqual(k);
        for (const size of classSizes(sets)) expect(size).toBeGreaterThanOrEqual(k);
      }),
      { numRuns: 150 },
    );
    // the generator must actually produce visible figures of every kind, or the property is empty
    expect(seen.reports).toBeGreaterThan(50);
    expect(seen.unpaired).toBeGreaterThan(10);
    expect(seen.paired).toBeGreaterThan(5);
  });

  it("still holds across a raise of the threshold between queries (old and new views together)", () => {
    fc.assert(
      fc.property(populationArb, fc.array(queryArb, { minLength: 1, maxLength: 6 }), fc.integer({ min: 6, max: 9 }), (people, queries, raised) => {
        const { atoms, pairs } = freezeAll(people, 5);
        const before = observe(people, atoms, pairs, queries, 5);
        const after = observe(people, atoms, pairs, queries, raised);
        for (const n of after.respondents) expect(n).toBeGreaterThanOrEqual(raised);
        for (const size of classSizes([...before.sets, ...after.sets])) expect(size).toBeGreaterThanOrEqual(5);
      }),
      { numRuns: 60 },
    );
  });

  it("the check itself catches a leak: counting hidden atoms in an 'all' total", () => {
    const pop: Person[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ id: `x${i}`, w1: { cell: cell("g1"), score: 10, comment: false }, w2: null })),
      { id: "lonely", w1: { cell: cell("g2"), score: 99, comment: false }, w2: null },
    ];
    const { atoms } = freezeAll(pop, 5);
    const leakyAll = variablesOfAtoms(pop, atoms.map((a) => a.key)); // a naive total over every atom
    const g1 = observe(pop, atoms, [], [{ kind: "report", waves: ["w1"], filter: { group: ["g1"] } }], 5).sets;
    expect(Math.min(...classSizes([leakyAll, ...g1]))).toBe(1);
    const safeAll = observe(pop, atoms, [], [{ kind: "report", waves: ["w1"], filter: {} }], 5).sets;
    expect(Math.min(...classSizes([...safeAll, ...g1]))).toBe(6);
  });
});
