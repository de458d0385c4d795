/**
 * The CE certificate as a PDF (pdf-lib, ADR 016). Pure: data in, bytes out; no I/O.
 * The text is in the event's language (English or Spanish). The standard PDF fonts cover the
 * Windows-1252 character set only; characters outside it are transliterated (accents kept
 * when they exist in that set, otherwise dropped) so a name never breaks the document.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont } from "pdf-lib";
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

/** Keeps what the font can draw; other characters lose their accents or become "?". */
export function drawable(font: PDFFont, text: string): string {
  let out = "";
  for (const ch of text.replace(/[\r\n\t]+/g, " ")) {
    if (canEncode(font, ch)) out += ch;
    else {
      const plain = ch.normalize("NFKD").replace(/\p{M}/gu, "");
      out += plain && [...plain].every((c) => canEncode(font, c)) ? plain : "?";
    }
  }
  return out;
}

function canEncode(font: PDFFont, ch: string): boolean {
  try {
    font.encodeText(ch);
    return true;
  } catch {
    return false;
  }
}

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
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const { width } = page.getSize();
  const ink = rgb(0.1, 0.12, 0.16);
  const muted = rgb(0.35, 0.38, 0.42);

  doc.setTitle(drawable(regular, `${t.title}: ${data.eventTitle}`));
  doc.setAuthor(drawable(regular, data.organisationName));
  doc.setSubject(`${t.code} ${data.code}`);
  doc.setProducer("Balint Commons");
  doc.setCreator("Balint Commons");
  doc.setCreationDate(data.issuedAt);
  doc.setModificationDate(data.issuedAt);

  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: 595 - 48, borderColor: rgb(0.2, 0.35, 0.5), borderWidth: 2 });

  let y = 500;
  const centre = (text: string, size: number, font: PDFFont, color = ink) => {
    for (const line of wrap(font, drawable(font, text), size, width - 160)) {
      page.drawText(line, { x: (width - font.widthOfTextAtSize(line, size)) / 2, y, size, font, color });
      y -= size * 1.35;
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
