// FHIR R4 types for the subset of Questionnaire / QuestionnaireResponse that Balint Commons supports,
// and small helpers to read them. Pure: no I/O.
//
// What we support (validated by ./validate.ts): item types choice, integer, decimal, boolean,
// string, text, group and display; nested items under groups only; `required`; `enableWhen` with
// `enableBehavior`; `answerOption` (valueCoding, valueString or valueInteger) on choice items.
//
// Scoring values: FHIR R4 (4.0.1) defines the extension
//   http://hl7.org/fhir/StructureDefinition/ordinalValue   (valueDecimal; context Coding and
//   Questionnaire.item.answerOption)
// "A numeric value that allows the comparison ... or other numerical manipulation of a concept
// (e.g. Adding up components of a score)". In the later Extensions Pack (R5 era) the same extension
// was renamed http://hl7.org/fhir/StructureDefinition/itemWeight. The built-in instruments carry
// the R4 ordinalValue on each answerOption; `optionValue` reads either URL, on the answerOption or
// on its valueCoding, so imported questionnaires written either way score the same.
//
// Usage:
//   import { type Questionnaire, optionValue, walkItems } from "./fhir.ts";
//   for (const { item, path } of walkItems(q)) …

export const ORDINAL_VALUE_URL = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
export const ITEM_WEIGHT_URL = "http://hl7.org/fhir/StructureDefinition/itemWeight";

export const SUPPORTED_ITEM_TYPES = ["group", "display", "boolean", "decimal", "integer", "string", "text", "choice"] as const;
export type SupportedItemType = (typeof SUPPORTED_ITEM_TYPES)[number];
/** R4 item types we recognise but do not support (an import using them is refused with a clear issue). */
export const UNSUPPORTED_ITEM_TYPES = ["question", "date", "dateTime", "time", "url", "open-choice", "attachment", "reference", "quantity"] as const;

export const ENABLE_WHEN_OPERATORS = ["exists", "=", "!=", ">", "<", ">=", "<="] as const;
export type EnableWhenOperator = (typeof ENABLE_WHEN_OPERATORS)[number];

export interface Extension {
  url: string;
  valueDecimal?: number;
  valueInteger?: number;
  valueString?: string;
  valueCode?: string;
  extension?: Extension[];
}

/**
 * The extensions of a primitive element (FHIR JSON puts them in `_<name>` beside the value). We use
 * it for translations: `"text": "…", "_text": { "extension": [{ "url": TRANSLATION_URL, … }] }`.
 */
export interface PrimitiveExtensions {
  extension?: Extension[];
}

export interface Coding {
  system?: string;
  code: string;
  display?: string;
  _display?: PrimitiveExtensions;
  extension?: Extension[];
}

export interface AnswerOption {
  valueCoding?: Coding;
  valueString?: string;
  valueInteger?: number;
  extension?: Extension[];
}

export interface EnableWhen {
  question: string;
  operator: EnableWhenOperator;
  answerBoolean?: boolean;
  answerDecimal?: number;
  answerInteger?: number;
  answerString?: string;
  answerCoding?: Coding;
}

export interface QuestionnaireItem {
  linkId: string;
  text?: string;
  _text?: PrimitiveExtensions;
  type: SupportedItemType;
  required?: boolean;
  repeats?: boolean;
  enableWhen?: EnableWhen[];
  enableBehavior?: "all" | "any";
  answerOption?: AnswerOption[];
  item?: QuestionnaireItem[];
}

export interface Questionnaire {
  resourceType: "Questionnaire";
  id?: string;
  url?: string;
  version?: string;
  name?: string;
  title?: string;
  _title?: PrimitiveExtensions;
  status: "draft" | "active" | "retired" | "unknown";
  language?: string;
  copyright?: string;
  item: QuestionnaireItem[];
}

export interface ResponseAnswer {
  valueBoolean?: boolean;
  valueDecimal?: number;
  valueInteger?: number;
  valueString?: string;
  valueCoding?: Coding;
}

export interface ResponseItem {
  linkId: string;
  text?: string;
  answer?: ResponseAnswer[];
  item?: ResponseItem[];
}

export interface QuestionnaireResponse {
  resourceType: "QuestionnaireResponse";
  id?: string;
  /** Canonical of the Questionnaire, optionally with `|version`. */
  questionnaire?: string;
  status: "in-progress" | "completed" | "amended" | "entered-in-error" | "stopped";
  item?: ResponseItem[];
}

/** Every item of a questionnaire in document (pre-)order, with its FHIRPath-like path and ancestors. */
export function* walkItems(items: readonly QuestionnaireItem[] | undefined, base = "", ancestors: readonly QuestionnaireItem[] = []): Generator<{ item: QuestionnaireItem; path: string; ancestors: readonly QuestionnaireItem[] }> {
  if (!items) return;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const path = `${base}item[${i}]`;
    yield { item, path, ancestors };
    yield* walkItems(item.item, `${path}.`, [...ancestors, item]);
  }
}

