import { FormattedMessage, useIntl, type IntlShape } from "react-intl";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/dashboard";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import type { Dashboard, DashboardMeeting, LedGroup, MemberGroup } from "../service.server.ts";
import { PendingFeedback } from "../../feedback/ui/pending.tsx";
import { PendingDebriefs } from "../../debrief/ui/pending-debriefs.tsx";
import { CompanionLink } from "../../facilitation/ui/companion-link.tsx";
import styles from "./dashboard.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function meta() {
  return [{ title: "Dashboard · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const [dashboard, pending, debriefs, runnable] = await Promise.all([
    ctx.services.dashboard.forMe(ctx.actor),
    ctx.services.feedback.myPending(ctx.actor),
    ctx.services.debrief.pending(ctx.actor),
    ctx.services.facilitation.openableNow(ctx.actor),
  ]);
  return { dashboard: dashboard as Dashboard, pendingFeedback: pending.items, pendingDebriefs: debriefs.items, runnable: runnable.items };
}

/** The RSVP form (works without JavaScript): the sessions service's `rsvp`, with the optional note. */
export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in?redirectTo=%2Fdashboard");
  const form = await request.formData();
  const get = (k: string) => String(form.get(k) ?? "");
  const status = get("status");
  const note = get("note").trim();
  let httpStatus = 400;
  const result = await formAction(async () => {
    try {
      await ctx.services.sessions.rsvp(ctx.actor, get("orgId"), get("groupId"), get("start"), status === "not_going" && note ? { status, note } : { status });
      return { ok: true as const, message: "saved", groupId: get("groupId") };
    } catch (error) {
      if (isAppError(error)) httpStatus = error.status;
      throw error;
    }
  });
  if (!result.ok) return data(result, { status: httpStatus });
  return result;
}

const whenOf = (intl: IntlShape) => (iso: string) => intl.formatDate(iso, { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });

function MeetingLine({ meeting, intl }: { meeting: DashboardMeeting; intl: IntlShape }) {
  return (
    <>
      <time dateTime={meeting.start}>{whenOf(intl)(meeting.start)}</time>{" "}
      <span className={meeting.status === "cancelled" ? "tag tag--cancelled" : "tag"}>
        <FormattedMessage id={`dashboard.status.${meeting.status}`} />
      </span>
    </>
  );
}

function NextMeeting({ group, intl }: { group: LedGroup | MemberGroup; intl: IntlShape }) {
  if (!group.nextMeeting) return <FormattedMessage id="dashboard.noMeeting" />;
  return (
    <>
      <MeetingLine meeting={group.nextMeeting} intl={intl} />
      {group.followingMeeting && (
        <>
          <br />
          <FormattedMessage id="dashboard.thenMeeting" /> <MeetingLine meeting={group.followingMeeting} intl={intl} />
        </>
      )}
    </>
  );
}

function More({ shown, total, to, id }: { shown: number; total: number; to: string; id: string }) {
  if (total <= shown) return null;
  return (
    <p className="dashboard-more">
      <Link to={to}>
        <FormattedMessage id={id} values={{ count: total - shown }} />
      </Link>
    </p>
  );
}

function LedGroupCard({ group, intl }: { group: LedGroup; intl: IntlShape }) {
  const manage = `/o/${group.organisation.slug}/groups/${group.id}`;
  const when = whenOf(intl);
  return (
    <li className="card dashboard-group">
      <h3>
        <Link to={manage}>{group.name}</Link>
      </h3>
      <p className="dashboard-org">
        {group.organisation.name} · <FormattedMessage id={`dashboard.role.${group.role}`} />
        {group.termEnded && (
          <>
            {" "}
            <span className="tag">
              <FormattedMessage id="dashboard.termEnded" />
            </span>
          </>
        )}
      </p>
      <dl className="dashboard-facts">
        <div>
          <dt>
            <FormattedMessage id="dashboard.nextMeeting" />
          </dt>
          <dd>
            <NextMeeting group={group} intl={intl} />
          </dd>
        </div>
        <div>
          <dt>
            <FormattedMessage id="dashboard.roster" />
          </dt>
          <dd>
            <Link to={`${manage}#roster-title`}>
              <FormattedMessage id="dashboard.rosterValue" values={{ active: group.activeMembers, capacity: group.capacity }} />
            </Link>
          </dd>
        </div>
        <div>
          <dt>
            <FormattedMessage id="dashboard.pending" />
          </dt>
          <dd>
            {group.pendingRequests > 0 ? (
              <Link to={`${manage}#pending-title`}>
                <FormattedMessage id="dashboard.pendingValue" values={{ count: group.pendingRequests }} />
              </Link>
            ) : (
              <FormattedMessage id="dashboard.pendingValue" values={{ count: 0 }} />
            )}
          </dd>
        </div>
        <div>
          <dt>
            <FormattedMessage id="dashboard.waitlist" />
          </dt>
          <dd>
            {group.waitlistLength > 0 ? (
              <Link to={`${manage}#waitlist-title`}>
                <FormattedMessage id="dashboard.waitlistValue" values={{ count: group.waitlistLength }} />
              </Link>
            ) : (
              <FormattedMessage id="dashboard.waitlistValue" values={{ count: 0 }} />
            )}
          </dd>
        </div>
        <div>
          <dt>
            <FormattedMessage id="dashboard.attendance" />
          </dt>
          <dd>
            {group.attendanceToRecord.total === 0 ? (
              <FormattedMessage id="dashboard.attendanceNone" />
            ) : (
              <>
                <ul className="dashboard-todo">
                  {group.attendanceToRecord.items.map((o) => (
                    <li key={o.occurrenceStart}>
                      <Link to={`/sessions/${group.id}/${encodeURIComponent(o.occurrenceStart)}/attendance`}>
                        <FormattedMessage id="dashboard.attendanceRecord" values={{ when: when(o.start) }} />
                      </Link>
                    </li>
                  ))}
                </ul>
                <More shown={group.attendanceToRecord.items.length} total={group.attendanceToRecord.total} to="/sessions" id="dashboard.moreMeetings" />
              </>
            )}
          </dd>
        </div>
      </dl>
    </li>
  );
}

