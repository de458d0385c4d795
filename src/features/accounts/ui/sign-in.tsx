import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/sign-in";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, Field, fieldError } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { safeRedirect } from "../schemas.ts";
import { asResult, cookieHeaders, failed, isFailure } from "./helpers.ts";
import { usePasskeySupport } from "./hooks.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Sign in · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const params = new URL(request.url).searchParams;
  const redirectTo = safeRedirect(params.get("redirectTo"));
  if (ctx.user) throw redirect(redirectTo);
  return { redirectTo, reset: params.get("reset") === "1", error: params.get("error") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const values = formValues(form);
  const redirectTo = safeRedirect(values["redirectTo"]);
  const result = await formAction(
    () => ctx.services.accounts.signInWithPassword(ctx, { email: values["email"] ?? "", password: String(form.get("password") ?? "") }),
    values,
  );
  if (isFailure(result)) return failed(result);
  const headers = cookieHeaders(result.cookies);
  if (result.data.twoFactorRedirect) return redirect(`/sign-in/two-factor?redirectTo=${encodeURIComponent(redirectTo)}`, { headers });
  return redirect(redirectTo, { headers });
}

/** Passkey sign-in: needs JavaScript and WebAuthn, so it appears only where both work. */
function PasskeySignIn({ redirectTo }: { redirectTo: string }) {
  const intl = useIntl();
  const supported = usePasskeySupport();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!supported) return null;
  async function signIn() {
    setBusy(true);
    setProblem(null);
    try {
      const { createBrowserAuthClient } = await import("../../../ui/auth-client.ts");
      const result = await createBrowserAuthClient().signIn.passkey();
      if (result.error) {
        setProblem(intl.formatMessage({ id: "accounts.signIn.passkeyFailed" }));
        return;
      }
      window.location.assign(redirectTo);
    } catch {
      setProblem(intl.formatMessage({ id: "accounts.signIn.passkeyFailed" }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="passkey-sign-in">
      <p className="divider">
        <span>
          <FormattedMessage id="accounts.signIn.or" />
        </span>
      </p>
      <button type="button" className="button button--secondary button--block" onClick={signIn} disabled={busy} aria-describedby={problem ? "passkey-problem" : undefined}>
        <FormattedMessage id={busy ? "accounts.signIn.passkeyBusy" : "accounts.signIn.passkey"} />
      </button>
      {problem && (
        <p className="field__error" id="passkey-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}

export default function SignIn({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = asResult(actionData);
  const v = (isFailure(result) ? result.values : undefined) ?? {};
  const withRedirect = (path: string) => (loaderData.redirectTo === "/home" ? path : `${path}?redirectTo=${encodeURIComponent(loaderData.redirectTo)}`);
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="accounts.signIn.title" />
      </h1>
      {loaderData.reset && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="accounts.signIn.afterReset" />
        </div>
      )}
      {loaderData.error === "TWO_FACTOR_REQUIRED" && (
        <div className="notice notice--warning" role="status">
          <FormattedMessage id="accounts.magicLink.twoFactorRequired" />
        </div>
      )}
      <ErrorSummary result={result} />
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        <Field name="email" type="email" label={intl.formatMessage({ id: "accounts.field.email" })} required defaultValue={v["email"]} error={fieldError(result, "email")} autoComplete="username" spellCheck={false} />
        <Field name="password" type="password" label={intl.formatMessage({ id: "accounts.field.password" })} required error={fieldError(result, "password")} autoComplete="current-password" />
        <p className="field-links">
          <Link to="/forgot-password">
            <FormattedMessage id="accounts.signIn.forgot" />
          </Link>
        </p>
        <button type="submit" className="button button--block" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="accounts.signIn.submit" />
        </button>
      </Form>
      <PasskeySignIn redirectTo={loaderData.redirectTo} />
      <ul className="link-list">
        <li>
          <Link to={withRedirect("/sign-in/magic-link")}>
            <FormattedMessage id="accounts.signIn.magicLink" />
          </Link>
        </li>
        <li>
          <FormattedMessage id="accounts.signIn.noAccount" />{" "}
          <Link to="/sign-up">
            <FormattedMessage id="accounts.signIn.createAccount" />
          </Link>
        </li>
      </ul>
    </div>
  );
}
