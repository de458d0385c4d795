import { describe, expect, it } from "vitest";
import { buildResponse, ORDINAL_VALUE_URL, type Questionnaire } from "./fhir.ts";
import { BUILT_IN_INSTRUMENTS, cbi, who5 } from "./instruments/index.ts";
import { enabledItems, validateQuestionnaire, validateResponse } from "./validate.ts";

const opt = (code: string, value: number) => ({ valueCoding: { code, display: code }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: value }] });

/** A small imported questionnaire using every supported feature. */
const imported: Questionnaire = {
  resourceType: "Questionnaire",
  url: "https://example.org/Questionnaire/pulse",
  version: "1",
  status: "active",
  language: "en",
  item: [
    { linkId: "intro", type: "display", text: "A short pulse check." },
    { linkId: "clinical", type: "boolean", text: "Do you see patients this month?", required: true },
    {
      linkId: "work",
      type: "group",
      text: "Clinical work",
      enableWhen: [{ question: "clinical", operator: "=", answerBoolean: true }],
      item: [
        { linkId: "hours", type: "integer", text: "Clinical hours per week", required: true },
        { linkId: "load", type: "choice", text: "Workload", required: true, answerOption: [opt("light", 0), opt("fair", 1), opt("heavy", 2)] },
        { linkId: "why", type: "text", text: "What makes it heavy?", enableWhen: [{ question: "load", operator: "=", answerCoding: { code: "heavy" } }, { question: "hours", operator: ">", answerInteger: 50 }], enableBehavior: "any" },
      ],
    },
    { linkId: "sleep", type: "decimal", text: "Hours of sleep per night" },
    { linkId: "note", type: "string", text: "Anything else? (no patient details)" },
  ],
};

describe("validateQuestionnaire", () => {
  it("accepts every built-in instrument and a questionnaire using every supported feature", () => {
    for (const i of BUILT_IN_INSTRUMENTS) expect(validateQuestionnaire(i.questionnaire)).toEqual([]);
    expect(validateQuestionnaire(imported)).toEqual([]);
  });

  it("refuses what is not a Questionnaire", () => {
    expect(validateQuestionnaire("x")).toEqual([{ path: "", code: "invalid", message: "a Questionnaire must be a JSON object" }]);
    const issues = validateQuestionnaire({ resourceType: "Patient", status: "final", item: [] });
    expect(issues.map((i) => i.path)).toEqual(["resourceType", "status", "item"]);
  });

  const withItems = (item: unknown[]) => ({ resourceType: "Questionnaire", status: "draft", item });
  const codes = (input: unknown) => validateQuestionnaire(input).map((i) => `${i.path} ${i.code}`);

  it("names duplicate linkIds, unsupported types and bad answer options by path", () => {
    expect(
      codes(
        withItems([
          { linkId: "a", type: "string", text: "A" },
          { linkId: "a", type: "date", text: "When?" },
          { linkId: "c", type: "choice", text: "C" },
          { linkId: "d", type: "choice", text: "D", answerOption: [{ valueCoding: { code: "x" }, valueString: "y" }, { valueCoding: { code: "" } }, { valueCoding: { code: "z" }, extension: [{ url: ORDINAL_VALUE_URL, valueString: "1" }] }, { valueCoding: { code: "z" } }] },
          { linkId: "e", type: "integer", text: "E", answerOption: [{ valueInteger: 1 }] },
          { linkId: "f", type: "wheel", text: "F" },
          { linkId: "g", type: "string", text: "G", repeats: true },
        ]),
      ),
    ).toEqual([
      "item[1].linkId duplicate",
      "item[1].type unsupported",
      "item[2].answerOption required",
      "item[3].answerOption[0] invalid",
      "item[3].answerOption[1].valueCoding.code required",
      "item[3].answerOption[2].extension[0].valueDecimal invalid",
      "item[3].answerOption[3] duplicate",
      "item[4].answerOption unsupported",
      "item[5].type invalid",
      "item[6].repeats unsupported",
    ]);
  });

  it("allows items inside groups only, and groups need items", () => {
    expect(codes(withItems([{ linkId: "q", type: "string", text: "Q", item: [{ linkId: "r", type: "string", text: "R" }] }, { linkId: "g", type: "group" }]))).toEqual(["item[0].item unsupported", "item[1].item required"]);
  });

  it("checks enableWhen: earlier question, not an ancestor, fitting answer type and option, enableBehavior", () => {
    const issues = codes(
      withItems([
        { linkId: "n", type: "integer", text: "N" },
        { linkId: "c", type: "choice", text: "C", answerOption: [{ valueCoding: { code: "yes" } }] },
        {
          linkId: "g",
          type: "group",
          item: [
            { linkId: "later-ref", type: "string", text: "x", enableWhen: [{ question: "z", operator: "exists", answerBoolean: true }] },
            { linkId: "self", type: "string", text: "x", enableWhen: [{ question: "g", operator: "exists", answerBoolean: true }] },
            { linkId: "mismatch", type: "string", text: "x", enableWhen: [{ question: "n", operator: "=", answerString: "3" }] },
            { linkId: "no-option", type: "string", text: "x", enableWhen: [{ question: "c", operator: "=", answerCoding: { code: "no" } }] },
            { linkId: "two", type: "string", text: "x", enableWhen: [{ question: "n", operator: ">", answerInteger: 1 }, { question: "n", operator: "<", answerInteger: 9 }] },
            { linkId: "unknown", type: "string", text: "x", enableWhen: [{ question: "nope", operator: "~", answerInteger: 1 }] },
            { linkId: "date", type: "string", text: "x", enableWhen: [{ question: "n", operator: "=", answerDate: "2026-01-01" }] },
          ],
        },
        { linkId: "z", type: "boolean", text: "Z" },
      ]),
    );
    expect(issues).toEqual([
      "item[2].item[0].enableWhen[0].question order",
      "item[2].item[1].enableWhen[0].question invalid",
      "item[2].item[2].enableWhen[0].answerString type-mismatch",
      "item[2].item[3].enableWhen[0].answerCoding not-found",
      "item[2].item[4].enableBehavior required",
      "item[2].item[5].enableWhen[0].question not-found",
      "item[2].item[5].enableWhen[0].operator invalid",
      "item[2].item[6].enableWhen[0].answerDate unsupported",
    ]);
  });
});

