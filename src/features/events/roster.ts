/**
 * Small-group roster balancing for intensives (pure, no I/O).
 *
 * The algorithm, in three explainable steps:
 *
 * 1. **Group count.** Every count `k` with `k·minSize ≤ n ≤ k·maxSize` is feasible; they are
 *    tried in order of closeness to `n / targetSize` (fewest groups first on a tie).
 * 2. **Greedy placement with backtracking.** People are placed one at a time, most constrained
 *    first (most keep-apart partners, then a seeded shuffle). Each person goes into the open
 *    group where they add the least "sameness" (see score), never into a group holding someone
 *    they must be kept apart from and never past `maxSize`. If someone cannot be placed, the
 *    search backtracks. This is exact — it finds an arrangement whenever one exists for that
 *    `k` — within a node budget that is far above what small inputs need.
 * 3. **Local improvement.** Simulated annealing over two moves — swap two people in different
 *    groups, or move one person to a group that stays within bounds — that never breaks a
 *    keep-apart pair. The best arrangement seen is returned.
 *
 * Score (lower is better), summed over groups: for each attribute, the number of pairs in the
 * group that share the same value (organisation weighs 3, discipline 2, Balint experience 2),
 * plus the squared difference of each group's size from the average (weight 1). Missing values
 * count as "unknown" and never as a match.
 *
 * Deterministic: the same participants, options and seed always give the same groups.
 */

export type RosterParticipant = {
  id: string;
  /** Used in messages only. */
  name?: string;
  discipline?: string | null;
  experience?: string | null;
  organisation?: string | null;
};

export type BalanceOptions = {
  minSize: number;
  maxSize: number;
  /** Preferred group size; defaults to the middle of the bounds. */
  targetSize?: number;
  keepApart?: ReadonlyArray<readonly [string, string]>;
  seed?: number;
  /** Annealing steps; defaults to 400 per participant (capped). */
  iterations?: number;
};

export type RosterProblemCode =
  | "invalid_bounds"
  | "no_participants"
  | "duplicate_participant"
  | "unknown_person_in_keep_apart"
  | "keep_apart_with_self"
  | "sizes_impossible"
  | "keep_apart_unsatisfiable";

export type RosterProblem = {
  code: RosterProblemCode;
  message: string;
  people?: string[];
  pairs?: Array<[string, string]>;
};

export type BalanceResult =
  | { ok: true; groups: string[][]; score: number }
  | { ok: false; problems: RosterProblem[]; message: string };

const WEIGHTS = { organisation: 3, discipline: 2, experience: 2 } as const;
const ATTRS = ["organisation", "discipline", "experience"] as const;
const SEARCH_BUDGET = 200_000;

/** mulberry32: tiny seeded PRNG, enough for shuffles and annealing. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function label(p: RosterParticipant | undefined, id: string): string {
  return p?.name ?? id;
}

/** Group counts that can hold n people within bounds, best first. */
export function feasibleGroupCounts(n: number, minSize: number, maxSize: number, targetSize: number): number[] {
  const counts: number[] = [];
  for (let k = Math.max(1, Math.ceil(n / maxSize)); k <= Math.floor(n / minSize); k += 1) {
    if (k * minSize <= n && n <= k * maxSize) counts.push(k);
  }
  const ideal = n / targetSize;
  return counts.sort((a, b) => Math.abs(a - ideal) - Math.abs(b - ideal) || a - b);
}

type Index = {
  n: number;
  attrs: number[][]; // attrs[a][person] = value id, -1 for unknown
  apart: Set<number>[];
};

function buildIndex(participants: readonly RosterParticipant[], pairs: Array<[number, number]>): Index {
  const n = participants.length;
  const attrs = ATTRS.map((key) => {
    const ids = new Map<string, number>();
    return participants.map((p) => {
      const raw = p[key];
      const v = typeof raw === "string" ? raw.trim().toLowerCase() : "";
      if (!v) return -1;
      if (!ids.has(v)) ids.set(v, ids.size);
      return ids.get(v)!;
    });
  });
  const apart = Array.from({ length: n }, () => new Set<number>());
  for (const [a, b] of pairs) {
    apart[a]!.add(b);
    apart[b]!.add(a);
  }
  return { n, attrs, apart };
}

