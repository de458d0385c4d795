import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/two-factor";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, Field, fieldError } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { safeRedirect } from "../schemas.ts";
import { asResult, cookieHeaders, failed, isFailure, renameFields } from "./helpers.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Two-step verification · Balint Commons" }];
}

/** The pending challenge better-auth set after the password step (signed, 10 minutes). */
function hasChallenge(request: Request): boolean {
  return /(?:^|;\s*)(?:__Secure-)?bc\.two_factor=/.test(request.headers.get("cookie") ?? "");
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (ctx.user) throw redirect(redirectTo);
  if (!hasChallenge(request)) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(redirectTo)}`);
  return { redirectTo };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const values = formValues(form);
  const redirectTo = safeRedirect(values["redirectTo"]);
  const recovery = values["intent"] === "recovery";
  const result = await formAction(
    () =>
      recovery
        ? ctx.services.accounts.verifyRecoveryCodeSignIn(ctx, { code: values["recoveryCode"] ?? "" })
        : ctx.services.accounts.verifyTwoFactorSignIn(ctx, { code: values["code"] ?? "" }),
    values,
  );
  if (isFailure(result)) {
    // The challenge expired or ran out of attempts: start again from the password.
    if (!result.fields.length) return failed(result, { restart: true, intent: values["intent"] });
    return failed(recovery ? renameFields(result, { code: "recoveryCode" }) : result, { intent: values["intent"] });
  }
  return redirect(redirectTo, { headers: cookieHeaders(result.cookies) });
}

export default function TwoFactor({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = asResult(actionData);
  const extra = (actionData ?? {}) as { restart?: boolean; intent?: string };
  const busy = navigation.state === "submitting";
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="accounts.twoFactor.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="accounts.twoFactor.intro" />
      </p>
      <ErrorSummary result={result} />
      {extra.restart && (
        <p>
          <Link className="button" to={`/sign-in?redirectTo=${encodeURIComponent(loaderData.redirectTo)}`}>
            <FormattedMessage id="accounts.twoFactor.restart" />
          </Link>
        </p>
      )}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="totp" />
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        <Field
          name="code"
          label={intl.formatMessage({ id: "accounts.field.totp" })}
          hint={intl.formatMessage({ id: "accounts.twoFactor.codeHint" })}
          required
          error={fieldError(result, "code")}
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9 ]*"
          maxLength={7}
          spellCheck={false}
        />
        <button type="submit" className="button button--block" disabled={busy}>
          <FormattedMessage id="accounts.twoFactor.submit" />
        </button>
      </Form>
      <details className="more" open={extra.intent === "recovery"}>
        <summary>
          <FormattedMessage id="accounts.twoFactor.useRecovery" />
        </summary>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="recovery" />
          <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
          <Field
            name="recoveryCode"
            label={intl.formatMessage({ id: "accounts.field.recoveryCode" })}
            hint={intl.formatMessage({ id: "accounts.twoFactor.recoveryHint" })}
            required
            error={fieldError(result, "recoveryCode")}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
          />
          <button type="submit" className="button button--secondary" disabled={busy}>
            <FormattedMessage id="accounts.twoFactor.submitRecovery" />
          </button>
        </Form>
      </details>
      <ul className="link-list">
        <li>
          <Link to="/sign-in">
            <FormattedMessage id="accounts.backToSignIn" />
          </Link>
        </li>
      </ul>
    </div>
  );
}
