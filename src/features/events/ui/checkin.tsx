import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, useFetcher } from "react-router";
import type { Route } from "./+types/checkin";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";
import { filterAttendees } from "../checkin.ts";

// The organiser's check-in list: one day at a time, a search box, one big button per person.
// Works without JavaScript (plain forms); with it, check-ins are sent in place and the search
// filters as you type (a tablet at the registration desk).
export function meta() {
  return [{ title: "Check-in · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const view = await loadOr(request, () => ctx.services.eventRosters.checkinList(ctx.actor, org.id, params.eventId));
  const url = new URL(request.url);
  const today = new Date().toISOString().slice(0, 10);
  const dayId = view.days.find((d) => d.id === url.searchParams.get("day"))?.id ?? view.days.find((d) => d.date === today)?.id ?? view.days[0]?.id ?? null;
  return { slug: org.slug, orgId: org.id, view, dayId, q: (url.searchParams.get("q") ?? "").slice(0, 100) };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const svc = ctx.services.eventRosters;
  const r =
    intent === "issueAll"
      ? await attempt(() => svc.issueAllCertificates(ctx.actor, org.id, params.eventId, ctx))
      : intent === "issue"
        ? await attempt(() => svc.issueCertificate(ctx.actor, org.id, params.eventId, { userId: String(form.get("userId") ?? "") }, ctx))
        : await attempt(() => svc.setCheckin(ctx.actor, org.id, params.eventId, { dayId: String(form.get("dayId") ?? ""), userId: String(form.get("userId") ?? ""), present: form.get("present") === "true" }, ctx));
  if (!r.ok) return data(r.failure, { status: r.status });
  return { ok: true, intent, value: r.value } as const;
}

type Person = Route.ComponentProps["loaderData"]["view"]["people"][number];

function PersonRow({ person, dayId }: { person: Person; dayId: string }) {
  const intl = useIntl();
  const fetcher = useFetcher<typeof action>();
  const pending = fetcher.formData ? fetcher.formData.get("present") === "true" : null;
  const present = pending ?? person.days.includes(dayId);
  const label = intl.formatMessage({ id: present ? "eventCheckin.checkOut" : "eventCheckin.checkIn" }, { name: person.name });
  return (
    <li className={present ? "checkin__row checkin__row--present card" : "checkin__row card"} data-testid="checkin-row">
      <fetcher.Form method="post" className="checkin__form">
        <input type="hidden" name="dayId" value={dayId} />
        <input type="hidden" name="userId" value={person.userId} />
        <input type="hidden" name="present" value={present ? "false" : "true"} />
        <button type="submit" name="intent" value="checkin" aria-pressed={present} aria-label={label} className="checkin__toggle" style={{ minHeight: "3rem", minWidth: "3rem" }}>
          {present ? "✓" : "○"}
        </button>
      </fetcher.Form>
      <div className="checkin__who">
        <strong>{person.name}</strong> <span className="muted">{person.email}</span> <span className="tag">{intl.formatMessage({ id: `eventCheckin.role.${person.role}` })}</span>
        <div className="muted">
          <FormattedMessage id="eventCheckin.hours" values={{ days: person.summary.daysAttended, hours: intl.formatNumber(person.summary.creditHours) }} />
          {person.certificateCode ? (
            <>
              {" · "}
              <a href={`/verify/certificate/${person.certificateCode}`}>
                <FormattedMessage id="eventCheckin.certificate" values={{ code: person.certificateCode }} />
              </a>
            </>
          ) : person.summary.creditHours > 0 ? (
            <fetcher.Form method="post" style={{ display: "inline" }}>
              <input type="hidden" name="userId" value={person.userId} />
              {" · "}
              <button type="submit" name="intent" value="issue" className="button--link" aria-label={intl.formatMessage({ id: "eventCheckin.issueFor" }, { name: person.name })}>
                <FormattedMessage id="eventCheckin.issue" />
              </button>
            </fetcher.Form>
          ) : null}
        </div>
      </div>
    </li>
  );
}

export default function Checkin({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { view, dayId, slug, orgId, q } = loaderData;
  const [query, setQuery] = useState(q);
  const shown = filterAttendees(view.people, query);
  const present = dayId ? view.people.filter((p) => p.days.includes(dayId)).length : 0;
  const day = (iso: string) => intl.formatDate(`${iso}T12:00:00Z`, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
  const failure = actionData && !actionData.ok ? (actionData as ActionResult) : undefined;
  const issued = actionData && actionData.ok && actionData.intent === "issueAll" ? (actionData.value as { issued: number }).issued : null;
  return (
    <div className="page checkin">
      <p>
        <Link to={`/o/${slug}/events`}>
          <FormattedMessage id="eventRoster.back" />
        </Link>
        {" · "}
        <Link to={`/o/${slug}/events/${view.event.id}/roster`}>
          <FormattedMessage id="eventCheckin.rosterLink" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="eventCheckin.title" values={{ event: view.event.title }} />
      </h1>
      <ErrorSummary result={failure} />
      {issued !== null && (
        <p className="notice notice--success" role="status">
          <FormattedMessage id="eventCheckin.issued" values={{ count: issued }} />
        </p>
      )}
      {!dayId ? (
        <p>
          <FormattedMessage id="eventCheckin.noDays" />
        </p>
      ) : (
        <>
          <nav aria-label={intl.formatMessage({ id: "eventCheckin.day" })}>
            <ul className="tabs" style={{ display: "flex", gap: "0.5rem", flexWrap: "wrap", listStyle: "none", padding: 0 }}>
              {view.days.map((d) => (
                <li key={d.id}>
                  <Link to={`?day=${d.id}`} aria-current={d.id === dayId ? "page" : undefined} className={d.id === dayId ? "button" : "button button--secondary"}>
                    {d.label ? `${d.label} · ` : ""}
                    {day(d.date)}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <Form method="get" role="search" className="checkin__search">
            <input type="hidden" name="day" value={dayId} />
            <label htmlFor="checkin-q">
              <FormattedMessage id="eventCheckin.search" />
            </label>
            <input id="checkin-q" name="q" type="search" value={query} onChange={(e) => setQuery(e.currentTarget.value)} autoComplete="off" />
            <button type="submit">
              <FormattedMessage id="eventCheckin.searchButton" />
            </button>
          </Form>
          <p role="status" aria-live="polite">
            <FormattedMessage id="eventCheckin.count" values={{ present, total: view.people.length }} />
          </p>
          {shown.length === 0 ? (
            <p>
              <FormattedMessage id="eventCheckin.nobody" />
            </p>
          ) : (
            <ul className="stack checkin__list" style={{ listStyle: "none", padding: 0 }}>
              {shown.map((p) => (
                <PersonRow key={p.userId} person={p} dayId={dayId} />
              ))}
            </ul>
          )}
        </>
      )}
      <Form method="post">
        <button type="submit" name="intent" value="issueAll">
          <FormattedMessage id="eventCheckin.issueAll" />
        </button>
      </Form>
      <p>
        <a href={`/api/v1/orgs/${orgId}/events/${view.event.id}/attendees.csv`} download>
          <FormattedMessage id="eventCheckin.export" />
        </a>
      </p>
    </div>
  );
}
