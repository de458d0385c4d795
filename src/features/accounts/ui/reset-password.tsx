import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/reset-password";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, Field, fieldError } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { asResult, failed, isFailure } from "./helpers.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Choose a new password · Balint Commons" }, { name: "referrer", content: "no-referrer" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, valid: await ctx.services.accounts.isResetTokenValid(token) };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const values = formValues(form);
  const token = values["token"] ?? "";
  const result = await formAction(() => ctx.services.accounts.resetPassword(ctx, { token, password: String(form.get("password") ?? "") }), values);
  if (isFailure(result)) {
    // A token that stopped working while the page was open: say so, with the way forward.
    if (result.fields.some((f) => f.path === "token")) return { ok: false as const, expired: true, message: result.message, fields: [] };
    return failed(result);
  }
  return redirect("/sign-in?reset=1");
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = asResult(actionData);
  const expired = !loaderData.valid || (actionData as { expired?: boolean } | undefined)?.expired;
  if (expired) {
    return (
      <div className="page narrow">
        <h1>
          <FormattedMessage id="accounts.reset.invalidTitle" />
        </h1>
        <div className="notice notice--warning" role="status">
          <FormattedMessage id="accounts.reset.invalid" />
        </div>
        <div className="actions">
          <Link className="button" to="/forgot-password">
            <FormattedMessage id="accounts.reset.requestNew" />
          </Link>
          <Link to="/sign-in">
            <FormattedMessage id="accounts.backToSignIn" />
          </Link>
        </div>
      </div>
    );
  }
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="accounts.reset.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="accounts.reset.intro" />
      </p>
      <ErrorSummary result={result} />
      <Form method="post" noValidate>
        <input type="hidden" name="token" value={loaderData.token} />
        <Field
          name="password"
          type="password"
          label={intl.formatMessage({ id: "accounts.field.newPassword" })}
          hint={intl.formatMessage({ id: "accounts.passwordHint" })}
          required
          minLength={10}
          maxLength={128}
          error={fieldError(result, "password")}
          autoComplete="new-password"
        />
        <button type="submit" className="button button--block" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="accounts.reset.submit" />
        </button>
      </Form>
    </div>
  );
}
