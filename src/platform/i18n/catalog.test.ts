import { IntlMessageFormat } from "intl-messageformat";
import { TYPE, parse, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { catalogs } from "./catalog.ts";
import { LOCALES } from "./locales.ts";
import { createTranslator } from "./translate.ts";

/** Every element of a parsed message, depth first (plural/select branches included). */
function elements(ast: MessageFormatElement[]): MessageFormatElement[] {
  const out: MessageFormatElement[] = [];
  for (const el of ast) {
    out.push(el);
    if (el.type === TYPE.plural || el.type === TYPE.select) for (const option of Object.values(el.options)) out.push(...elements(option.value));
    if (el.type === TYPE.tag) out.push(...elements(el.children));
  }
  return out;
}

function argumentNames(message: string): string[] {
  const names = new Set<string>();
  for (const el of elements(parse(message))) {
    if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date || el.type === TYPE.time || el.type === TYPE.plural || el.type === TYPE.select) names.add(el.value);
  }
  return [...names].sort();
}

describe("message catalogs", () => {
  it("has exactly the same keys in English and Spanish", () => {
    const en = Object.keys(catalogs.en).sort();
    const es = Object.keys(catalogs.es).sort();
    expect(es.filter((k) => !en.includes(k)), "only in es").toEqual([]);
    expect(en.filter((k) => !es.includes(k)), "only in en").toEqual([]);
    expect(en.length).toBeGreaterThan(50);
  });

  it("prefixes every key with its slice name", () => {
    for (const key of Object.keys(catalogs.en)) expect(key).toMatch(/^[a-z][A-Za-z]*\.[\w.:-]+$/);
  });

  for (const locale of LOCALES) {
    it(`parses every ${locale} message as ICU MessageFormat, and no message is empty`, () => {
      const broken: string[] = [];
      for (const [key, message] of Object.entries(catalogs[locale])) {
        try {
          const format = new IntlMessageFormat(message, locale);
          if (format.getAst().length === 0 && message !== "") broken.push(`${key}: parsed to nothing`);
          if (message.trim() === "") broken.push(`${key}: empty`);
        } catch (error) {
          broken.push(`${key}: ${(error as Error).message}`);
        }
      }
      expect(broken).toEqual([]);
    });
  }

  it("uses the same placeholders in both languages", () => {
    const mismatched: string[] = [];
    for (const [key, en] of Object.entries(catalogs.en)) {
      const es = catalogs.es[key];
      if (es === undefined) continue;
      const a = argumentNames(en).join(",");
      const b = argumentNames(es).join(",");
      if (a !== b) mismatched.push(`${key}: en {${a}} es {${b}}`);
    }
    expect(mismatched).toEqual([]);
  });

  it("renders plural messages for 1 and 2 in both languages", () => {
    const plurals = Object.entries(catalogs.en).filter(([, m]) => elements(parse(m)).some((el) => el.type === TYPE.plural));
    expect(plurals.length).toBeGreaterThan(0);
    for (const [key, message] of plurals) {
      const pluralArgs = elements(parse(message)).filter((el) => el.type === TYPE.plural).map((el) => el.value);
      const all = argumentNames(message);
      for (const locale of LOCALES) {
        const source = catalogs[locale][key]!;
        const render = (n: number) => {
          const values: Record<string, string | number> = Object.fromEntries(all.map((a) => [a, pluralArgs.includes(a) ? n : "X"]));
          return String(new IntlMessageFormat(source, locale).format(values));
        };
        const one = render(1);
        const two = render(2);
        expect(one, `${locale} ${key} for 1`).toContain("1");
        expect(two, `${locale} ${key} for 2`).toContain("2");
        // Every branch is rendered in full: no leftover syntax.
        expect(one, `${locale} ${key} for 1`).not.toMatch(/[{}#]/);
        expect(two, `${locale} ${key} for 2`).not.toMatch(/[{}#]/);
      }
    }
  });

  it("renders known plurals correctly", () => {
    const en = createTranslator("en");
    const es = createTranslator("es");
    expect(en("common.fixErrors", { count: 1 })).toBe("Please correct 1 field.");
    expect(en("common.fixErrors", { count: 2 })).toBe("Please correct 2 fields.");
    expect(es("common.fixErrors", { count: 1 })).toBe("Corrija 1 campo.");
    expect(es("common.fixErrors", { count: 2 })).toBe("Corrija 2 campos.");
    expect(en("mail.magicLink.body", { minutes: 1 })).toContain("1 minute.");
    expect(es("mail.magicLink.body", { minutes: 10 })).toContain("10 minutos.");
  });

  it("falls back to English, then to the key, for a missing message", () => {
    expect(createTranslator("es")("no.such.key")).toBe("no.such.key");
  });
});
