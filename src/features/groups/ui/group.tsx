import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/group";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { attempt, NoticeBanner, type Notice } from "../../organisations/ui/shared.tsx";
import { REQUEST_NOTE_MAX } from "../schemas.ts";
import { GroupFacts, GroupsPageError, MeetingTime, ScheduleText } from "./shared.tsx";
import groupStyles from "./groups.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: groupStyles }];

function signInUrl(request: Request, to: "sign-in" | "sign-up" = "sign-in") {
  const url = new URL(request.url);
  return `/${to}?redirectTo=${encodeURIComponent(url.pathname)}`;
}

async function loadPage(ctx: ReturnType<typeof getRequestContext>, params: { orgSlug: string; groupSlug: string }) {
  try {
    return await ctx.services.groups.publicGroupFor(ctx.actor, params.orgSlug, params.groupSlug);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const page = await loadPage(ctx, params);
  const url = new URL(request.url);
  const inGroup = page.myStatus === "active" || page.myStatus === "leader" || page.myStatus === "co_leader";
  // Members (after the agreement) and leaders see the meeting details and the leaders' names.
  const member = inGroup ? await ctx.services.groups.memberView(ctx.actor, page.organisationId, page.groupId) : null;
  return {
    page,
    member: member ? { leaders: member.leaders, meetingDetails: member.meetingDetails } : null,
    signedIn: Boolean(ctx.user),
    signInHref: signInUrl(request),
    signUpHref: signInUrl(request, "sign-up"),
    confirmLeave: url.searchParams.get("leave") === "1",
    manageHref: page.myStatus === "leader" || page.myStatus === "co_leader" ? `/o/${page.group.organisation.slug}/groups/${page.groupId}` : null,
  };
}

type GroupAction = ActionResult<{ notice: Notice }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(signInUrl(request));
  const page = await loadPage(ctx, params);
  const form = await request.formData();
  const values = formValues(form);
  const intent = values["intent"];
  const svc = ctx.services.groups;
  const { organisationId: orgId, groupId } = page;
  const run = async (work: () => Promise<unknown>, notice: string) => {
    const result = await attempt(work, values);
    if (!result.ok) return data(result.failure satisfies GroupAction, { status: result.status });
    return { ok: true, data: { notice: { id: notice, values: { group: page.group.name } } } } satisfies GroupAction;
  };
  if (intent === "request") return run(() => svc.requestToJoin(ctx.actor, orgId, groupId, { note: values["note"] ?? "" }, ctx), "groups.page.requested");
  if (intent === "waitlist") return run(() => svc.joinWaitlist(ctx.actor, orgId, groupId, ctx), "groups.page.waitlisted");
  if (intent === "withdraw") return run(() => svc.leave(ctx.actor, orgId, groupId, ctx), "groups.page.withdrawn");
  if (intent === "leaveWaitlist") return run(() => svc.leaveWaitlist(ctx.actor, orgId, groupId, ctx), "groups.page.leftWaitlist");
  if (intent === "acceptOffer") return run(() => svc.acceptOffer(ctx.actor, orgId, groupId, ctx), "groups.page.offerAccepted");
  if (intent === "agree") return run(() => svc.acceptAgreement(ctx.actor, orgId, groupId, ctx), "groups.page.agreed");
  if (intent === "leave") return run(() => svc.leave(ctx.actor, orgId, groupId, ctx), "groups.page.left");
  return data({ ok: false, message: "Unknown action.", fields: [] } satisfies GroupAction, { status: 400 });
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `${loaderData.page.group.name} · Balint Commons` : "Balint Commons" }];
}

export { GroupsPageError as ErrorBoundary };

function SignInPrompt({ signInHref, signUpHref }: { signInHref: string; signUpHref: string }) {
  const intl = useIntl();
  return (
    <p>
      <FormattedMessage
        id="groups.page.signInToRequest"
        values={{
          signIn: <Link to={signInHref}>{intl.formatMessage({ id: "groups.page.signInLink" })}</Link>,
          signUp: <Link to={signUpHref}>{intl.formatMessage({ id: "groups.page.signUpLink" })}</Link>,
        }}
      />
    </p>
  );
}

