// Validation of imported FHIR R4 Questionnaires (the subset in ./fhir.ts) and of
// QuestionnaireResponses against a Questionnaire. Pure: no I/O. Input is `unknown` (parsed JSON
// from a request); nothing is trusted until `validateQuestionnaire` returns no issues.
//
// Every issue carries a FHIRPath-like path (`item[2].answerOption[0]`, `item[1].item[0].enableWhen[0].question`)
// and a stable code, so the API can answer 400 naming the field and the UI can point at it. A
// required item left unanswered has no place in the response, so its path is the FHIRPath
// `item.where(linkId='…')`.
//
// Usage:
//   const issues = validateQuestionnaire(json);
//   if (issues.length === 0) { const q = json as Questionnaire; … }
//   const rIssues = validateResponse(q, responseJson);  // answers out of range, required, enableWhen …
//   const enabled = enabledItems(q, response);           // linkIds currently shown (for forms)
//
// Supported subset (anything else is refused, not ignored): item types choice, integer, decimal,
// boolean, string, text, group, display; items nested under groups only (no children under
// questions); `repeats` not supported; choice items need `answerOption` (valueCoding with a code,
// valueString or valueInteger; no answerValueSet); `enableWhen` must point to a question that comes
// EARLIER in the questionnaire (document order), is not an ancestor, and whose type fits the answer
// and operator; more than one enableWhen needs `enableBehavior`.

import {
  type AnswerOption,
  ENABLE_WHEN_OPERATORS,
  type EnableWhen,
  type Questionnaire,
  type QuestionnaireItem,
  type ResponseAnswer,
  type ResponseItem,
  SUPPORTED_ITEM_TYPES,
  TRANSLATION_URL,
  UNSUPPORTED_ITEM_TYPES,
  matchOption,
  walkItems,
} from "./fhir.ts";

export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

const MAX_ITEMS = 500;
const MAX_TEXT = 2000;
/** Longest free-text answer accepted (string/text items). */
export const MAX_ANSWER_TEXT = 2000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0;

const ANSWER_KEYS = ["answerBoolean", "answerDecimal", "answerInteger", "answerString", "answerCoding", "answerDate", "answerDateTime", "answerTime", "answerQuantity", "answerReference"] as const;

/** Which enableWhen answer[x] and operators fit a question of a given type. */
function enableWhenFits(type: string, answerKey: string, operator: string): boolean {
  if (operator === "exists") return answerKey === "answerBoolean";
  switch (type) {
    case "boolean":
      return answerKey === "answerBoolean" && (operator === "=" || operator === "!=");
    case "integer":
    case "decimal":
      return answerKey === "answerInteger" || answerKey === "answerDecimal";
    case "string":
    case "text":
      return answerKey === "answerString" && (operator === "=" || operator === "!=");
    case "choice":
      return (answerKey === "answerCoding" || answerKey === "answerString" || answerKey === "answerInteger") && (operator === "=" || operator === "!=");
    default:
      return false;
  }
}

const LANGUAGE_TAG = /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i;

/**
 * The `_text` / `_title` / `_display` element beside a string: only translations are read from it
 * (other extensions are kept but ignored). Each translation needs a language tag and non-empty
 * content, once per language; and there must be a value to translate.
 */
