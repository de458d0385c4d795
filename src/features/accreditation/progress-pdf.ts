// The candidate's portfolio as a PDF (pdf-lib, like the CE certificates of ADR 016). Data in,
// bytes out. Lists each requirement with what is done and left, and the evidence (labels, dates and
// status only — never case content, never the files themselves). Set in the embedded Unicode font
// of platform/pdf/fonts.server.ts (DejaVu Sans, subset), so names print as written.
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { drawable, embedUnicodeFonts } from "../../platform/pdf/fonts.server.ts";
import type { Evaluation, LeftItem } from "./progress.ts";

export interface PortfolioData {
  candidateName: string;
  organisationName: string;
  title: string;
  version: number;
  status: string;
  enrolledAt: string;
  evaluation: Evaluation;
  evidence: { kind: string; description: string; occurredOn: string; hours: number | null; status: string }[];
  generatedAt: Date;
}

export function leftText(l: LeftItem): string {
  switch (l.what) {
    case "count":
      return `${l.count} more`;
    case "span_months":
      return `${l.count} more month(s) of span`;
    case "active_months":
      return `${l.count} more month(s) with a session`;
    case "final_event":
      return "a final credentialing event";
    case "membership":
      return "membership in good standing";
    case "membership_months":
      return `${l.count} more month(s) of membership`;
    case "competency":
      return `${l.competency.replaceAll("_", " ")} at level ${l.minLevel} (now ${l.level ?? "not rated"})`;
  }
}

export async function renderPortfolioPdf(d: PortfolioData): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Portfolio — ${d.title}`);
  doc.setCreator("Balint Commons");
  doc.setCreationDate(d.generatedAt);
  const { regular: font, bold } = await embedUnicodeFonts(doc);
  let page: PDFPage = doc.addPage([595.28, 841.89]);
  let y = 790;
  const line = (text: string, f: PDFFont = font, size = 10, indent = 0) => {
    if (y < 60) {
      page = doc.addPage([595.28, 841.89]);
      y = 790;
    }
    const safe = drawable(f, text);
    // Wrap at ~95 characters.
    const words = safe.split(" ");
    let current = "";
    const flush = () => {
      page.drawText(current, { x: 50 + indent, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
      y -= size + 5;
      current = "";
    };
    for (const w of words) {
      if (f.widthOfTextAtSize(`${current} ${w}`, size) > 495 - indent && current) flush();
      current = current ? `${current} ${w}` : w;
    }
    if (current) flush();
  };
  line("Accreditation portfolio", bold, 18);
  y -= 6;
  line(`${d.candidateName} — ${d.organisationName}`, bold, 12);
  line(`${d.title} (version ${d.version}) · status: ${d.status} · enrolled ${d.enrolledAt.slice(0, 10)}`);
  line(`Generated ${d.generatedAt.toISOString().slice(0, 10)} · ${d.evaluation.metCount} of ${d.evaluation.requirements.length} requirements met · ${Math.round(d.evaluation.fraction * 100)}% overall`);
  y -= 10;
  line("Requirements", bold, 13);
  for (const r of d.evaluation.requirements) {
    line(`${r.met ? "[met]" : "[open]"} ${r.label}`, bold, 10);
    const left = r.left.map(leftText).join("; ");
    line(`${r.done} of ${r.required}${left ? ` · left: ${left}` : ""}${r.projectedDate ? ` · projected ${r.projectedDate}` : ""}`, font, 9, 14);
  }
  y -= 10;
  line("Evidence", bold, 13);
  if (!d.evidence.length) line("None added.", font, 9);
  for (const e of d.evidence) line(`${e.occurredOn} · ${e.kind.replaceAll("_", " ")} · ${e.description}${e.hours !== null ? ` · ${e.hours} h` : ""} · ${e.status}`, font, 9);
  return doc.save();
}
