import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { balanceRoster, type RosterParticipant, validateRoster } from "./roster.ts";

const DISCIPLINES = ["family medicine", "psychiatry", "nursing", "social work", null];
const EXPERIENCE = ["none", "some", "experienced", null];
const ORGS = ["Mercy", "St Anne", "County", null];

const participantsArb = (min: number, max: number) =>
  fc
    .array(
      fc.record({
        discipline: fc.constantFrom(...DISCIPLINES),
        experience: fc.constantFrom(...EXPERIENCE),
        organisation: fc.constantFrom(...ORGS),
      }),
      { minLength: min, maxLength: max },
    )
    .map((rows) => rows.map((r, i): RosterParticipant => ({ id: `p${i}`, name: `Person ${i}`, ...r })));

const boundsArb = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }))
  .map(([min, extra]) => ({ minSize: min, maxSize: min + extra }));

const pairsArb = (n: number, maxPairs: number) =>
  fc
    .array(fc.tuple(fc.nat({ max: Math.max(0, n - 1) }), fc.nat({ max: Math.max(0, n - 1) })), { maxLength: maxPairs })
    .map((ps) => ps.filter(([a, b]) => a !== b).map(([a, b]) => [`p${a}`, `p${b}`] as [string, string]));

/** Brute force: is there ANY partition into groups of minSize..maxSize with no keep-apart pair together? */
function bruteForceSatisfiable(n: number, minSize: number, maxSize: number, pairs: Array<[string, string]>): boolean {
  const idx = (id: string) => Number(id.slice(1));
  const apart = pairs.map(([a, b]) => [idx(a), idx(b)] as const);
  const assignment: number[] = [];
  const sizes: number[] = [];
  const go = (i: number): boolean => {
    if (i === n) return sizes.every((s) => s >= minSize && s <= maxSize);
    for (let g = 0; g <= sizes.length; g += 1) {
      if (g < sizes.length && sizes[g]! >= maxSize) continue;
      if (apart.some(([a, b]) => (a === i && b < i && assignment[b] === g) || (b === i && a < i && assignment[a] === g))) continue;
      assignment[i] = g;
      if (g === sizes.length) sizes.push(1);
      else sizes[g]! += 1;
      if (go(i + 1)) return true;
      if (sizes[g] === 1 && g === sizes.length - 1) sizes.pop();
      else sizes[g]! -= 1;
    }
    return false;
  };
  return go(0);
}

