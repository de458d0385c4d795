import fc from "fast-check";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { newCertificateCode, normaliseCertificateCode } from "./certificate.ts";
import { renderCertificatePdf, type CertificateData } from "./certificate-pdf.ts";
import { REPLACEMENT } from "../../platform/pdf/fonts.server.ts";
import { pdfText } from "../../platform/pdf/pdf-text.test-support.ts";
import { filterAttendees, summariseAttendance } from "./checkin.ts";

describe("certificate codes", () => {
  it("round-trips and reads forgivingly", () => {
    const code = newCertificateCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Y]{4}(-[0-9A-HJKMNP-TV-Y]{4}){3}$/);
    expect(normaliseCertificateCode(code)).toBe(code);
    expect(normaliseCertificateCode(` ${code.toLowerCase().replaceAll("-", " ")} `)).toBe(code);
    expect(normaliseCertificateCode(code.replaceAll("1", "l").replaceAll("0", "o"))).toBe(code);
  });

  it("rejects any single changed symbol and any swap of neighbours", () => {
    const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXY";
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 15, maxLength: 15, max: 247 }), fc.nat({ max: 15 }), fc.nat({ max: 30 }), (bytes, pos, sym) => {
        const code = newCertificateCode((n) => bytes.slice(0, n));
        const raw = code.replaceAll("-", "");
        const changed = raw.slice(0, pos) + alphabet[sym] + raw.slice(pos + 1);
        if (changed !== raw) expect(normaliseCertificateCode(changed)).toBeNull();
        if (pos < 15 && raw[pos] !== raw[pos + 1]) {
          const swapped = raw.slice(0, pos) + raw[pos + 1] + raw[pos] + raw.slice(pos + 2);
          expect(normaliseCertificateCode(swapped)).toBeNull();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses junk", () => {
    for (const junk of ["", "abc", "x".repeat(41), "AAAA-AAAA-AAAA-AAA!", "UUUU-UUUU-UUUU-UUUU", "ZZZZ-ZZZZ-ZZZZ-ZZZZ"]) expect(normaliseCertificateCode(junk)).toBeNull();
  });
});

describe("attendance", () => {
  const sessions = [
    { dayId: "d1", startsAt: "2026-04-16T09:00:00Z", endsAt: "2026-04-16T12:30:00Z" },
    { dayId: "d1", startsAt: "2026-04-16T14:00:00Z", endsAt: "2026-04-16T16:00:00Z" },
    { dayId: "d2", startsAt: "2026-04-17T09:00:00Z", endsAt: "2026-04-17T12:00:00Z" },
  ];
  it("adds the sessions of attended days", () => {
    expect(summariseAttendance(sessions, ["d1"], null)).toEqual({ daysAttended: 1, attendedHours: 5.5, totalHours: 8.5, creditHours: 5.5 });
    expect(summariseAttendance(sessions, [], null).creditHours).toBe(0);
  });
  it("pro-rates CE hours and rounds down to a quarter", () => {
    // 10 CE hours × 5.5 / 8.5 = 6.47 → 6.25
    expect(summariseAttendance(sessions, ["d1"], 10).creditHours).toBe(6.25);
    expect(summariseAttendance(sessions, ["d1", "d2"], 10).creditHours).toBe(10);
  });
  it("never credits more than was attended or than the event offers", () => {
    fc.assert(
      fc.property(fc.subarray(["d1", "d2"]), fc.option(fc.double({ min: 0, max: 40, noNaN: true }), { nil: null }), (days, ce) => {
        const s = summariseAttendance(sessions, days, ce);
        expect(s.creditHours).toBeGreaterThanOrEqual(0);
        if (ce === null) expect(s.creditHours).toBeLessThanOrEqual(s.attendedHours);
        else expect(s.creditHours).toBeLessThanOrEqual(ce);
      }),
    );
  });
  it("search ignores case and accents", () => {
    const people = [{ name: "José Núñez", email: "jn@example.org" }, { name: "Ana Li", email: "ana@example.org" }];
    expect(filterAttendees(people, "jose nun").map((p) => p.name)).toEqual(["José Núñez"]);
    expect(filterAttendees(people, "EXAMPLE")).toHaveLength(2);
    expect(filterAttendees(people, "  ")).toHaveLength(2);
  });
});

