import path from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOGS, compilePattern, findFieldMessage, translatedPlaceholders } from "./field-messages.ts";
import { extractMessageLiterals, scanMessageLiterals, type MessageLiteral } from "./message-literals.test-support.ts";

/**
 * Every English validation message written in the source has Spanish in the catalog
 * (field-messages.es.ts), so a new message cannot ship English-only. The scan finds message
 * literals by where they stand (see message-literals.test-support.ts): `message:`/`error:`
 * properties, zod params (`.min(1, "…")`, `z.uuid("…")`…), `invalid(path, "…")`, helpers that
 * take a field message, and `new AppError("validation_failed", "…")`.
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
  const text = l.parts.length === 1 ? l.parts[0] : undefined;
  return text !== undefined && (Object.hasOwn(NOT_MESSAGES, text) || isMessageId(text));
}

describe("the source's validation messages all have Spanish", () => {
  const literals = scanMessageLiterals(SRC);
  const messages = literals.filter((l) => !isIgnored(l));

  it("finds the messages (the scan is not silently empty)", () => {
    expect(messages.length).toBeGreaterThan(500);
    const texts = new Set(messages.map((l) => l.parts.join("${…}")));
    for (const known of ["Choose listed, unlisted or private.", "is required", "must be at most ${…} characters", '"${…}" is translated twice', "must be one of ${…}"]) {
      expect(texts, known).toContain(known);
    }
  });

  it("has a catalog entry or pattern for every message literal", () => {
    const missing = messages.filter((l) => !covered(l)).map((l) => `${l.file}:${l.line}  ${l.source}`);
    expect(missing, `English-only messages: add them to src/platform/i18n/field-messages.es.ts\n${missing.join("\n")}`).toEqual([]);
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
      throw new AppError("not_found", "That group was not found.");
      const label = { message: "a" + b, other: "x" };
      log.info({ msg: "hello" });
      s.startsWith("data:");
      const csv = \`"\${s.replace(/"/g, '""')}"\`;
      const after = { message: "Still found." };
    `;
    expect(texts(src)).toEqual(["Still found."]);
  });
});
