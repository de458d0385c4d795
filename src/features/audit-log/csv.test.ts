import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "./csv.ts";
import { endOfDay, startOfDay } from "./time-zone.ts";

describe("csvCell", () => {
  it("leaves plain values alone", () => {
    expect(csvCell("member.removed")).toBe("member.removed");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
  });
  it("neutralises spreadsheet formulas", () => {
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("a=b")).toBe("a=b");
  });
  it("joins rows with CRLF", () => {
    expect(toCsv(["a", "b"], [["1", "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });
});

describe("calendar days in a time zone", () => {
  it("starts a day at local midnight", () => {
    expect(startOfDay("2026-01-15", "UTC").toISOString()).toBe("2026-01-15T00:00:00.000Z");
    expect(startOfDay("2026-01-15", "America/New_York").toISOString()).toBe("2026-01-15T05:00:00.000Z");
    expect(startOfDay("2026-07-15", "America/New_York").toISOString()).toBe("2026-07-15T04:00:00.000Z");
    expect(startOfDay("2026-01-15", "Asia/Kolkata").toISOString()).toBe("2026-01-14T18:30:00.000Z");
  });
  it("handles daylight-saving days", () => {
    // 8 March 2026: New York springs forward at 02:00; midnight is still EST.
    expect(startOfDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(endOfDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
  });
  it("ends a day where the next begins, across month ends", () => {
    expect(endOfDay("2026-01-31", "UTC").toISOString()).toBe("2026-02-01T00:00:00.000Z");
  });
});
