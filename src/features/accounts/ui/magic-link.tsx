import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/magic-link";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, Field, fieldError } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { safeRedirect } from "../schemas.ts";
import { asResult, failed, isFailure } from "./helpers.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Sign in with an email link · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const params = new URL(request.url).searchParams;
  const redirectTo = safeRedirect(params.get("redirectTo"));
  if (ctx.user && !params.get("error")) throw redirect(redirectTo);
  // better-auth sends failed links here with ?error=INVALID_TOKEN (expired, used) or our TWO_FACTOR_REQUIRED.
  const error = params.get("error");
  return { redirectTo, error: error === "TWO_FACTOR_REQUIRED" ? "twoFactor" : error ? "expired" : null };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const values = formValues(form);
  const result = await formAction(() => ctx.services.accounts.requestMagicLink(ctx, { email: values["email"] ?? "" }, { redirectTo: values["redirectTo"] }), values);
  if (isFailure(result)) return failed(result);
  return { ok: true as const, email: values["email"] ?? "" };
}

export default function MagicLink({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = asResult(actionData);
  const v = (isFailure(result) ? result.values : undefined) ?? {};
  if (result?.ok) {
    return (
      <div className="page narrow">
        <h1>
          <FormattedMessage id="accounts.magicLink.sentTitle" />
        </h1>
        <div className="notice notice--success" role="status" tabIndex={-1} ref={(el) => el?.focus()}>
          <FormattedMessage id="accounts.magicLink.sent" values={{ email: <strong>{(actionData as { email: string }).email}</strong>, minutes: 10 }} />
        </div>
        <p>
          <FormattedMessage id="accounts.magicLink.sentHint" />
        </p>
        <p>
          <Link to="/sign-in">
            <FormattedMessage id="accounts.backToSignIn" />
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="accounts.magicLink.title" />
      </h1>
      {loaderData.error === "expired" && (
        <div className="notice notice--warning" role="status">
          <FormattedMessage id="accounts.magicLink.expired" />
        </div>
      )}
      {loaderData.error === "twoFactor" && (
        <div className="notice notice--warning" role="status">
          <FormattedMessage id="accounts.magicLink.twoFactorRequired" />
        </div>
      )}
      <p className="lead">
        <FormattedMessage id="accounts.magicLink.intro" values={{ minutes: 10 }} />
      </p>
      <ErrorSummary result={result} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        <Field name="email" type="email" label={intl.formatMessage({ id: "accounts.field.email" })} required defaultValue={v["email"]} error={fieldError(result, "email")} autoComplete="username" spellCheck={false} />
        <button type="submit" className="button button--block" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="accounts.magicLink.submit" />
        </button>
      </Form>
      <ul className="link-list">
        <li>
          <Link to="/sign-in">
            <FormattedMessage id="accounts.magicLink.usePassword" />
          </Link>
        </li>
      </ul>
    </div>
  );
}