function Rsvp({ group, meeting, busy, intl }: { group: MemberGroup; meeting: DashboardMeeting; busy: boolean; intl: IntlShape }) {
  const when = whenOf(intl)(meeting.start);
  const answer = meeting.myRsvp ?? "going";
  const noteId = `note-${group.id}`;
  return (
    <Form method="post" className="dashboard-rsvp">
      <fieldset>
        <legend>
          <FormattedMessage id="dashboard.rsvp.legend" values={{ when }} />
        </legend>
        <p>
          <FormattedMessage id={`dashboard.rsvp.${answer}`} />
        </p>
        <input type="hidden" name="orgId" value={group.organisation.id} />
        <input type="hidden" name="groupId" value={group.id} />
        <input type="hidden" name="start" value={meeting.occurrenceStart} />
        {answer === "not_going" ? (
          <button type="submit" name="status" value="going" className="button--secondary" disabled={busy}>
            <FormattedMessage id="dashboard.rsvp.goingAction" />
          </button>
        ) : (
          <>
            <div className="field">
              <label htmlFor={noteId}>
                <FormattedMessage id="dashboard.rsvp.note" />
              </label>
              <textarea id={noteId} name="note" rows={2} maxLength={280} aria-describedby={`${noteId}-hint`} />
              <p className="field__hint" id={`${noteId}-hint`}>
                <FormattedMessage id="dashboard.rsvp.noteHint" />
              </p>
            </div>
            <button type="submit" name="status" value="not_going" className="button--secondary" disabled={busy}>
              <FormattedMessage id="dashboard.rsvp.notGoingAction" />
            </button>
          </>
        )}
      </fieldset>
    </Form>
  );
}

function MemberGroupCard({ group, busy, intl }: { group: MemberGroup; busy: boolean; intl: IntlShape }) {
  const page = `/groups/${group.organisation.slug}/${group.slug}`;
  const answerable = group.nextMeeting?.status === "cancelled" ? group.followingMeeting : group.nextMeeting;
  return (
    <li className="card dashboard-group">
      <h3>
        <Link to={page}>{group.name}</Link>
      </h3>
      <p className="dashboard-org">{group.organisation.name}</p>
      {!group.agreementAccepted && (
        <p className="notice">
          <FormattedMessage id="dashboard.agreementPending" />{" "}
          <Link to={`${page}#agreement-title`}>
            <FormattedMessage id="dashboard.agreementLink" values={{ group: group.name }} />
          </Link>
        </p>
      )}
      <dl className="dashboard-facts">
        <div>
          <dt>
            <FormattedMessage id="dashboard.nextMeeting" />
          </dt>
          <dd>
            <NextMeeting group={group} intl={intl} />
            {answerable?.meetingLink && (
              <>
                {" "}
                <a href={answerable.meetingLink} rel="noreferrer">
                  <FormattedMessage id="dashboard.join" />
                </a>
              </>
            )}
          </dd>
        </div>
        {group.agreementAccepted && (
          <div>
            <dt>
              <FormattedMessage id="dashboard.agreement" />
            </dt>
            <dd>
              <FormattedMessage id="dashboard.agreementAccepted" />
            </dd>
          </div>
        )}
      </dl>
      {group.agreementAccepted && answerable && <Rsvp group={group} meeting={answerable} busy={busy} intl={intl} />}
    </li>
  );
}