/** Cost of adding person p to a group with these members (pairs sharing a value). */
function addCost(ix: Index, members: readonly number[], p: number): number {
  let cost = 0;
  for (let a = 0; a < ATTRS.length; a += 1) {
    const v = ix.attrs[a]![p]!;
    if (v < 0) continue;
    const w = WEIGHTS[ATTRS[a]!];
    for (const m of members) if (m !== p && ix.attrs[a]![m] === v) cost += w;
  }
  return cost;
}

function rosterScore(ix: Index, groups: readonly (readonly number[])[]): number {
  const avg = ix.n / Math.max(1, groups.length);
  let score = 0;
  for (const g of groups) {
    for (let i = 0; i < g.length; i += 1) score += addCost(ix, g.slice(0, i), g[i]!);
    score += (g.length - avg) ** 2;
  }
  return score;
}

/**
 * Exact search (greedy order + backtracking) for an arrangement into k groups, each of
 * minSize..maxSize, with no keep-apart pair together. Returns null when none exists, or
 * "budget" when the search gave up.
 */
function place(
  ix: Index,
  people: readonly number[],
  k: number,
  minSize: number,
  maxSize: number,
  rand: () => number,
): number[][] | null | "budget" {
  const order = [...people];
  const tiebreak = new Map(order.map((p) => [p, rand()]));
  order.sort((a, b) => ix.apart[b]!.size - ix.apart[a]!.size || tiebreak.get(a)! - tiebreak.get(b)!);
  const groups: number[][] = Array.from({ length: k }, () => []);
  let nodes = 0;
  const go = (i: number): boolean | "budget" => {
    if (i === order.length) return groups.every((g) => g.length >= minSize);
    if ((nodes += 1) > SEARCH_BUDGET) return "budget";
    // Enough people left to bring every group up to minSize?
    const remaining = order.length - i;
    let deficit = 0;
    for (const g of groups) deficit += Math.max(0, minSize - g.length);
    if (deficit > remaining) return false;
    const p = order[i]!;
    const candidates: Array<{ g: number; cost: number }> = [];
    let emptyTried = false;
    for (let g = 0; g < k; g += 1) {
      const members = groups[g]!;
      if (members.length >= maxSize) continue;
      if (members.some((m) => ix.apart[p]!.has(m))) continue;
      // Empty groups are interchangeable: trying one is enough (symmetry breaking).
      if (members.length === 0) {
        if (emptyTried) continue;
        emptyTried = true;
      }
      candidates.push({ g, cost: addCost(ix, members, p) * 10 + members.length });
    }
    candidates.sort((a, b) => a.cost - b.cost || a.g - b.g);
    for (const { g } of candidates) {
      groups[g]!.push(p);
      const r = go(i + 1);
      if (r === true || r === "budget") return r;
      groups[g]!.pop();
    }
    return false;
  };
  const r = go(0);
  if (r === "budget") return "budget";
  return r ? groups.map((g) => [...g]) : null;
}

function anneal(
  ix: Index,
  start: number[][],
  minSize: number,
  maxSize: number,
  iterations: number,
  rand: () => number,
): { groups: number[][]; score: number } {
  const groups = start.map((g) => [...g]);
  let score = rosterScore(ix, groups);
  let best = { groups: groups.map((g) => [...g]), score };
  if (groups.length < 2) return best;
  const avg = ix.n / groups.length;
  const groupCost = (g: readonly number[]) => {
    let c = (g.length - avg) ** 2;
    for (let i = 0; i < g.length; i += 1) c += addCost(ix, g.slice(0, i), g[i]!);
    return c;
  };
  const canJoin = (members: readonly number[], p: number, except?: number) =>
    !members.some((m) => m !== except && ix.apart[p]!.has(m));
  let temperature = 2;
  const cooling = Math.pow(0.01 / temperature, 1 / Math.max(1, iterations));
  for (let step = 0; step < iterations; step += 1, temperature *= cooling) {
    const ga = Math.floor(rand() * groups.length);
    let gb = Math.floor(rand() * (groups.length - 1));
    if (gb >= ga) gb += 1;
    const A = groups[ga]!;
    const B = groups[gb]!;
    if (A.length === 0) continue;
    const ia = Math.floor(rand() * A.length);
    const pa = A[ia]!;
    const swap = rand() < 0.7 || A.length - 1 < minSize || B.length + 1 > maxSize;
    let nextA: number[];
    let nextB: number[];
    if (swap) {
      if (B.length === 0) continue;
      const ib = Math.floor(rand() * B.length);
      const pb = B[ib]!;
      if (!canJoin(B, pa, pb) || !canJoin(A, pb, pa)) continue;
      nextA = [...A];
      nextA[ia] = pb;
      nextB = [...B];
      nextB[ib] = pa;
    } else {
      if (!canJoin(B, pa)) continue;
      nextA = A.filter((_, i) => i !== ia);
      nextB = [...B, pa];
    }
    const delta = groupCost(nextA) + groupCost(nextB) - groupCost(A) - groupCost(B);
    if (delta <= 0 || rand() < Math.exp(-delta / temperature)) {
      groups[ga] = nextA;
      groups[gb] = nextB;
      score += delta;
      if (score < best.score - 1e-9) best = { groups: groups.map((g) => [...g]), score };
    }
  }
  return best;
}

