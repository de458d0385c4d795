import { describe, expect, it } from "vitest";
import { type Questionnaire, walkItems } from "./fhir.ts";
import { enabledUnder, hasConditions, optionKey, responseFromValues, valuesFromForm } from "./form-values.ts";
import { who5 } from "./instruments/index.ts";
import { score } from "./scoring.ts";
import { validateResponse } from "./validate.ts";

const conditional: Questionnaire = {
  resourceType: "Questionnaire",
  url: "https://example.org/q/conditional",
  status: "active",
  item: [
    { linkId: "works", text: "Do you work nights?", type: "boolean", required: true },
    { linkId: "nights", text: "How many nights a month?", type: "integer", required: true, enableWhen: [{ question: "works", operator: "=", answerBoolean: true }] },
    { linkId: "note", text: "Anything else?", type: "text" },
  ],
};

describe("form values → QuestionnaireResponse", () => {
  it("builds a WHO-5 response from posted option keys that validates and scores", () => {
    const posted = Object.fromEntries([...walkItems(who5.questionnaire.item)].filter(({ item }) => item.type === "choice").map(({ item }) => [item.linkId, optionKey(item.answerOption![1]!)]));
    const response = responseFromValues(who5.questionnaire, valuesFromForm(who5.questionnaire, posted));
    expect(validateResponse(who5.questionnaire, response)).toEqual([]);
    expect(score(who5.questionnaire, who5.scoring, response).scales[0]!.score).toBe(80);
  });

  it("honours enableWhen: answers to disabled items are dropped, enabled required ones are required", () => {
    expect(hasConditions(conditional)).toBe(true);
    expect(hasConditions(who5.questionnaire)).toBe(false);
    const off = valuesFromForm(conditional, { works: "false", nights: "4" });
    expect(enabledUnder(conditional, off).has("nights")).toBe(false);
    const r1 = responseFromValues(conditional, off);
    expect(r1.item!.map((i) => i.linkId)).toEqual(["works"]);
    expect(validateResponse(conditional, r1)).toEqual([]);
    const on = valuesFromForm(conditional, { works: "true" });
    const issues = validateResponse(conditional, responseFromValues(conditional, on));
    expect(issues.map((i) => i.path).join(" ")).toContain("nights");
    const r3 = responseFromValues(conditional, valuesFromForm(conditional, { works: "true", nights: "6" }));
    expect(r3.item!.find((i) => i.linkId === "nights")!.answer).toEqual([{ valueInteger: 6 }]);
  });

  it("keeps values that do not parse so that validation reports them", () => {
    const values = valuesFromForm(conditional, { works: "true", nights: "many" });
    expect(values["nights"]).toBe("many");
    expect(validateResponse(conditional, responseFromValues(conditional, values)).length).toBeGreaterThan(0);
    const bad = valuesFromForm(who5.questionnaire, { "who5-1": "not-an-option" });
    expect(validateResponse(who5.questionnaire, responseFromValues(who5.questionnaire, bad)).some((i) => /item\[\d+\]/.test(i.path))).toBe(true);
  });
});
