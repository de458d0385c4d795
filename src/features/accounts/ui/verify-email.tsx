import { FormattedMessage } from "react-intl";
import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/verify-email";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { asResult, failed, isFailure } from "./helpers.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Email confirmation · Balint Commons" }];
}

/** Where better-auth's confirmation links land: /verify-email, or /verify-email?error=… */
export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const error = new URL(request.url).searchParams.get("error");
  const signedIn = Boolean(ctx.user);
  const verified = ctx.user ? ctx.user.emailVerified : !error;
  return { status: verified ? ("confirmed" as const) : ("expired" as const), signedIn };
}

export async function action({ context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const result = await formAction(() => ctx.services.accounts.resendVerification(ctx));
  if (isFailure(result)) return failed(result);
  return { ok: true as const };
}

export default function VerifyEmail({ loaderData, actionData }: Route.ComponentProps) {
  const navigation = useNavigation();
  const result = asResult(actionData);
  if (loaderData.status === "confirmed") {
    return (
      <div className="page narrow">
        <h1>
          <FormattedMessage id="accounts.verify.confirmedTitle" />
        </h1>
        <div className="notice notice--success" role="status">
          <FormattedMessage id="accounts.verify.confirmed" />
        </div>
        <div className="actions">
          <Link className="button" to={loaderData.signedIn ? "/home" : "/sign-in"}>
            <FormattedMessage id={loaderData.signedIn ? "accounts.verify.continue" : "common.signIn"} />
          </Link>
        </div>
      </div>
    );
  }
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="accounts.verify.expiredTitle" />
      </h1>
      <ErrorSummary result={result} />
      {result?.ok ? (
        <div className="notice notice--success" role="status" tabIndex={-1} ref={(el) => el?.focus()}>
          <FormattedMessage id="accounts.verify.resent" />
        </div>
      ) : (
        <div className="notice notice--warning" role="status">
          <FormattedMessage id="accounts.verify.expired" />
        </div>
      )}
      {loaderData.signedIn ? (
        <Form method="post">
          <button type="submit" className="button" disabled={navigation.state === "submitting"}>
            <FormattedMessage id="accounts.verify.resend" />
          </button>
        </Form>
      ) : (
        <>
          <p>
            <FormattedMessage id="accounts.verify.signInToResend" />
          </p>
          <Link className="button" to="/sign-in?redirectTo=%2Fverify-email">
            <FormattedMessage id="common.signIn" />
          </Link>
        </>
      )}
    </div>
  );
}
