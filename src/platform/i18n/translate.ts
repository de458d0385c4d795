import { IntlMessageFormat } from "intl-messageformat";
import { catalogs } from "./catalog.ts";
import type { Locale } from "./locales.ts";

export type Translate = (key: string, values?: Record<string, string | number | Date>) => string;

const cache = new Map<string, IntlMessageFormat>();

/** Server-side translation (emails, API messages) with ICU plurals, falling back to English. */
export function createTranslator(locale: Locale): Translate {
  return (key, values) => {
    const source = catalogs[locale][key] ?? catalogs.en[key];
    if (source === undefined) return key;
    const cacheKey = `${locale}\u0000${key}`;
    let format = cache.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(source, locale);
      cache.set(cacheKey, format);
    }
    return String(format.format(values));
  };
}
