/**
 * Test support: the text drawn on each page of a PDF written by pdf-lib, one string per text-show
 * operator (`Tj`), decoded the way a PDF reader copies text — through each embedded font's
 * ToUnicode map (Type0/Identity-H subsets), or as single bytes for the standard fonts.
 * Enough for our own renderers (one `Tj` per drawn line), not a general PDF text extractor.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFObject } from "pdf-lib";

function streamText(doc: PDFDocument, obj: PDFObject | undefined): string {
  const resolved = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (resolved instanceof PDFRawStream) return new TextDecoder("latin1").decode(decodePDFRawStream(resolved).decode());
  if (resolved instanceof PDFArray) return resolved.asArray().map((o) => streamText(doc, o)).join("\n");
  return "";
}

/** glyph code (hex) → text, from a ToUnicode CMap as pdf-lib writes it (bfchar entries). */
function parseToUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, utf16] of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const units = utf16!.match(/.{4}/g)!.map((u) => Number.parseInt(u, 16));
      map.set(code!.toLowerCase(), String.fromCharCode(...units));
    }
  }
  return map;
}

type FontDecoder = (hex: string) => string;

function fontDecoder(doc: PDFDocument, fontDict: PDFDict): FontDecoder {
  const toUnicode = fontDict.get(PDFName.of("ToUnicode"));
  if (toUnicode) {
    const map = parseToUnicode(streamText(doc, toUnicode));
    return (hex) => (hex.toLowerCase().match(/.{4}/g) ?? []).map((code) => map.get(code) ?? `[missing ${code}]`).join("");
  }
  // Standard font, WinAnsi: one byte a character (Latin-1 is close enough for tests).
  return (hex) => String.fromCharCode(...(hex.match(/.{2}/g) ?? []).map((b) => Number.parseInt(b, 16)));
}

export type PdfFontInfo = { resource: string; baseFont: string; subtype: string; hasToUnicode: boolean };

/** Text lines per page, and the fonts each page uses. */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: string[][]; fonts: PdfFontInfo[] }> {
  const doc = await PDFDocument.load(bytes);
  const pages: string[][] = [];
  const fonts = new Map<string, PdfFontInfo>();
  for (const page of doc.getPages()) {
    const fontRes = page.node.Resources()?.lookupMaybe(PDFName.of("Font"), PDFDict);
    const decoders = new Map<string, FontDecoder>();
    for (const [name, ref] of fontRes?.entries() ?? []) {
      const dict = doc.context.lookup(ref, PDFDict);
      decoders.set(name.decodeText(), fontDecoder(doc, dict));
      fonts.set(name.decodeText(), {
        resource: name.decodeText(),
        baseFont: dict.get(PDFName.of("BaseFont"))?.toString() ?? "",
        subtype: dict.get(PDFName.of("Subtype"))?.toString() ?? "",
        hasToUnicode: dict.has(PDFName.of("ToUnicode")),
      });
    }
    const content = streamText(doc, page.node.get(PDFName.of("Contents")));
    const lines: string[] = [];
    let decode: FontDecoder | undefined;
    for (const m of content.matchAll(/\/([^\s/]+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (m[1] !== undefined) decode = decoders.get(m[1]);
      else if (decode) lines.push(decode(m[2]!));
    }
    pages.push(lines);
  }
  return { pages, fonts: [...fonts.values()] };
}