describe("certificate PDF", () => {
  it("renders a one-page PDF with the facts in its metadata, whatever the name's script", async () => {
    const bytes = await renderCertificatePdf({
      code: "7K3M-Q9TX-2HBC-R5W1",
      personName: "Łukasz Ñandú 王小明",
      organisationName: "American Balint Society",
      eventTitle: "Spring Intensive",
      firstDay: "2026-04-16",
      lastDay: "2026-04-19",
      hours: 22.5,
      statement: "Accredited for 24 hours.",
      issuedAt: new Date("2026-04-20T10:00:00Z"),
      verifyUrl: "https://example.org/verify/certificate/7K3M-Q9TX-2HBC-R5W1",
      locale: "es",
    });
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe("Certificado de asistencia: Spring Intensive");
    expect(doc.getSubject()).toBe("Código de verificación 7K3M-Q9TX-2HBC-R5W1");
  });
});

describe("certificate PDF: names in any of the font's scripts print exactly", () => {
  const base: CertificateData = {
    code: "7K3M-Q9TX-2HBC-R5W1",
    personName: "",
    organisationName: "Société Balint de Łódź",
    eventTitle: "Spring Intensive",
    firstDay: "2026-04-16",
    lastDay: "2026-04-16",
    hours: 8,
    statement: null,
    issuedAt: new Date("2026-04-20T10:00:00Z"),
    verifyUrl: "https://example.org/verify/certificate/7K3M-Q9TX-2HBC-R5W1",
    locale: "en",
  };
  const names = [
    "Łukasz Wróbel", // Polish
    "Ștefan Țurcanu", // Romanian (comma below)
    "Şahin Ağaoğlu", // Turkish
    "Řehoř Šťastný", // Czech
    "Nguyễn Thị Bảo Ngọc", // Vietnamese
    "Ελένη Παπαδοπούλου", // Greek
    "Дмитрий Иванов", // Cyrillic (Russian)
    "Олена Ґудзь", // Cyrillic (Ukrainian)
    "محمد علي", // Arabic
    "יוסף כהן", // Hebrew
  ];
  // fontkit lays a right-to-left line out right to left: the PDF holds it in visual order (as PDFs
  // do; a reader's bidi pass gives the logical order back). Mixed-direction lines are out of scope.
  const visual = (s: string) => (/[\p{Script=Arabic}\p{Script=Hebrew}]/u.test(s) ? [...s].toReversed().join("") : s);
  it.each(names)("%s", async (personName) => {
    const { pages, fonts } = await pdfText(await renderCertificatePdf({ ...base, personName }));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain(visual(personName));
    expect(pages[0]).toContain("Société Balint de Łódź");
    expect(pages[0]!.join("\n")).not.toContain(REPLACEMENT);
    // Only the embedded subsets are used, each with a ToUnicode map (copy/search give the name).
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatchObject({ subtype: "/Type0", hasToUnicode: true, baseFont: expect.stringMatching(/^\/DejaVuSans(-Bold)?-\d+$/) });
  });

  it("decomposed input (NFD) prints the composed name", async () => {
    const { pages } = await pdfText(await renderCertificatePdf({ ...base, personName: "Nguyễn Đức".normalize("NFD") }));
    expect(pages[0]).toContain("Nguyễn Đức");
  });

  it("CJK, which the font lacks, prints as U+FFFD around what it can draw, never as a plausible letter", async () => {
    const { pages } = await pdfText(await renderCertificatePdf({ ...base, personName: "Łukasz 王小明" }));
    expect(pages[0]).toContain(`Łukasz ${REPLACEMENT.repeat(3)}`);
    expect(pages[0]!.join("\n")).not.toMatch(/Łukasz \?/);
  });

  it("wraps a long name over several centred lines and prints all of it", async () => {
    const personName = "Maria-Magdalena Ștefănescu-Wróblewska Παπαδοπούλου Дмитриевна Nguyễn Thị Bảo Ngọc";
    const bytes = await renderCertificatePdf({ ...base, personName });
    const { pages } = await pdfText(bytes);
    const nameLines = pages[0]!.filter((l) => personName.includes(l) && l.length > 3);
    expect(nameLines.length).toBeGreaterThan(1);
    expect(nameLines.join(" ")).toBe(personName);
    expect(new TextDecoder("latin1").decode(bytes)).not.toContain("Helvetica");
  });
});
