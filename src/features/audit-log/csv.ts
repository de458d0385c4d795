/** CSV writing for the audit export: RFC 4180 quoting plus a guard against spreadsheet formulas. */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: a value starting with = + - @ (or a tab / carriage return) is prefixed with an
 * apostrophe so spreadsheet programs show it as text instead of running it; cells holding a
 * quote, comma or line break are quoted, with quotes doubled.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return values.map(csvCell).join(",");
}

/** Lines end in CRLF, as RFC 4180 says. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>): string {
  return [csvRow(header), ...rows.map(csvRow)].join("\r\n") + "\r\n";
}
