import { describe, expect, it } from "vitest";
import { buildResponse, ITEM_WEIGHT_URL, type Questionnaire } from "./fhir.ts";
import { cbi, pss10, who5 } from "./instruments/index.ts";
import { checkRule, score, ScoringRuleError, type ScoringRule } from "./scoring.ts";

const WHO5_CODES = ["none", "some", "less-than-half", "more-than-half", "most", "all"]; // value 0..5
const who5Answers = (values: number[]) => Object.fromEntries(values.map((v, i) => [`who5-${i + 1}`, WHO5_CODES[v]!]));
const PSS_CODES = ["never", "almost-never", "sometimes", "fairly-often", "very-often"]; // 0..4
const pssAnswers = (values: number[]) => Object.fromEntries(values.map((v, i) => [`pss-${i + 1}`, PSS_CODES[v]!]));

describe("WHO-5 (raw 0–25 × 4)", () => {
  it("scores the worked example 5,4,3,2,1 as raw 15 → 60, good well-being", () => {
    const r = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, who5Answers([5, 4, 3, 2, 1])));
    expect(r.scales[0]).toMatchObject({ id: "who5", score: 60, answered: 5, band: { labelKey: "wellbeing.band.who5.good", severity: "ok" } });
    expect(r.complete).toBe(true);
    expect(r.distressFlag).toBe(false);
  });

  it("flags distress at or below 28 (raw 7) and not at 32 (raw 8); 50 and below is poor well-being", () => {
    const at28 = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, who5Answers([2, 2, 1, 1, 1])));
    expect(at28.scales[0]!.score).toBe(28);
    expect(at28.distressFlag).toBe(true);
    expect(at28.scales[0]!.band?.labelKey).toBe("wellbeing.band.who5.likelyDepression");
    const at32 = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, who5Answers([2, 2, 2, 1, 1])));
    expect(at32.scales[0]!.score).toBe(32);
    expect(at32.distressFlag).toBe(false);
    expect(at32.scales[0]!.band?.labelKey).toBe("wellbeing.band.who5.poor");
    const at52 = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, who5Answers([3, 3, 3, 2, 2])));
    expect(at52.scales[0]!.score).toBe(52);
    expect(at52.scales[0]!.band?.labelKey).toBe("wellbeing.band.who5.good");
    const top = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, who5Answers([5, 5, 5, 5, 5])));
    expect(top.scales[0]!.score).toBe(100);
  });

  it("gives no score (and no flag) when an item is missing", () => {
    const values = who5Answers([0, 0, 0, 0, 0]);
    delete values["who5-3"];
    const r = score(who5.questionnaire, who5.scoring, buildResponse(who5.questionnaire, values, "in-progress"));
    expect(r.scales[0]).toMatchObject({ score: null, answered: 4 });
    expect(r.complete).toBe(false);
    expect(r.distressFlag).toBe(false);
  });
});

describe("PSS-10 (reverse items 4, 5, 7, 8; sum 0–40)", () => {
  it("reverses the four positive items", () => {
    const never = score(pss10.questionnaire, pss10.scoring, buildResponse(pss10.questionnaire, pssAnswers(Array(10).fill(0))));
    expect(never.scales[0]!.score).toBe(16); // 6 × 0 + 4 × (4 − 0)
    const veryOften = score(pss10.questionnaire, pss10.scoring, buildResponse(pss10.questionnaire, pssAnswers(Array(10).fill(4))));
    expect(veryOften.scales[0]!.score).toBe(24); // 6 × 4 + 4 × 0
    const sometimes = score(pss10.questionnaire, pss10.scoring, buildResponse(pss10.questionnaire, pssAnswers(Array(10).fill(2))));
    expect(sometimes.scales[0]!.score).toBe(20);
  });

  it("scores a mixed example: 3,2,3,1,1,3,2,1,2,3 → 27 (high)", () => {
    // reversed: item 4: 1→3, item 5: 1→3, item 7: 2→2, item 8: 1→3; 3+2+3+3+3+3+2+3+2+3 = 27
    const r = score(pss10.questionnaire, pss10.scoring, buildResponse(pss10.questionnaire, pssAnswers([3, 2, 3, 1, 1, 3, 2, 1, 2, 3])));
    expect(r.scales[0]!.score).toBe(27);
    expect(r.scales[0]!.band?.labelKey).toBe("wellbeing.band.pss10.high");
  });

  it("requires all ten items", () => {
    const values = pssAnswers(Array(10).fill(1));
    delete values["pss-10"];
    expect(score(pss10.questionnaire, pss10.scoring, buildResponse(pss10.questionnaire, values, "in-progress")).scales[0]!.score).toBeNull();
  });
});

