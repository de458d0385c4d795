// Strings of the well-being slice (English and Spanish). These are our own interface strings —
// band labels, scale names, report notices — never the items of a validated instrument, whose
// wording lives in the Questionnaire resources (instruments/*.ts) and is not translated by us.

import type { SliceMessages } from "../../platform/i18n/catalog.ts";

export default {
  en: {
    "wellbeing.scale.who5": "Well-being (WHO-5)",
    "wellbeing.scale.pss10": "Perceived stress (PSS-10)",
    "wellbeing.scale.cbi-personal": "Personal burnout (CBI)",
    "wellbeing.scale.cbi-work": "Work-related burnout (CBI)",
    "wellbeing.scale.cbi-patient": "Patient-related burnout (CBI)",
    "wellbeing.band.who5.good": "Good well-being",
    "wellbeing.band.who5.poor": "Lower well-being",
    "wellbeing.band.who5.likelyDepression": "Very low well-being",
    "wellbeing.band.pss10.low": "Low stress",
    "wellbeing.band.pss10.moderate": "Moderate stress",
    "wellbeing.band.pss10.high": "High stress",
    "wellbeing.band.cbi.low": "Below the burnout range",
    "wellbeing.band.cbi.moderate": "Moderate burnout",
    "wellbeing.band.cbi.high": "High burnout",
    "wellbeing.band.cbi.severe": "Severe burnout",
    "wellbeing.report.suppressed": "Not shown: fewer than {min} people answered here, or none. Results appear once enough people have answered.",
    "wellbeing.report.scope": "Figures include only groups of at least {min} respondents.",
  },
  es: {
    "wellbeing.scale.who5": "Bienestar (WHO-5)",
    "wellbeing.scale.pss10": "Estrés percibido (PSS-10)",
    "wellbeing.scale.cbi-personal": "Burnout personal (CBI)",
    "wellbeing.scale.cbi-work": "Burnout relacionado con el trabajo (CBI)",
    "wellbeing.scale.cbi-patient": "Burnout relacionado con los pacientes (CBI)",
    "wellbeing.band.who5.good": "Buen bienestar",
    "wellbeing.band.who5.poor": "Bienestar más bajo",
    "wellbeing.band.who5.likelyDepression": "Bienestar muy bajo",
    "wellbeing.band.pss10.low": "Estrés bajo",
    "wellbeing.band.pss10.moderate": "Estrés moderado",
    "wellbeing.band.pss10.high": "Estrés alto",
    "wellbeing.band.cbi.low": "Por debajo del rango de burnout",
    "wellbeing.band.cbi.moderate": "Burnout moderado",
    "wellbeing.band.cbi.high": "Burnout alto",
    "wellbeing.band.cbi.severe": "Burnout grave",
    "wellbeing.report.suppressed": "No se muestra: aquí respondieron menos de {min} personas, o ninguna. Los resultados aparecen cuando hayan respondido suficientes personas.",
    "wellbeing.report.scope": "Las cifras incluyen solo grupos de al menos {min} personas que respondieron.",
  },
} satisfies SliceMessages;
