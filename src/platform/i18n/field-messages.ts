import type { ErrorBody, FieldError } from "../http/errors.ts";
import { ERROR_MESSAGES_ES, ERROR_PATTERNS_ES } from "./error-messages.es.ts";
import { FIELD_MESSAGES_ES, FIELD_PATTERNS_ES, ZOD_TYPE_NAMES_ES } from "./field-messages.es.ts";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locales.ts";

/**
 * Error messages in the reader's language. The services and zod schemas write their field
 * messages and their AppError messages (validation_failed, conflict, not_found, forbidden…) in
 * English (the API's default); this module maps an English message to the reader's language
 * through a catalog, at the edges where people read it: the form error summary and inline field
 * errors (src/ui/forms.tsx) and REST error bodies (src/platform/http/app.server.ts). The Spanish
 * catalog is field-messages.es.ts (validation) plus error-messages.es.ts (the other top-level
 * messages).
 *
 * A catalog has exact entries and patterns. A pattern is the English message with placeholders
 * for its variable parts, e.g. "Use at most {max:int} characters."; the Spanish side names the
 * same placeholders. A message is only ever translated by an exact entry or a whole-message
 * pattern match: an unknown message comes back unchanged (English), never half-guessed.
 *
 * Placeholder kinds (English side):
 *   {name}       any text, copied as is (names, codes, lists, dates)
 *   {name:int}   an integer                    {name:num}  a number
 *   {name:path}  a field path such as schedule.rrule or waves.0 (no spaces or colons)
 *   {name:type}  a zod type name (string, number, undefined…), translated by a small dictionary
 *   {name:msg}   a message that is itself in the catalog, translated recursively; the pattern
 *                does not match if it is not (so "Invalid x: <unknown>" stays English entirely)
 */

export interface FieldMessageCatalog {
  exact: Readonly<Record<string, string>>;
  patterns: ReadonlyArray<readonly [english: string, translated: string]>;
  typeNames: Readonly<Record<string, string>>;
}

type PlaceholderKind = "text" | "int" | "num" | "path" | "type" | "msg";
const KIND_REGEX: Record<PlaceholderKind, string> = {
  text: "(.+?)",
  int: "(-?\\d+)",
  num: "(-?\\d+(?:\\.\\d+)?)",
  path: "([^\\s:]+)",
  type: "([\\w-]+)",
  msg: "(.+)",
};

interface CompiledPattern {
  english: string;
  translated: string;
  regex: RegExp;
  placeholders: Array<{ name: string; kind: PlaceholderKind }>;
  /** Characters of fixed text: longer wins when two patterns match. */
  specificity: number;
}

interface CompiledCatalog {
  exact: ReadonlyMap<string, string>;
  patterns: CompiledPattern[];
  typeNames: Readonly<Record<string, string>>;
}

const PLACEHOLDER = /\{(\w+)(?::(\w+))?\}/g;
const MAX_LENGTH = 2000;
const MAX_DEPTH = 3;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compiles one English pattern. Throws on an unknown kind or a repeated name (a catalog bug). */
export function compilePattern(english: string, translated: string): CompiledPattern {
  const placeholders: CompiledPattern["placeholders"] = [];
  let source = "^";
  let last = 0;
  let fixed = 0;
  for (const m of english.matchAll(PLACEHOLDER)) {
    const name = m[1]!;
    const kind = (m[2] ?? "text") as PlaceholderKind;
    if (!(kind in KIND_REGEX)) throw new Error(`Unknown placeholder kind {${name}:${kind}} in "${english}"`);
    if (placeholders.some((p) => p.name === name)) throw new Error(`Placeholder {${name}} repeated in "${english}"`);
    const literal = english.slice(last, m.index);
    fixed += literal.length;
    source += escapeRegex(literal) + KIND_REGEX[kind];
    placeholders.push({ name, kind });
    last = m.index + m[0].length;
  }
  fixed += english.length - last;
  source += `${escapeRegex(english.slice(last))}$`;
  return { english, translated, regex: new RegExp(source, "s"), placeholders, specificity: fixed };
}

