import path from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_MESSAGES_ES, ERROR_PATTERNS_ES } from "./error-messages.es.ts";
import { FIELD_MESSAGES_ES, FIELD_PATTERNS_ES } from "./field-messages.es.ts";
import { CATALOGS, compilePattern, findFieldMessage, translatedPlaceholders } from "./field-messages.ts";
import { extractMessageLiterals, scanMessageLiterals, type MessageLiteral } from "./message-literals.test-support.ts";

/**
 * Every English error message written in the source has Spanish in the catalog (validation
 * messages in field-messages.es.ts, the other top-level messages in error-messages.es.ts), so a
 * new message cannot ship English-only. The scan finds message literals by where they stand (see
 * message-literals.test-support.ts): `message:`/`error:` properties, zod params (`.min(1, "…")`,
 * `z.uuid("…")`…), `invalid(path, "…")`, helpers that take a field message, `new AppError(code,
 * "…")` for every code, the AppError helpers (`conflict("…")`, `forbidden("…")`,
 * `notFound("That x")` → "That x was not found.", …) and `message = "…"` parameter defaults.
 */

const SRC = path.resolve(import.meta.dirname, "../..");

/** Literals in those positions that are not text anyone reads, with the reason. */
const NOT_MESSAGES: Record<string, string> = {
  "": "an empty top-level message next to findings or fields; the page shows its own translated text",
  saved: "an ActionSuccess flag; the page shows its own translated notice",
  revoked: "an ActionSuccess flag; the page shows its own translated notice",
  expired: "a page state of the magic-link page (`error:`), rendered through react-intl",
  twoFactor: "a page state of the magic-link page (`error:`), rendered through react-intl",
};
/**
 * Template literals in those positions that are not a message by themselves: the not-found
 * helpers' own `${what} was not found.` (each call's "That x was not found." is checked where it is made).
 */
const NOT_MESSAGE_TEMPLATES: Record<string, string> = {
  "${…} was not found.": "the body of a not-found helper; its callers' literals are checked as whole sentences",
};
/** A react-intl message id used as an ActionSuccess message (the page formats it). */
const isMessageId = (text: string) => /^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/.test(text);

/** Values tried for each `${…}` of a template literal: a number, a word or path, a list, a known message. */
const FILLERS = ["7", "x", "en, es", "is required"];

function combinations(slots: number): string[][] {
  if (slots === 0) return [[]];
  return combinations(slots - 1).flatMap((rest) => FILLERS.map((f) => [f, ...rest]));
}

/**
 * A plain literal is covered when the catalog translates it (exactly or by a pattern). A template
 * literal is covered when some choice of values for its `${…}` parts is translated by a pattern
 * (never by an exact entry, which would only cover that one value).
 */
function covered(literal: MessageLiteral): boolean {
  if (literal.parts.length === 1) return findFieldMessage(literal.parts[0]!, "es") !== null;
  return combinations(literal.parts.length - 1).some((values) => {
    const text = literal.parts.reduce((acc, part, i) => acc + (i === 0 ? "" : values[i - 1]) + part, "");
    const match = findFieldMessage(text, "es");
    return match !== null && match.via !== "exact";
  });
}

function isIgnored(l: MessageLiteral): boolean {
  if (l.parts.length > 1) return Object.hasOwn(NOT_MESSAGE_TEMPLATES, l.parts.join("${…}"));
  const text = l.parts[0];
  return text !== undefined && (Object.hasOwn(NOT_MESSAGES, text) || isMessageId(text));
}

describe("the source's error messages all have Spanish", () => {
  const literals = scanMessageLiterals(SRC);
  const messages = literals.filter((l) => !isIgnored(l));

  it("finds the messages (the scan is not silently empty)", () => {
    expect(messages.length).toBeGreaterThan(500);
    const texts = new Set(messages.map((l) => l.parts.join("${…}")));
    for (const known of [
      "Choose listed, unlisted or private.",
      "is required",
      "must be at most ${…} characters",
      '"${…}" is translated twice',
      "must be one of ${…}",
      // Top-level messages: new AppError("conflict", …), conflict(…), notFound("That x"), forbidden(…), defaults.
      "Registration has closed.",
      "This group is full (${…} places). Suggest the waitlist: the person can join it and is offered the next free place.",
      "That instrument was not found.",
      "That candidate was not found.",
      "Only this group's leaders and the organisation's coordinators can do that.",
      "You do not have permission to do that.",
      "Another leader changed the meeting first; this is the current state.",
    ]) {
      expect(texts, known).toContain(known);
    }
  });

  it("has a catalog entry or pattern for every message literal", () => {
    const missing = messages.filter((l) => !covered(l)).map((l) => `${l.file}:${l.line}  ${l.source}  → "${l.parts.join("${…}")}"`);
    expect(
      missing,
      `English-only messages: add validation messages to src/platform/i18n/field-messages.es.ts, other top-level messages to error-messages.es.ts\n${missing.join("\n")}`,
    ).toEqual([]);
  });
});

