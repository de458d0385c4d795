/**
 * Languages clinicians commonly take part in a group in (BCP 47). Names are shown in the
 * viewer's own language with Intl.DisplayNames. Shared by server and UI.
 */
export const GROUP_LANGUAGES = [
  "en", "es", "pt", "fr", "de", "it", "nl", "ca", "eu", "gl",
  "sv", "da", "nb", "fi", "is", "pl", "cs", "sk", "hu", "ro",
  "bg", "hr", "sr", "sl", "el", "tr", "ru", "uk", "he", "ar",
  "fa", "hi", "ur", "bn", "pa", "ta", "zh", "ja", "ko", "vi",
  "tl", "th", "id", "ms", "sw", "am", "yo", "ht", "ase",
] as const;

/** Names some runtimes lack. */
const FALLBACK_NAMES: Record<string, Record<string, string>> = {
  ase: { en: "American Sign Language", es: "Lengua de señas estadounidense" },
};

/**
 * A language's name in `locale`, falling back to the code itself. Compute it on the server and
 * send it down, so the browser's own ICU data cannot make the hydrated text differ.
 */
export function languageName(code: string, locale: string): string {
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames([locale], { type: "language", fallback: "code" }).of(code);
  } catch {
    name = undefined;
  }
  if (!name || name === code) name = FALLBACK_NAMES[code]?.[locale] ?? FALLBACK_NAMES[code]?.["en"] ?? code;
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}