function validateTranslations(element: unknown, value: unknown, path: string, issues: ValidationIssue[]): void {
  if (element === undefined) return;
  if (!isObject(element) || (element.extension !== undefined && !Array.isArray(element.extension))) {
    issues.push({ path, code: "invalid", message: "must be an object with an extension array" });
    return;
  }
  if (typeof value !== "string") issues.push({ path, code: "invalid", message: "translations need a value to translate" });
  const langs = new Set<string>();
  ((element.extension ?? []) as unknown[]).forEach((ext, i) => {
    const at = `${path}.extension[${i}]`;
    if (!isObject(ext) || typeof ext.url !== "string") {
      issues.push({ path: at, code: "invalid", message: "an extension needs a url" });
      return;
    }
    if (ext.url !== TRANSLATION_URL) return;
    const parts = Array.isArray(ext.extension) ? (ext.extension as unknown[]).filter(isObject) : [];
    const lang = parts.find((e) => e.url === "lang")?.valueCode;
    const content = parts.find((e) => e.url === "content")?.valueString;
    if (typeof lang !== "string" || !LANGUAGE_TAG.test(lang)) issues.push({ path: `${at}.lang`, code: "invalid", message: "a translation needs a language code such as \"es\" or \"es-MX\"" });
    else if (langs.has(lang.toLowerCase())) issues.push({ path: `${at}.lang`, code: "duplicate", message: `"${lang}" is translated twice` });
    else langs.add(lang.toLowerCase());
    if (!isNonEmptyString(content) || content.length > MAX_TEXT) issues.push({ path: `${at}.content`, code: "invalid", message: `a translation needs content of at most ${MAX_TEXT} characters` });
  });
}

function validateOption(opt: unknown, path: string, issues: ValidationIssue[]): void {
  if (!isObject(opt)) {
    issues.push({ path, code: "invalid", message: "an answerOption must be an object" });
    return;
  }
  const kinds = ["valueCoding", "valueString", "valueInteger", "valueDate", "valueTime", "valueReference"].filter((k) => opt[k] !== undefined);
  if (kinds.length !== 1) {
    issues.push({ path, code: "invalid", message: "an answerOption needs exactly one value[x]" });
    return;
  }
  const kind = kinds[0]!;
  if (kind === "valueCoding") {
    const c = opt.valueCoding;
    if (!isObject(c) || !isNonEmptyString(c.code)) issues.push({ path: `${path}.valueCoding.code`, code: "required", message: "valueCoding needs a code" });
    else if (c.system !== undefined && typeof c.system !== "string") issues.push({ path: `${path}.valueCoding.system`, code: "invalid", message: "system must be a string" });
    else if (c.display !== undefined && typeof c.display !== "string") issues.push({ path: `${path}.valueCoding.display`, code: "invalid", message: "display must be a string" });
    if (isObject(c)) validateTranslations(c._display, c.display, `${path}.valueCoding._display`, issues);
  } else if (kind === "valueString") {
    if (!isNonEmptyString(opt.valueString)) issues.push({ path: `${path}.valueString`, code: "invalid", message: "valueString must be a non-empty string" });
  } else if (kind === "valueInteger") {
    if (!Number.isInteger(opt.valueInteger)) issues.push({ path: `${path}.valueInteger`, code: "invalid", message: "valueInteger must be an integer" });
  } else {
    issues.push({ path: `${path}.${kind}`, code: "unsupported", message: `${kind} options are not supported` });
  }
  const checkExt = (ext: unknown, at: string) => {
    if (ext === undefined) return;
    if (!Array.isArray(ext)) {
      issues.push({ path: at, code: "invalid", message: "extension must be an array" });
      return;
    }
    ext.forEach((e, i) => {
      if (!isObject(e) || typeof e.url !== "string") issues.push({ path: `${at}[${i}]`, code: "invalid", message: "an extension needs a url" });
      else if ((e.url.endsWith("/ordinalValue") || e.url.endsWith("/itemWeight")) && !(typeof (e.valueDecimal ?? e.valueInteger) === "number" && Number.isFinite(e.valueDecimal ?? e.valueInteger)))
        issues.push({ path: `${at}[${i}].valueDecimal`, code: "invalid", message: "ordinalValue needs a numeric valueDecimal" });
    });
  };
  checkExt(opt.extension, `${path}.extension`);
  if (isObject(opt.valueCoding)) checkExt(opt.valueCoding.extension, `${path}.valueCoding.extension`);
}

