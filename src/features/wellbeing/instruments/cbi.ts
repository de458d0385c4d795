// Copenhagen Burnout Inventory (CBI), English, with its three scales: personal (6 items),
// work-related (7) and patient-related (6, "clients" in the original). Item scores are
// 100/75/50/25/0 from Always/To a very high degree to Never/To a very low degree; the work item
// "enough energy for family and friends" is reversed; each scale is the mean of its answered items,
// provided at least half are answered (the PUMA rule: fewer than 3 of 6 or 4 of 7 = non-responder).

import { ORDINAL_VALUE_URL, type QuestionnaireItem } from "../fhir.ts";
import type { Instrument } from "./types.ts";

const FREQ_SYSTEM = "https://balint-commons.org/fhir/CodeSystem/cbi-frequency";
const DEGREE_SYSTEM = "https://balint-commons.org/fhir/CodeSystem/cbi-degree";
const FREQUENCY: [string, string, number][] = [
  ["always", "Always", 100],
  ["often", "Often", 75],
  ["sometimes", "Sometimes", 50],
  ["seldom", "Seldom", 25],
  ["never", "Never/almost never", 0],
];
const DEGREE: [string, string, number][] = [
  ["very-high", "To a very high degree", 100],
  ["high", "To a high degree", 75],
  ["somewhat", "Somewhat", 50],
  ["low", "To a low degree", 25],
  ["very-low", "To a very low degree", 0],
];

type Row = [linkId: string, text: string, scale: "frequency" | "degree"];

const PERSONAL: Row[] = [
  ["cbi-p1", "How often do you feel tired?", "frequency"],
  ["cbi-p2", "How often are you physically exhausted?", "frequency"],
  ["cbi-p3", "How often are you emotionally exhausted?", "frequency"],
  ["cbi-p4", "How often do you think: “I can’t take it anymore”?", "frequency"],
  ["cbi-p5", "How often do you feel worn out?", "frequency"],
  ["cbi-p6", "How often do you feel weak and susceptible to illness?", "frequency"],
];
const WORK: Row[] = [
  ["cbi-w1", "Is your work emotionally exhausting?", "degree"],
  ["cbi-w2", "Do you feel burnt out because of your work?", "degree"],
  ["cbi-w3", "Does your work frustrate you?", "degree"],
  ["cbi-w4", "Do you feel worn out at the end of the working day?", "frequency"],
  ["cbi-w5", "Are you exhausted in the morning at the thought of another day at work?", "frequency"],
  ["cbi-w6", "Do you feel that every working hour is tiring for you?", "frequency"],
  ["cbi-w7", "Do you have enough energy for family and friends during leisure time?", "frequency"],
];
const PATIENT: Row[] = [
  ["cbi-c1", "Do you find it hard to work with patients?", "degree"],
  ["cbi-c2", "Do you find it frustrating to work with patients?", "degree"],
  ["cbi-c3", "Does it drain your energy to work with patients?", "degree"],
  ["cbi-c4", "Do you feel that you give more than you get back when you work with patients?", "degree"],
  ["cbi-c5", "Are you tired of working with patients?", "frequency"],
  ["cbi-c6", "Do you sometimes wonder how long you will be able to continue working with patients?", "frequency"],
];

const question = ([linkId, text, kind]: Row): QuestionnaireItem => {
  const [system, options] = kind === "frequency" ? [FREQ_SYSTEM, FREQUENCY] as const : [DEGREE_SYSTEM, DEGREE] as const;
  return { linkId, text, type: "choice", required: true, answerOption: options.map(([code, display, value]) => ({ valueCoding: { system, code, display }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: value }] })) };
};

const URL = "https://balint-commons.org/fhir/Questionnaire/cbi";
const bands = (scale: string) => [
  { scale, below: 50, labelKey: "wellbeing.band.cbi.low", severity: "ok" as const },
  { scale, from: 50, below: 75, labelKey: "wellbeing.band.cbi.moderate", severity: "elevated" as const },
  { scale, from: 75, below: 100, labelKey: "wellbeing.band.cbi.high", severity: "elevated" as const },
  { scale, from: 100, labelKey: "wellbeing.band.cbi.severe", severity: "elevated" as const },
];

