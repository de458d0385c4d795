import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, useNavigation } from "react-router";
import type { Route } from "./+types/forgot-password";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, Field, fieldError } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { asResult, failed, isFailure } from "./helpers.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Forgot your password? · Balint Commons" }];
}

export async function loader({ request }: Route.LoaderArgs) {
  return { expired: new URL(request.url).searchParams.get("expired") === "1" };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const values = formValues(form);
  const result = await formAction(() => ctx.services.accounts.requestPasswordReset(ctx, { email: values["email"] ?? "" }), values);
  if (isFailure(result)) return failed(result);
  return { ok: true as const, email: values["email"] ?? "" };
}

export default function ForgotPassword({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = asResult(actionData);
  const v = (isFailure(result) ? result.values : undefined) ?? {};
  if (result?.ok) {
    return (
      <div className="page narrow">
        <h1>
          <FormattedMessage id="accounts.forgot.sentTitle" />
        </h1>
        <div className="notice notice--success" role="status" tabIndex={-1} ref={(el) => el?.focus()}>
          <FormattedMessage id="accounts.forgot.sent" values={{ email: <strong>{(actionData as { email: string }).email}</strong> }} />
        </div>
        <p>
          <FormattedMessage id="accounts.forgot.sentHint" />
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
        <FormattedMessage id="accounts.forgot.title" />
      </h1>
      {loaderData.expired && (
        <div className="notice notice--warning" role="status">
          <FormattedMessage id="accounts.reset.invalid" />
        </div>
      )}
      <p className="lead">
        <FormattedMessage id="accounts.forgot.intro" />
      </p>
      <ErrorSummary result={result} />
      <Form method="post" noValidate>
        <Field name="email" type="email" label={intl.formatMessage({ id: "accounts.field.email" })} required defaultValue={v["email"]} error={fieldError(result, "email")} autoComplete="username" spellCheck={false} />
        <button type="submit" className="button button--block" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="accounts.forgot.submit" />
        </button>
      </Form>
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
