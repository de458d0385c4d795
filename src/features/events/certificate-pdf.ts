/**
 * The CE certificate as a PDF (pdf-lib, ADR 016). Data in, bytes out; the only I/O is reading the
 * embedded font files once per process (`platform/pdf/fonts.server.ts`).
 * The text is in the event's language (English or Spanish). It is set in DejaVu Sans, embedded as
 * a subset, so names in Latin, Greek, Cyrillic, Vietnamese, Hebrew or Arabic letters print as
 * written; characters the font lacks (e.g. CJK) print as U+FFFD "�" and the verification page
 * linked on the certificate shows the name exactly. Right-to-left shaping is out of scope.
 */
import { PDFDocument, rgb, type PDFFont } from "pdf-lib";
import { drawable, embedUnicodeFonts } from "../../platform/pdf/fonts.server.ts";
import { formatHours } from "./certificate.ts";

export type CertificateData = {
  code: string;
  personName: string;
  organisationName: string;
  eventTitle: string;
  /** yyyy-mm-dd */
  firstDay: string;
  lastDay: string;
  hours: number;
  /** The organisation's accreditation statement (CE-credit statement of the event). */
  statement: string | null;
  issuedAt: Date;
  /** Absolute URL of the public verification page for this code. */
  verifyUrl: string;
  locale: "en" | "es";
};

const TEXT = {
  en: {
    title: "Certificate of Attendance",
    certifies: "This certifies that",
    attended: "attended",
    held: (from: string, to: string) => (from === to ? `held on ${from}` : `held from ${from} to ${to}`),
    hours: (h: string) => `for ${h} hour${h === "1" ? "" : "s"} of continuing education`,
    issued: (d: string) => `Issued on ${d}`,
    code: "Verification code",
    verify: "Check this certificate at",
  },
  es: {
    title: "Certificado de asistencia",
    certifies: "Se certifica que",
    attended: "asistió a",
    held: (from: string, to: string) => (from === to ? `celebrado el ${from}` : `celebrado del ${from} al ${to}`),
    hours: (h: string) => `por ${h} hora${h === "1" ? "" : "s"} de formación continuada`,
    issued: (d: string) => `Emitido el ${d}`,
    code: "Código de verificación",
    verify: "Compruebe este certificado en",
  },
} as const;

function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export async function renderCertificatePdf(data: CertificateData): Promise<Uint8Array> {
  const t = TEXT[data.locale];
  const doc = await PDFDocument.create();
  const page = doc.addPage([842, 595]); // A4 landscape, points
  const { regular, bold } = await embedUnicodeFonts(doc);
  const { width } = page.getSize();
  const ink = rgb(0.1, 0.12, 0.16);
  const muted = rgb(0.35, 0.38, 0.42);

  // Document information is UTF-16 text, independent of the fonts: kept exactly as written.
  doc.setTitle(`${t.title}: ${data.eventTitle}`);
  doc.setAuthor(data.organisationName);
  doc.setSubject(`${t.code} ${data.code}`);
  doc.setProducer("Balint Commons");
  doc.setCreator("Balint Commons");
  doc.setCreationDate(data.issuedAt);
  doc.setModificationDate(data.issuedAt);

  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: 595 - 48, borderColor: rgb(0.2, 0.35, 0.5), borderWidth: 2 });

  // `y` is the top of the next line: each line drops by its font's ascent (DejaVu's accented
  // capitals, e.g. "Ễ", reach higher than Helvetica's), then by a gap under the baseline.
  let y = 528;
  const centre = (text: string, size: number, font: PDFFont, color = ink) => {
    for (const line of wrap(font, drawable(font, text), size, width - 160)) {
      y -= font.heightAtSize(size, { descender: false });
      page.drawText(line, { x: (width - font.widthOfTextAtSize(line, size)) / 2, y, size, font, color });
      y -= size * 0.55;
    }
  };
  centre(data.organisationName, 16, regular, muted);
  y -= 8;
  centre(t.title, 30, bold);
  y -= 14;
  centre(t.certifies, 13, regular, muted);
  centre(data.personName, 24, bold);
  centre(t.attended, 13, regular, muted);
  centre(data.eventTitle, 18, bold);
  centre(t.held(data.firstDay, data.lastDay), 13, regular);
  centre(t.hours(formatHours(data.hours)), 13, regular);
  if (data.statement) {
    y -= 6;
    centre(data.statement, 10, regular, muted);
  }
  const issued = data.issuedAt.toISOString().slice(0, 10);
  page.drawText(drawable(regular, t.issued(issued)), { x: 60, y: 70, size: 10, font: regular, color: muted });
  page.drawText(`${t.code}: ${data.code}`, { x: 60, y: 55, size: 10, font: bold, color: ink });
  page.drawText(drawable(regular, `${t.verify} ${data.verifyUrl}`), { x: 60, y: 40, size: 9, font: regular, color: muted });
  return doc.save();
}
