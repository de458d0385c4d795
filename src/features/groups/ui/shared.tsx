import { FormattedMessage, useIntl } from "react-intl";
import { isRouteErrorResponse, useRouteError } from "react-router";
import { WEEKDAY_CODES } from "../rules.ts";

export interface ScheduleLike {
  rrule: string;
  dtstartLocal: string;
  durationMinutes: number;
  firstDurationMinutes: number | null;
}

export type ScheduleShape =
  | { kind: "weekly" | "fortnightly"; weekday: number; count: number | null }
  | { kind: "monthly"; weekday: number; nth: number; count: number | null }
  | { kind: "other"; count: number | null };

/** The shape of an RRULE, for saying it in words. Unknown rules read as "regular meetings". */
export function scheduleShape(rrule: string): ScheduleShape {
  const parts = new Map(rrule.split(";").map((p) => p.split("=") as [string, string]));
  const countRaw = Number(parts.get("COUNT"));
  const count = Number.isInteger(countRaw) && countRaw > 0 ? countRaw : null;
  const byday = parts.get("BYDAY") ?? "";
  const interval = parts.get("INTERVAL") ?? "1";
  const simple = /^([A-Z]{2})$/.exec(byday);
  const nth = /^(-?\d)([A-Z]{2})$/.exec(byday);
  const wd = (code: string | undefined) => WEEKDAY_CODES.indexOf((code ?? "") as (typeof WEEKDAY_CODES)[number]);
  if (parts.get("FREQ") === "WEEKLY" && simple && wd(simple[1]) >= 0 && (interval === "1" || interval === "2")) {
    return { kind: interval === "2" ? "fortnightly" : "weekly", weekday: wd(simple[1]), count };
  }
  if (parts.get("FREQ") === "MONTHLY" && nth && wd(nth[2]) >= 0 && interval === "1") return { kind: "monthly", weekday: wd(nth[2]), nth: Number(nth[1]), count };
  return { kind: "other", count };
}

/** A wall-clock "HH:mm" as a Date whose UTC fields carry it (format with timeZone UTC). */
function clock(minutes: number): Date {
  const m = ((minutes % 1440) + 1440) % 1440;
  return new Date(Date.UTC(2024, 0, 1, Math.floor(m / 60), m % 60));
}

/** "Every 2nd Wednesday of the month, 19:00–20:30 (America/New_York)" in the viewer's language. */
export function useScheduleWords() {
  const intl = useIntl();
  return (schedule: ScheduleLike, timeZone: string): string => {
    const shape = scheduleShape(schedule.rrule);
    const [, hh = "0", mm = "0"] = /T(\d{2}):(\d{2})/.exec(schedule.dtstartLocal) ?? [];
    const startMin = Number(hh) * 60 + Number(mm);
    const start = intl.formatTime(clock(startMin), { timeZone: "UTC", hour: "2-digit", minute: "2-digit" });
    const end = intl.formatTime(clock(startMin + schedule.durationMinutes), { timeZone: "UTC", hour: "2-digit", minute: "2-digit" });
    const weekday = "weekday" in shape ? intl.formatDate(new Date(Date.UTC(2024, 0, 7 + shape.weekday, 12)), { weekday: "long", timeZone: "UTC" }) : "";
    const values = { weekday, start, end, timeZone };
    if (shape.kind === "monthly") {
      return shape.nth < 0 ? intl.formatMessage({ id: "groups.schedule.monthlyLast" }, values) : intl.formatMessage({ id: "groups.schedule.monthly" }, { ...values, nth: shape.nth });
    }
    return intl.formatMessage({ id: `groups.schedule.${shape.kind}` }, values);
  };
}

/** The schedule in words, the number of meetings and the first date, and a longer first meeting. */
export function ScheduleText({ schedule, timeZone }: { schedule: ScheduleLike; timeZone: string }) {
  const intl = useIntl();
  const words = useScheduleWords();
  const shape = scheduleShape(schedule.rrule);
  const [date = ""] = schedule.dtstartLocal.split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const first = y && mo && d ? intl.formatDate(new Date(Date.UTC(y, mo - 1, d, 12)), { dateStyle: "long", timeZone: "UTC" }) : date;
  return (
    <>
      <span>{words(schedule, timeZone)}</span>
      {shape.count !== null && (
        <>
          {" · "}
          <FormattedMessage id="groups.schedule.term" values={{ count: shape.count, date: first }} />
        </>
      )}
      {schedule.firstDurationMinutes !== null && schedule.firstDurationMinutes !== schedule.durationMinutes && (
        <>
          {" · "}
          <FormattedMessage id="groups.schedule.firstLonger" values={{ minutes: schedule.firstDurationMinutes }} />
        </>
      )}
    </>
  );
}

/** A meeting's start and end, in the given zone (the viewer's). */
export function MeetingTime({ start, end, timeZone }: { start: string; end: string; timeZone: string }) {
  const intl = useIntl();
  const from = intl.formatDate(new Date(start), { dateStyle: "full", timeStyle: "short", timeZone });
  const to = intl.formatTime(new Date(end), { timeStyle: "short", timeZone });
  return (
    <time dateTime={start}>
      <FormattedMessage id="groups.meetingTime" values={{ from, to, timeZone }} />
    </time>
  );
}

export function useLanguageName() {
  const intl = useIntl();
  return (tag: string) => {
    try {
      return intl.formatDisplayName(tag, { type: "language" }) ?? tag;
    } catch {
      return tag;
    }
  };
}

export const disciplineLabel = (code: string) => code.replace(/[_-]+/g, " ");

/** Format, languages, audience and CE credit as a definition list. */
export function GroupFacts({ group }: { group: { format: string; languages: string[]; disciplines: string[]; ceCredit: string | null } }) {
  const languageName = useLanguageName();
  return (
    <dl className="group-facts">
      <div>
        <dt>
          <FormattedMessage id="groups.facts.format" />
        </dt>
        <dd>
          <FormattedMessage id={`groups.format.${group.format}`} />
        </dd>
      </div>
      <div>
        <dt>
          <FormattedMessage id="groups.facts.languages" />
        </dt>
        <dd>{group.languages.map(languageName).join(", ")}</dd>
      </div>
      <div>
        <dt>
          <FormattedMessage id="groups.facts.audience" />
        </dt>
        <dd>{group.disciplines.length ? group.disciplines.map(disciplineLabel).join(", ") : <FormattedMessage id="groups.facts.audienceAll" />}</dd>
      </div>
      {group.ceCredit && (
        <div>
          <dt>
            <FormattedMessage id="groups.facts.ceCredit" />
          </dt>
          <dd>{group.ceCredit}</dd>
        </div>
      )}
    </dl>
  );
}

/** Error boundary for the public group pages. */
export function GroupsPageError() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <div className="page narrow">
      <div role="alert" className="card">
        <h1>
          <FormattedMessage id={status === 403 ? "groups.forbiddenTitle" : status === 404 ? "common.notFoundTitle" : "common.errorTitle"} />
        </h1>
        <p>
          <FormattedMessage id={status === 403 ? "groups.forbiddenBody" : status === 404 ? "groups.notFoundBody" : "groups.errorBody"} />
        </p>
        <p>
          <a href="/groups">
            <FormattedMessage id="groups.backToDirectory" />
          </a>
        </p>
      </div>
    </div>
  );
}
