import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/attendance";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { ATTENDANCE_STATUSES } from "../constants.ts";
import { AttendanceHistory } from "./history.tsx";

export function meta() {
  return [{ title: "Attendance · Balint Commons" }];
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  try {
    return await ctx.services.sessions.attendanceSheet(ctx.actor, params.groupId, params.start);
  } catch (error) {
    if (isAppError(error) && (error.code === "not_found" || error.code === "validation_failed")) throw data(null, { status: 404 });
    if (isAppError(error) && error.code === "forbidden") throw data(null, { status: 403 });
    throw error;
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const userIds = form.getAll("userId").map(String);
  const entries = userIds.flatMap((userId) => {
    const status = form.get(`status-${userId}`);
    return typeof status === "string" && status ? [{ userId, status }] : [];
  });
  const ledBy = new Set(form.getAll("ledBy").map(String));
  const leaders = form.getAll("leaderId").map((v) => ({ userId: String(v), led: ledBy.has(String(v)) }));
  let httpStatus = 400;
  const result = await formAction(async () => {
    try {
      const sheet = await ctx.services.sessions.attendanceSheet(ctx.actor, params.groupId, params.start);
      const meta = { ipAddress: ctx.ipAddress, requestId: ctx.requestId };
      // Attendance first (it records the leaders of the meeting), then the leaders' corrections.
      if (entries.length > 0 || leaders.length === 0) await ctx.services.sessions.recordAttendance(ctx.actor, sheet.organisationId, params.groupId, params.start, { entries }, meta);
      if (leaders.length > 0) await ctx.services.sessions.setSessionLeaders(ctx.actor, sheet.organisationId, params.groupId, params.start, { leaders }, meta);
      return { ok: true as const, message: "saved" };
    } catch (error) {
      if (isAppError(error)) httpStatus = error.status;
      throw error;
    }
  });
  if (!result.ok) return data(result, { status: httpStatus });
  return result;
}

export default function Attendance({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = actionData as ActionResult | undefined;
  const when = intl.formatDate(loaderData.start, { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" });
  const entriesError = fieldError(result, "entries");
  const leadersError = fieldError(result, "leaders");
  return (
    <div className="page narrow">
      <p>
        <Link to="/sessions">
          <FormattedMessage id="sessions.attendance.back" />
        </Link>
        {" · "}
        <Link to={`/o/${loaderData.organisationSlug}/groups/${loaderData.groupId}/meetings/${encodeURIComponent(loaderData.occurrenceStart)}`}>
          <FormattedMessage id="sessions.attendance.meetingLink" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="sessions.attendance.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="sessions.attendance.intro" values={{ group: loaderData.groupName, when }} />
      </p>
      <ErrorSummary result={result} />
      {result?.ok && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="sessions.attendance.saved" />
        </div>
      )}
      {loaderData.members.length === 0 && (
        <p className="empty-state">
          <FormattedMessage id="sessions.attendance.noMembers" />
        </p>
      )}
      {(loaderData.members.length > 0 || loaderData.leaders.length > 0) && (
        <Form method="post" id="field-entries">
          {entriesError && <p className="field__error"><FieldMessage message={entriesError} /></p>}
          {loaderData.leaders.length > 0 && (
            <fieldset id="field-leaders" tabIndex={-1}>
              <legend>
                <FormattedMessage id="sessions.attendance.leadersLegend" />
              </legend>
              <p className="field__hint">
                <FormattedMessage id="sessions.attendance.leadersHint" />
              </p>
              {leadersError && <p className="field__error"><FieldMessage message={leadersError} /></p>}
              <ul className="checkbox-list">
                {loaderData.leaders.map((l) => (
                  <li key={l.userId}>
                    <input type="hidden" name="leaderId" value={l.userId} />
                    <label>
                      <input type="checkbox" name="ledBy" value={l.userId} defaultChecked={l.led} />
                      <FormattedMessage id="sessions.attendance.ledThis" values={{ name: l.name, kind: intl.formatMessage({ id: `sessions.attendance.kind.${l.kind}` }) }} />
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          {loaderData.members.map((m) => (
            <fieldset key={m.userId}>
              <legend>{m.name}</legend>
              <input type="hidden" name="userId" value={m.userId} />
              <ul className="checkbox-list radio-list">
                {ATTENDANCE_STATUSES.map((s) => (
                  <li key={s}>
                    <label>
                      <input type="radio" name={`status-${m.userId}`} value={s} defaultChecked={m.status === s} required />
                      <FormattedMessage id={`sessions.attendance.${s}`} />
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          ))}
          <button type="submit" disabled={navigation.state === "submitting"}>
            <FormattedMessage id="sessions.attendance.submit" />
          </button>
        </Form>
      )}
      <AttendanceHistory items={loaderData.history} />
    </div>
  );
}
