import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, useNavigation } from "react-router";
import type { Route } from "./+types/meeting";
import { getRequestContext } from "../../../ui/request-context.ts";
import { formValues } from "../../../ui/actions.ts";
import { ErrorSummary, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import { loadOr, NoticeBanner, OrgPageError, attempt, type Notice } from "../../organisations/ui/shared.tsx";
import { EXCEPTION_REASONS } from "../constants.ts";
import { AttendanceHistory } from "./history.tsx";

export function meta() {
  return [{ title: "Meeting · Balint Commons" }];
}

/** Leaders of the group (and coordinators) only: others get 403, outsiders 404 (the service decides). */
async function load(request: Request, context: Route.LoaderArgs["context"], params: Route.LoaderArgs["params"]) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const meeting = await loadOr(request, async () => {
    try {
      return await ctx.services.sessions.meetingDetail(ctx.actor, org.id, params.groupId, params.start);
    } catch (error) {
      // Not a meeting of this group (or not a start at all): the page does not exist.
      if (isAppError(error) && error.code === "validation_failed") throw data(null, { status: 404 });
      throw error;
    }
  });
  return { ctx, org, meeting };
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { org, meeting } = await load(request, context, params);
  // The companion opens from two hours before a meeting until a day after it (facilitation slice).
  const startMs = new Date(meeting.start).getTime();
  const now = Date.now();
  const companionOpen = meeting.status !== "cancelled" && meeting.status !== "paused" && now >= startMs - 2 * 3_600_000 && now <= startMs + 24 * 3_600_000;
  return { org: { slug: org.slug }, meeting, companionOpen };
}

type MeetingAction = ActionResult<{ notice: Notice }> & { form?: string };

export async function action({ request, params, context }: Route.ActionArgs) {
  const { ctx, org } = await load(request, context, params);
  const sessions = ctx.services.sessions;
  const form = await request.formData();
  const values = formValues(form);
  const intent = values["intent"] ?? "";
  const reason = values["reason"] || "other";
  const done = (id: string) => ({ ok: true as const, data: { notice: { id } } });
  const run = async (work: () => Promise<unknown>, notice: string) => {
    const r = await attempt(work, values);
    if (!r.ok) return data({ ...r.failure, form: intent } satisfies MeetingAction, { status: r.status });
    return done(notice);
  };
  if (intent === "cancel") return run(() => sessions.cancel(ctx.actor, org.id, params.groupId, params.start, { reason }, ctx), "sessions.meeting.cancelled");
  if (intent === "reschedule")
    return run(
      () => sessions.rescheduleLocal(ctx.actor, org.id, params.groupId, params.start, { date: values["date"] ?? "", time: values["time"] ?? "", durationMinutes: values["durationMinutes"] ?? "", reason }, ctx),
      "sessions.meeting.rescheduled",
    );
  if (intent === "link") return run(() => sessions.changeLink(ctx.actor, org.id, params.groupId, params.start, { meetingLink: (values["meetingLink"] ?? "").trim(), reason }, ctx), "sessions.meeting.linkChanged");
  if (intent === "restore") return run(() => sessions.restore(ctx.actor, org.id, params.groupId, params.start, ctx), "sessions.meeting.restored");
  return data({ ok: false, message: "Unknown action.", fields: [] } satisfies MeetingAction, { status: 400 });
}

export { OrgPageError as ErrorBoundary };