describe("the Spanish catalog", () => {
  const catalog = CATALOGS.es!;

  /**
   * zod's type words ("expected string to have…", "expected number, received undefined") may be
   * left out: the Spanish says "characters", "items" or "required" instead. Every other
   * placeholder must appear in the Spanish, and the Spanish may name no other.
   */
  const MAY_DROP = new Set(["origin", "expected"]);

  it("compiles every pattern, and the Spanish names the same placeholders as the English", () => {
    for (const [english, spanish] of catalog.patterns) {
      const compiled = compilePattern(english, spanish);
      expect(compiled.placeholders.length, english).toBeGreaterThan(0);
      const names = compiled.placeholders.map((p) => p.name);
      const used = new Set(translatedPlaceholders(spanish));
      for (const name of used) expect(names, `${english}: {${name}} is not in the English`).toContain(name);
      for (const name of names) if (!MAY_DROP.has(name)) expect(used.has(name), `${english}: the Spanish drops {${name}}`).toBe(true);
    }
  });

  it("has no English message in both the validation and the error catalog (one would hide the other)", () => {
    const both = Object.keys(ERROR_MESSAGES_ES).filter((english) => Object.hasOwn(FIELD_MESSAGES_ES, english));
    expect(both).toEqual([]);
    const fieldPatterns = new Set(FIELD_PATTERNS_ES.map(([en]) => en));
    expect(ERROR_PATTERNS_ES.map(([en]) => en).filter((en) => fieldPatterns.has(en))).toEqual([]);
  });

  it("has no English pattern twice and no empty or untranslated exact entry", () => {
    const englishPatterns = catalog.patterns.map(([en]) => en);
    expect(new Set(englishPatterns).size).toBe(englishPatterns.length);
    for (const [english, spanish] of Object.entries(catalog.exact)) {
      expect(spanish.trim(), english).not.toBe("");
      expect(spanish, english).not.toBe(english);
      expect(spanish, `${english}: no placeholders in exact entries`).not.toMatch(/\{\w+\}/);
    }
  });
});

describe("the message-literal scanner", () => {
  const texts = (src: string) => extractMessageLiterals(src).map((l) => l.parts.join("${…}"));

  it("finds messages in every position a message is written", () => {
    const src = `
      const A = z.object({
        name: z.string().trim().min(1, "Enter a name.").max(120, { message: \`Use at most \${MAX} characters.\` }),
        id: z.uuid("must be an id (UUID)"),
        n: z.number({ error: "Enter a number." }).int("Use a whole number."),
        kind: z.enum(KINDS, "Choose a kind."),
        d: z.string().regex(/^"\\d+"$/, "Use digits.").refine((s) => s.split(",").length > 1, "Use a list."),
      });
      throw invalid("email", "Enter an email address.");
      throw new AppError("validation_failed", "Invalid input.", [{ path: "x", message: cond ? "Too early." : "Too late." }]);
      ctx.addIssue({ code: "custom", path: ["y"], message: "Choose one." });
      throw new ReportQueryError("filter", "filter must be an object");
    `;
    expect(texts(src)).toEqual([
      "Enter a name.",
      "Use at most ${…} characters.",
      "must be an id (UUID)",
      "Enter a number.",
      "Use a whole number.",
      "Choose a kind.",
      "Use digits.",
      "Use a list.",
      "Enter an email address.",
      "Invalid input.",
      "Too early.",
      "Too late.",
      "Choose one.",
      "filter must be an object",
    ]);
  });

  it("ignores literals that are not messages", () => {
    const src = `
      headers.set("content-type", "application/json");
      throw new AppError(code, error.message);
      throw notFound(what);
      checkId(id, what);
      conflict.message = "x";
      const label = { message: "a" + b, other: "x" };
      log.info({ msg: "hello" });
      s.startsWith("data:");
      const csv = \`"\${s.replace(/"/g, '""')}"\`;
      const after = { message: "Still found." };
    `;
    expect(texts(src)).toEqual(["Still found."]);
  });

  it("finds top-level error messages: every AppError code, the helpers and their defaults", () => {
    const src = `
      export const notFound = (what = "That") => new AppError("not_found", \`\${what} was not found.\`);
      export const forbidden = (message = "You do not have permission to do that.") => new AppError("forbidden", message);
      const checkId = (id: string, what: string) => { if (!UUID.test(id)) throw notFound(what); };
      class StaleStateError extends AppError {
        constructor(state: State, message = "Someone changed it first.") { super("conflict", message); }
      }
      throw new AppError("conflict", "Registration has closed.");
      throw new AppError("gone", full ? "This offer has expired." : "This offer was withdrawn.");
      throw new AppError("rate_limited", \`Wait \${n} minutes.\`);
      throw notFound("That instrument");
      throw notFound(\`That \${kind}\`);
      checkId(candidateId, "That candidate");
      throw forbidden("Only leaders can do that.");
      throw conflict("Another event already uses that slug.", [{ path: "slug", message: "Already in use." }]);
      throw lastOwner("This is the only owner.");
    `;
    expect(texts(src)).toEqual([
      "That was not found.",
      "${…} was not found.",
      "You do not have permission to do that.",
      "Someone changed it first.",
      "Registration has closed.",
      "This offer has expired.",
      "This offer was withdrawn.",
      "Wait ${…} minutes.",
      "That instrument was not found.",
      "That ${…} was not found.",
      "That candidate was not found.",
      "Only leaders can do that.",
      "Another event already uses that slug.",
      "Already in use.",
      "This is the only owner.",
    ]);
  });
});
