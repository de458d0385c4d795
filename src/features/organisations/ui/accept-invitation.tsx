import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/accept-invitation";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import { attempt } from "./shared.tsx";

export function meta() {
  return [{ title: "Invitation · Balint Commons" }, { name: "robots", content: "noindex" }];
}

export async function loader({ params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const back = `/invitations/${params.token}`;
  let peek = null;
  try {
    peek = await ctx.services.organisations.peekInvitation(params.token, ctx.actor);
  } catch (error) {
    if (!isAppError(error) || error.code !== "not_found") throw error;
  }
  return {
    invitation: peek,
    signedIn: Boolean(ctx.user),
    email: ctx.user?.email ?? null,
    signInUrl: `/sign-in?redirectTo=${encodeURIComponent(back)}`,
    signUpUrl: `/sign-up?redirectTo=${encodeURIComponent(back)}`,
  };
}

export async function action({ params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const result = await attempt(() => ctx.services.organisations.acceptInvitation(ctx.actor, params.token, ctx));
  if (!result.ok) return data(result.failure satisfies ActionResult, { status: result.status });
  return redirect(`/o/${result.value.organisation.slug}?joined=1`);
}

export default function AcceptInvitation({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const { invitation, signedIn, email, signInUrl, signUpUrl } = loaderData;
  const result = actionData as ActionResult | undefined;
  const role = invitation ? intl.formatMessage({ id: `organisations.role.${invitation.role}` }) : "";
  return (
    <div className="page narrow">
      <p className="eyebrow">
        <FormattedMessage id="organisations.accept.eyebrow" />
      </p>
      {!invitation ? (
        <>
          <h1>
            <FormattedMessage id="organisations.accept.unknownTitle" />
          </h1>
          <p className="lead">
            <FormattedMessage id="organisations.accept.unknownBody" />
          </p>
        </>
      ) : (
        <>
          <h1>
            <FormattedMessage id="organisations.accept.title" values={{ organisation: invitation.organisationName }} />
          </h1>
          <p className="lead">
            <FormattedMessage id="organisations.accept.lead" values={{ organisation: invitation.organisationName, role }} />
          </p>
          <ErrorSummary result={result} />
          {invitation.state === "expired" && (
            <div className="notice" role="status">
              <FormattedMessage id="organisations.accept.expired" />
            </div>
          )}
          {invitation.state === "accepted" && (
            <div className="notice" role="status">
              <FormattedMessage id="organisations.accept.used" />
            </div>
          )}
          {invitation.state === "revoked" && (
            <div className="notice" role="status">
              <FormattedMessage id="organisations.accept.revoked" />
            </div>
          )}
          {invitation.state === "pending" && !signedIn && (
            <>
              <p>
                <FormattedMessage id="organisations.accept.signedOut" />
              </p>
              <div className="actions">
                <Link className="button" to={signInUrl}>
                  <FormattedMessage id="organisations.accept.signIn" />
                </Link>
                <Link className="button button--secondary" to={signUpUrl}>
                  <FormattedMessage id="organisations.accept.signUp" />
                </Link>
              </div>
            </>
          )}
          {invitation.state === "pending" && signedIn && invitation.fit === "mismatch" && (
            <div className="notice" role="status">
              <p>
                <FormattedMessage id="organisations.accept.mismatch" values={{ email: email ?? "" }} />
              </p>
              <Form method="post" action="/sign-out">
                <button type="submit" className="button--secondary">
                  <FormattedMessage id="organisations.accept.switchAccount" />
                </button>
              </Form>
            </div>
          )}
          {invitation.state === "pending" && signedIn && invitation.fit === "unverified" && (
            <div className="notice" role="status">
              <p>
                <FormattedMessage id="organisations.accept.unverified" values={{ email: email ?? "" }} />
              </p>
              <p>
                <Link to="/account/security">
                  <FormattedMessage id="organisations.accept.verifyLink" />
                </Link>
              </p>
            </div>
          )}
          {invitation.state === "pending" && signedIn && invitation.fit === "member" && (
            <div className="notice" role="status">
              <FormattedMessage id="organisations.accept.alreadyMember" />{" "}
              <Link to="/home">
                <FormattedMessage id="organisations.accept.goHome" />
              </Link>
            </div>
          )}
          {invitation.state === "pending" && signedIn && invitation.fit === "match" && (
            <Form method="post">
              <p>
                <FormattedMessage id="organisations.accept.ready" values={{ email: email ?? "" }} />
              </p>
              <button type="submit" disabled={navigation.state === "submitting"}>
                <FormattedMessage id="organisations.accept.accept" values={{ organisation: invitation.organisationName }} />
              </button>
            </Form>
          )}
        </>
      )}
    </div>
  );
}