describe("balanceRoster properties", () => {
  it("places every participant exactly once, in groups within bounds, keep-apart kept", () => {
    fc.assert(
      fc.property(participantsArb(6, 40), fc.integer(), fc.integer({ min: 0, max: 6 }), (people, seed, nPairs) => {
        const keepApart = people.slice(0, nPairs * 2).reduce<Array<[string, string]>>((acc, p, i, arr) => {
          if (i % 2 === 1) acc.push([arr[i - 1]!.id, p.id]);
          return acc;
        }, []);
        const result = balanceRoster(people, { minSize: 3, maxSize: 6, targetSize: 5, keepApart, seed, iterations: 500 });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const placed = result.groups.flat();
        expect(placed.length).toBe(people.length);
        expect(new Set(placed)).toEqual(new Set(people.map((p) => p.id)));
        for (const g of result.groups) {
          expect(g.length).toBeGreaterThanOrEqual(3);
          expect(g.length).toBeLessThanOrEqual(6);
        }
        for (const [a, b] of keepApart) {
          expect(result.groups.some((g) => g.includes(a) && g.includes(b))).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("finds an arrangement exactly when brute force says one exists, and keeps every constraint", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) =>
          fc.record({ people: participantsArb(n, n), pairs: pairsArb(n, 10), bounds: boundsArb, seed: fc.integer() }),
        ),
        ({ people, pairs, bounds, seed }) => {
          const result = balanceRoster(people, { ...bounds, keepApart: pairs, seed, iterations: 300 });
          const satisfiable = bruteForceSatisfiable(people.length, bounds.minSize, bounds.maxSize, pairs);
          expect(result.ok).toBe(satisfiable);
          if (result.ok) {
            expect(result.groups.flat().sort()).toEqual(people.map((p) => p.id).sort());
            for (const g of result.groups) {
              expect(g.length).toBeGreaterThanOrEqual(bounds.minSize);
              expect(g.length).toBeLessThanOrEqual(bounds.maxSize);
            }
            for (const [a, b] of pairs) expect(result.groups.some((g) => g.includes(a) && g.includes(b))).toBe(false);
          } else {
            expect(result.problems.length).toBeGreaterThan(0);
            expect(result.message.length).toBeGreaterThan(10);
            expect(["sizes_impossible", "keep_apart_unsatisfiable"]).toContain(result.problems[0]!.code);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is deterministic for a seed", () => {
    fc.assert(
      fc.property(participantsArb(5, 30), fc.integer(), (people, seed) => {
        const a = balanceRoster(people, { minSize: 2, maxSize: 8, seed, iterations: 400 });
        const b = balanceRoster(people, { minSize: 2, maxSize: 8, seed, iterations: 400 });
        expect(a).toEqual(b);
      }),
      { numRuns: 30 },
    );
  });
});

describe("balanceRoster examples", () => {
  it("mixes organisations, disciplines and experience", () => {
    // 12 people: 3 organisations × 4, each organisation has one of each discipline.
    const people: RosterParticipant[] = [];
    const disciplines = ["family medicine", "psychiatry", "nursing", "social work"];
    for (const org of ["A", "B", "C"]) {
      disciplines.forEach((d, i) => people.push({ id: `${org}${i}`, organisation: org, discipline: d, experience: i % 2 ? "none" : "experienced" }));
    }
    const result = balanceRoster(people, { minSize: 4, maxSize: 4, seed: 7 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.groups).toHaveLength(3);
    for (const g of result.groups) {
      const orgs = new Set(g.map((id) => id[0]));
      // Four people from three organisations: at best one organisation appears twice.
      expect(orgs.size).toBe(3);
    }
  });

  it("explains which keep-apart requests cannot be met", () => {
    const people = ["Ana", "Ben", "Cy", "Dee"].map((name) => ({ id: name.toLowerCase(), name }));
    // Two groups of two, but Ana, Ben and Cy must all be in different groups.
    const result = balanceRoster(people, {
      minSize: 2,
      maxSize: 2,
      keepApart: [["ana", "ben"], ["ben", "cy"], ["ana", "cy"]],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.code).toBe("keep_apart_unsatisfiable");
    expect(result.message).toContain("Ana / Ben");
    expect(result.message).toContain("Ben / Cy");
    expect(result.problems[0]!.people?.sort()).toEqual(["ana", "ben", "cy"]);
  });

  it("says when sizes cannot work and rejects bad bounds and duplicates", () => {
    const five = ["a", "b", "c", "d", "e"].map((id) => ({ id }));
    const r1 = balanceRoster(five, { minSize: 3, maxSize: 4 });
    expect(r1.ok || r1.problems[0]!.code).toBe("sizes_impossible");
    expect(r1.ok || r1.message).toContain("5 people cannot be split into groups of 3–4");
    const r2 = balanceRoster(five, { minSize: 4, maxSize: 2 });
    expect(r2.ok || r2.problems[0]!.code).toBe("invalid_bounds");
    const r3 = balanceRoster([...five, { id: "a", name: "Ana" }], { minSize: 1, maxSize: 6 });
    expect(r3.ok || r3.problems[0]!.code).toBe("duplicate_participant");
    const r4 = balanceRoster(five, { minSize: 1, maxSize: 6, keepApart: [["a", "a"]] });
    expect(r4.ok || r4.problems[0]!.code).toBe("keep_apart_with_self");
  });

  it("handles a realistic intensive of 48 quickly", () => {
    const people = Array.from({ length: 48 }, (_, i) => ({
      id: `p${i}`,
      discipline: DISCIPLINES[i % 4],
      experience: EXPERIENCE[i % 3],
      organisation: `org${i % 7}`,
    }));
    const keepApart = Array.from({ length: 10 }, (_, i) => [`p${i}`, `p${i + 7}`] as [string, string]);
    const started = performance.now();
    const result = balanceRoster(people, { minSize: 6, maxSize: 10, targetSize: 8, keepApart, seed: 3 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.groups).toHaveLength(6);
  });
});

describe("validateRoster", () => {
  const participants = [
    { id: "u1", name: "Ana" },
    { id: "u2", name: "Ben" },
    { id: "u3", name: "Cy" },
  ];
  it("accepts a good roster", () => {
    expect(validateRoster({ groups: [{ members: ["u1", "u2"] }, { members: ["u3"] }] }, { participants }).ok).toBe(true);
  });
  it("names the person placed in two groups, with a path", () => {
    const r = validateRoster({ groups: [{ name: "Blue", members: ["u1", "u2"] }, { name: "Green", members: ["u3", "u1"] }] }, { participants });
    expect(r.ok).toBe(false);
    const issue = r.issues.find((i) => i.code === "person_in_two_groups")!;
    expect(issue.people).toEqual(["u1"]);
    expect(issue.path).toEqual(["groups", 1, "members", 1]);
    expect(issue.message).toBe("Ana is in two groups: Blue and Green.");
  });
  it("flags unknown, unplaced and keep-apart; sizes are warnings", () => {
    const r = validateRoster(
      { groups: [{ members: ["u1", "u2", "zz"] }] },
      { participants, keepApart: [["u1", "u2"]], minSize: 2, maxSize: 2 },
    );
    expect(r.issues.map((i) => i.code).sort()).toEqual(["group_too_large", "keep_apart_violated", "person_not_placed", "unknown_person"]);
    expect(r.issues.find((i) => i.code === "group_too_large")!.severity).toBe("warning");
    expect(validateRoster({ groups: [{ members: ["u1", "u2", "u3"] }] }, { participants, maxSize: 2 }).ok).toBe(true);
  });
});