describe("Copenhagen Burnout Inventory (100/75/50/25/0, mean per scale)", () => {
  const all = (code: string, degree: string) => {
    const out: Record<string, string> = {};
    for (const i of [1, 2, 3, 4, 5, 6]) out[`cbi-p${i}`] = code;
    for (const i of [1, 2, 3]) out[`cbi-w${i}`] = degree;
    for (const i of [4, 5, 6, 7]) out[`cbi-w${i}`] = code;
    for (const i of [1, 2, 3, 4]) out[`cbi-c${i}`] = degree;
    for (const i of [5, 6]) out[`cbi-c${i}`] = code;
    return out;
  };

  it("scores item by item and reverses the leisure-energy work item", () => {
    const r = score(cbi.questionnaire, cbi.scoring, buildResponse(cbi.questionnaire, all("often", "high")));
    const byId = Object.fromEntries(r.scales.map((s) => [s.id, s.score]));
    expect(byId["cbi-personal"]).toBe(75);
    // six work items at 75 and the reversed item 100 − 75 = 25: (6 × 75 + 25) / 7 = 67.857…
    expect(byId["cbi-work"]).toBe(67.9);
    expect(byId["cbi-patient"]).toBe(75);
    const always = score(cbi.questionnaire, cbi.scoring, buildResponse(cbi.questionnaire, { ...all("always", "very-high"), "cbi-w7": "never" }));
    expect(always.scales.find((s) => s.id === "cbi-work")!.score).toBe(100);
    expect(always.scales.find((s) => s.id === "cbi-work")!.band?.labelKey).toBe("wellbeing.band.cbi.severe");
  });

  it("averages answered items when at least half are answered (3 of 6 personal, 4 of 7 work)", () => {
    const some = { "cbi-p1": "always", "cbi-p2": "sometimes", "cbi-p3": "never", "cbi-w1": "somewhat", "cbi-w2": "somewhat", "cbi-w3": "low" };
    const r = score(cbi.questionnaire, cbi.scoring, buildResponse(cbi.questionnaire, some, "in-progress"));
    const byId = Object.fromEntries(r.scales.map((s) => [s.id, s]));
    expect(byId["cbi-personal"]!.score).toBe(50); // (100 + 50 + 0) / 3
    expect(byId["cbi-work"]!.score).toBeNull(); // 3 of 7 answered
    expect(byId["cbi-patient"]!.score).toBeNull();
    expect(r.complete).toBe(false);
    const two = score(cbi.questionnaire, cbi.scoring, buildResponse(cbi.questionnaire, { "cbi-p1": "always", "cbi-p2": "often" }, "in-progress"));
    expect(two.scales[0]!.score).toBeNull();
  });

  it("bands: below 50 low, 50 moderate", () => {
    const r = score(cbi.questionnaire, cbi.scoring, buildResponse(cbi.questionnaire, all("sometimes", "somewhat")));
    expect(r.scales[0]).toMatchObject({ score: 50, band: { labelKey: "wellbeing.band.cbi.moderate" } });
    const low = score(cbi.questionnaire, cbi.scoring, buildResponse(cbi.questionnaire, all("seldom", "low")));
    expect(low.scales[0]!.band?.labelKey).toBe("wellbeing.band.cbi.low");
  });
});

describe("rules as data", () => {
  const q: Questionnaire = {
    resourceType: "Questionnaire",
    status: "active",
    url: "https://example.org/q",
    item: [
      { linkId: "a", text: "A", type: "choice", answerOption: [{ valueCoding: { code: "lo" }, extension: [{ url: ITEM_WEIGHT_URL, valueDecimal: 1 }] }, { valueCoding: { code: "hi" }, extension: [{ url: ITEM_WEIGHT_URL, valueDecimal: 3 }] }] },
      { linkId: "b", text: "B", type: "integer" },
      { linkId: "c", text: "C", type: "boolean" },
      { linkId: "d", text: "D", type: "string" },
    ],
  };

  it("reads itemWeight (the R5 name of ordinalValue), integers and booleans; prorates a sum when asked", () => {
    const rule: ScoringRule = { questionnaire: "https://example.org/q", scales: [{ id: "s", items: ["a", "b", "c"], reverse: ["a"], method: "sum", minAnswered: 2, prorate: true, range: [0, 20] }], bands: [] };
    expect(score(q, rule, buildResponse(q, { a: "hi", b: 5, c: true })).scales[0]!.score).toBe(1 + 5 + 1);
    // a and b only: (1 + 5) × 3 / 2 = 9
    expect(score(q, rule, buildResponse(q, { a: "hi", b: 5 })).scales[0]!.score).toBe(9);
  });

  it("refuses a rule that does not fit its questionnaire", () => {
    const bad: ScoringRule = { questionnaire: "x", scales: [{ id: "s", items: ["a", "zz", "d"], reverse: ["b"], method: "mean", minAnswered: 9, range: [0, 1] }], bands: [{ scale: "t", labelKey: "k", severity: "ok" }], distress: { scale: "u", atOrBelow: 1 } };
    const problems = checkRule(q, bad);
    expect(problems).toEqual([
      'scales[0].items[1]: no item "zz"',
      'scales[0].items[2]: item "d" of type string cannot be scored',
      'scales[0].reverse[0]: "b" is not an item of the scale',
      'scales[0].reverse[0]: "b" has no answer options to reverse',
      "scales[0].minAnswered: must be between 1 and 3",
      'bands[0].scale: no scale "t"',
      'distress.scale: no scale "u"',
    ]);
    expect(() => score(q, bad, buildResponse(q, {}))).toThrow(ScoringRuleError);
  });

  it("every built-in rule fits its questionnaire", () => {
    for (const i of [who5, pss10, cbi]) expect(checkRule(i.questionnaire, i.scoring)).toEqual([]);
  });
});
