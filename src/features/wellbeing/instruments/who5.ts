// WHO-5 Well-Being Index (WHO-Five), English with the Spanish version as FHIR translations. Five items about the last two weeks, 0–5 each; raw
// sum 0–25 × 4 = percentage 0–100. ≤ 50 suggests poor well-being, ≤ 28 likely depression (the
// distress flag). Licence, citation and what was verified: `provenance` below and docs/instruments.md.

import { ORDINAL_VALUE_URL, type QuestionnaireItem, translationExtensions } from "../fhir.ts";
import type { Instrument } from "./types.ts";

const SYSTEM = "https://balint-commons.org/fhir/CodeSystem/who5-frequency";
// [code, English, Spanish, value]
const OPTIONS: [string, string, string, number][] = [
  ["all", "All of the time", "Todo el tiempo", 5],
  ["most", "Most of the time", "La mayor parte del tiempo", 4],
  ["more-than-half", "More than half of the time", "Más de la mitad del tiempo", 3],
  ["less-than-half", "Less than half of the time", "Menos de la mitad del tiempo", 2],
  ["some", "Some of the time", "De vez en cuando", 1],
  ["none", "At no time", "Nunca", 0],
];

// [linkId, English, Spanish]
const ITEMS: [string, string, string][] = [
  ["who5-1", "I have felt cheerful and in good spirits", "Me he sentido alegre y de buen humor"],
  ["who5-2", "I have felt calm and relaxed", "Me he sentido tranquilo y relajado"],
  ["who5-3", "I have felt active and vigorous", "Me he sentido activo y enérgico"],
  ["who5-4", "I woke up feeling fresh and rested", "Me he despertado fresco y descansado"],
  ["who5-5", "My daily life has been filled with things that interest me", "Mi vida cotidiana ha estado llena de cosas que me interesan"],
];

const question = ([linkId, text, es]: [string, string, string]): QuestionnaireItem => ({
  linkId,
  text,
  _text: translationExtensions({ es }),
  type: "choice",
  required: true,
  answerOption: OPTIONS.map(([code, display, displayEs, value]) => ({ valueCoding: { system: SYSTEM, code, display, _display: translationExtensions({ es: displayEs }) }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: value }] })),
});

export const who5: Instrument = {
  key: "who-5",
  questionnaire: {
    resourceType: "Questionnaire",
    id: "who-5",
    url: "https://balint-commons.org/fhir/Questionnaire/who-5",
    version: "1998",
    name: "WHO5",
    title: "WHO-5 Well-Being Index",
    _title: translationExtensions({ es: "Índice de Bienestar WHO-5" }),
    status: "active",
    language: "en",
    copyright: "© Psychiatric Research Unit, Mental Health Centre North Zealand. Free to use; altered versions must be marked as altered.",
    item: [
      {
        linkId: "who5-intro",
        type: "display",
        text: "Please indicate for each of the five statements which is closest to how you have been feeling over the last two weeks.",
        _text: translationExtensions({ es: "Por favor, indique para cada una de las cinco afirmaciones cuál define mejor cómo se ha sentido usted durante las últimas dos semanas." }),
      },
      ...ITEMS.map(question),
    ],
  },
  scoring: {
    questionnaire: "https://balint-commons.org/fhir/Questionnaire/who-5",
    scales: [{ id: "who5", items: ITEMS.map(([id]) => id), method: "sum", transform: { multiply: 4 }, minAnswered: 5, range: [0, 100], decimals: 0 }],
    bands: [
      { scale: "who5", upTo: 28, labelKey: "wellbeing.band.who5.likelyDepression", severity: "alert" },
      { scale: "who5", upTo: 50, labelKey: "wellbeing.band.who5.poor", severity: "elevated" },
      { scale: "who5", labelKey: "wellbeing.band.who5.good", severity: "ok" },
    ],
    distress: { scale: "who5", atOrBelow: 28 },
  },
  provenance: {
    licence: "Free to use without permission; any deviation from the posted language versions must be clearly marked, with an English back-translation and the reasons for the change.",
    licenceSource: "https://www.psykiatri-regionh.dk/who-5/who-5-questionnaires/Pages/default.aspx (alteration rule); Kaiser & Kyrrestad 2019, PsykTestBarn 9(1):4, doi:10.21337/0063 (free, no permission, no commercial rights holder)",
    citation: "World Health Organization, Regional Office for Europe (1998). Wellbeing Measures in Primary Health Care: The DepCare Project. Copenhagen: WHO. Topp CW, Østergaard SD, Søndergaard S, Bech P (2015). The WHO-5 Well-Being Index: a systematic review of the literature. Psychother Psychosom 84(3):167–176. doi:10.1159/000376585",
    sourceUrls: ["https://www.psykiatri-regionh.dk/who-5/who-5-questionnaires/Pages/default.aspx", "https://smaat.eu/library/scales/who-5"],
    verification:
      "English: item texts and the six response labels checked against several independent reproductions of the English version (the official PDF itself was not opened). Spanish (the official WHO-5 Spanish version, 1998, listed on the same site): the five items and the six labels checked word for word against at least five independent reproductions that agree with each other, and the instruction against two (found by exact-phrase search of public source code in the stored index, November 2026); reproductions that deviate (“Mi vida diaria…”, “activo y con energía”, “sintiéndome fresco”, “tranquilo/a”) are adaptations and were not followed. The official PDF was not opened. Scoring (sum × 4, ≤ 50 poor, ≤ 28 likely depression) matches DOMAIN.md and the sources and is the same in both languages. The official site gives no missing-item rule: we require all five items.",
    alterations: [
      "Items are shown one per screen on phones; wording, order and response labels are unchanged.",
      "Trailing full stops of the item statements are omitted.",
      "The printed form's note that higher numbers mean better well-being is omitted, because the form shows labelled choices, not numbers.",
      "The Spanish title “Índice de Bienestar WHO-5” is our own wording; it is not part of the validated text.",
    ],
    languages: { shipped: ["en", "es"], notShipped: [] },
  },
};