/** The placeholder names a translated template uses, e.g. ["max"] for "Use como máximo {max} caracteres.". */
export function translatedPlaceholders(translated: string): string[] {
  return [...translated.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function compile(catalog: FieldMessageCatalog): CompiledCatalog {
  const patterns = catalog.patterns.map(([en, tr]) => compilePattern(en, tr));
  // The most specific pattern first; ties keep catalog order.
  const ordered = patterns.map((p, i) => ({ p, i })).sort((a, b) => b.p.specificity - a.p.specificity || a.i - b.i).map(({ p }) => p);
  return { exact: new Map(Object.entries(catalog.exact)), patterns: ordered, typeNames: catalog.typeNames };
}

export const CATALOGS: Partial<Record<Locale, FieldMessageCatalog>> = {
  es: { exact: { ...FIELD_MESSAGES_ES, ...ERROR_MESSAGES_ES }, patterns: [...FIELD_PATTERNS_ES, ...ERROR_PATTERNS_ES], typeNames: ZOD_TYPE_NAMES_ES },
};

const compiled = new Map<Locale, CompiledCatalog>();
function compiledFor(locale: Locale): CompiledCatalog | null {
  const catalog = CATALOGS[locale];
  if (!catalog) return null;
  let c = compiled.get(locale);
  if (!c) {
    c = compile(catalog);
    compiled.set(locale, c);
  }
  return c;
}

/** "es-MX" → "es"; anything unsupported → English. */
export function fieldMessageLocale(locale: string | null | undefined): Locale {
  if (!locale) return DEFAULT_LOCALE;
  const primary = locale.toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : DEFAULT_LOCALE;
}

export interface FieldMessageMatch {
  text: string;
  /** "exact", or the English pattern that matched. */
  via: string;
}

function lookup(catalog: CompiledCatalog, message: string, depth: number): FieldMessageMatch | null {
  const exact = catalog.exact.get(message);
  if (exact !== undefined) return { text: exact, via: "exact" };
  if (depth >= MAX_DEPTH || message.length > MAX_LENGTH) return null;
  for (const pattern of catalog.patterns) {
    const m = pattern.regex.exec(message);
    if (!m) continue;
    const values: Record<string, string> = {};
    let ok = true;
    pattern.placeholders.forEach(({ name, kind }, index) => {
      if (!ok) return;
      const raw = m[index + 1]!;
      if (kind === "msg") {
        const inner = lookup(catalog, raw, depth + 1);
        if (inner) values[name] = inner.text;
        else ok = false;
      } else if (kind === "type") values[name] = catalog.typeNames[raw] ?? raw;
      else values[name] = raw;
    });
    if (!ok) continue;
    return { text: pattern.translated.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole), via: pattern.english };
  }
  return null;
}

/**
 * The translation of an English field message into `locale`, or null when the catalog has none
 * (or the locale is English). Pure.
 */
export function findFieldMessage(message: string, locale: string): FieldMessageMatch | null {
  const target = fieldMessageLocale(locale);
  if (target === DEFAULT_LOCALE) return null;
  const catalog = compiledFor(target);
  return catalog ? lookup(catalog, message, 0) : null;
}

/**
 * A field message for a reader of `locale` (a Locale or a BCP 47 tag such as "es-MX"): the
 * catalog's translation, else the English message unchanged. Pure; never throws.
 */
export function localizeFieldMessage(message: string, locale: string): string {
  if (typeof message !== "string" || !message) return message;
  return findFieldMessage(message, locale)?.text ?? message;
}

/** The fields with their messages localized; paths untouched. */
export function localizeFieldErrors(fields: readonly FieldError[], locale: string): FieldError[] {
  return fields.map((f) => ({ ...f, message: localizeFieldMessage(f.message, locale) }));
}

/**
 * An error body for a reader of `locale`: the top-level message and each field message localized;
 * code, paths and request id unchanged. Returns the same object for English.
 */
export function localizeErrorBody<B extends ErrorBody>(body: B, locale: string): B {
  if (fieldMessageLocale(locale) === DEFAULT_LOCALE) return body;
  const { fields, message } = body.error;
  return {
    ...body,
    error: { ...body.error, message: localizeFieldMessage(message, locale), ...(fields ? { fields: localizeFieldErrors(fields, locale) } : {}) },
  };
}