export const cbi: Instrument = {
  key: "cbi",
  questionnaire: {
    resourceType: "Questionnaire",
    id: "cbi",
    url: URL,
    version: "2005-en-patients",
    name: "CBI",
    title: "Copenhagen Burnout Inventory",
    status: "active",
    language: "en",
    copyright: "Kristensen TS, Borritz M, Villadsen E, Christensen KB (2005). Public domain.",
    item: [
      { linkId: "cbi-personal", type: "group", text: "Personal burnout", item: PERSONAL.map(question) },
      { linkId: "cbi-work", type: "group", text: "Work-related burnout", item: WORK.map(question) },
      { linkId: "cbi-patient", type: "group", text: "Patient-related burnout", item: PATIENT.map(question) },
    ],
  },
  scoring: {
    questionnaire: URL,
    scales: [
      { id: "cbi-personal", items: PERSONAL.map(([id]) => id), method: "mean", minAnswered: 3, range: [0, 100], decimals: 1 },
      { id: "cbi-work", items: WORK.map(([id]) => id), reverse: ["cbi-w7"], method: "mean", minAnswered: 4, range: [0, 100], decimals: 1 },
      { id: "cbi-patient", items: PATIENT.map(([id]) => id), method: "mean", minAnswered: 3, range: [0, 100], decimals: 1 },
    ],
    bands: [...bands("cbi-personal"), ...bands("cbi-work"), ...bands("cbi-patient")],
  },
  provenance: {
    licence: "Public domain (free to use without permission).",
    licenceSource: "Molinero Ruiz E, Basart Gómez-Quintero H, Moncada Lluis S (2013), Rev Esp Salud Pública 87(2):165–179: “The Copenhagen Burnout Inventory (CBI) is a public domain questionnaire”; the Danish National Research Centre for the Working Environment (nfa.dk) offers it for download.",
    citation: "Kristensen TS, Borritz M, Villadsen E, Christensen KB (2005). The Copenhagen Burnout Inventory: a new tool for the assessment of burnout. Work & Stress 19(3):192–207. doi:10.1080/02678370500297720",
    sourceUrls: ["https://studylib.net/doc/26308800/burnout (English version used in the PUMA study, with scoring)", "https://pmc.ncbi.nlm.nih.gov/articles/PMC9358756/table/emp212797-tbl-0001 (patient wording)", "http://nfa.dk/da/Vaerktoejer/Sporgeskemaer/Sporgeskema-til-maaling-af-udbraendthed/Copenhagen-Burnout-Inventory-CBI"],
    verification: "Item texts, response categories, 100/75/50/25/0 scoring, the mean, the reversed work item and the personal (≥ 3 of 6) and work (≥ 4 of 7) missing-item rules checked against the PUMA English version. The patient-related rule (≥ 3 of 6) is inferred by analogy: that part of the PUMA text was not visible. Band cut-offs beyond “≥ 50 is often read as burnout” (50–74 moderate, 75–99 high, 100 severe) are a common convention, not verified against a primary source.",
    alterations: ["“clients” replaced by “patients” in the client-related scale, as in published clinician studies (e.g. PMC9358756); the scale is named patient-related.", "Items are grouped by scale; PUMA recommends mixing them with other questions, which we do not."],
    languages: { shipped: ["en"], notShipped: [{ language: "es", reason: "A validated Spanish version exists (Molinero Ruiz et al. 2013), but its item table could not be read, and the Spanish reproductions found (November 2026) disagree with each other (tú or usted, “clientes/usuarios” or “clientes”, different response labels) and none cites that version; shipping any of them would be an unvalidated translation. Organisations that hold the validated text can import it as their own Questionnaire with FHIR translations." }] },
  },
};
