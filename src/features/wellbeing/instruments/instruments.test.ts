import { describe, expect, it } from "vitest";
import messages from "../messages.ts";
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
      expect(p.languages.shipped).toEqual([i.questionnaire.language]);
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
    for (const banned of ["maslach", "jefferson", "mayo"]) expect(text).not.toContain(banned);
  });
});
