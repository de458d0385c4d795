import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useNavigation, useSearchParams } from "react-router";
import type { Route } from "./+types/sessions";
import { PendingFeedback } from "../../feedback/ui/pending.tsx";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { RSVP_NOTE_MAX } from "../constants.ts";

const PAGE_SIZE = 20;

export function meta() {
  return [{ title: "My next sessions · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const page = Math.max(1, Number(new URL(request.url).searchParams.get("page")) || 1);
  const [{ items }, overdue, pending] = await Promise.all([ctx.services.sessions.mySessions(ctx.actor), ctx.services.sessions.attendanceOverdue(ctx.actor), ctx.services.feedback.myPending(ctx.actor)]);
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  return { items: items.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE), page: current, pages, overdue: overdue.items, pendingFeedback: pending.items };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "");
  let httpStatus = 400;
  const result = await formAction(async () => {
    try {
      const status = get("status");
      // The note goes with "can't come" only; without a note field the saved note is kept while the answer stays the same.
      const input: { status: string; note?: string } = { status };
      if (status === "not_going" && form.has("note")) input.note = get("note");
      await ctx.services.sessions.rsvp(ctx.actor, get("orgId"), get("groupId"), get("start"), input);
      return { ok: true as const, message: "saved" };
    } catch (error) {
      if (isAppError(error)) httpStatus = error.status;
      throw error;
    }
  });
  if (!result.ok) return data(result, { status: httpStatus });
  return result;
}

export default function Sessions({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state === "submitting";
  const result = actionData as ActionResult | undefined;
  const when = (iso: string) => intl.formatDate(iso, { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });
  const icsHref = (s: { organisationId: string; groupId: string; occurrenceStart: string }) => `/api/v1/orgs/${s.organisationId}/groups/${s.groupId}/session-ics/${encodeURIComponent(s.occurrenceStart)}.ics`;
  const pageLink = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next.toString()}`;
  };
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="sessions.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="sessions.intro" />{" "}
        <Link to="/account/calendar">
          <FormattedMessage id="sessions.calendarLink" />
        </Link>
      </p>
      <ErrorSummary result={result} />
      {result?.ok && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="sessions.rsvp.saved" />
        </div>
      )}
      <PendingFeedback items={loaderData.pendingFeedback} />

      {loaderData.overdue.length > 0 && (
        <section className="card" aria-labelledby="overdue-heading">
          <h2 id="overdue-heading">
            <FormattedMessage id="sessions.overdue.title" />
          </h2>
          <p>
            <FormattedMessage id="sessions.overdue.intro" />
          </p>
          <ul>
            {loaderData.overdue.map((o) => (
              <li key={`${o.groupId}-${o.occurrenceStart}`}>
                <Link to={`/sessions/${o.groupId}/${encodeURIComponent(o.occurrenceStart)}/attendance`}>
                  <FormattedMessage id="sessions.overdue.record" values={{ group: o.groupName, when: when(o.start) }} />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      {loaderData.items.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="sessions.empty" />
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">
                  <FormattedMessage id="sessions.when" />
                </th>
                <th scope="col">
                  <FormattedMessage id="sessions.group" />
                </th>
                <th scope="col">
                  <FormattedMessage id="sessions.status" />
                </th>
                <th scope="col">
                  <FormattedMessage id="sessions.answer" />
                </th>
              </tr>
            </thead>
            <tbody>
              {loaderData.items.map((s) => (
                <tr key={`${s.groupId}-${s.occurrenceStart}`}>
                  <td>
                    <time dateTime={s.start}>{when(s.start)}</time>
                  </td>
                  <td>{s.groupName}</td>
                  <td>
                    <span className="tag">
                      <FormattedMessage id={`sessions.status.${s.status}`} />
                    </span>
                    {s.meetingLink && s.status !== "cancelled" && (
                      <>
                        {" "}
                        <a href={s.meetingLink} rel="noreferrer">
                          <FormattedMessage id="sessions.join" />
                        </a>
                      </>
                    )}
                    {s.status !== "cancelled" && (
                      <>
                        {" "}
                        <a href={icsHref(s)} download>
                          <FormattedMessage id="sessions.ics" />
                        </a>
                      </>
                    )}
                  </td>
                  <td>
                    {s.myRole !== "member" ? (
                      <FormattedMessage id="sessions.rsvp.leading" />
                    ) : s.status === "cancelled" ? null : (
                      <Form method="post">
                        <div role="group" aria-label={intl.formatMessage({ id: "sessions.rsvp.legend" }, { group: s.groupName, when: when(s.start) })}>
                          <p>
                            <FormattedMessage id={`sessions.rsvp.${s.myRsvp ?? "going"}`} />
                          </p>
                          <input type="hidden" name="orgId" value={s.organisationId} />
                          <input type="hidden" name="groupId" value={s.groupId} />
                          <input type="hidden" name="start" value={s.occurrenceStart} />
                          <div className="field">
                            <label htmlFor={`note-${s.groupId}-${s.index}`}>
                              <FormattedMessage id="sessions.rsvp.noteLabel" />
                            </label>
                            <p className="field__hint" id={`note-hint-${s.groupId}-${s.index}`}>
                              <FormattedMessage id="sessions.rsvp.noteHint" values={{ max: RSVP_NOTE_MAX }} />
                            </p>
                            <textarea
                              id={`note-${s.groupId}-${s.index}`}
                              name="note"
                              rows={2}
                              maxLength={RSVP_NOTE_MAX}
                              defaultValue={s.myRsvpNote ?? ""}
                              aria-describedby={`note-hint-${s.groupId}-${s.index}`}
                            />
                          </div>
                          {s.myRsvp === "not_going" ? (
                            <div className="actions">
                              <button type="submit" name="status" value="not_going" className="button--secondary" disabled={busy}>
                                <FormattedMessage id="sessions.rsvp.saveNote" />
                              </button>
                              <button type="submit" name="status" value="going" className="button--secondary" disabled={busy}>
                                <FormattedMessage id="sessions.rsvp.goingAction" />
                              </button>
                            </div>
                          ) : (
                            <button type="submit" name="status" value="not_going" className="button--secondary" disabled={busy}>
                              <FormattedMessage id="sessions.rsvp.notGoingAction" />
                            </button>
                          )}
                        </div>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loaderData.pages > 1 && (
        <nav className="pagination" aria-label={intl.formatMessage({ id: "sessions.page" }, { page: loaderData.page, pages: loaderData.pages })}>
          {loaderData.page > 1 && <Link to={pageLink(loaderData.page - 1)}>{intl.formatMessage({ id: "sessions.previous" })}</Link>}
          <span>
            <FormattedMessage id="sessions.page" values={{ page: loaderData.page, pages: loaderData.pages }} />
          </span>
          {loaderData.page < loaderData.pages && <Link to={pageLink(loaderData.page + 1)}>{intl.formatMessage({ id: "sessions.next" })}</Link>}
        </nav>
      )}
    </div>
  );
}
