import { describe, expect, it } from "vitest";
import { DEFAULT_LOCALE, isLocale, isTimeZone, negotiateLocale } from "./locales.ts";

describe("negotiateLocale", () => {
  it.each([
    // [profile, Accept-Language, expected]
    [null, undefined, "en"],
    [null, "", "en"],
    [null, "es", "es"],
    [null, "es-MX,es;q=0.9,en;q=0.8", "es"],
    [null, "ES-ar", "es"],
    [null, "fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7", "es"],
    [null, "fr-FR,de;q=0.9", "en"],
    [null, "en;q=0.5,es;q=0.8", "es"],
    [null, "es;q=0,en", "en"],
    [null, "es;q=abc,en;q=0.1", "en"],
    [null, "*", "en"],
    [null, "en,es", "en"],
    [null, "es,en", "es"],
    ["es", "en-GB,en;q=0.9", "es"],
    ["en", "es", "en"],
    ["fr", "es", "es"],
    ["", "es", "es"],
    [undefined, "  es-419 ; q=0.9 ", "es"],
  ] as const)("profile %s, Accept-Language %j → %s", (profile, header, expected) => {
    expect(negotiateLocale(profile, header)).toBe(expected);
  });

  it("defaults to English", () => {
    expect(DEFAULT_LOCALE).toBe("en");
  });
});

describe("isLocale and isTimeZone", () => {
  it("accepts only supported locales", () => {
    expect(isLocale("en")).toBe(true);
    expect(isLocale("es")).toBe(true);
    expect(isLocale("es-MX")).toBe(false);
    expect(isLocale(undefined)).toBe(false);
    expect(isLocale(3)).toBe(false);
  });
  it("knows IANA time zones", () => {
    expect(isTimeZone("Europe/Madrid")).toBe(true);
    expect(isTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});
