// WHO-5 Well-Being Index (WHO-Five), English. Five items about the last two weeks, 0–5 each; raw
// sum 0–25 × 4 = percentage 0–100. ≤ 50 suggests poor well-being, ≤ 28 likely depression (the
// distress flag). Licence, citation and what was verified: `provenance` below and docs/instruments.md.

import { ORDINAL_VALUE_URL, type QuestionnaireItem } from "../fhir.ts";
import type { Instrument } from "./types.ts";

const SYSTEM = "https://balint-commons.org/fhir/CodeSystem/who5-frequency";
const OPTIONS: [string, string, number][] = [
  ["all", "All of the time", 5],
  ["most", "Most of the time", 4],
  ["more-than-half", "More than half of the time", 3],
  ["less-than-half", "Less than half of the time", 2],
  ["some", "Some of the time", 1],
  ["none", "At no time", 0],
];

const ITEMS: [string, string][] = [
  ["who5-1", "I have felt cheerful and in good spirits"],
  ["who5-2", "I have felt calm and relaxed"],
  ["who5-3", "I have felt active and vigorous"],
  ["who5-4", "I woke up feeling fresh and rested"],
  ["who5-5", "My daily life has been filled with things that interest me"],
];

const question = ([linkId, text]: [string, string]): QuestionnaireItem => ({
  linkId,
  text,
  type: "choice",
  required: true,
  answerOption: OPTIONS.map(([code, display, value]) => ({ valueCoding: { system: SYSTEM, code, display }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: value }] })),
});

export const who5: Instrument = {
  key: "who-5",
  questionnaire: {
    resourceType: "Questionnaire",
    id: "who-5",
    url: "https://balint-commons.org/fhir/Questionnaire/who-5",
    version: "1998-en",
    name: "WHO5",
    title: "WHO-5 Well-Being Index",
    status: "active",
    language: "en",
    copyright: "© Psychiatric Research Unit, Mental Health Centre North Zealand. Free to use; altered versions must be marked as altered.",
    item: [
      { linkId: "who5-intro", type: "display", text: "Please indicate for each of the five statements which is closest to how you have been feeling over the last two weeks." },
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
    verification: "Item texts and the six response labels checked against several independent reproductions of the English version (the official PDF itself was not opened in this session). Scoring (sum × 4, ≤ 50 poor, ≤ 28 likely depression) matches DOMAIN.md and the sources. The official site gives no missing-item rule: we require all five items.",
    alterations: ["Items are shown one per screen on phones; wording, order and response labels are unchanged.", "Trailing full stops of the item statements are omitted."],
    languages: { shipped: ["en"], notShipped: [{ language: "es", reason: "An official Spanish version is listed on the WHO-5 site, but its text could not be verified in this session; no translation is invented." }] },
  },
};
