// Friendly group form fields ⇄ the service's input. Pure (no server imports): the create and edit
// pages turn what people chose (a start date, "every other week", 8 meetings) into the RRULE the
// service validates, and map the service's field errors back onto the fields people see.
import type { FieldError } from "../../../platform/http/errors.ts";
import { CAPACITY_DEFAULT, WEEKDAY_CODES } from "../rules.ts";
import type { ScheduleInput } from "../schemas.ts";

export const FREQUENCIES = ["weekly", "fortnightly", "monthly"] as const;
export type FriendlyFrequency = (typeof FREQUENCIES)[number];
/**
 * The frequency choice for any other rule (UNTIL, BYSETPOS, several weekdays, …): the form then
 * shows the RRULE itself in an "advanced" text field (`rrule`), prefilled, and sends it as it is;
 * the service validates it like any other rule. So a rule the friendly fields cannot express is
 * shown honestly and kept, never silently replaced.
 */
export const CUSTOM_FREQUENCY = "custom";

/** The RRULE typed in the advanced field: trimmed, an optional "RRULE:" prefix removed, upper-cased keys kept as typed. */
export function normaliseRrule(raw: string): string {
  return raw.trim().replace(/^RRULE:/i, "").trim();
}
export const LANGUAGE_CHOICES = ["en", "es", "pt", "fr", "de", "it"] as const;

/** The form's fields as strings (what a browser posts), keyed by input name. */
export type GroupFormValues = Record<string, string>;

/** 0 = Sunday … 6 = Saturday for a YYYY-MM-DD date (calendar arithmetic, no time zone). */
export function weekdayOfDate(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.getUTCDate() !== Number(m[3])) return null;
  return d.getUTCDay();
}

/** Which occurrence of its weekday the date is in its month: 1–4, or -1 for a fifth (= last). */
export function nthOfDate(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const n = Math.ceil(Number(m[3]) / 7);
  return n >= 5 ? -1 : n;
}

/** RRULE from the friendly schedule fields; null when the start date is missing or invalid. */
export function buildRrule(frequency: string, startDate: string, meetings: number): string | null {
  const wd = weekdayOfDate(startDate);
  if (wd === null) return null;
  const day = WEEKDAY_CODES[wd]!;
  const count = `COUNT=${meetings}`;
  if (frequency === "fortnightly") return `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day};${count}`;
  if (frequency === "monthly") return `FREQ=MONTHLY;BYDAY=${nthOfDate(startDate)}${day};${count}`;
  return `FREQ=WEEKLY;BYDAY=${day};${count}`;
}

const num = (v: string | undefined) => {
  const t = (v ?? "").trim();
  return t === "" ? Number.NaN : Number(t);
};
/** A number, or the raw text (so zod names the field instead of silently dropping it). */
const numberOrText = (v: string | undefined): number | string => {
  const n = num(v);
  return Number.isFinite(n) ? n : (v ?? "");
};

export function scheduleFromForm(v: GroupFormValues): ScheduleInput {
  const meetings = num(v["meetings"]);
  const startDate = (v["startDate"] ?? "").trim();
  const startTime = (v["startTime"] ?? "").trim();
  const rrule = v["frequency"] === CUSTOM_FREQUENCY ? normaliseRrule(v["rrule"] ?? "") : (buildRrule(v["frequency"] ?? "weekly", startDate, Number.isInteger(meetings) && meetings > 0 ? meetings : 0) ?? "");
  const first = (v["firstDuration"] ?? "").trim();
  return {
    rrule,
    dtstartLocal: startDate && startTime ? `${startDate}T${startTime.slice(0, 5)}` : "",
    durationMinutes: numberOrText(v["duration"]) as number,
    firstDurationMinutes: first === "" ? null : (numberOrText(first) as number),
  };
}

/** The service's create input from the posted form (`leader:<userId>` selects hold leader/co_leader). */
export function groupInputFromForm(v: GroupFormValues, form: FormData): Record<string, unknown> {
  const format = v["format"] ?? "";
  const text = (k: string) => (v[k] ?? "").trim();
  const leaders: { userId: string; kind: string }[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && key.startsWith("leader:") && (value === "leader" || value === "co_leader")) leaders.push({ userId: key.slice(7), kind: value });
  }
  const languages = form.getAll("languages").filter((x): x is string => typeof x === "string" && x !== "");
  const disciplines = text("disciplines")
    .split(/[,\n]/)
    .map((d) => d.trim())
    .filter(Boolean);
  const input: Record<string, unknown> = {
    name: text("name"),
    description: text("description"),
    format,
    address: format === "online" ? null : text("address") || null,
    meetingLink: format === "in_person" ? null : text("meetingLink") || null,
    disciplines,
    languages,
    timeZone: text("timeZone"),
    schedule: scheduleFromForm(v),
    capacity: numberOrText(v["capacity"] ?? String(CAPACITY_DEFAULT)),
    ceCredit: text("ceCredit") || null,
    visibility: text("visibility") || "listed",
    joinPolicy: text("joinPolicy") || "request",
    leaders,
  };
  if (text("slug")) input["slug"] = text("slug");
  return input;
}