function extensionNumber(extensions: readonly Extension[] | undefined): number | undefined {
  const ext = extensions?.find((e) => e.url === ORDINAL_VALUE_URL || e.url === ITEM_WEIGHT_URL);
  if (!ext) return undefined;
  const v = ext.valueDecimal ?? ext.valueInteger;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** The numeric value of an answer option: its ordinalValue/itemWeight (on the option or its coding), else a valueInteger. */
export function optionValue(option: AnswerOption): number | undefined {
  return extensionNumber(option.extension) ?? extensionNumber(option.valueCoding?.extension) ?? (typeof option.valueInteger === "number" ? option.valueInteger : undefined);
}

/** The answer option an answer chose, or undefined when it matches none. */
export function matchOption(item: QuestionnaireItem, answer: ResponseAnswer): AnswerOption | undefined {
  return item.answerOption?.find((o) => {
    if (o.valueCoding && answer.valueCoding) return o.valueCoding.code === answer.valueCoding.code && (o.valueCoding.system === undefined || answer.valueCoding.system === undefined || o.valueCoding.system === answer.valueCoding.system);
    if (o.valueString !== undefined) return answer.valueString === o.valueString;
    if (o.valueInteger !== undefined) return answer.valueInteger === o.valueInteger;
    return false;
  });
}

/** All answers of a response by linkId (first answer of each item; we do not support repeats). */
export function answersByLinkId(response: QuestionnaireResponse): Map<string, ResponseAnswer> {
  const out = new Map<string, ResponseAnswer>();
  const visit = (items: readonly ResponseItem[] | undefined) => {
    for (const it of items ?? []) {
      const a = it.answer?.[0];
      if (a && !out.has(it.linkId)) out.set(it.linkId, a);
      visit(it.item);
    }
  };
  visit(response.item);
  return out;
}

/** Builds a completed response from a simple map linkId → value (coding code for choice items). For tests, demo data and forms. */
export function buildResponse(q: Questionnaire, values: Record<string, string | number | boolean | undefined>, status: QuestionnaireResponse["status"] = "completed"): QuestionnaireResponse {
  const build = (items: readonly QuestionnaireItem[]): ResponseItem[] => {
    const out: ResponseItem[] = [];
    for (const item of items) {
      if (item.type === "group") {
        const children = build(item.item ?? []);
        if (children.length) out.push({ linkId: item.linkId, item: children });
        continue;
      }
      const v = values[item.linkId];
      if (v === undefined || item.type === "display") continue;
      let answer: ResponseAnswer;
      if (item.type === "choice") {
        const opt = item.answerOption?.find((o) => o.valueCoding?.code === String(v) || o.valueString === v || o.valueInteger === v);
        answer = opt?.valueCoding ? { valueCoding: { system: opt.valueCoding.system, code: opt.valueCoding.code } } : opt?.valueString !== undefined ? { valueString: opt.valueString } : opt?.valueInteger !== undefined ? { valueInteger: opt.valueInteger } : { valueCoding: { code: String(v) } };
      } else if (item.type === "integer") answer = { valueInteger: Number(v) };
      else if (item.type === "decimal") answer = { valueDecimal: Number(v) };
      else if (item.type === "boolean") answer = { valueBoolean: Boolean(v) };
      else answer = { valueString: String(v) };
      out.push({ linkId: item.linkId, answer: [answer] });
    }
    return out;
  };
  return { resourceType: "QuestionnaireResponse", questionnaire: q.url ? (q.version ? `${q.url}|${q.version}` : q.url) : undefined, status, item: build(q.item) };
}

// ---------------------------------------------------------------------------------------------
// Translations (FHIR core extension http://hl7.org/fhir/StructureDefinition/translation, R4):
//   "_text": { "extension": [{ "url": TRANSLATION_URL,
//              "extension": [{ "url": "lang", "valueCode": "es" }, { "url": "content", "valueString": "…" }] }] }
// on Questionnaire.title, item.text and answerOption.valueCoding.display. The Questionnaire's
// `language` is the base language of the plain values. A response holds codes only, so answers,
// scores and reports are the same whatever language the form was shown in.

export const TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation";

/** The `_text` / `_title` / `_display` element carrying translations by language code. For instrument definitions. */
export function translationExtensions(translations: Readonly<Record<string, string>>): PrimitiveExtensions {
  return { extension: Object.entries(translations).map(([lang, content]): Extension => ({ url: TRANSLATION_URL, extension: [{ url: "lang", valueCode: lang }, { url: "content", valueString: content }] })) };
}

/** The primary language subtag, lower case: "es-MX" → "es". */
const primary = (lang: string) => lang.toLowerCase().split("-")[0]!;

/** Every translation carried by a primitive element, as language → content. */
export function translationsOf(element: PrimitiveExtensions | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const ext of element?.extension ?? []) {
    if (ext.url !== TRANSLATION_URL) continue;
    const lang = ext.extension?.find((e) => e.url === "lang")?.valueCode;
    const content = ext.extension?.find((e) => e.url === "content")?.valueString;
    if (lang && content && !out.has(lang)) out.set(lang, content);
  }
  return out;
}

