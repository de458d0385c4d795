// The shape of a built-in instrument: a FHIR R4 Questionnaire, its scoring rule, and the provenance
// that lets anyone check we may ship it (licence, citation, source, what was verified and when).
// See docs/instruments.md for the human-readable version of the same facts.

import type { Questionnaire } from "../fhir.ts";
import type { ScoringRule } from "../scoring.ts";

export interface InstrumentProvenance {
  /** The licence terms in one sentence, as found. */
  licence: string;
  /** Where the licence statement was found. */
  licenceSource: string;
  citation: string;
  /** Where the item texts were checked. */
  sourceUrls: string[];
  /** What was checked, honestly, including what could not be. */
  verification: string;
  /** Any alteration from the published wording (WHO-5 asks that alterations be marked). */
  alterations: string[];
  /** Languages shipped, and languages for which an established version exists but was not verified. */
  languages: { shipped: string[]; notShipped: { language: string; reason: string }[] };
}

export interface Instrument {
  /** Stable key used in the database and URLs, e.g. "who-5". */
  key: string;
  questionnaire: Questionnaire;
  scoring: ScoringRule;
  provenance: InstrumentProvenance;
}
