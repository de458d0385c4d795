import type { LabelledSentence } from "./identifier-check.fixtures.ts";
import { IDENTIFIER_KINDS, type IdentifierFinding, type IdentifierKind } from "./identifier-check.ts";

/**
 * Scores a detector on a labelled set, span by span.
 *  - per kind: a finding of kind K is a true positive when it overlaps an expected span of kind K;
 *    an expected span of kind K is recalled when a finding of kind K overlaps it.
 *  - overall ("any identifier"): the same, ignoring the kind — what the writer sees is a warning
 *    on that text, whatever its label.
 * Also counts sentences: a negative sentence with any finding is a false alarm.
 */
export interface Score {
  /** Expected spans of this kind in the set. */
  expected: number;
  /** Expected spans a finding overlapped. */
  recalled: number;
  /** Findings that overlapped an expected span. */
  tp: number;
  /** Findings that overlapped none. */
  fp: number;
  /** Expected spans no finding overlapped. */
  fn: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  perKind: Record<IdentifierKind, Score>;
  overall: Score;
  sentences: { total: number; positive: number; negative: number; falseAlarms: number; missed: number };
  errors: { text: string; missed: string[]; spurious: string[] }[];
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

function score(tp: number, fp: number, fn: number, recalled: number): Score {
  return {
    expected: recalled + fn,
    recalled,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: recalled + fn === 0 ? 1 : recalled / (recalled + fn),
  };
}

export function evaluate(set: LabelledSentence[], detect: (text: string) => IdentifierFinding[]): Evaluation {
  const counts = Object.fromEntries(IDENTIFIER_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0, hit: 0 }])) as Record<
    IdentifierKind,
    { tp: number; fp: number; fn: number; hit: number }
  >;
  const all = { tp: 0, fp: 0, fn: 0, hit: 0 };
  const sentences = { total: set.length, positive: 0, negative: 0, falseAlarms: 0, missed: 0 };
  const errors: Evaluation["errors"] = [];

  for (const sentence of set) {
    const findings = detect(sentence.text);
    const expected = sentence.expected.map((e) => {
      const start = sentence.text.indexOf(e.text);
      if (start < 0) throw new Error(`Fixture span "${e.text}" is not in "${sentence.text}"`);
      return { kind: e.kind, start, end: start + e.text.length, text: e.text };
    });
    const missed: string[] = [];
    const spurious: string[] = [];

    for (const f of findings) {
      const sameKind = expected.some((e) => e.kind === f.kind && overlaps(e, f));
      counts[f.kind][sameKind ? "tp" : "fp"]++;
      const any = expected.some((e) => overlaps(e, f));
      all[any ? "tp" : "fp"]++;
      if (!sameKind) spurious.push(`${f.kind}:${f.text}`);
    }
    for (const e of expected) {
      const sameKind = findings.some((f) => f.kind === e.kind && overlaps(e, f));
      counts[e.kind][sameKind ? "hit" : "fn"]++;
      const any = findings.some((f) => overlaps(e, f));
      all[any ? "hit" : "fn"]++;
      if (!sameKind) missed.push(`${e.kind}:${e.text}`);
    }
    if (expected.length === 0) {
      sentences.negative++;
      if (findings.length > 0) sentences.falseAlarms++;
    } else {
      sentences.positive++;
      if (!findings.some((f) => expected.some((e) => overlaps(e, f)))) sentences.missed++;
    }
    if (missed.length > 0 || spurious.length > 0) errors.push({ text: sentence.text, missed, spurious });
  }

  const perKind = Object.fromEntries(
    IDENTIFIER_KINDS.map((k) => {
      const c = counts[k];
      return [k, score(c.tp, c.fp, c.fn, c.hit)];
    }),
  ) as Record<IdentifierKind, Score>;
  return { perKind, overall: score(all.tp, all.fp, all.fn, all.hit), sentences, errors };
}

/** A Markdown table of the figures (docs/identifier-check.md is written from this). */
export function formatTable(e: Evaluation): string {
  const pct = (n: number) => n.toFixed(2);
  const rows = [
    "| kind | expected spans | recalled | missed | findings correct | false positives | precision | recall |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const k of IDENTIFIER_KINDS) {
    const s = e.perKind[k];
    rows.push(`| ${k} | ${s.expected} | ${s.recalled} | ${s.fn} | ${s.tp} | ${s.fp} | ${pct(s.precision)} | ${pct(s.recall)} |`);
  }
  const o = e.overall;
  rows.push(`| **any identifier** | ${o.expected} | ${o.recalled} | ${o.fn} | ${o.tp} | ${o.fp} | **${pct(o.precision)}** | **${pct(o.recall)}** |`);
  const st = e.sentences;
  rows.push(
    "",
    `Sentences: ${st.total} (${st.positive} with an identifier, ${st.negative} without); ` +
      `false alarms on ${st.falseAlarms} of ${st.negative} clean sentences; ` +
      `${st.missed} of ${st.positive} sentences with an identifier got no warning at all.`,
  );
  return rows.join("\n");
}