/** The translation of an element into `lang` (exact tag first, then the same primary language). */
export function translationOf(element: PrimitiveExtensions | undefined, lang: string): string | undefined {
  const all = translationsOf(element);
  const exact = [...all].find(([l]) => l.toLowerCase() === lang.toLowerCase());
  if (exact) return exact[1];
  return [...all].find(([l]) => primary(l) === primary(lang))?.[1];
}

/** Every translatable string of a questionnaire: [value, its extensions]. Title only when present. */
function* translatables(q: Questionnaire): Generator<[string, PrimitiveExtensions | undefined]> {
  if (q.title) yield [q.title, q._title];
  for (const { item } of walkItems(q.item)) {
    if (item.text) yield [item.text, item._text];
    for (const o of item.answerOption ?? []) if (o.valueCoding?.display) yield [o.valueCoding.display, o.valueCoding._display];
  }
}

/**
 * The languages a questionnaire can be shown in: its base language first, then each language into
 * which EVERY title, item text and option label is translated. A partial translation is not offered:
 * a validated instrument half in one language and half in another is neither.
 */
export function questionnaireLanguages(q: Questionnaire): string[] {
  const base = q.language ?? "en";
  let complete: string[] | null = null;
  for (const [, ext] of translatables(q)) {
    const langs = new Set<string>(translationsOf(ext).keys());
    complete = complete === null ? [...langs] : complete.filter((l) => langs.has(l));
    if (complete.length === 0) break;
  }
  return [base, ...(complete ?? []).filter((l) => primary(l) !== primary(base)).sort()];
}

/** The offered language that best fits a wanted one (exact, then primary subtag), or undefined. */
export function pickLanguage(offered: readonly string[], wanted: string | null | undefined): string | undefined {
  if (!wanted) return undefined;
  return offered.find((l) => l.toLowerCase() === wanted.toLowerCase()) ?? offered.find((l) => primary(l) === primary(wanted));
}

/**
 * A copy of the questionnaire with its title, item texts and option labels in `lang`, and
 * `language` set to it. Unchanged (but copied) when `lang` is the base language or is not offered
 * completely (see questionnaireLanguages). Pure; the structure, linkIds and codes never change.
 */
export function localizeQuestionnaire(q: Questionnaire, lang: string): Questionnaire {
  const base = q.language ?? "en";
  const chosen = pickLanguage(questionnaireLanguages(q), lang);
  if (!chosen || primary(chosen) === primary(base)) return structuredClone(q);
  const item = (it: QuestionnaireItem): QuestionnaireItem => ({
    ...it,
    ...(it.text ? { text: translationOf(it._text, chosen) ?? it.text } : {}),
    ...(it.answerOption ? { answerOption: it.answerOption.map((o) => (o.valueCoding?.display ? { ...o, valueCoding: { ...o.valueCoding, display: translationOf(o.valueCoding._display, chosen) ?? o.valueCoding.display } } : o)) } : {}),
    ...(it.item ? { item: it.item.map(item) } : {}),
  });
  return structuredClone({ ...q, language: chosen, ...(q.title ? { title: translationOf(q._title, chosen) ?? q.title } : {}), item: q.item.map(item) });
}

/**
 * What a questionnaire means for its answers, without its wording: linkIds, types, required,
 * enableWhen, option codes and their values, nesting. Two versions with the same structure score
 * and report every stored response the same, so wording and translations may change between them.
 */
export function questionnaireStructure(q: Questionnaire): string {
  const item = (it: QuestionnaireItem): unknown => [
    it.linkId,
    it.type,
    it.required ?? false,
    it.enableBehavior ?? null,
    (it.enableWhen ?? []).map((e) => [e.question, e.operator, e.answerBoolean ?? null, e.answerDecimal ?? null, e.answerInteger ?? null, e.answerString ?? null, e.answerCoding ? [e.answerCoding.system ?? null, e.answerCoding.code] : null]),
    (it.answerOption ?? []).map((o) => [o.valueCoding ? [o.valueCoding.system ?? null, o.valueCoding.code] : null, o.valueString ?? null, o.valueInteger ?? null, optionValue(o) ?? null]),
    (it.item ?? []).map(item),
  ];
  return JSON.stringify([q.url ?? null, q.item.map(item)]);
}
