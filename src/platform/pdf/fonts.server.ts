/**
 * Unicode fonts for the PDFs we render (CE certificates, accreditation portfolios; ADR 016).
 *
 * DejaVu Sans and DejaVu Sans Bold (package `dejavu-fonts-ttf`, Bitstream Vera licence with
 * public-domain DejaVu changes) are embedded through `@pdf-lib/fontkit` as subsets: only the
 * glyphs a document uses are written, with a ToUnicode map so the text can be copied and searched.
 * They cover Latin (with Extended-A/B and Vietnamese), Greek, Cyrillic, Armenian, Georgian,
 * Hebrew and Arabic letters. Not covered: CJK and most Indic scripts. Right-to-left text is
 * drawn in logical order and Arabic without contextual shaping: bidirectional layout and shaping
 * are out of scope.
 *
 * A character the font lacks is first tried without its accents (NFKD without marks); if still
 * missing it is drawn as U+FFFD "�", the replacement character: visibly not a letter, never a
 * plausible wrong one. `missingCharacters()` tells callers which characters that was.
 *
 * The font files are read once per process (lazy, module-level) from node_modules, resolved from
 * this module with `createRequire`, so it works from `src/` (the server runs the TypeScript
 * directly) and from any bundle that keeps node_modules beside it.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument, PDFFont } from "pdf-lib";

export const REPLACEMENT = "\uFFFD";

const FILES = {
  regular: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  bold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
} as const;

type Face = { bytes: Uint8Array; has: (codePoint: number) => boolean };
type Faces = Record<keyof typeof FILES, Face>;

let faces: Promise<Faces> | undefined;

/** Where the font files are on this machine (for diagnostics and tests). */
export function fontPaths(): Record<keyof typeof FILES, string> {
  const require = createRequire(import.meta.url);
  return { regular: require.resolve(FILES.regular), bold: require.resolve(FILES.bold) };
}

async function loadFace(path: string): Promise<Face> {
  const bytes = new Uint8Array(await readFile(path));
  const font = fontkit.create(bytes);
  const cache = new Map<number, boolean>();
  return {
    bytes,
    has: (cp) => {
      let known = cache.get(cp);
      if (known === undefined) cache.set(cp, (known = font.hasGlyphForCodePoint(cp)));
      return known;
    },
  };
}

function loadFaces(): Promise<Faces> {
  faces ??= (async () => {
    const paths = fontPaths();
    const [regular, bold] = await Promise.all([loadFace(paths.regular), loadFace(paths.bold)]);
    return { regular, bold };
  })().catch((error: unknown) => {
    faces = undefined; // a missing file is a deployment error: let the next request try again
    throw error;
  });
  return faces;
}

/** Which glyph check applies to an embedded font (standard fonts are not in here). */
const coverage = new WeakMap<PDFFont, (codePoint: number) => boolean>();

export type UnicodeFonts = { regular: PDFFont; bold: PDFFont };

/** Embeds DejaVu Sans regular and bold into `doc`, subset to the glyphs the document uses. */
export async function embedUnicodeFonts(doc: PDFDocument): Promise<UnicodeFonts> {
  const f = await loadFaces();
  doc.registerFontkit(fontkit);
  const [regular, bold] = await Promise.all([doc.embedFont(f.regular.bytes, { subset: true }), doc.embedFont(f.bold.bytes, { subset: true })]);
  coverage.set(regular, f.regular.has);
  coverage.set(bold, f.bold.has);
  return { regular, bold };
}

function canDraw(font: PDFFont, ch: string): boolean {
  const has = coverage.get(font);
  if (has) return has(ch.codePointAt(0)!);
  try {
    font.encodeText(ch); // a standard (WinAnsi) font throws for characters outside its set
    return true;
  } catch {
    return false;
  }
}

/**
 * The text as `font` can draw it: NFC, line breaks and tabs as spaces; a character the font lacks
 * loses its accents if that helps, otherwise becomes U+FFFD (or "?" in a standard font, which has
 * no U+FFFD).
 */
export function drawable(font: PDFFont, text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC").replace(/[\r\n\t]+/g, " ")) {
    if (canDraw(font, ch)) out += ch;
    else {
      const plain = ch.normalize("NFKD").replace(/\p{M}/gu, "");
      if (plain && [...plain].every((c) => canDraw(font, c))) out += plain;
      else out += canDraw(font, REPLACEMENT) ? REPLACEMENT : "?";
    }
  }
  return out;
}

/** The distinct characters of `text` that `font` cannot draw even without accents. */
export function missingCharacters(font: PDFFont, text: string): string[] {
  const missing = new Set<string>();
  for (const ch of text.normalize("NFC")) {
    if (canDraw(font, ch) || /[\r\n\t]/.test(ch)) continue;
    const plain = ch.normalize("NFKD").replace(/\p{M}/gu, "");
    if (!plain || ![...plain].every((c) => canDraw(font, c))) missing.add(ch);
  }
  return [...missing];
}
