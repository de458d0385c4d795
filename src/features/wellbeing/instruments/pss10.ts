// Perceived Stress Scale, 10-item version (PSS-10), English, with Remor's European Spanish version
// (2006) as FHIR translations. Items about the last month, 0–4 each
// (Never … Very often); items 4, 5, 7 and 8 are positively worded and reversed (4 − value); the
// score is the sum, 0–40. The authors publish no clinical cut-offs; the bands below are a common
// convention (0–13 low, 14–26 moderate, 27–40 high) and are labelled as such.

import { ORDINAL_VALUE_URL, type QuestionnaireItem, translationExtensions } from "../fhir.ts";
import type { Instrument } from "./types.ts";

const SYSTEM = "https://balint-commons.org/fhir/CodeSystem/pss-frequency";
// [code, English, Spanish (Remor), value]
const OPTIONS: [string, string, string, number][] = [
  ["never", "Never", "Nunca", 0],
  ["almost-never", "Almost never", "Casi nunca", 1],
  ["sometimes", "Sometimes", "De vez en cuando", 2],
  ["fairly-often", "Fairly often", "A menudo", 3],
  ["very-often", "Very often", "Muy a menudo", 4],
];

const STEM = "In the last month, how often have you";
const STEM_ES = "En el último mes, ¿con qué frecuencia";
// [linkId, English, Spanish]. The PSS-10 keeps items 1, 2, 3, 6, 7, 8, 9, 10, 11 and 14 of the
// PSS-14; Remor's Spanish wording of those items, including the unusual “se ha sentido que” of item 8
// (PSS-14 item 10), is kept as published.
const ITEMS: [string, string, string][] = [
  ["pss-1", `${STEM} been upset because of something that happened unexpectedly?`, `${STEM_ES} ha estado afectado por algo que ha ocurrido inesperadamente?`],
  ["pss-2", `${STEM} felt that you were unable to control the important things in your life?`, `${STEM_ES} se ha sentido incapaz de controlar las cosas importantes en su vida?`],
  ["pss-3", `${STEM} felt nervous and “stressed”?`, `${STEM_ES} se ha sentido nervioso o estresado?`],
  ["pss-4", `${STEM} felt confident about your ability to handle your personal problems?`, `${STEM_ES} ha estado seguro sobre su capacidad para manejar sus problemas personales?`],
  ["pss-5", `${STEM} felt that things were going your way?`, `${STEM_ES} ha sentido que las cosas le van bien?`],
  ["pss-6", `${STEM} found that you could not cope with all the things that you had to do?`, `${STEM_ES} ha sentido que no podía afrontar todas las cosas que tenía que hacer?`],
  ["pss-7", `${STEM} been able to control irritations in your life?`, `${STEM_ES} ha podido controlar las dificultades de su vida?`],
  ["pss-8", `${STEM} felt that you were on top of things?`, `${STEM_ES} se ha sentido que tenía todo bajo control?`],
  ["pss-9", `${STEM} been angered because of things that were outside of your control?`, `${STEM_ES} ha estado enfadado porque las cosas que le han ocurrido estaban fuera de su control?`],
  ["pss-10", `${STEM} felt difficulties were piling up so high that you could not overcome them?`, `${STEM_ES} ha sentido que las dificultades se acumulan tanto que no puede superarlas?`],
];

const question = ([linkId, text, es]: [string, string, string]): QuestionnaireItem => ({
  linkId,
  text,
  _text: translationExtensions({ es }),
  type: "choice",
  required: true,
  answerOption: OPTIONS.map(([code, display, displayEs, value]) => ({ valueCoding: { system: SYSTEM, code, display, _display: translationExtensions({ es: displayEs }) }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: value }] })),
});

export const pss10: Instrument = {
  key: "pss-10",
  questionnaire: {
    resourceType: "Questionnaire",
    id: "pss-10",
    url: "https://balint-commons.org/fhir/Questionnaire/pss-10",
    version: "1988",
    name: "PSS10",
    title: "Perceived Stress Scale (PSS-10)",
    _title: translationExtensions({ es: "Escala de Estrés Percibido (PSS-10)" }),
    status: "active",
    language: "en",
    copyright: "Cohen S, Kamarck T, Mermelstein R (1983); PSS-10: Cohen & Williamson (1988). Used for non-commercial purposes.",
    item: [
      {
        linkId: "pss-intro",
        type: "display",
        text: "The questions in this scale ask you about your feelings and thoughts during the last month. In each case, please indicate how often you felt or thought a certain way.",
        _text: translationExtensions({ es: "Las preguntas en esta escala hacen referencia a sus sentimientos y pensamientos durante el último mes. En cada caso, por favor indique cómo usted se ha sentido o ha pensado en cada situación." }),
      },
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
    citation: "Cohen S, Kamarck T, Mermelstein R (1983). A global measure of perceived stress. Journal of Health and Social Behavior 24:385–396. Cohen S, Williamson G (1988). Perceived stress in a probability sample of the United States. In Spacapan S, Oskamp S (eds.), The Social Psychology of Health. Newbury Park, CA: Sage. Spanish: Remor E (2006). Psychometric properties of a European Spanish version of the Perceived Stress Scale (PSS). The Spanish Journal of Psychology 9(1):86–93.",
    sourceUrls: [
      "https://bouncetogether.co.uk/resources/the-perceived-stress-scale-pss",
      "https://www.millisecond.com/download/library/pss",
      "pss_14_europeanspanish_dr_remor_version_2_0.doc — “Versión española (2.0) de la Perceived Stress Scale (PSS) de Cohen, S., Kamarck, T., & Mermelstein, R. (1983), adaptada por el Dr. Eduardo Remor”, the Spanish form distributed from the scales page of Cohen's laboratory (read through a mirror of that page)",
    ],
    verification:
      "English: the ten item texts checked against a reproduction of the PSS-10 and cross-checked with the PSS-14 wording (the PSS-10 keeps PSS-14 items 1, 2, 3, 6, 7, 8, 9, 10, 11, 14). Reverse-scored items 4, 5, 7, 8 and the 0–4 labels confirmed by two sources. Spanish: the instruction, the five labels (Nunca, Casi nunca, De vez en cuando, A menudo, Muy a menudo) and the fourteen PSS-14 items read in Remor's version 2.0 form; that copy had lost its accents and its last item was cut off, so the accented wording and item 14 were checked against several independent reproductions that agree with it word for word (exact-phrase search of public source code in the stored index, November 2026). Scoring is the same in both languages. No missing-item rule was found in the publications: we require all ten items.",
    alterations: ["The Spanish instruction says “indique con una X” on paper; the form says “indique”, because answers are chosen, not marked with an X."],
    languages: { shipped: ["en", "es"], notShipped: [] },
  },
};