function components(ix: Index): number[][] {
  const seen = new Set<number>();
  const out: number[][] = [];
  for (let s = 0; s < ix.n; s += 1) {
    if (seen.has(s) || ix.apart[s]!.size === 0) continue;
    const comp: number[] = [];
    const stack = [s];
    seen.add(s);
    while (stack.length) {
      const p = stack.pop()!;
      comp.push(p);
      for (const q of ix.apart[p]!) {
        if (seen.has(q)) continue;
        seen.add(q);
        stack.push(q);
      }
    }
    out.push(comp.sort((a, b) => a - b));
  }
  return out;
}

export function balanceRoster(
  participants: readonly RosterParticipant[],
  options: BalanceOptions,
): BalanceResult {
  const { minSize, maxSize } = options;
  const fail = (problems: RosterProblem[]): BalanceResult => ({
    ok: false,
    problems,
    message: problems.map((p) => p.message).join(" "),
  });
  if (!Number.isInteger(minSize) || !Number.isInteger(maxSize) || minSize < 1 || maxSize < minSize) {
    return fail([{ code: "invalid_bounds", message: `Group sizes must be whole numbers with 1 ≤ minimum ≤ maximum (got ${minSize}–${maxSize}).` }]);
  }
  const n = participants.length;
  if (n === 0) return fail([{ code: "no_participants", message: "There is nobody to place." }]);

  const byId = new Map<string, number>();
  const dupes = new Set<string>();
  participants.forEach((p, i) => (byId.has(p.id) ? dupes.add(p.id) : byId.set(p.id, i)));
  if (dupes.size) {
    return fail([{ code: "duplicate_participant", people: [...dupes], message: `Listed more than once: ${[...dupes].map((id) => label(participants[byId.get(id)!], id)).join(", ")}.` }]);
  }

  const problems: RosterProblem[] = [];
  const pairs: Array<[number, number]> = [];
  const seenPair = new Set<string>();
  for (const [a, b] of options.keepApart ?? []) {
    if (a === b) {
      problems.push({ code: "keep_apart_with_self", people: [a], message: `${label(participants[byId.get(a) ?? -1], a)} is asked to be kept apart from themselves.` });
      continue;
    }
    const ia = byId.get(a);
    const ib = byId.get(b);
    // A keep-apart naming someone not taking part is simply moot.
    if (ia === undefined || ib === undefined) continue;
    const key = ia < ib ? `${ia}:${ib}` : `${ib}:${ia}`;
    if (seenPair.has(key)) continue;
    seenPair.add(key);
    pairs.push([ia, ib]);
  }
  if (problems.length) return fail(problems);

  const target = options.targetSize ?? Math.round((minSize + maxSize) / 2);
  const counts = feasibleGroupCounts(n, minSize, maxSize, Math.max(1, target));
  if (counts.length === 0) {
    return fail([{ code: "sizes_impossible", message: `${n} people cannot be split into groups of ${minSize}–${maxSize}.` }]);
  }

  const ix = buildIndex(participants, pairs);
  const rand = seededRandom(options.seed ?? 1);
  const everyone = participants.map((_, i) => i);
  let placed: number[][] | null = null;
  let gaveUp = false;
  for (const k of counts) {
    const r = place(ix, everyone, k, minSize, maxSize, rand);
    if (r === "budget") gaveUp = true;
    else if (r) {
      placed = r;
      break;
    }
  }

  if (!placed) {
    // Explain: which groups of people who must be kept apart cannot be spread over the groups.
    const k = Math.max(...counts);
    const stuck = components(ix).filter((comp) => place(ix, comp, k, 0, maxSize, seededRandom(1)) === null);
    const culprits = stuck.length ? stuck : components(ix);
    const culpritPairs = pairs
      .filter(([a, b]) => culprits.some((c) => c.includes(a) && c.includes(b)))
      .map(([a, b]) => [participants[a]!.id, participants[b]!.id] as [string, string]);
    const names = culpritPairs.map(([a, b]) => `${label(participants[byId.get(a)!], a)} / ${label(participants[byId.get(b)!], b)}`);
    return fail([
      {
        code: "keep_apart_unsatisfiable",
        pairs: culpritPairs,
        people: [...new Set(culpritPairs.flat())],
        message: gaveUp
          ? `No arrangement keeping these people apart was found within the search limit: ${names.join(", ")}.`
          : `These people cannot all be kept apart in at most ${k} groups of ${minSize}–${maxSize}: ${names.join(", ")}.`,
      },
    ]);
  }

  const iterations = options.iterations ?? Math.min(200_000, 400 * n);
  const best = anneal(ix, placed, minSize, maxSize, iterations, rand);
  const groups = best.groups
    .map((g) => g.sort((a, b) => a - b).map((i) => participants[i]!.id))
    .sort((a, b) => (byId.get(a[0]!)! - byId.get(b[0]!)!));
  return { ok: true, groups, score: best.score };
}