export default function DashboardPage({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { dashboard } = loaderData;
  const result = actionData as ActionResult | undefined;
  const noGroups = dashboard.leading.total === 0 && dashboard.member.total === 0;
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="dashboard.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="dashboard.intro" />{" "}
        <Link to="/sessions">
          <FormattedMessage id="dashboard.allSessions" />
        </Link>
        {" · "}
        <Link to="/account/calendar">
          <FormattedMessage id="dashboard.calendar" />
        </Link>
      </p>
      <ErrorSummary result={result} labels={{ note: intl.formatMessage({ id: "dashboard.rsvp.note" }), start: intl.formatMessage({ id: "dashboard.nextMeeting" }) }} />
      {result?.ok && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="dashboard.rsvp.saved" />
        </div>
      )}
      {loaderData.runnable.length > 0 && (
        <section className="card dashboard-run" aria-labelledby="run-heading">
          <h2 id="run-heading">
            <FormattedMessage id="dashboard.runNow" />
          </h2>
          <ul>
            {loaderData.runnable.map((m) => (
              <li key={`${m.groupId}|${m.occurrenceStart}`}>
                <CompanionLink groupId={m.groupId} groupName={m.groupName} occurrenceStart={m.occurrenceStart} start={m.start} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <PendingFeedback items={loaderData.pendingFeedback} />

      {noGroups && (
        <section className="card empty-state" aria-labelledby="empty-heading">
          <h2 id="empty-heading">
            <FormattedMessage id="dashboard.empty.title" />
          </h2>
          <p>
            <FormattedMessage id="dashboard.empty.body" />
          </p>
          <p>
            <Link className="button" to="/groups">
              <FormattedMessage id="dashboard.empty.directory" />
            </Link>
          </p>
        </section>
      )}

      {dashboard.leading.total > 0 && (
        <section aria-labelledby="leading-heading" className="dashboard-section">
          <h2 id="leading-heading">
            <FormattedMessage id="dashboard.leading.title" />
          </h2>
          {dashboard.attendanceToRecordTotal > 0 && (
            <p className="notice dashboard-nudge">
              <FormattedMessage id="dashboard.nudge" values={{ count: dashboard.attendanceToRecordTotal }} />
            </p>
          )}
          <ul className="dashboard-groups">
            {dashboard.leading.items.map((g) => (
              <LedGroupCard key={g.id} group={g} intl={intl} />
            ))}
          </ul>
          <More shown={dashboard.leading.items.length} total={dashboard.leading.total} to="/home" id="dashboard.moreLeading" />
          <PendingDebriefs items={loaderData.pendingDebriefs} hideWhenEmpty headingLevel={3} />
        </section>
      )}

      {dashboard.member.total > 0 && (
        <section aria-labelledby="member-heading" className="dashboard-section">
          <h2 id="member-heading">
            <FormattedMessage id="dashboard.member.title" />
          </h2>
          <ul className="dashboard-groups">
            {dashboard.member.items.map((g) => (
              <MemberGroupCard key={g.id} group={g} busy={busy} intl={intl} />
            ))}
          </ul>
          <More shown={dashboard.member.items.length} total={dashboard.member.total} to="/sessions" id="dashboard.moreMember" />
        </section>
      )}

      {dashboard.requests.total > 0 && (
        <section aria-labelledby="requests-heading" className="dashboard-section">
          <h2 id="requests-heading">
            <FormattedMessage id="dashboard.requests.title" />
          </h2>
          <ul>
            {dashboard.requests.items.map((r) => (
              <li key={r.group.id}>
                <Link to={`/groups/${r.organisation.slug}/${r.group.slug}`}>{r.group.name}</Link> ({r.organisation.name}){" "}
                <FormattedMessage id="dashboard.requests.waiting" values={{ since: intl.formatDate(r.requestedAt, { day: "numeric", month: "long", year: "numeric" }) }} />
              </li>
            ))}
          </ul>
          <More shown={dashboard.requests.items.length} total={dashboard.requests.total} to="/groups" id="dashboard.moreGroups" />
        </section>
      )}

      {dashboard.waitlists.total > 0 && (
        <section aria-labelledby="waitlists-heading" className="dashboard-section">
          <h2 id="waitlists-heading">
            <FormattedMessage id="dashboard.waitlists.title" />
          </h2>
          <ul>
            {dashboard.waitlists.items.map((w) => (
              <li key={w.group.id}>
                <Link to={`/groups/${w.organisation.slug}/${w.group.slug}`}>{w.group.name}</Link> ({w.organisation.name}){" "}
                {w.offerExpiresAt ? (
                  <strong>
                    <FormattedMessage id="dashboard.waitlists.offer" values={{ until: intl.formatDate(w.offerExpiresAt, { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" }) }} />
                  </strong>
                ) : (
                  <FormattedMessage id="dashboard.waitlists.position" values={{ position: w.position }} />
                )}
              </li>
            ))}
          </ul>
          <More shown={dashboard.waitlists.items.length} total={dashboard.waitlists.total} to="/groups" id="dashboard.moreGroups" />
        </section>
      )}
    </div>
  );
}
