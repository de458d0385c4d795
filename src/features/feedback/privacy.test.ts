import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  binsToClose,
  coarseDate,
  commentMinCell,
  effectiveMinCell,
  type FeedbackAnswer,
  type FeedbackBin,
  feedbackOpen,
  MIN_CELL_DEFAULT,
  type MeetingTally,
  shuffledComments,
  summariseBin,
  waitingAnswers,
} from "./privacy.ts";

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

describe("thresholds", () => {
  it("an organisation may raise the minimum cell size, never lower it", () => {
    expect(effectiveMinCell(null)).toBe(5);
    expect(effectiveMinCell(undefined)).toBe(5);
    expect(effectiveMinCell(3)).toBe(5);
    expect(effectiveMinCell(0)).toBe(5);
    expect(effectiveMinCell(-1)).toBe(5);
    expect(effectiveMinCell(Number.NaN)).toBe(5);
    expect(effectiveMinCell(8)).toBe(8);
    expect(effectiveMinCell(8.9)).toBe(8);
    expect(commentMinCell(5)).toBe(10);
    expect(commentMinCell(12)).toBe(12);
  });
});

describe("bins", () => {
  it("closes a bin once consecutive meetings hold enough answers, and keeps the rest waiting", () => {
    const tallies: MeetingTally[] = [
      { occurrenceStart: day(0), responses: 3 },
      { occurrenceStart: day(7), responses: 0 },
      { occurrenceStart: day(14), responses: 4 },
      { occurrenceStart: day(21), responses: 5 },
      { occurrenceStart: day(28), responses: 2 },
    ];
    const bins = binsToClose("scores", [], tallies, 5);
    expect(bins).toEqual([
      { kind: "scores", seq: 1, fromOccurrence: day(0), toOccurrence: day(14), responses: 7, minCell: 5 },
      { kind: "scores", seq: 2, fromOccurrence: day(21), toOccurrence: day(21), responses: 5, minCell: 5 },
    ]);
    expect(waitingAnswers(bins, tallies)).toBe(2);
  });

  it("never reopens a closed bin: meetings already covered are ignored", () => {
    const first = binsToClose("scores", [], [{ occurrenceStart: day(0), responses: 6 }], 5);
    const more = binsToClose("scores", first, [{ occurrenceStart: day(0), responses: 9 }, { occurrenceStart: day(7), responses: 5 }], 5);
    expect(more).toEqual([{ kind: "scores", seq: 2, fromOccurrence: day(7), toOccurrence: day(7), responses: 5, minCell: 5 }]);
  });

  it("closing as data arrives gives the same bins as closing all at once (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 40 }), fc.integer({ min: 5, max: 12 }), (counts, minCell) => {
        const tallies = counts.map((responses, i) => ({ occurrenceStart: day(i * 7), responses }));
        const once = binsToClose("scores", [], tallies, minCell);
        let incremental: FeedbackBin[] = [];
        for (let i = 1; i <= tallies.length; i++) incremental = [...incremental, ...binsToClose("scores", incremental, tallies.slice(0, i), minCell)];
        expect(incremental).toEqual(once);
      }),
    );
  });

  it("no sequence of views reveals fewer answers than the threshold by subtraction, even when the organisation raises it (property)", () => {
    // A group meets weekly; answers for a meeting arrive in its window; the threshold may be
    // raised at any time. At each moment a leader can look at any set of closed bins (e.g. "last
    // three months", "all time"). Every pair of things they ever see must differ by nothing or by
    // at least the default minimum cell size.
    fc.assert(
      fc.property(
        fc.array(fc.record({ responses: fc.integer({ min: 0, max: 8 }), raiseTo: fc.option(fc.integer({ min: 3, max: 15 }), { nil: undefined }) }), { minLength: 1, maxLength: 30 }),
        (weeks) => {
          let orgSetting: number | null = null;
          let bins: FeedbackBin[] = [];
          const views: Set<string>[] = [];
          const tallies: MeetingTally[] = [];
          weeks.forEach((w, i) => {
            if (w.raiseTo !== undefined) orgSetting = Math.max(orgSetting ?? 0, w.raiseTo);
            tallies.push({ occurrenceStart: day(i * 7), responses: w.responses });
            bins = [...bins, ...binsToClose("scores", bins, tallies, effectiveMinCell(orgSetting))];
            // Answer ids: meeting index + answer number. A view = the answers of a set of whole bins.
            const answersOf = (b: FeedbackBin) => tallies.filter((t) => t.occurrenceStart >= b.fromOccurrence && t.occurrenceStart <= b.toOccurrence).flatMap((t) => Array.from({ length: t.responses }, (_, k) => `${t.occurrenceStart}#${k}`));
            for (const b of bins) expect(answersOf(b).length).toBe(b.responses);
            // Every contiguous range of bins ("from … to …") is a possible view.
            for (let a = 0; a < bins.length; a++) for (let z = a; z < bins.length; z++) views.push(new Set(bins.slice(a, z + 1).flatMap(answersOf)));
          });
          for (const b of bins) expect(b.responses).toBeGreaterThanOrEqual(b.minCell);
          for (let i = 0; i < views.length; i++) {
            for (let j = i + 1; j < views.length; j++) {
              const onlyI = [...views[i]!].filter((x) => !views[j]!.has(x)).length;
              const onlyJ = [...views[j]!].filter((x) => !views[i]!.has(x)).length;
              if (onlyI > 0) expect(onlyI).toBeGreaterThanOrEqual(MIN_CELL_DEFAULT);
              if (onlyJ > 0) expect(onlyJ).toBeGreaterThanOrEqual(MIN_CELL_DEFAULT);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("summaries", () => {
  const answer = (safe: number, heard: number, see: number, values: FeedbackAnswer["values"] = [], comment: string | null = null): FeedbackAnswer => ({
    scores: { safe_to_speak: safe, felt_heard: heard, see_differently: see },
    values,
    comment,
  });

  it("gives means, distributions, agreement and value counts", () => {
    const answers = [answer(5, 4, 3, ["empathy"]), answer(4, 4, 2, ["empathy", "hope"]), answer(5, 5, 4), answer(3, 2, 5, ["hope", "hope"]), answer(4, 4, 4)];
    const s = summariseBin(answers, 5);
    expect(s.responses).toBe(5);
    expect(s.items[0]).toEqual({ item: "safe_to_speak", mean: 4.2, distribution: [0, 0, 1, 2, 2], agreeShare: 0.8 });
    expect(s.items[2]!.distribution).toEqual([0, 1, 1, 2, 1]);
    expect(s.values.empathy).toBe(2);
    expect(s.values.hope).toBe(2);
    expect(s.values.reflection).toBe(0);
  });

  it("refuses to summarise fewer answers than the threshold", () => {
    const four = Array.from({ length: 4 }, () => answer(3, 3, 3));
    expect(() => summariseBin(four, 5)).toThrow(/minimum cell size/);
    expect(() => summariseBin([...four, answer(1, 1, 1)], 6)).toThrow(/minimum cell size/);
    expect(() => summariseBin(four, 2)).toThrow(/minimum cell size/);
  });

  it("shuffles comments without losing or inventing any", () => {
    const comments = Array.from({ length: 12 }, (_, i) => `comment ${i}`);
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const out = shuffledComments(comments, random);
    expect(out).not.toEqual(comments);
    expect([...out].sort()).toEqual([...comments].sort());
  });
});

describe("time", () => {
  it("stores only the meeting's date, never when the answer was given", () => {
    expect(coarseDate(new Date("2026-11-26T23:30:00.000Z"))).toBe("2026-11-26");
  });
  it("is open from the meeting's start for seven days", () => {
    const start = new Date("2026-11-02T18:00:00Z");
    expect(feedbackOpen(start, new Date("2026-11-02T17:59:59Z"))).toBe(false);
    expect(feedbackOpen(start, new Date("2026-11-02T19:00:00Z"))).toBe(true);
    expect(feedbackOpen(start, new Date("2026-11-09T17:59:59Z"))).toBe(true);
    expect(feedbackOpen(start, new Date("2026-11-09T18:00:00Z"))).toBe(false);
  });
});