// ---------------------------------------------------------------------------------------------
// Validation of an edited roster (organisers drag people around before saving).

export type RosterForValidation = {
  groups: ReadonlyArray<{ name?: string; members: readonly string[] }>;
};

export type RosterIssueCode =
  | "person_in_two_groups"
  | "unknown_person"
  | "person_not_placed"
  | "keep_apart_violated"
  | "group_too_small"
  | "group_too_large";

export type RosterIssue = {
  code: RosterIssueCode;
  /** zod-like path into the submitted roster, e.g. ["groups", 1, "members", 3]. */
  path: Array<string | number>;
  people: string[];
  message: string;
  /** Errors block saving; warnings (sizes out of bounds) are shown but allowed. */
  severity: "error" | "warning";
};

export function validateRoster(
  roster: RosterForValidation,
  context: {
    participants: ReadonlyArray<Pick<RosterParticipant, "id" | "name">>;
    keepApart?: ReadonlyArray<readonly [string, string]>;
    minSize?: number;
    maxSize?: number;
  },
): { ok: boolean; issues: RosterIssue[] } {
  const issues: RosterIssue[] = [];
  const names = new Map(context.participants.map((p) => [p.id, p.name ?? p.id]));
  const name = (id: string) => names.get(id) ?? id;
  const groupName = (gi: number) => roster.groups[gi]?.name || `group ${gi + 1}`;
  const where = new Map<string, number>();
  roster.groups.forEach((group, gi) => {
    group.members.forEach((id, mi) => {
      const path = ["groups", gi, "members", mi];
      if (!names.has(id)) {
        issues.push({ code: "unknown_person", path, people: [id], severity: "error", message: `${id} is not a participant of this event.` });
        return;
      }
      const first = where.get(id);
      if (first !== undefined) {
        issues.push({
          code: "person_in_two_groups",
          path,
          people: [id],
          severity: "error",
          message: first === gi
            ? `${name(id)} is listed twice in ${groupName(gi)}.`
            : `${name(id)} is in two groups: ${groupName(first)} and ${groupName(gi)}.`,
        });
        return;
      }
      where.set(id, gi);
    });
    if (context.minSize !== undefined && group.members.length < context.minSize) {
      issues.push({ code: "group_too_small", path: ["groups", gi], people: [], severity: "warning", message: `${groupName(gi)} has ${group.members.length} people (fewer than ${context.minSize}).` });
    }
    if (context.maxSize !== undefined && group.members.length > context.maxSize) {
      issues.push({ code: "group_too_large", path: ["groups", gi], people: [], severity: "warning", message: `${groupName(gi)} has ${group.members.length} people (more than ${context.maxSize}).` });
    }
  });
  for (const p of context.participants) {
    if (!where.has(p.id)) {
      issues.push({ code: "person_not_placed", path: ["groups"], people: [p.id], severity: "error", message: `${name(p.id)} is not in any group.` });
    }
  }
  for (const [a, b] of context.keepApart ?? []) {
    const ga = where.get(a);
    if (ga !== undefined && ga === where.get(b) && a !== b) {
      issues.push({ code: "keep_apart_violated", path: ["groups", ga], people: [a, b], severity: "error", message: `${name(a)} and ${name(b)} asked to be kept apart but are both in ${groupName(ga)}.` });
    }
  }
  return { ok: !issues.some((i) => i.severity === "error"), issues };
}