describe("validateResponse", () => {
  const valid = buildResponse(imported, { clinical: true, hours: 40, load: "heavy", why: "Rota gaps", sleep: 6.5 });

  it("accepts valid responses (nested groups, enabled follow-ups) and the built-in instruments' own", () => {
    expect(validateResponse(imported, valid)).toEqual([]);
    expect(validateResponse(imported, buildResponse(imported, { clinical: false }))).toEqual([]);
    expect(validateResponse(who5.questionnaire, buildResponse(who5.questionnaire, { "who5-1": "all", "who5-2": "most", "who5-3": "some", "who5-4": "none", "who5-5": "most" }))).toEqual([]);
    const cbiValues = Object.fromEntries(cbi.scoring.scales.flatMap((s) => s.items).map((id) => [id, id.startsWith("cbi-p") || ["cbi-w4", "cbi-w5", "cbi-w6", "cbi-w7", "cbi-c5", "cbi-c6"].includes(id) ? "often" : "high"]));
    expect(validateResponse(cbi.questionnaire, buildResponse(cbi.questionnaire, cbiValues))).toEqual([]);
  });

  it("refuses answers that are not an option, of the wrong type, out of place or unknown", () => {
    const r = {
      resourceType: "QuestionnaireResponse",
      questionnaire: "https://example.org/Questionnaire/pulse|1",
      status: "completed",
      item: [
        { linkId: "clinical", answer: [{ valueBoolean: true }] },
        {
          linkId: "work",
          item: [
            { linkId: "hours", answer: [{ valueInteger: 3.5 }] },
            { linkId: "load", answer: [{ valueCoding: { code: "extreme" } }] },
            { linkId: "load", answer: [{ valueCoding: { code: "light" } }] },
          ],
        },
        { linkId: "sleep", answer: [{ valueString: "eight" }] },
        { linkId: "hours", answer: [{ valueInteger: 3 }] },
        { linkId: "ghost", answer: [{ valueString: "?" }] },
        { linkId: "intro", answer: [{ valueString: "?" }] },
      ],
    };
    expect(validateResponse(imported, r).map((i) => `${i.path} ${i.code}`)).toEqual([
      "item[1].item[0].answer[0].valueInteger type-mismatch",
      "item[1].item[1].answer[0] not-an-option",
      "item[1].item[2].linkId duplicate",
      "item[2].answer[0] type-mismatch",
      "item[3].linkId unknown-item",
      "item[4].linkId unknown-item",
      "item[5].answer invalid",
      "item.where(linkId='hours') required",
      "item.where(linkId='load') required",
    ]);
  });

  it("refuses answers to disabled items and requires enabled required items only when completed", () => {
    const disabled = buildResponse(imported, { clinical: false, hours: 10 });
    expect(validateResponse(imported, disabled).map((i) => `${i.path} ${i.code}`)).toEqual(["item[1].item[0].answer disabled-item"]);
    const follow = buildResponse(imported, { clinical: true, hours: 20, load: "light", why: "x" });
    expect(validateResponse(imported, follow).map((i) => `${i.path} ${i.code}`)).toEqual(["item[1].item[2].answer disabled-item"]);
    const missing = buildResponse(imported, { clinical: true });
    expect(validateResponse(imported, missing).map((i) => i.code)).toEqual(["required", "required"]);
    expect(validateResponse(imported, { ...missing, status: "in-progress" })).toEqual([]);
  });

  it("knows which items are enabled (any / all)", () => {
    const answers = new Map([
      ["clinical", { valueBoolean: true }],
      ["hours", { valueInteger: 60 }],
      ["load", { valueCoding: { code: "light" } }],
    ]);
    expect([...enabledItems(imported, answers)]).toContain("why");
    answers.set("hours", { valueInteger: 30 });
    expect([...enabledItems(imported, answers)]).not.toContain("why");
    answers.set("clinical", { valueBoolean: false });
    expect([...enabledItems(imported, answers)]).toEqual(["intro", "clinical", "sleep", "note"]);
  });

  it("refuses a response to another questionnaire, a non-object and too many answers", () => {
    expect(validateResponse(imported, { resourceType: "QuestionnaireResponse", status: "completed", questionnaire: "https://example.org/other", item: [{ linkId: "clinical", answer: [{ valueBoolean: false }] }] }).map((i) => i.path)).toEqual(["questionnaire"]);
    expect(validateResponse(imported, null)).toHaveLength(1);
    expect(validateResponse(imported, { resourceType: "QuestionnaireResponse", status: "in-progress", item: [{ linkId: "clinical", answer: [{ valueBoolean: true }, { valueBoolean: false }] }] }).map((i) => i.code)).toEqual(["repeats"]);
  });
});
