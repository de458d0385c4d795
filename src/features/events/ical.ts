// RFC 5545 calendar text for training events: one VEVENT per session (a package: every session of
// every event in it). Pure: no I/O. Times are written in UTC, so no VTIMEZONE is needed.
// Privacy: SUMMARY is the event's title and the session's title; LOCATION is the venue (or the
// online link only when `includeLink` — for a confirmed registrant's own calendar). No attendees.

export interface IcsSession {
  id: string;
  eventTitle: string;
  title: string;
  start: Date;
  end: Date;
  location: string | null;
  url: string | null;
}

const escapeText = (s: string) => s.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
const utc = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

/** Folds a content line at 75 octets (RFC 5545 §3.1). */
function fold(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch, "utf8");
    if (size + n > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function buildEventCalendar(input: { name: string; sessions: IcsSession[]; stamp: Date; uidDomain: string; cancelled?: boolean }): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Balint Commons//Events//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", `X-WR-CALNAME:${escapeText(input.name)}`];
  for (const s of [...input.sessions].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    lines.push(
      "BEGIN:VEVENT",
      `UID:${s.id}@${input.uidDomain}`,
      `DTSTAMP:${utc(input.stamp)}`,
      `DTSTART:${utc(s.start)}`,
      `DTEND:${utc(s.end)}`,
      `SUMMARY:${escapeText(`${s.eventTitle}: ${s.title}`)}`,
    );
    if (s.location) lines.push(`LOCATION:${escapeText(s.location)}`);
    if (s.url) lines.push(`URL:${s.url}`);
    lines.push(`STATUS:${input.cancelled ? "CANCELLED" : "CONFIRMED"}`, "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(fold).join("\r\n") + "\r\n";
}