function Agreement({ intl }: { intl: ReturnType<typeof useIntl> }) {
  return (
    <section className="card group-agreement" aria-labelledby="agreement-title">
      <h2 id="agreement-title">
        <FormattedMessage id="groups.agreement.title" />
      </h2>
      <p>
        <FormattedMessage id="groups.agreement.intro" />
      </p>
      <ul>
        <li>
          <FormattedMessage id="groups.agreement.confidentiality" />
        </li>
        <li>
          <FormattedMessage id="groups.agreement.noRecords" />
        </li>
        <li>
          <FormattedMessage id="groups.agreement.commitment" />
        </li>
      </ul>
      <Form method="post" className="actions">
        <input type="hidden" name="intent" value="agree" />
        <button type="submit">{intl.formatMessage({ id: "groups.agreement.accept" })}</button>
      </Form>
    </section>
  );
}

export default function GroupPage({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { page, member, signedIn, signInHref, signUpHref, confirmLeave, manageHref } = loaderData;
  const result = actionData as GroupAction | undefined;
  const { group } = page;
  const notice = result?.ok ? (result.data?.notice ?? null) : null;
  const noteError = fieldError(result, "note");
  const isLeader = page.myStatus === "leader" || page.myStatus === "co_leader";
  const isMember = page.myStatus === "active";
  const full = group.seatsLeft === 0;
  return (
    <div className="page narrow">
      <p className="eyebrow">{group.organisation.name}</p>
      <h1>{group.name}</h1>
      <NoticeBanner notice={notice} />
      <ErrorSummary result={result} labels={{ note: intl.formatMessage({ id: "groups.page.noteLabel" }) }} />
      {group.description && <p className="lead">{group.description}</p>}
      {manageHref && (
        <p>
          <Link to={manageHref}>
            <FormattedMessage id="groups.page.manage" />
          </Link>
        </p>
      )}

      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">
          <FormattedMessage id="groups.page.about" />
        </h2>
        <GroupFacts group={group} />
        <p>
          <strong>
            <FormattedMessage id="groups.page.schedule" />
          </strong>{" "}
          <ScheduleText schedule={group.schedule} timeZone={group.timeZone} />
        </p>
        <p>
          <strong>
            <FormattedMessage id="groups.page.term" />
          </strong>{" "}
          <FormattedMessage id={page.termEnded ? "groups.page.termEnded" : "groups.page.termNumber"} values={{ term: page.term }} />
        </p>
        <p>
          <strong>
            <FormattedMessage id="groups.page.seats" />
          </strong>{" "}
          <FormattedMessage id="groups.seatsLeft" values={{ count: group.seatsLeft, capacity: group.capacity }} />
        </p>
        <p>
          {group.nextSession ? (
            <>
              <strong>
                <FormattedMessage id="groups.nextSession" />
              </strong>{" "}
              <MeetingTime start={group.nextSession.start} end={group.nextSession.end} timeZone={intl.timeZone ?? "UTC"} />
            </>
          ) : (
            <FormattedMessage id="groups.noNextSession" />
          )}
        </p>
      </section>

      {(isMember || isLeader) && member && (
        <>
          {isMember && !page.agreementAccepted && <Agreement intl={intl} />}
          {(isLeader || page.agreementAccepted) && (
            <section className="card" aria-labelledby="member-title">
              <h2 id="member-title">
                <FormattedMessage id="groups.member.title" />
              </h2>
              {member.meetingDetails && (
                <div className="meeting-details">
                  {member.meetingDetails.meetingLink && (
                    <p>
                      <strong>
                        <FormattedMessage id="groups.member.link" />
                      </strong>{" "}
                      <a href={member.meetingDetails.meetingLink} rel="noreferrer noopener">
                        {member.meetingDetails.meetingLink}
                      </a>
                    </p>
                  )}
                  {member.meetingDetails.address && (
                    <p>
                      <strong>
                        <FormattedMessage id="groups.member.address" />
                      </strong>{" "}
                      {member.meetingDetails.address}
                    </p>
                  )}
                </div>
              )}
              <h3>
                <FormattedMessage id="groups.member.leaders" />
              </h3>
              <ul>
                {member.leaders.map((l) => (
                  <li key={l.userId}>
                    {l.name} (<FormattedMessage id={`groups.leaderKind.${l.kind}`} />)
                  </li>
                ))}
              </ul>
              <h3>
                <FormattedMessage id="groups.member.upcoming" />
              </h3>
              {page.upcoming.length === 0 ? (
                <p>
                  <FormattedMessage id="groups.noNextSession" />
                </p>
              ) : (
                <ul>
                  {page.upcoming.map((o) => (
                    <li key={o.start}>
                      <MeetingTime start={o.start} end={o.end} timeZone={intl.timeZone ?? "UTC"} />
                      {o.cancelled && (
                        <>
                          {" "}
                          <span className="tag">
                            <FormattedMessage id="groups.member.cancelled" />
                          </span>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )}
          {isMember && (
            <section className="card" aria-labelledby="leave-title">
              <h2 id="leave-title">
                <FormattedMessage id="groups.member.leaveTitle" />
              </h2>
              {confirmLeave ? (
                <div role="alertdialog" aria-labelledby="leave-confirm">
                  <p id="leave-confirm">
                    <FormattedMessage id="groups.member.leaveConfirm" values={{ group: group.name }} />
                  </p>
                  <Form method="post" action="?" className="actions">
                    <input type="hidden" name="intent" value="leave" />
                    <button type="submit" className="button--danger">
                      <FormattedMessage id="groups.member.leaveYes" />
                    </button>
                    <Link to="?">
                      <FormattedMessage id="common.cancel" />
                    </Link>
                  </Form>
                </div>
              ) : (
                <p>
                  <Link to="?leave=1">
                    <FormattedMessage id="groups.member.leave" />
                  </Link>
                </p>
              )}
            </section>
          )}
        </>
      )}

      {!isMember && !isLeader && (
        <section className="card" aria-labelledby="join-title">
          <h2 id="join-title">
            <FormattedMessage id="groups.page.joinTitle" />
          </h2>
          {page.myStatus === "pending" ? (
            <>
              <p role="status">
                <FormattedMessage id="groups.page.pendingState" />
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="withdraw" />
                <button type="submit" className="button--secondary">
                  <FormattedMessage id="groups.page.withdraw" />
                </button>
              </Form>
            </>
          ) : page.myStatus === "waitlisted" && page.waitlist ? (
            <>
              {page.waitlist.offerExpiresAt ? (
                <>
                  <p role="status">
                    <FormattedMessage
                      id="groups.page.offerOpen"
                      values={{ expires: intl.formatDate(new Date(page.waitlist.offerExpiresAt), { dateStyle: "long", timeStyle: "short" }) }}
                    />
                  </p>
                  <Form method="post" className="actions">
                    <input type="hidden" name="intent" value="acceptOffer" />
                    <button type="submit">
                      <FormattedMessage id="groups.page.acceptOffer" />
                    </button>
                  </Form>
                </>
              ) : (
                <p role="status">
                  <FormattedMessage id="groups.page.waitlistState" values={{ position: page.waitlist.position }} />
                </p>
              )}
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="leaveWaitlist" />
                <button type="submit" className="button--secondary">
                  <FormattedMessage id="groups.page.leaveWaitlist" />
                </button>
              </Form>
            </>
          ) : group.joinPolicy === "invitation" ? (
            <p>
              <FormattedMessage id="groups.page.invitationOnly" />
            </p>
          ) : !signedIn ? (
            <SignInPrompt signInHref={signInHref} signUpHref={signUpHref} />
          ) : full ? (
            <>
              <p>
                <FormattedMessage id="groups.page.fullExplain" />
              </p>
              <Form method="post" className="actions">
                <input type="hidden" name="intent" value="waitlist" />
                <button type="submit">
                  <FormattedMessage id="groups.page.joinWaitlist" />
                </button>
              </Form>
            </>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="request" />
              <div className={`field${noteError ? " field--error" : ""}`}>
                <label htmlFor="field-note">
                  <FormattedMessage id="groups.page.noteLabel" />
                </label>
                <p className="field__hint" id="note-hint">
                  <FormattedMessage id="groups.page.noteHint" values={{ max: REQUEST_NOTE_MAX }} />
                </p>
                {noteError && (
                  <p className="field__error" id="note-error">
                    <FieldMessage message={noteError} />
                  </p>
                )}
                <textarea
                  id="field-note"
                  name="note"
                  rows={3}
                  maxLength={REQUEST_NOTE_MAX}
                  defaultValue={result && !result.ok ? (result.values?.["note"] ?? "") : ""}
                  aria-invalid={noteError ? true : undefined}
                  aria-describedby={noteError ? "note-hint note-error" : "note-hint"}
                />
              </div>
              <div className="actions">
                <button type="submit">
                  <FormattedMessage id="groups.page.request" />
                </button>
              </div>
            </Form>
          )}
        </section>
      )}
      <p>
        <Link to="/groups">
          <FormattedMessage id="groups.backToDirectory" />
        </Link>
      </p>
    </div>
  );
}