/** Validates an imported Questionnaire against the supported subset. Empty array = valid. */
export function validateQuestionnaire(input: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isObject(input)) return [{ path: "", code: "invalid", message: "a Questionnaire must be a JSON object" }];
  if (input.resourceType !== "Questionnaire") issues.push({ path: "resourceType", code: "invalid", message: 'resourceType must be "Questionnaire"' });
  if (!["draft", "active", "retired", "unknown"].includes(input.status as string)) issues.push({ path: "status", code: "invalid", message: "status must be draft, active, retired or unknown" });
  for (const key of ["url", "version", "name", "title", "language", "copyright"] as const) {
    if (input[key] !== undefined && typeof input[key] !== "string") issues.push({ path: key, code: "invalid", message: `${key} must be a string` });
  }
  validateTranslations(input._title, input.title, "_title", issues);
  if (typeof input.language === "string" && !LANGUAGE_TAG.test(input.language)) issues.push({ path: "language", code: "invalid", message: 'language must be a language code such as "en" or "es"' });
  if (!Array.isArray(input.item) || input.item.length === 0) {
    issues.push({ path: "item", code: "required", message: "a Questionnaire needs at least one item" });
    return issues;
  }

  // First pass: shape of each item, unique linkIds, document order.
  const seen = new Map<string, { index: number; type: string; path: string; item: Record<string, unknown> }>();
  let order = 0;
  let count = 0;
  const shapeIssuesBefore = issues.length;
  const visit = (items: unknown[], base: string) => {
    items.forEach((raw, i) => {
      const path = `${base}item[${i}]`;
      count++;
      if (!isObject(raw)) {
        issues.push({ path, code: "invalid", message: "an item must be an object" });
        return;
      }
      if (!isNonEmptyString(raw.linkId)) issues.push({ path: `${path}.linkId`, code: "required", message: "every item needs a linkId" });
      else if (seen.has(raw.linkId)) issues.push({ path: `${path}.linkId`, code: "duplicate", message: `linkId "${raw.linkId}" is already used at ${seen.get(raw.linkId)!.path}` });
      else seen.set(raw.linkId, { index: order++, type: String(raw.type), path, item: raw });
      const type = raw.type;
      if ((UNSUPPORTED_ITEM_TYPES as readonly unknown[]).includes(type)) issues.push({ path: `${path}.type`, code: "unsupported", message: `item type "${String(type)}" is not supported` });
      else if (!(SUPPORTED_ITEM_TYPES as readonly unknown[]).includes(type)) issues.push({ path: `${path}.type`, code: "invalid", message: "type must be a FHIR R4 item type" });
      if (raw.text !== undefined && (typeof raw.text !== "string" || raw.text.length > MAX_TEXT)) issues.push({ path: `${path}.text`, code: "invalid", message: `text must be a string of at most ${MAX_TEXT} characters` });
      if (type !== "group" && !isNonEmptyString(raw.text)) issues.push({ path: `${path}.text`, code: "required", message: "questions and display items need text" });
      validateTranslations(raw._text, raw.text, `${path}._text`, issues);
      if (raw.required !== undefined && typeof raw.required !== "boolean") issues.push({ path: `${path}.required`, code: "invalid", message: "required must be true or false" });
      if (raw.repeats === true) issues.push({ path: `${path}.repeats`, code: "unsupported", message: "repeating items are not supported" });
      if (raw.answerValueSet !== undefined) issues.push({ path: `${path}.answerValueSet`, code: "unsupported", message: "answerValueSet is not supported; list the answerOptions" });
      if (raw.initial !== undefined) issues.push({ path: `${path}.initial`, code: "unsupported", message: "initial answers are not supported" });
      if (type === "display" && raw.required === true) issues.push({ path: `${path}.required`, code: "invalid", message: "a display item cannot be required" });
      if (type === "choice") {
        if (!Array.isArray(raw.answerOption) || raw.answerOption.length === 0) issues.push({ path: `${path}.answerOption`, code: "required", message: "a choice item needs answerOptions" });
        else {
          raw.answerOption.forEach((o, oi) => validateOption(o, `${path}.answerOption[${oi}]`, issues));
          const keys = raw.answerOption.map((o) => (isObject(o) ? JSON.stringify(isObject(o.valueCoding) ? [o.valueCoding.system ?? null, o.valueCoding.code] : (o.valueString ?? o.valueInteger)) : null));
          keys.forEach((k, ki) => {
            if (k !== null && keys.indexOf(k) !== ki) issues.push({ path: `${path}.answerOption[${ki}]`, code: "duplicate", message: "the same answer is offered twice" });
          });
        }
      } else if (raw.answerOption !== undefined) issues.push({ path: `${path}.answerOption`, code: "unsupported", message: "answerOptions are supported on choice items only" });
      if (raw.item !== undefined) {
        if (type !== "group") issues.push({ path: `${path}.item`, code: "unsupported", message: "only group items may contain items" });
        else if (!Array.isArray(raw.item)) issues.push({ path: `${path}.item`, code: "invalid", message: "item must be an array" });
        else visit(raw.item, `${path}.`);
      }
      if (type === "group" && (!Array.isArray(raw.item) || raw.item.length === 0)) issues.push({ path: `${path}.item`, code: "required", message: "a group needs at least one item" });
    });
  };
  visit(input.item, "");
  if (count > MAX_ITEMS) issues.push({ path: "item", code: "too-large", message: `at most ${MAX_ITEMS} items` });
  if (issues.length > shapeIssuesBefore && issues.some((i) => i.code === "invalid" && i.message === "an item must be an object")) return issues;

  // Second pass: enableWhen, which needs every item's position and type.
  const ancestorsOf = new Map<string, Set<string>>();
  const collectAncestors = (items: unknown[], anc: string[]) => {
    for (const raw of items) {
      if (!isObject(raw) || typeof raw.linkId !== "string") continue;
      ancestorsOf.set(raw.linkId, new Set(anc));
      if (Array.isArray(raw.item)) collectAncestors(raw.item, [...anc, raw.linkId]);
    }
  };
  collectAncestors(input.item, []);
  for (const [linkId, info] of seen) {
    const raw = info.item;
    if (raw.enableWhen === undefined) {
      if (raw.enableBehavior !== undefined) issues.push({ path: `${info.path}.enableBehavior`, code: "invalid", message: "enableBehavior without enableWhen" });
      continue;
    }
    if (!Array.isArray(raw.enableWhen) || raw.enableWhen.length === 0) {
      issues.push({ path: `${info.path}.enableWhen`, code: "invalid", message: "enableWhen must be a non-empty array" });
      continue;
    }
    if (raw.enableWhen.length > 1 && raw.enableBehavior !== "all" && raw.enableBehavior !== "any") issues.push({ path: `${info.path}.enableBehavior`, code: "required", message: 'more than one enableWhen needs enableBehavior "all" or "any"' });
    if (raw.enableBehavior !== undefined && raw.enableBehavior !== "all" && raw.enableBehavior !== "any") issues.push({ path: `${info.path}.enableBehavior`, code: "invalid", message: 'enableBehavior must be "all" or "any"' });
    raw.enableWhen.forEach((ew, ei) => {
      const p = `${info.path}.enableWhen[${ei}]`;
      if (!isObject(ew)) {
        issues.push({ path: p, code: "invalid", message: "enableWhen must be an object" });
        return;
      }
      const target = typeof ew.question === "string" ? seen.get(ew.question) : undefined;
      if (!isNonEmptyString(ew.question)) issues.push({ path: `${p}.question`, code: "required", message: "enableWhen needs a question" });
      else if (!target) issues.push({ path: `${p}.question`, code: "not-found", message: `no item "${ew.question}"` });
      else if (ew.question === linkId || ancestorsOf.get(linkId)?.has(ew.question)) issues.push({ path: `${p}.question`, code: "invalid", message: "an item cannot depend on itself or on a group that contains it" });
      else if (target.index >= info.index) issues.push({ path: `${p}.question`, code: "order", message: `"${ew.question}" must come before the item that depends on it` });
      else if (target.type === "group" || target.type === "display") issues.push({ path: `${p}.question`, code: "invalid", message: `"${ew.question}" is a ${target.type} and has no answer` });
      if (!(ENABLE_WHEN_OPERATORS as readonly unknown[]).includes(ew.operator)) {
        issues.push({ path: `${p}.operator`, code: "invalid", message: "operator must be one of exists, =, !=, >, <, >=, <=" });
        return;
      }
      const answerKeys = ANSWER_KEYS.filter((k) => ew[k] !== undefined);
      if (answerKeys.length !== 1) {
        issues.push({ path: p, code: "invalid", message: "enableWhen needs exactly one answer[x]" });
        return;
      }
      const key = answerKeys[0]!;
      const value = ew[key];
      const typeOk =
        (key === "answerBoolean" && typeof value === "boolean") ||
        (key === "answerInteger" && Number.isInteger(value)) ||
        (key === "answerDecimal" && typeof value === "number" && Number.isFinite(value)) ||
        (key === "answerString" && typeof value === "string") ||
        (key === "answerCoding" && isObject(value) && isNonEmptyString(value.code));
      if (!typeOk) {
        issues.push({ path: `${p}.${key}`, code: ["answerDate", "answerDateTime", "answerTime", "answerQuantity", "answerReference"].includes(key) ? "unsupported" : "invalid", message: `${key} is not a supported value` });
        return;
      }
      if (target && target.type !== "group" && target.type !== "display") {
        if (!enableWhenFits(target.type, key, ew.operator as string)) issues.push({ path: `${p}.${key}`, code: "type-mismatch", message: `${key} with "${String(ew.operator)}" does not fit the ${target.type} question "${target.item.linkId as string}"` });
        else if (target.type === "choice" && ew.operator !== "exists") {
          const options = (Array.isArray(target.item.answerOption) ? target.item.answerOption : []) as AnswerOption[];
          const probe: ResponseAnswer = key === "answerCoding" ? { valueCoding: value as { code: string; system?: string } } : key === "answerString" ? { valueString: value as string } : { valueInteger: value as number };
          if (!matchOption({ linkId: "", type: "choice", answerOption: options }, probe)) issues.push({ path: `${p}.${key}`, code: "not-found", message: `"${String(target.item.linkId)}" offers no such answer` });
        }
      }
    });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Responses

function answerMatchesCondition(q: QuestionnaireItem, answer: ResponseAnswer | undefined, ew: EnableWhen): boolean {
  if (ew.operator === "exists") return (answer !== undefined) === ew.answerBoolean;
  if (!answer) return false;
  const cmp = (a: number | string | boolean, b: number | string | boolean): boolean => {
    switch (ew.operator) {
      case "=":
        return a === b;
      case "!=":
        return a !== b;
      case ">":
        return a > b;
      case "<":
        return a < b;
      case ">=":
        return a >= b;
      case "<=":
        return a <= b;
      default:
        return false;
    }
  };
  if (q.type === "choice") {
    const chosen = matchOption(q, answer);
    const wanted = matchOption(q, ew.answerCoding ? { valueCoding: ew.answerCoding } : ew.answerString !== undefined ? { valueString: ew.answerString } : { valueInteger: ew.answerInteger });
    return chosen !== undefined && wanted !== undefined && cmp(JSON.stringify(chosen), JSON.stringify(wanted));
  }
  if (q.type === "boolean" && typeof answer.valueBoolean === "boolean" && typeof ew.answerBoolean === "boolean") return cmp(answer.valueBoolean, ew.answerBoolean);
  if (q.type === "integer" || q.type === "decimal") {
    const v = answer.valueInteger ?? answer.valueDecimal;
    const w = ew.answerInteger ?? ew.answerDecimal;
    return typeof v === "number" && typeof w === "number" && cmp(v, w);
  }
  if ((q.type === "string" || q.type === "text") && typeof answer.valueString === "string" && typeof ew.answerString === "string") return cmp(answer.valueString, ew.answerString);
  return false;
}

/**
 * The linkIds enabled under the given answers (FHIR semantics: an item is enabled when its
 * enableWhen holds — all or any — and its parent is enabled). Conditions only point backwards,
 * so one pass in document order settles everything. Answers of disabled items are ignored.
 */
export function enabledItems(q: Questionnaire, answers: ReadonlyMap<string, ResponseAnswer>): Set<string> {
  const enabled = new Set<string>();
  const byId = new Map<string, QuestionnaireItem>();
  for (const { item, ancestors } of walkItems(q.item)) {
    byId.set(item.linkId, item);
    if (ancestors.some((a) => !enabled.has(a.linkId))) continue;
    const conds = item.enableWhen ?? [];
    const results = conds.map((ew) => {
      const target = byId.get(ew.question);
      if (!target) return false;
      return answerMatchesCondition(target, enabled.has(target.linkId) ? answers.get(target.linkId) : undefined, ew);
    });
    const on = conds.length === 0 || (item.enableBehavior === "any" ? results.some(Boolean) : results.every(Boolean));
    if (on) enabled.add(item.linkId);
  }
  return enabled;
}

function checkAnswer(item: QuestionnaireItem, answer: unknown, path: string, issues: ValidationIssue[]): ResponseAnswer | undefined {
  if (!isObject(answer)) {
    issues.push({ path, code: "invalid", message: "an answer must be an object" });
    return undefined;
  }
  const keys = Object.keys(answer).filter((k) => k.startsWith("value"));
  const expect: Record<string, string[]> = { choice: ["valueCoding", "valueString", "valueInteger"], integer: ["valueInteger"], decimal: ["valueDecimal", "valueInteger"], boolean: ["valueBoolean"], string: ["valueString"], text: ["valueString"] };
  const allowed = expect[item.type] ?? [];
  if (keys.length !== 1 || !allowed.includes(keys[0]!)) {
    issues.push({ path, code: "type-mismatch", message: `"${item.linkId}" is a ${item.type} question; expected one of ${allowed.join(", ")}` });
    return undefined;
  }
  const key = keys[0]!;
  const v = answer[key];
  if (key === "valueInteger" && !Number.isInteger(v)) issues.push({ path: `${path}.valueInteger`, code: "type-mismatch", message: "must be a whole number" });
  else if (key === "valueDecimal" && !(typeof v === "number" && Number.isFinite(v))) issues.push({ path: `${path}.valueDecimal`, code: "type-mismatch", message: "must be a number" });
  else if (key === "valueBoolean" && typeof v !== "boolean") issues.push({ path: `${path}.valueBoolean`, code: "type-mismatch", message: "must be true or false" });
  else if (key === "valueString" && !(typeof v === "string" && v.trim().length > 0)) issues.push({ path: `${path}.valueString`, code: "type-mismatch", message: "must be a non-empty string" });
  else if (key === "valueString" && (v as string).length > MAX_ANSWER_TEXT) issues.push({ path: `${path}.valueString`, code: "too-long", message: `at most ${MAX_ANSWER_TEXT} characters` });
  else if (key === "valueCoding" && !(isObject(v) && isNonEmptyString(v.code))) issues.push({ path: `${path}.valueCoding.code`, code: "type-mismatch", message: "a coding needs a code" });
  else {
    const a = { [key]: v } as ResponseAnswer;
    if (item.type === "choice" && !matchOption(item, a)) {
      issues.push({ path, code: "not-an-option", message: `not one of the answers offered for "${item.linkId}"` });
      return undefined;
    }
    return a;
  }
  return undefined;
}

/**
 * Validates a QuestionnaireResponse against its Questionnaire (which must itself be valid):
 * unknown or misplaced linkIds, duplicates, wrong answer types, answers that are not an option,
 * answers to disabled items, and — when status is "completed" — enabled required items left
 * unanswered. Empty array = valid.
 */
export function validateResponse(q: Questionnaire, input: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isObject(input)) return [{ path: "", code: "invalid", message: "a QuestionnaireResponse must be a JSON object" }];
  if (input.resourceType !== "QuestionnaireResponse") issues.push({ path: "resourceType", code: "invalid", message: 'resourceType must be "QuestionnaireResponse"' });
  if (!["in-progress", "completed", "amended", "entered-in-error", "stopped"].includes(input.status as string)) issues.push({ path: "status", code: "invalid", message: "status must be a QuestionnaireResponse status" });
  if (input.questionnaire !== undefined && q.url) {
    const [url, version] = String(input.questionnaire).split("|");
    if (url !== q.url || (version !== undefined && q.version !== undefined && version !== q.version)) issues.push({ path: "questionnaire", code: "mismatch", message: "the response is for another questionnaire" });
  }
  if (input.item !== undefined && !Array.isArray(input.item)) {
    issues.push({ path: "item", code: "invalid", message: "item must be an array" });
    return issues;
  }

  const answers = new Map<string, ResponseAnswer>();
  const answeredAt = new Map<string, string>();
  const visit = (raw: unknown[], defs: readonly QuestionnaireItem[], base: string) => {
    const seenHere = new Set<string>();
    raw.forEach((ri, i) => {
      const path = `${base}item[${i}]`;
      if (!isObject(ri) || !isNonEmptyString(ri.linkId)) {
        issues.push({ path: `${path}.linkId`, code: "required", message: "every answered item needs a linkId" });
        return;
      }
      const def = defs.find((d) => d.linkId === ri.linkId);
      if (!def) {
        issues.push({ path: `${path}.linkId`, code: "unknown-item", message: `the questionnaire has no item "${ri.linkId}" here` });
        return;
      }
      if (seenHere.has(ri.linkId)) {
        issues.push({ path: `${path}.linkId`, code: "duplicate", message: `"${ri.linkId}" is answered twice` });
        return;
      }
      seenHere.add(ri.linkId);
      if (def.type === "group" || def.type === "display") {
        if (ri.answer !== undefined) issues.push({ path: `${path}.answer`, code: "invalid", message: `a ${def.type} has no answer` });
        if (def.type === "group") {
          if (ri.item !== undefined && !Array.isArray(ri.item)) issues.push({ path: `${path}.item`, code: "invalid", message: "item must be an array" });
          else visit((ri.item as unknown[] | undefined) ?? [], def.item ?? [], `${path}.`);
        } else if (ri.item !== undefined) issues.push({ path: `${path}.item`, code: "invalid", message: "a display item has no children" });
        return;
      }
      if (ri.item !== undefined) issues.push({ path: `${path}.item`, code: "invalid", message: "questions have no nested items" });
      if (ri.answer === undefined) return;
      if (!Array.isArray(ri.answer)) {
        issues.push({ path: `${path}.answer`, code: "invalid", message: "answer must be an array" });
        return;
      }
      if (ri.answer.length > 1) issues.push({ path: `${path}.answer`, code: "repeats", message: `"${ri.linkId}" takes one answer` });
      if (ri.answer.length === 0) return;
      const a = checkAnswer(def, ri.answer[0], `${path}.answer[0]`, issues);
      if (a) {
        answers.set(def.linkId, a);
        answeredAt.set(def.linkId, path);
      }
    });
  };
  visit((input.item as unknown[] | undefined) ?? [], q.item, "");

  const enabled = enabledItems(q, answers);
  for (const [linkId, path] of answeredAt) {
    if (!enabled.has(linkId)) issues.push({ path: `${path}.answer`, code: "disabled-item", message: `"${linkId}" is not asked given the other answers, so it cannot be answered` });
  }
  if (input.status === "completed") {
    const hasAnswerBelow = (item: QuestionnaireItem): boolean => (item.item ?? []).some((c) => (answers.has(c.linkId) && enabled.has(c.linkId)) || hasAnswerBelow(c));
    for (const { item } of walkItems(q.item)) {
      if (!item.required || !enabled.has(item.linkId)) continue;
      const done = item.type === "group" ? hasAnswerBelow(item) : answers.has(item.linkId);
      if (!done) issues.push({ path: `item.where(linkId='${item.linkId}')`, code: "required", message: `"${item.linkId}" is required` });
    }
  }
  return issues;
}

/** Whether a response tree holds no answer at all (e.g. to refuse saving an empty check-in). */
export function isEmptyResponse(items: readonly ResponseItem[] | undefined): boolean {
  return !(items ?? []).some((i) => (i.answer?.length ?? 0) > 0 || !isEmptyResponse(i.item));
}
