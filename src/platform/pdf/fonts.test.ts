import { existsSync } from "node:fs";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { REPLACEMENT, drawable, embedUnicodeFonts, fontPaths, missingCharacters } from "./fonts.server.ts";

describe("embedded Unicode fonts", () => {
  it("resolves the font files from node_modules", () => {
    const paths = fontPaths();
    expect(paths.regular).toMatch(/dejavu-fonts-ttf\/ttf\/DejaVuSans\.ttf$/);
    expect(paths.bold).toMatch(/DejaVuSans-Bold\.ttf$/);
    expect(existsSync(paths.regular) && existsSync(paths.bold)).toBe(true);
  });

  it("keeps what the font has, strips accents only where that helps, marks the rest with U+FFFD", async () => {
    const { regular, bold } = await embedUnicodeFonts(await PDFDocument.create());
    for (const font of [regular, bold]) {
      expect(drawable(font, "Łukasz Ștefan Şahin Řehoř Nguyễn Ελένη Дмитрий יוסף محمد")).toBe("Łukasz Ștefan Şahin Řehoř Nguyễn Ελένη Дмитрий יוסף محمد");
      expect(drawable(font, "Ana\n\tLi")).toBe("Ana Li");
      expect(drawable(font, "王小明 Li")).toBe(`${REPLACEMENT.repeat(3)} Li`);
      expect(missingCharacters(font, "王小明 王 Łukasz")).toEqual(["王", "小", "明"]);
      expect(missingCharacters(font, "Nguyễn")).toEqual([]);
    }
  });

  it("embeds only a subset: a certificate-sized document stays small", async () => {
    const doc = await PDFDocument.create();
    const { regular } = await embedUnicodeFonts(doc);
    doc.addPage().drawText(drawable(regular, "Łukasz Wróbel"), { font: regular, size: 12, x: 50, y: 50 });
    const bytes = await doc.save();
    expect(bytes.length).toBeLessThan(60_000); // the whole font file is 757 KB
  });

  it("a standard font (no U+FFFD) keeps the old behaviour: accents stripped, else \"?\"", async () => {
    const helvetica = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
    expect(drawable(helvetica, "Łukasz Ñandú 王")).toBe("?ukasz Ñandú ?");
  });
});
