// Privacy rules for anonymous meeting feedback: pure functions, no I/O.
//
// Leaders see feedback only as aggregates over "bins": runs of consecutive meetings of one group,
// closed in time order once together they hold at least the minimum cell size of answers (5 by
// default; an organisation may raise it, never lower it). A bin is final once closed: it is stored
// and never changes, and a meeting enters a bin only after its feedback window has closed (so no
// late answer can alter a bin). Every number a leader can see is a sum over whole closed bins, so
// the difference between any two views is itself a union of whole bins — at least the minimum
// cell size, or nothing. That is the remainder rule by construction: no hidden meeting (or smaller
// group of answers) can be worked out by subtraction, whatever sequence of views one takes.
// The newest answers wait, unseen, until enough arrive to close the next bin.
//
// Comments are binned separately with a threshold of at least 10 answers and shown in random order.

export const MIN_CELL_DEFAULT = 5;
export const MIN_CELL_MAX = 50;
export const COMMENT_MIN_CELL = 10;
/** Members may answer until this many days after a meeting's start. */
export const FEEDBACK_WINDOW_DAYS = 7;

export const FEEDBACK_SCALE = [1, 2, 3, 4, 5] as const;
/** The questionnaire, written for Balint Commons (not copied from any published instrument). */
export const FEEDBACK_ITEMS = ["safe_to_speak", "felt_heard", "see_differently"] as const;
export type FeedbackItem = (typeof FEEDBACK_ITEMS)[number];
/** The values of the American Balint Society a member can say showed up today. */
export const FEEDBACK_VALUES = ["authenticity", "collective_wisdom", "compassion", "empathy", "hope", "lifelong_learning", "reflection", "inclusion"] as const;
export type FeedbackValue = (typeof FEEDBACK_VALUES)[number];
export const FEEDBACK_COMMENT_MAX = 500;

/** The threshold an organisation gets: its own setting if higher than the default, never lower. */
export function effectiveMinCell(orgSetting: number | null | undefined): number {
  if (typeof orgSetting !== "number" || !Number.isFinite(orgSetting)) return MIN_CELL_DEFAULT;
  return Math.min(MIN_CELL_MAX, Math.max(MIN_CELL_DEFAULT, Math.floor(orgSetting)));
}

export function commentMinCell(minCell: number): number {
  return Math.max(COMMENT_MIN_CELL, minCell);
}

export interface MeetingTally {
  /** The meeting's occurrence start (ISO), which orders meetings. */
  occurrenceStart: string;
  responses: number;
}

export interface FeedbackBin {
  kind: "scores" | "comments";
  /** 1, 2, … in time order within a group and kind. */
  seq: number;
  /** First and last meeting the bin covers (inclusive). */
  fromOccurrence: string;
  toOccurrence: string;
  responses: number;
  /** The threshold in force when the bin closed. */
  minCell: number;
}

/**
 * The bins to close now, given the bins already closed (of one kind, in order) and the tallies of
 * meetings whose feedback window has closed (any order; meetings already binned are ignored).
 * Meetings with no answers join the bin they fall in. Returns only the new bins.
 */
export function binsToClose(kind: FeedbackBin["kind"], closed: readonly FeedbackBin[], tallies: readonly MeetingTally[], minCell: number): FeedbackBin[] {
  const lastTo = closed.length ? closed[closed.length - 1]!.toOccurrence : null;
  const pending = tallies.filter((t) => lastTo === null || t.occurrenceStart > lastTo).sort((a, b) => (a.occurrenceStart < b.occurrenceStart ? -1 : a.occurrenceStart > b.occurrenceStart ? 1 : 0));
  const bins: FeedbackBin[] = [];
  let seq = closed.length ? closed[closed.length - 1]!.seq : 0;
  let from: string | null = null;
  let responses = 0;
  for (const t of pending) {
    from ??= t.occurrenceStart;
    responses += t.responses;
    if (responses >= minCell) {
      bins.push({ kind, seq: ++seq, fromOccurrence: from, toOccurrence: t.occurrenceStart, responses, minCell });
      from = null;
      responses = 0;
    }
  }
  return bins;
}

/** How many answers wait for the next bin. For the service only: leaders are told "still gathering", never the count. */
export function waitingAnswers(closed: readonly FeedbackBin[], tallies: readonly MeetingTally[]): number {
  const lastTo = closed.length ? closed[closed.length - 1]!.toOccurrence : null;
  return tallies.filter((t) => lastTo === null || t.occurrenceStart > lastTo).reduce((sum, t) => sum + t.responses, 0);
}

export interface FeedbackAnswer {
  scores: Record<FeedbackItem, number>;
  values: readonly FeedbackValue[];
  comment: string | null;
}

export interface ItemSummary {
  item: FeedbackItem;
  mean: number;
  /** Count of answers per scale point 1..5. */
  distribution: number[];
  /** Share answering 4 or 5. */
  agreeShare: number;
}

export interface BinSummary {
  responses: number;
  items: ItemSummary[];
  /** How many answers named each value. */
  values: Record<FeedbackValue, number>;
}

/**
 * Summarises the answers of one closed bin. Refuses (throws) below the bin's threshold: callers
 * must never be able to summarise a smaller set by accident.
 */
export function summariseBin(answers: readonly FeedbackAnswer[], minCell: number): BinSummary {
  if (answers.length < Math.max(MIN_CELL_DEFAULT, minCell)) throw new Error(`refusing to summarise ${answers.length} answers below the minimum cell size`);
  const items = FEEDBACK_ITEMS.map((item) => {
    const distribution = FEEDBACK_SCALE.map(() => 0);
    let sum = 0;
    for (const a of answers) {
      const v = a.scores[item];
      distribution[v - 1]! += 1;
      sum += v;
    }
    const agree = distribution[3]! + distribution[4]!;
    return { item, mean: Math.round((sum / answers.length) * 100) / 100, distribution, agreeShare: Math.round((agree / answers.length) * 1000) / 1000 };
  });
  const values = Object.fromEntries(FEEDBACK_VALUES.map((v) => [v, 0])) as Record<FeedbackValue, number>;
  for (const a of answers) for (const v of new Set(a.values)) values[v] += 1;
  return { responses: answers.length, items, values };
}

/** Comments of a closed comment bin, in a fresh random order each time (never answer order). */
export function shuffledComments(comments: readonly string[], random: () => number = Math.random): string[] {
  const out = [...comments];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The day (UTC date) stored with an answer instead of a timestamp: the meeting's date, not the answer's. */
export function coarseDate(occurrenceStart: Date): string {
  return occurrenceStart.toISOString().slice(0, 10);
}

/** Whether members may still answer for a meeting at `now`: from its start until the window closes. */
export function feedbackOpen(occurrenceStart: Date, now: Date, windowDays = FEEDBACK_WINDOW_DAYS): boolean {
  const t = now.getTime();
  return t >= occurrenceStart.getTime() && t < occurrenceStart.getTime() + windowDays * 86_400_000;
}
