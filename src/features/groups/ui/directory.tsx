import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/directory";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionFailure } from "../../../ui/forms.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import { useRootData } from "../../../root.tsx";
import { Pagination } from "../../organisations/ui/shared.tsx";
import { GROUP_FORMATS } from "../constants.ts";
import { TIMES_OF_DAY, WEEKDAY_CODES } from "../rules.ts";
import { LANGUAGE_CHOICES } from "./form-input.ts";
import { GroupFacts, GroupsPageError, MeetingTime, ScheduleText, useLanguageName } from "./shared.tsx";
import groupStyles from "./groups.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

const QUERY_KEYS = ["q", "format", "language", "discipline", "weekday", "timeOfDay", "openSeats", "organisationSlug", "timeZone", "page"] as const;
const PAGE_SIZE = 12;

export function meta() {
  return [{ title: "Find a Balint group · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const url = new URL(request.url);
  const values: Record<string, string> = {};
  for (const key of QUERY_KEYS) {
    const v = url.searchParams.get(key);
    if (v !== null && v.trim() !== "") values[key] = v;
  }
  // The signed-in person's profile zone wins; else the zone the browser put in the form; else UTC.
  const query: Record<string, string | number> = { ...values, pageSize: PAGE_SIZE };
  let zoneSource: "profile" | "browser" | "utc" = "utc";
  let viewerZone = "UTC";
  if (ctx.user) {
    delete query["timeZone"];
    zoneSource = "profile";
    viewerZone = ctx.user.timeZone;
  } else if (values["timeZone"]) {
    zoneSource = "browser";
    viewerZone = values["timeZone"];
  }
  try {
    const results = await ctx.services.groups.directory(query, viewerZone);
    return { values, results, zoneSource, viewerZone, failure: null, signedIn: Boolean(ctx.user) };
  } catch (error) {
    if (!isAppError(error) || error.code !== "validation_failed") throw error;
    const failure: ActionFailure = { ok: false, message: error.message, fields: error.fields ?? [] };
    // An unusable zone falls back to UTC for display; the error names the field.
    const shownZone = failure.fields.some((f) => f.path === "timeZone") ? "UTC" : viewerZone;
    return data({ values, results: null, zoneSource, viewerZone: shownZone, failure, signedIn: Boolean(ctx.user) }, { status: 400 });
  }
}

export { GroupsPageError as ErrorBoundary };

export default function Directory({ loaderData }: Route.ComponentProps) {
  const intl = useIntl();
  const root = useRootData();
  const languageName = useLanguageName();
  const { values, results, zoneSource, viewerZone, failure, signedIn } = loaderData;
  const label = (id: string) => intl.formatMessage({ id });
  const labels: Record<string, string> = {
    q: label("groups.directory.search"),
    format: label("groups.directory.format"),
    language: label("groups.directory.language"),
    discipline: label("groups.directory.discipline"),
    weekday: label("groups.directory.weekday"),
    timeOfDay: label("groups.directory.timeOfDay"),
    openSeats: label("groups.directory.openSeats"),
    organisationSlug: label("groups.directory.organisation"),
    timeZone: label("groups.directory.timeZone"),
    page: label("groups.directory.page"),
  };
  const err = (name: string) => fieldError(failure ?? undefined, name);
  const described = (name: string) => (err(name) ? { "aria-invalid": true as const, "aria-describedby": `dir-${name}-error` } : {});
  const errorText = (name: string) =>
    err(name) ? (
      <p className="field__error" id={`dir-${name}-error`}>
        <FieldMessage message={err(name)} />
      </p>
    ) : null;
  const filtered = Object.keys(values).some((k) => k !== "page" && k !== "timeZone");
  const href = (page: number) => {
    const sp = new URLSearchParams(values);
    sp.set("page", String(page));
    return `/groups?${sp.toString()}`;
  };
  const weekdayName = (i: number) => intl.formatDate(new Date(Date.UTC(2024, 0, 7 + i, 12)), { weekday: "long", timeZone: "UTC" });
  const pages = results ? Math.max(1, Math.ceil(results.total / results.pageSize)) : 1;
  return (
    <div className="page">
      <p className="eyebrow">
        <FormattedMessage id="groups.directory.eyebrow" />
      </p>
      <h1>
        <FormattedMessage id="groups.directory.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="groups.directory.lead" />
      </p>
      <ErrorSummary result={failure ?? undefined} labels={Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v]))} />
      <Form method="get" className="card group-filters" role="search" aria-label={label("groups.directory.filtersLabel")}>
        <div className={`field${err("q") ? " field--error" : ""}`}>
          <label htmlFor="field-q">{labels["q"]}</label>
          {errorText("q")}
          <input id="field-q" name="q" type="search" maxLength={100} defaultValue={values["q"] ?? ""} {...described("q")} />
        </div>
        <div className="group-filters__grid">
          <div className={`field${err("format") ? " field--error" : ""}`}>
            <label htmlFor="field-format">{labels["format"]}</label>
            {errorText("format")}
            <select id="field-format" name="format" defaultValue={values["format"] ?? ""} {...described("format")}>
              <option value="">{label("groups.directory.any")}</option>
              {GROUP_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {label(`groups.format.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div className={`field${err("language") ? " field--error" : ""}`}>
            <label htmlFor="field-language">{labels["language"]}</label>
            {errorText("language")}
            <select id="field-language" name="language" defaultValue={values["language"] ?? ""} {...described("language")}>
              <option value="">{label("groups.directory.any")}</option>
              {[...new Set([...LANGUAGE_CHOICES, ...(values["language"] ? [values["language"]] : [])])].map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </div>
          <div className={`field${err("discipline") ? " field--error" : ""}`}>
            <label htmlFor="field-discipline">{labels["discipline"]}</label>
            {errorText("discipline")}
            <input id="field-discipline" name="discipline" maxLength={40} defaultValue={values["discipline"] ?? ""} aria-describedby="dir-discipline-hint" {...described("discipline")} />
            <p className="field__hint" id="dir-discipline-hint">
              <FormattedMessage id="groups.directory.disciplineHint" />
            </p>
          </div>
          <div className={`field${err("weekday") ? " field--error" : ""}`}>
            <label htmlFor="field-weekday">{labels["weekday"]}</label>
            {errorText("weekday")}
            <select id="field-weekday" name="weekday" defaultValue={values["weekday"] ?? ""} {...described("weekday")}>
              <option value="">{label("groups.directory.any")}</option>
              {WEEKDAY_CODES.map((code, i) => (
                <option key={code} value={code}>
                  {weekdayName(i)}
                </option>
              ))}
            </select>
          </div>
          <div className={`field${err("timeOfDay") ? " field--error" : ""}`}>
            <label htmlFor="field-timeOfDay">{labels["timeOfDay"]}</label>
            {errorText("timeOfDay")}
            <select id="field-timeOfDay" name="timeOfDay" defaultValue={values["timeOfDay"] ?? ""} {...described("timeOfDay")}>
              <option value="">{label("groups.directory.any")}</option>
              {TIMES_OF_DAY.map((t) => (
                <option key={t} value={t}>
                  {label(`groups.timeOfDay.${t}`)}
                </option>
              ))}
            </select>
          </div>
          <div className={`field${err("organisationSlug") ? " field--error" : ""}`}>
            <label htmlFor="field-organisationSlug">{labels["organisationSlug"]}</label>
            {errorText("organisationSlug")}
            <input id="field-organisationSlug" name="organisationSlug" maxLength={48} defaultValue={values["organisationSlug"] ?? ""} aria-describedby="dir-org-hint" {...described("organisationSlug")} />
            <p className="field__hint" id="dir-org-hint">
              <FormattedMessage id="groups.directory.organisationHint" />
            </p>
          </div>
        </div>
        <div className={`field field--checkbox${err("openSeats") ? " field--error" : ""}`}>
          {errorText("openSeats")}
          <input id="field-openSeats" type="checkbox" name="openSeats" value="true" defaultChecked={values["openSeats"] === "true" || values["openSeats"] === "1"} {...described("openSeats")} />
          <label htmlFor="field-openSeats">{labels["openSeats"]}</label>
        </div>
        {!signedIn && (
          <>
            <input type="hidden" id="field-timeZone" name="timeZone" defaultValue={values["timeZone"] ?? ""} />
            {/* Fills in the browser's time zone; without JavaScript the directory reads times in UTC. */}
            <script
              nonce={root?.nonce}
              dangerouslySetInnerHTML={{
                __html: `(function(){var e=document.getElementById("field-timeZone");if(e&&!e.value){try{e.value=Intl.DateTimeFormat().resolvedOptions().timeZone||""}catch(x){}}})();`,
              }}
            />
          </>
        )}
        <p className="field__hint">
          <FormattedMessage id={`groups.directory.zone.${zoneSource}`} values={{ timeZone: viewerZone }} />
        </p>
        <div className="actions">
          <button type="submit">
            <FormattedMessage id="groups.directory.submit" />
          </button>
          {filtered && (
            <Link to="/groups">
              <FormattedMessage id="groups.directory.clear" />
            </Link>
          )}
        </div>
      </Form>

      {results && (
        <section aria-labelledby="results-title">
          <h2 id="results-title" className="visually-hidden">
            <FormattedMessage id="groups.directory.resultsTitle" />
          </h2>
          <p aria-live="polite">
            <FormattedMessage id="groups.directory.count" values={{ count: results.total, page: results.page, pages }} />
          </p>
          {results.items.length === 0 ? (
            <div className="empty-state card">
              <p>
                <FormattedMessage id={filtered ? "groups.directory.emptyFiltered" : "groups.directory.empty"} />
              </p>
              {filtered && (
                <Link to="/groups">
                  <FormattedMessage id="groups.directory.clear" />
                </Link>
              )}
            </div>
          ) : (
            <ul className="group-cards">
              {results.items.map((g) => (
                <li key={`${g.organisation.slug}/${g.slug}`} className="card group-card">
                  <h3>
                    <Link to={`/groups/${g.organisation.slug}/${g.slug}`}>{g.name}</Link>
                  </h3>
                  <p className="group-card__org">{g.organisation.name}</p>
                  <GroupFacts group={g} />
                  <p>
                    <ScheduleText schedule={g.schedule} timeZone={g.timeZone} />
                  </p>
                  <p>
                    {g.nextSession ? (
                      <>
                        <FormattedMessage id="groups.nextSession" />{" "}
                        <MeetingTime start={g.nextSession.start} end={g.nextSession.end} timeZone={viewerZone} />
                      </>
                    ) : (
                      <FormattedMessage id="groups.noNextSession" />
                    )}
                  </p>
                  <p>
                    <span className={`tag${g.seatsLeft === 0 ? " tag--muted" : ""}`}>
                      <FormattedMessage id="groups.seatsLeft" values={{ count: g.seatsLeft, capacity: g.capacity }} />
                    </span>
                  </p>
                </li>
              ))}
            </ul>
          )}
          <Pagination page={results.page} pageSize={results.pageSize} total={results.total} href={href} />
        </section>
      )}
    </div>
  );
}
