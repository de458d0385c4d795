import { describe, expect, it } from "vitest";
import { REPLACEMENT } from "../../platform/pdf/fonts.server.ts";
import { pdfText } from "../../platform/pdf/pdf-text.test-support.ts";
import { renderPortfolioPdf, type PortfolioData } from "./progress-pdf.ts";

const base: PortfolioData = {
  candidateName: "",
  organisationName: "Towarzystwo Balinta, Łódź",
  title: "Leader accreditation",
  version: 1,
  status: "active",
  enrolledAt: "2026-01-10T00:00:00Z",
  evaluation: { requirements: [], met: false, metCount: 0, fraction: 0, projectedDate: null },
  evidence: [{ kind: "co_leading", description: "Група с Ελένη — Şahin, Řehoř", occurredOn: "2026-02-01", hours: 1.5, status: "verified" }],
  generatedAt: new Date("2026-03-01T00:00:00Z"),
};

describe("portfolio PDF", () => {
  it.each(["Łukasz Wróbel", "Ștefan Țurcanu", "Nguyễn Thị Bảo Ngọc", "Ελένη Παπαδοπούλου", "Дмитрий Иванов"])("prints %s exactly", async (candidateName) => {
    const { pages, fonts } = await pdfText(await renderPortfolioPdf({ ...base, candidateName }));
    expect(pages[0]).toContain(`${candidateName} — Towarzystwo Balinta, Łódź`);
    expect(pages[0]).toContain("2026-02-01 · co leading · Група с Ελένη — Şahin, Řehoř · 1.5 h · verified");
    expect(fonts.every((f) => f.subtype === "/Type0" && f.hasToUnicode && f.baseFont.startsWith("/DejaVuSans"))).toBe(true);
  });

  it("marks characters the font lacks (CJK) with U+FFFD, keeping the rest", async () => {
    const { pages } = await pdfText(await renderPortfolioPdf({ ...base, candidateName: "Wang 王小明" }));
    expect(pages[0]).toContain(`Wang ${REPLACEMENT.repeat(3)} — Towarzystwo Balinta, Łódź`);
  });
});
