import { describe, expect, it } from "vitest";
import messages from "../messages.ts";
import { localizeQuestionnaire, questionnaireLanguages, questionnaireStructure, walkItems } from "../fhir.ts";
import { validateQuestionnaire } from "../validate.ts";
import { BUILT_IN_INSTRUMENTS, instrumentByKey, instrumentByUrl } from "./index.ts";

describe("built-in instruments", () => {
  it("are valid questionnaires with unique keys and URLs, and can be found", () => {
    const keys = new Set(BUILT_IN_INSTRUMENTS.map((i) => i.key));
    const urls = new Set(BUILT_IN_INSTRUMENTS.map((i) => i.questionnaire.url));
    expect(keys.size).toBe(BUILT_IN_INSTRUMENTS.length);
    expect(urls.size).toBe(BUILT_IN_INSTRUMENTS.length);
    for (const i of BUILT_IN_INSTRUMENTS) {
      expect(validateQuestionnaire(i.questionnaire)).toEqual([]);
      expect(i.scoring.questionnaire).toBe(i.questionnaire.url);
      expect(instrumentByKey(i.key)).toBe(i);
      expect(instrumentByUrl(`${i.questionnaire.url}|${i.questionnaire.version}`)).toBe(i);
    }
  });

  it("record licence, citation, sources and verification, and ship no unverified language", () => {
    for (const i of BUILT_IN_INSTRUMENTS) {
      const p = i.provenance;
      expect(p.licence.length).toBeGreaterThan(10);
      expect(p.citation.length).toBeGreaterThan(20);
      expect(p.sourceUrls.length).toBeGreaterThan(0);
      expect(p.verification.length).toBeGreaterThan(20);
      // What the provenance claims is exactly what the Questionnaire offers completely.
      expect(p.languages.shipped).toEqual(questionnaireLanguages(i.questionnaire));
      for (const l of p.languages.notShipped) expect(p.languages.shipped).not.toContain(l.language);
    }
  });

  it("offer Spanish for WHO-5 and PSS-10 with the same structure, and keep the CBI in English only", () => {
    expect(questionnaireLanguages(instrumentByKey("who-5")!.questionnaire)).toEqual(["en", "es"]);
    expect(questionnaireLanguages(instrumentByKey("pss-10")!.questionnaire)).toEqual(["en", "es"]);
    expect(questionnaireLanguages(instrumentByKey("cbi")!.questionnaire)).toEqual(["en"]);
    for (const i of BUILT_IN_INSTRUMENTS) {
      for (const lang of questionnaireLanguages(i.questionnaire)) {
        const shown = localizeQuestionnaire(i.questionnaire, lang);
        expect(shown.language).toBe(lang);
        expect(questionnaireStructure(shown)).toBe(questionnaireStructure(i.questionnaire));
        if (lang === i.questionnaire.language) continue;
        // Every text really changed language: none is left in English.
        const base = [...walkItems(i.questionnaire.item)].map(({ item }) => item.text);
        const local = [...walkItems(shown.item)].map(({ item }) => item.text);
        local.forEach((t, n) => expect(t, `${i.key} item ${n}`).not.toBe(base[n]));
        const labels = (q: typeof shown) => [...walkItems(q.item)].flatMap(({ item }) => (item.answerOption ?? []).map((o) => o.valueCoding?.display));
        const baseLabels = labels(i.questionnaire);
        labels(shown).forEach((l, n) => expect(l).not.toBe(baseLabels[n]));
      }
    }
  });

  it("have band and scale labels in every locale", () => {
    for (const i of BUILT_IN_INSTRUMENTS) {
      const keys = [...i.scoring.bands.map((b) => b.labelKey), ...i.scoring.scales.map((s) => `wellbeing.scale.${s.id}`)];
      for (const locale of ["en", "es"] as const) for (const k of keys) expect(messages[locale][k as keyof (typeof messages)["en"]], `${locale} ${k}`).toBeTruthy();
    }
    expect(Object.keys(messages.es).sort()).toEqual(Object.keys(messages.en).sort());
  });

  it("never include proprietary instruments", () => {
    const text = JSON.stringify(BUILT_IN_INSTRUMENTS.map((i) => i.questionnaire)).toLowerCase();
    // Whole words: "mayo" must not match Spanish "mayor".
    for (const banned of [/\bmaslach\b/, /\bjefferson\b/, /\bmayo\b/]) expect(banned.test(text), String(banned)).toBe(false);
  });
});
