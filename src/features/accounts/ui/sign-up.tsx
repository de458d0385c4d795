import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/sign-up";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, Field, fieldError } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { asResult, cookieHeaders, failed, isFailure } from "./helpers.ts";
import { safeRedirect } from "../schemas.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Create an account · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const params = new URL(request.url).searchParams;
  const welcome = params.get("welcome") === "1";
  // Where to go afterwards, e.g. back to the invitation that brought the person here.
  const redirectTo = safeRedirect(params.get("redirectTo"));
  // Just signed up: the "check your email" page. Otherwise someone signed in has nothing to do here.
  if (ctx.user && welcome) return { welcome: { email: ctx.user.email, verified: ctx.user.emailVerified }, redirectTo };
  if (ctx.user) throw redirect(redirectTo);
  return { welcome: null, redirectTo };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const values = formValues(form);
  const result = await formAction(
    () => ctx.services.accounts.signUp(ctx, { name: values["name"] ?? "", email: values["email"] ?? "", password: String(form.get("password") ?? "") }),
    values,
  );
  if (isFailure(result)) return failed(result);
  const redirectTo = safeRedirect(values["redirectTo"]);
  const next = redirectTo === "/home" ? "/sign-up?welcome=1" : `/sign-up?welcome=1&redirectTo=${encodeURIComponent(redirectTo)}`;
  return redirect(next, { headers: cookieHeaders(result.cookies) });
}

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = asResult(actionData);
  const v = (isFailure(result) ? result.values : undefined) ?? {};
  if (loaderData.welcome) {
    return (
      <div className="page narrow">
        <h1>
          <FormattedMessage id="accounts.signUp.welcomeTitle" />
        </h1>
        <div className="notice notice--success" role="status">
          <FormattedMessage id="accounts.signUp.checkEmail" values={{ email: <strong>{loaderData.welcome.email}</strong> }} />
        </div>
        <p>
          <FormattedMessage id="accounts.signUp.checkEmailHint" />
        </p>
        <div className="actions">
          <Link className="button" to={loaderData.redirectTo}>
            <FormattedMessage id="accounts.signUp.continue" />
          </Link>
          <Link to="/account/security">
            <FormattedMessage id="accounts.signUp.resendLink" />
          </Link>
        </div>
      </div>
    );
  }
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="accounts.signUp.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="accounts.signUp.intro" />
      </p>
      <ErrorSummary result={result} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        <Field name="name" label={intl.formatMessage({ id: "accounts.field.name" })} required defaultValue={v["name"]} error={fieldError(result, "name")} autoComplete="name" maxLength={120} />
        <Field name="email" type="email" label={intl.formatMessage({ id: "accounts.field.email" })} required defaultValue={v["email"]} error={fieldError(result, "email")} autoComplete="username" spellCheck={false} />
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
          <FormattedMessage id="accounts.signUp.submit" />
        </button>
      </Form>
      <ul className="link-list">
        <li>
          <FormattedMessage id="accounts.signUp.haveAccount" />{" "}
          <Link to="/sign-in">
            <FormattedMessage id="common.signIn" />
          </Link>
        </li>
      </ul>
    </div>
  );
}