function ReasonSelect({ id }: { id: string }) {
  const intl = useIntl();
  return (
    <div className="field">
      <label htmlFor={id}>
        <FormattedMessage id="sessions.meeting.reasonLabel" />
      </label>
      <select id={id} name="reason" defaultValue="other">
        {EXCEPTION_REASONS.map((r) => (
          <option key={r} value={r}>
            {intl.formatMessage({ id: `sessions.reason.${r}` })}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function Meeting({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { org, meeting: m } = loaderData;
  const result = actionData as MeetingAction | undefined;
  const failure = result && !result.ok ? result : undefined;
  const failed = (form: string) => (failure && failure.form === form ? failure : undefined);
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const groupBase = `/o/${org.slug}/groups/${m.groupId}`;
  const full = { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" } as const;
  const yours = intl.formatDate(m.start, full);
  const theirs = intl.formatDate(m.start, { ...full, timeZone: m.timeZone });
  const ics = `/api/v1/orgs/${m.organisationId}/groups/${m.groupId}/session-ics/${encodeURIComponent(m.occurrenceStart)}.ics`;
  const attendancePath = `/sessions/${m.groupId}/${encodeURIComponent(m.occurrenceStart)}/attendance`;
  const going = m.rsvps.filter((r) => r.status === "going").length;
  const changeable = !m.past && m.status !== "paused";
  const online = m.format !== "in_person";
  const reschedule = failed("reschedule")?.values;
  const linkValues = failed("link")?.values;
  return (
    <section aria-labelledby="meeting-title">
      <p>
        <Link to={groupBase}>
          <FormattedMessage id="sessions.meeting.back" />
        </Link>
      </p>
      <h2 id="meeting-title">
        <FormattedMessage id="sessions.meeting.title" values={{ group: m.groupName }} />
      </h2>
      <NoticeBanner notice={result?.ok ? (result.data?.notice ?? null) : null} />
      <ErrorSummary
        result={failure}
        labels={{ date: t("sessions.meeting.date"), time: t("sessions.meeting.time"), durationMinutes: t("sessions.meeting.durationLabel"), meetingLink: t("sessions.meeting.newLink"), reason: t("sessions.meeting.reasonLabel") }}
      />

      <div className="card">
        <p>
          <FormattedMessage id="sessions.meeting.yourTime" values={{ when: yours }} />
        </p>
        <p>
          <FormattedMessage id="sessions.meeting.groupTime" values={{ zone: m.timeZone, when: theirs }} /> · <FormattedMessage id="sessions.meeting.duration" values={{ minutes: m.durationMinutes }} />
        </p>
        <p>
          <FormattedMessage id="sessions.meeting.status" />:{" "}
          <span className="tag" data-testid="meeting-status">
            <FormattedMessage id={m.status === "paused" ? "sessions.meeting.status.paused" : `sessions.status.${m.status}`} />
          </span>
          {m.reason && m.hasException && (
            <>
              {" "}
              <FormattedMessage id="sessions.meeting.reason" values={{ reason: t(`sessions.reason.${m.reason}`) }} />
            </>
          )}
        </p>
        {online && (
          <p>
            <FormattedMessage id="sessions.meeting.link" />:{" "}
            {m.meetingLink ? (
              <>
                <a href={m.meetingLink} rel="noreferrer">
                  {m.meetingLink}
                </a>
                {m.ownLink && (
                  <>
                    {" "}
                    <FormattedMessage id="sessions.meeting.ownLink" />
                  </>
                )}
              </>
            ) : (
              <FormattedMessage id="sessions.meeting.noLink" />
            )}
          </p>
        )}
        {m.address && (
          <p>
            <FormattedMessage id="sessions.meeting.venue" />: {m.address}
          </p>
        )}
        <p className="actions">
          {m.status !== "cancelled" && m.status !== "paused" && (
            <a href={ics} download>
              <FormattedMessage id="sessions.meeting.ics" />
            </a>
          )}
          {/* A paused meeting whose attendance was recorded took place before the pause: its records stay correctable. */}
          {m.past && m.status !== "cancelled" && (m.status !== "paused" || m.attendanceRecorded) && (
            <Link to={attendancePath}>
              <FormattedMessage id="sessions.meeting.attendanceLink" />
            </Link>
          )}
          {loaderData.companionOpen && (
            <Link to={`/companion/${m.groupId}/${encodeURIComponent(m.occurrenceStart)}`}>
              <FormattedMessage id="sessions.meeting.companionLink" />
            </Link>
          )}
          {m.past && m.status !== "cancelled" && m.status !== "paused" && (
            <Link to={`/debrief/${m.groupId}/${encodeURIComponent(m.occurrenceStart)}`}>
              <FormattedMessage id="sessions.meeting.debriefLink" />
            </Link>
          )}
        </p>
        {m.past && (
          <p className="field__hint">
            <FormattedMessage id="sessions.meeting.pastHint" />
          </p>
        )}
      </div>

      <h3 id="rsvps-title">
        <FormattedMessage id="sessions.meeting.rsvpsTitle" />
      </h3>
      <p className="field__hint">
        <FormattedMessage id="sessions.meeting.rsvpsHint" />
      </p>
      {m.rsvps.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="sessions.meeting.rsvpsEmpty" />
        </p>
      ) : (
        <>
          <p>
            <FormattedMessage id="sessions.meeting.rsvpsSummary" values={{ going, notGoing: m.rsvps.length - going }} />
          </p>
          <div className="table-wrap">
            <table aria-labelledby="rsvps-title">
              <thead>
                <tr>
                  <th scope="col">
                    <FormattedMessage id="sessions.meeting.colName" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="sessions.meeting.colAnswer" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="sessions.meeting.colNote" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {m.rsvps.map((r) => (
                  <tr key={r.userId}>
                    <td>{r.name}</td>
                    <td>{r.answered ? <FormattedMessage id={`sessions.rsvp.${r.status}`} /> : <FormattedMessage id="sessions.meeting.noAnswer" />}</td>
                    <td>{r.note ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <AttendanceHistory items={m.history} headingLevel={3} />

      {(changeable || m.hasException) && (
        <>
          <h3 id="actions-title">
            <FormattedMessage id="sessions.meeting.actionsTitle" />
          </h3>
          {changeable && m.status !== "cancelled" && (
            <Form method="post" className="card" aria-labelledby="cancel-title">
              <h4 id="cancel-title">
                <FormattedMessage id="sessions.meeting.cancelTitle" />
              </h4>
              <input type="hidden" name="intent" value="cancel" />
              <ReasonSelect id="cancel-reason" />
              <button type="submit" className="button--danger" disabled={busy}>
                <FormattedMessage id="sessions.meeting.cancel" />
              </button>
            </Form>
          )}
          {changeable && (
            <Form method="post" className="card" aria-labelledby="reschedule-title">
              <h4 id="reschedule-title">
                <FormattedMessage id="sessions.meeting.rescheduleTitle" />
              </h4>
              <p className="field__hint">
                <FormattedMessage id="sessions.meeting.rescheduleHint" values={{ zone: m.timeZone }} />
              </p>
              <input type="hidden" name="intent" value="reschedule" />
              <Field name="date" id="field-date" type="date" label={t("sessions.meeting.date")} defaultValue={reschedule?.["date"] ?? m.localStart.slice(0, 10)} error={fieldError(failed("reschedule"), "date")} required />
              <Field name="time" id="field-time" type="time" label={t("sessions.meeting.time")} defaultValue={reschedule?.["time"] ?? m.localStart.slice(11, 16)} error={fieldError(failed("reschedule"), "time")} required />
              <Field
                name="durationMinutes"
                id="field-durationMinutes"
                type="number"
                min={30}
                max={240}
                label={t("sessions.meeting.durationLabel")}
                defaultValue={reschedule?.["durationMinutes"] ?? String(m.durationMinutes)}
                error={fieldError(failed("reschedule"), "durationMinutes")}
              />
              <ReasonSelect id="reschedule-reason" />
              <button type="submit" disabled={busy}>
                <FormattedMessage id="sessions.meeting.reschedule" />
              </button>
            </Form>
          )}
          {changeable && online && m.status !== "cancelled" && (
            <Form method="post" className="card" aria-labelledby="link-title">
              <h4 id="link-title">
                <FormattedMessage id="sessions.meeting.linkTitle" />
              </h4>
              <input type="hidden" name="intent" value="link" />
              <Field name="meetingLink" id="field-meetingLink" type="url" label={t("sessions.meeting.newLink")} defaultValue={linkValues?.["meetingLink"] ?? m.ownLink ?? ""} error={fieldError(failed("link"), "meetingLink")} required />
              <ReasonSelect id="link-reason" />
              <button type="submit" disabled={busy}>
                <FormattedMessage id="sessions.meeting.changeLink" />
              </button>
            </Form>
          )}
          {m.hasException && (
            <Form method="post" className="card" aria-labelledby="restore-title">
              <h4 id="restore-title">
                <FormattedMessage id="sessions.meeting.restoreTitle" />
              </h4>
              <p className="field__hint">
                <FormattedMessage id="sessions.meeting.restoreHint" />
              </p>
              <input type="hidden" name="intent" value="restore" />
              <button type="submit" className="button--secondary" disabled={busy}>
                <FormattedMessage id="sessions.meeting.restore" />
              </button>
            </Form>
          )}
        </>
      )}

      <h3 id="meeting-notices-title">
        <FormattedMessage id="sessions.meeting.noticesTitle" />
      </h3>
      {m.notices.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="sessions.meeting.noticesEmpty" />
        </p>
      ) : (
        <ul aria-labelledby="meeting-notices-title">
          {m.notices.map((n) => (
            <li key={n.id}>
              <FormattedMessage id={`groups.manage.notice.${n.kind}`} values={{ meeting: intl.formatDate(m.occurrenceStart, { dateStyle: "medium", timeStyle: "short", timeZone: m.timeZone }), from: n.startDate ?? "", to: n.endDate ?? "" }} /> ·{" "}
              {intl.formatDate(n.createdAt, { dateStyle: "medium", timeStyle: "short" })} · <FormattedMessage id="groups.manage.noticeSummary" values={{ sent: n.sent, total: n.recipients.length, failed: n.failed }} />
              {n.recipients.length > 0 && (
                <ul>
                  {n.recipients.map((r) => (
                    <li key={r.userId}>
                      {r.name}: <FormattedMessage id={`groups.manage.mailStatus.${r.mailStatus}`} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
