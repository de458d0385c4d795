// Perceived Stress Scale, 10-item version (PSS-10), English. Items about the last month, 0–4 each
// (Never … Very often); items 4, 5, 7 and 8 are positively worded and reversed (4 − value); the
// score is the sum, 0–40. The authors publish no clinical cut-offs; the bands below are a common
// convention (0–13 low, 14–26 moderate, 27–40 high) and are labelled as such.

import { ORDINAL_VALUE_URL, type QuestionnaireItem } from "../fhir.ts";
import type { Instrument } from "./types.ts";

const SYSTEM = "https://balint-commons.org/fhir/CodeSystem/pss-frequency";
const OPTIONS: [string, string, number][] = [
  ["never", "Never", 0],
  ["almost-never", "Almost never", 1],
  ["sometimes", "Sometimes", 2],
  ["fairly-often", "Fairly often", 3],
  ["very-often", "Very often", 4],
];

const STEM = "In the last month, how often have you";
const ITEMS: [string, string][] = [
  ["pss-1", `${STEM} been upset because of something that happened unexpectedly?`],
  ["pss-2", `${STEM} felt that you were unable to control the important things in your life?`],
  ["pss-3", `${STEM} felt nervous and “stressed”?`],
  ["pss-4", `${STEM} felt confident about your ability to handle your personal problems?`],
  ["pss-5", `${STEM} felt that things were going your way?`],
  ["pss-6", `${STEM} found that you could not cope with all the things that you had to do?`],
  ["pss-7", `${STEM} been able to control irritations in your life?`],
  ["pss-8", `${STEM} felt that you were on top of things?`],
  ["pss-9", `${STEM} been angered because of things that were outside of your control?`],
  ["pss-10", `${STEM} felt difficulties were piling up so high that you could not overcome them?`],
];

const question = ([linkId, text]: [string, string]): QuestionnaireItem => ({
  linkId,
  text,
  type: "choice",
  required: true,
  answerOption: OPTIONS.map(([code, display, value]) => ({ valueCoding: { system: SYSTEM, code, display }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: value }] })),
});

export const pss10: Instrument = {
  key: "pss-10",
  questionnaire: {
    resourceType: "Questionnaire",
    id: "pss-10",
    url: "https://balint-commons.org/fhir/Questionnaire/pss-10",
    version: "1988-en",
    name: "PSS10",
    title: "Perceived Stress Scale (PSS-10)",
    status: "active",
    language: "en",
    copyright: "Cohen S, Kamarck T, Mermelstein R (1983); PSS-10: Cohen & Williamson (1988). Used for non-commercial purposes.",
    item: [
      { linkId: "pss-intro", type: "display", text: "The questions in this scale ask you about your feelings and thoughts during the last month. In each case, please indicate how often you felt or thought a certain way." },
      ...ITEMS.map(question),
    ],
  },
  scoring: {
    questionnaire: "https://balint-commons.org/fhir/Questionnaire/pss-10",
    scales: [{ id: "pss10", items: ITEMS.map(([id]) => id), reverse: ["pss-4", "pss-5", "pss-7", "pss-8"], method: "sum", minAnswered: 10, range: [0, 40], decimals: 0 }],
    bands: [
      { scale: "pss10", upTo: 13, labelKey: "wellbeing.band.pss10.low", severity: "ok" },
      { scale: "pss10", from: 14, upTo: 26, labelKey: "wellbeing.band.pss10.moderate", severity: "info" },
      { scale: "pss10", from: 27, labelKey: "wellbeing.band.pss10.high", severity: "elevated" },
    ],
  },
  provenance: {
    licence: "Free for non-commercial research and education without permission (as stated by the author's laboratory, per DOMAIN.md); commercial use needs permission. Balint Commons is AGPL open source and not sold: organisations that charge for its use must check this themselves.",
    licenceSource: "DOMAIN.md section 5; secondary statements that no permission is needed for research use. The Carnegie Mellon lab page itself was NOT opened in this session (see docs/instruments.md).",
    citation: "Cohen S, Kamarck T, Mermelstein R (1983). A global measure of perceived stress. Journal of Health and Social Behavior 24:385–396. Cohen S, Williamson G (1988). Perceived stress in a probability sample of the United States. In Spacapan S, Oskamp S (eds.), The Social Psychology of Health. Newbury Park, CA: Sage.",
    sourceUrls: ["https://bouncetogether.co.uk/resources/the-perceived-stress-scale-pss", "https://www.millisecond.com/download/library/pss"],
    verification: "The ten item texts checked against a reproduction of the PSS-10 and cross-checked with the PSS-14 wording (the PSS-10 keeps PSS-14 items 1, 2, 3, 6, 7, 8, 9, 10, 11, 14). Reverse-scored items 4, 5, 7, 8 and the 0–4 labels confirmed by two sources. No missing-item rule was found in the publications: we require all ten items.",
    alterations: [],
    languages: {
      shipped: ["en"],
      notShipped: [{ language: "es", reason: "Remor (2006), Rev Esp Psicol 9(1):86–93, validated a European Spanish version; the copy found had its accents stripped and the last item cut off, so the text could not be verified and is not shipped." }],
    },
  },
};