/** Where a service field path shows on the friendly form (`custom`: the advanced RRULE field is in use). */
export function friendlyPath(path: string, custom = false): string {
  if (custom && (path.startsWith("schedule.rrule") || path.startsWith("schedule.count") || path.startsWith("schedule.COUNT") || path.startsWith("schedule.until") || path.startsWith("schedule.UNTIL"))) return "rrule";
  if (path === "schedule.rrule" || path.startsWith("schedule.rrule")) return "frequency";
  if (path.startsWith("schedule.dtstartLocal")) return "startDate";
  if (path.startsWith("schedule.durationMinutes")) return "duration";
  if (path.startsWith("schedule.firstDurationMinutes")) return "firstDuration";
  if (path.startsWith("schedule.count") || path.startsWith("schedule.COUNT")) return "meetings";
  if (path.startsWith("schedule")) return "frequency";
  if (path.startsWith("leaders")) return "leaders";
  if (path.startsWith("languages")) return "languages";
  if (path.startsWith("disciplines")) return "disciplines";
  return path;
}

/** The service's field errors, re-keyed to the friendly fields (first message per field); pass the posted values to place RRULE errors on the advanced field. */
export function friendlyFields(fields: FieldError[], values: GroupFormValues = {}): FieldError[] {
  const custom = values["frequency"] === CUSTOM_FREQUENCY;
  const out: FieldError[] = [];
  for (const f of fields) {
    const path = friendlyPath(f.path, custom);
    if (!out.some((o) => o.path === path)) out.push({ path, message: f.message });
  }
  return out;
}

/** Reads an RRULE written by `buildRrule` back into the friendly fields; null when it is not one of ours. */
export function parseFriendlyRrule(rrule: string): { frequency: FriendlyFrequency; meetings: number } | null {
  const parts = new Map(rrule.split(";").map((p) => p.split("=") as [string, string]));
  const count = Number(parts.get("COUNT"));
  if (!Number.isInteger(count) || parts.has("UNTIL")) return null;
  const freq = parts.get("FREQ");
  const interval = parts.get("INTERVAL") ?? "1";
  const byday = parts.get("BYDAY") ?? "";
  const known = new Set(["FREQ", "INTERVAL", "BYDAY", "COUNT", "WKST"]);
  if ([...parts.keys()].some((k) => !known.has(k))) return null;
  if (freq === "WEEKLY" && /^[A-Z]{2}$/.test(byday) && (interval === "1" || interval === "2")) return { frequency: interval === "2" ? "fortnightly" : "weekly", meetings: count };
  if (freq === "MONTHLY" && /^-?\d[A-Z]{2}$/.test(byday) && interval === "1") return { frequency: "monthly", meetings: count };
  return null;
}

export interface GroupLike {
  slug: string;
  name: string;
  description: string;
  format: string;
  languages: string[];
  disciplines: string[];
  timeZone: string;
  schedule: { rrule: string; dtstartLocal: string; durationMinutes: number; firstDurationMinutes: number | null };
  capacity: number;
  ceCredit: string | null;
  visibility: string;
  joinPolicy: string;
  leaders: { userId: string; kind: string }[];
  meetingDetails: { meetingLink: string | null; address: string | null } | null;
}

/** The edit form's starting values for an existing group. */
export function formValuesOfGroup(g: GroupLike): GroupFormValues {
  const friendly = parseFriendlyRrule(g.schedule.rrule);
  const [date = "", time = ""] = g.schedule.dtstartLocal.split("T");
  const values: GroupFormValues = {
    name: g.name,
    slug: g.slug,
    description: g.description,
    format: g.format,
    address: g.meetingDetails?.address ?? "",
    meetingLink: g.meetingDetails?.meetingLink ?? "",
    disciplines: g.disciplines.join(", "),
    languages: g.languages.join(","),
    timeZone: g.timeZone,
    startDate: date,
    startTime: time.slice(0, 5),
    // A rule the friendly fields cannot express is shown as it is, in the advanced field.
    frequency: friendly?.frequency ?? CUSTOM_FREQUENCY,
    meetings: friendly ? String(friendly.meetings) : "",
    rrule: g.schedule.rrule,
    duration: String(g.schedule.durationMinutes),
    firstDuration: g.schedule.firstDurationMinutes === null ? "" : String(g.schedule.firstDurationMinutes),
    capacity: String(g.capacity),
    ceCredit: g.ceCredit ?? "",
    visibility: g.visibility,
    joinPolicy: g.joinPolicy,
  };
  for (const l of g.leaders) values[`leader:${l.userId}`] = l.kind;
  return values;
}
