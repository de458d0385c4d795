// The registry of built-in instruments. Look one up by key or by Questionnaire URL; the service
// stores organisation-imported instruments beside these (validated with ../validate.ts).
// Never add MBI, Jefferson Scale of Empathy or Mayo Well-Being Index items: they are proprietary.

import { cbi } from "./cbi.ts";
import { pss10 } from "./pss10.ts";
import type { Instrument } from "./types.ts";
import { who5 } from "./who5.ts";

export type { Instrument, InstrumentProvenance } from "./types.ts";
export { cbi, pss10, who5 };

export const BUILT_IN_INSTRUMENTS: readonly Instrument[] = [who5, pss10, cbi];

export function instrumentByKey(key: string): Instrument | undefined {
  return BUILT_IN_INSTRUMENTS.find((i) => i.key === key);
}

export function instrumentByUrl(url: string): Instrument | undefined {
  const base = url.split("|")[0];
  return BUILT_IN_INSTRUMENTS.find((i) => i.questionnaire.url === base);
}
