/**
 * Prints the identifier check's precision and recall on the labelled set, part by part:
 *   node src/features/debrief/identifier-check.report.ts            (tables)
 *   node src/features/debrief/identifier-check.report.ts --errors   (plus every miss and false alarm)
 * docs/identifier-check.md holds the figures this printed when it was last updated.
 */
import { ALL, DEVELOPMENT, HELD_OUT_1, HELD_OUT_2 } from "./identifier-check.fixtures.ts";
import { evaluate, formatTable } from "./identifier-check.eval.ts";
import { findIdentifiers } from "./identifier-check.ts";

const parts = [
  ["Development set (rules tuned on it)", DEVELOPMENT],
  ["Held-out set 1 (measured once, then used for general fixes)", HELD_OUT_1],
  ["Held-out set 2 (never used for tuning: the honest estimate)", HELD_OUT_2],
  ["All sentences", ALL],
] as const;

for (const [title, set] of parts) {
  const result = evaluate([...set], findIdentifiers);
  console.log(`\n### ${title}\n\n${formatTable(result)}`);
  if (process.argv.includes("--errors")) for (const e of result.errors) console.log(JSON.stringify(e));
}
