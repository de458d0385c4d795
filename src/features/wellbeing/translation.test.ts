// FHIR translations on Questionnaires: which languages are offered, how a form is localised, and how
// an imported Questionnaire's translations are validated.
import { describe, expect, it } from "vitest";
import { type Questionnaire, localizeQuestionnaire, pickLanguage, questionnaireLanguages, questionnaireStructure, translationExtensions, translationOf } from "./fhir.ts";
import { validateQuestionnaire } from "./validate.ts";

const yesNo = (es?: Record<string, string>) => [
  { valueCoding: { code: "y", display: "Yes", ...(es ? { _display: translationExtensions({ es: es["y"]! }) } : {}) } },
  { valueCoding: { code: "n", display: "No", ...(es ? { _display: translationExtensions({ es: es["n"]! }) } : {}) } },
];

function questionnaire(withOptionTranslations = true): Questionnaire {
  return {
    resourceType: "Questionnaire",
    url: "https://example.org/q",
    status: "active",
    language: "en",
    title: "Team check",
    _title: translationExtensions({ es: "Control del equipo", "pt-BR": "Verificação da equipe" }),
    item: [
      { linkId: "g", type: "group", text: "About work", _text: translationExtensions({ es: "Sobre el trabajo", "pt-BR": "Sobre o trabalho" }), item: [
        { linkId: "q1", type: "choice", required: true, text: "Did you rest?", _text: translationExtensions({ es: "¿Ha descansado?", "pt-BR": "Você descansou?" }), answerOption: yesNo(withOptionTranslations ? { y: "Sí", n: "No" } : undefined) },
      ] },
    ],
  };
}

describe("questionnaire languages", () => {
  it("offer the base language and every language translated completely", () => {
    expect(questionnaireLanguages(questionnaire())).toEqual(["en", "es"]);
  });

  it("never offer a partial translation", () => {
    // Portuguese lacks the option labels; without Spanish labels, Spanish is partial too.
    expect(questionnaireLanguages(questionnaire(false))).toEqual(["en"]);
    expect(localizeQuestionnaire(questionnaire(false), "es").item[0]!.text).toBe("About work");
  });

  it("match a regional tag to its language, and the base language to itself", () => {
    expect(pickLanguage(["en", "es"], "es-MX")).toBe("es");
    expect(pickLanguage(["en", "es"], "EN-gb")).toBe("en");
    expect(pickLanguage(["en", "es"], "fr")).toBeUndefined();
    expect(pickLanguage(["en", "es"], null)).toBeUndefined();
    expect(translationOf(questionnaire()._title, "pt")).toBe("Verificação da equipe");
  });

  it("localise every text and label, keep the structure, and leave the original untouched", () => {
    const q = questionnaire();
    const before = JSON.stringify(q);
    const es = localizeQuestionnaire(q, "es");
    expect(es.language).toBe("es");
    expect(es.title).toBe("Control del equipo");
    expect(es.item[0]!.text).toBe("Sobre el trabajo");
    expect(es.item[0]!.item![0]!.text).toBe("¿Ha descansado?");
    expect(es.item[0]!.item![0]!.answerOption!.map((o) => o.valueCoding!.display)).toEqual(["Sí", "No"]);
    expect(es.item[0]!.item![0]!.answerOption!.map((o) => o.valueCoding!.code)).toEqual(["y", "n"]);
    expect(questionnaireStructure(es)).toBe(questionnaireStructure(q));
    expect(JSON.stringify(q)).toBe(before);
    expect(localizeQuestionnaire(q, "en").item[0]!.item![0]!.text).toBe("Did you rest?");
    expect(localizeQuestionnaire(q, "de").language).toBe("en");
  });

  it("see a changed code or value as a change of structure, and a changed wording as none", () => {
    const q = questionnaire();
    const reworded = structuredClone(q);
    reworded.item[0]!.item![0]!.text = "Have you rested?";
    expect(questionnaireStructure(reworded)).toBe(questionnaireStructure(q));
    const recoded = structuredClone(q);
    recoded.item[0]!.item![0]!.answerOption![0]!.valueCoding!.code = "yes";
    expect(questionnaireStructure(recoded)).not.toBe(questionnaireStructure(q));
  });
});

describe("validating translations in an import", () => {
  it("accepts well-formed translations", () => {
    expect(validateQuestionnaire(questionnaire())).toEqual([]);
  });

  it("names the field of a malformed translation", () => {
    const q = questionnaire() as unknown as Record<string, unknown> & { item: { item: Record<string, unknown>[] }[] };
    const inner = q.item[0]!.item[0]!;
    inner["_text"] = { extension: [{ url: "http://hl7.org/fhir/StructureDefinition/translation", extension: [{ url: "lang", valueCode: "spanish!" }, { url: "content", valueString: "" }] }] };
    q["_title"] = { extension: [
      { url: "http://hl7.org/fhir/StructureDefinition/translation", extension: [{ url: "lang", valueCode: "es" }, { url: "content", valueString: "A" }] },
      { url: "http://hl7.org/fhir/StructureDefinition/translation", extension: [{ url: "lang", valueCode: "ES" }, { url: "content", valueString: "B" }] },
    ] };
    q["language"] = "English";
    const issues = validateQuestionnaire(q);
    expect(issues.map((i) => `${i.path} ${i.code}`).sort()).toEqual([
      "_title.extension[1].lang duplicate",
      "item[0].item[0]._text.extension[0].content invalid",
      "item[0].item[0]._text.extension[0].lang invalid",
      "language invalid",
    ]);
  });

  it("refuses translations of a value that is not there, and a translation element that is not an object", () => {
    const q = questionnaire() as unknown as Record<string, unknown> & { item: Record<string, unknown>[] };
    delete q["title"];
    q.item[0]!["_text"] = "Sobre el trabajo";
    const issues = validateQuestionnaire(q).map((i) => `${i.path} ${i.code}`);
    expect(issues).toContain("_title invalid");
    expect(issues).toContain("item[0]._text invalid");
  });
});
