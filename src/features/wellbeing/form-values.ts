// From an HTML form (or a saved draft) to a QuestionnaireResponse, and back. Pure: no I/O; used by
// the check-in pages (server-rendered forms that work without JavaScript).
//
// Form field names are the items' linkIds. A choice option's form value is `optionKey(option)`:
// its coding's code, its string, or its integer as text. Only items ENABLED under the current
// answers (FHIR enableWhen, ./validate.ts enabledItems) enter the response; answers to disabled
// items are dropped, as FHIR requires. Values that do not parse are kept as they are so that
// validateResponse reports them (never silently dropped).
//
// Usage:
//   const values = valuesFromForm(q, Object.fromEntries(formData));  // typed values by linkId
//   const response = responseFromValues(q, values);                   // status "completed"
//   const shown = enabledItems(q, answersOf(q, values));              // which items to render

import { type AnswerOption, type Questionnaire, type QuestionnaireItem, type QuestionnaireResponse, type ResponseAnswer, type ResponseItem, walkItems } from "./fhir.ts";
import { enabledItems } from "./validate.ts";

export type FormValue = string | number | boolean;

export function optionKey(o: AnswerOption): string {
  return o.valueCoding?.code ?? o.valueString ?? (o.valueInteger !== undefined ? String(o.valueInteger) : "");
}

/** Typed values from posted strings (empty fields are left out). */
export function valuesFromForm(q: Questionnaire, posted: Record<string, unknown>): Record<string, FormValue> {
  const out: Record<string, FormValue> = {};
  for (const { item } of walkItems(q.item)) {
    const raw = posted[item.linkId];
    if (typeof raw !== "string" || raw.trim() === "") continue;
    const v = raw.trim();
    switch (item.type) {
      case "integer":
        out[item.linkId] = /^-?\d{1,12}$/.test(v) ? Number(v) : v;
        break;
      case "decimal":
        out[item.linkId] = /^-?\d{1,12}([.,]\d{1,6})?$/.test(v) ? Number(v.replace(",", ".")) : v;
        break;
      case "boolean":
        out[item.linkId] = v === "true" ? true : v === "false" ? false : v;
        break;
      case "group":
      case "display":
        break;
      default:
        out[item.linkId] = item.type === "text" ? raw : v;
    }
  }
  return out;
}

function answerOf(item: QuestionnaireItem, value: FormValue): ResponseAnswer {
  switch (item.type) {
    case "choice": {
      const opt = item.answerOption?.find((o) => optionKey(o) === String(value));
      if (!opt) return { valueString: String(value) };
      if (opt.valueCoding) return { valueCoding: { ...(opt.valueCoding.system ? { system: opt.valueCoding.system } : {}), code: opt.valueCoding.code } };
      if (opt.valueString !== undefined) return { valueString: opt.valueString };
      return { valueInteger: opt.valueInteger! };
    }
    case "integer":
      return typeof value === "number" ? { valueInteger: value } : { valueString: String(value) };
    case "decimal":
      return typeof value === "number" ? { valueDecimal: value } : { valueString: String(value) };
    case "boolean":
      return typeof value === "boolean" ? { valueBoolean: value } : { valueString: String(value) };
    default:
      return { valueString: String(value) };
  }
}

/** Answers by linkId, for enableWhen. */
export function answersOf(q: Questionnaire, values: Record<string, FormValue>): Map<string, ResponseAnswer> {
  const out = new Map<string, ResponseAnswer>();
  for (const { item } of walkItems(q.item)) {
    const v = values[item.linkId];
    if (v !== undefined && item.type !== "group" && item.type !== "display") out.set(item.linkId, answerOf(item, v));
  }
  return out;
}

/** The items enabled under these values. */
export function enabledUnder(q: Questionnaire, values: Record<string, FormValue>): Set<string> {
  return enabledItems(q, answersOf(q, values));
}

/** A completed response holding the answers of enabled items only. */
export function responseFromValues(q: Questionnaire, values: Record<string, FormValue>): QuestionnaireResponse {
  const enabled = enabledUnder(q, values);
  const build = (items: readonly QuestionnaireItem[]): ResponseItem[] => {
    const out: ResponseItem[] = [];
    for (const item of items) {
      if (!enabled.has(item.linkId)) continue;
      if (item.type === "group") {
        const children = build(item.item ?? []);
        if (children.length) out.push({ linkId: item.linkId, item: children });
        continue;
      }
      const v = values[item.linkId];
      if (v === undefined || item.type === "display") continue;
      out.push({ linkId: item.linkId, answer: [answerOf(item, v)] });
    }
    return out;
  };
  return { resourceType: "QuestionnaireResponse", ...(q.url ? { questionnaire: q.version ? `${q.url}|${q.version}` : q.url } : {}), status: "completed", item: build(q.item) };
}

/** Whether a questionnaire has any conditional items (the form then offers "save to see more"). */
export function hasConditions(q: Questionnaire): boolean {
  for (const { item } of walkItems(q.item)) if (item.enableWhen?.length) return true;
  return false;
}
