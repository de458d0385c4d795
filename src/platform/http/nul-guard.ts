/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a value containing one fails in the
 * database. This finds NUL characters in request input up front, so the answer is a 400 that
 * names the field instead of a 500.
 */
const NUL = "\u0000";

/** The path (e.g. "name", "leaders.0.userId") of the first string holding a NUL, or null. */
export function findNulInJson(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return value.includes(NUL) ? path.join(".") || "(body)" : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNulInJson(item, [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) return [...path, key].join(".");
      const found = findNulInJson(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** The field of a form body (urlencoded or multipart) whose text holds a NUL, or null. */
export function findNulInForm(text: string, contentType: string): string | null {
  if (contentType.includes("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(text)) {
      if (key.includes(NUL) || value.includes(NUL)) return key.replaceAll(NUL, "") || "(body)";
    }
    return null;
  }
  if (!text.includes(NUL)) return null;
  // multipart/form-data: uploaded files (parts with a filename) are binary and may hold NUL bytes;
  // only the text fields are checked.
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.includes("multipart/form-data") && boundary) {
    for (const part of text.split(`--${boundary}`)) {
      const split = part.indexOf("\r\n\r\n");
      if (split < 0) continue;
      const headers = part.slice(0, split);
      if (/content-disposition:[^\r\n]*;\s*filename\*?=/i.test(headers)) continue;
      if (part.includes(NUL)) return "(body)";
    }
    return null;
  }
  return "(body)";
}

/** Where in a request body a NUL is, or null. Bodies that are not JSON or forms are not inspected. */
export function findNulInBody(text: string, contentType: string): string | null {
  if (contentType.includes("json")) {
    if (!text.includes("\\u0000") && !text.includes(NUL)) return null;
    try {
      return findNulInJson(JSON.parse(text));
    } catch {
      return null; // malformed JSON is reported by the JSON parser as such
    }
  }
  if (contentType.includes("form")) return findNulInForm(text, contentType);
  return null;
}
