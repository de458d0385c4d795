import { FormattedMessage, useIntl } from "react-intl";
import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/setup";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { timeZoneOptions } from "../../../ui/time-zones.ts";
import { ORGANISATION_KINDS } from "../schemas.ts";

export function meta() {
  return [{ title: "Set up · Balint Commons" }];
}

export async function loader({ context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  // Once an organisation exists, setup is gone for good.
  if (!(await ctx.services.setup.isNeeded())) throw data(null, { status: 404 });
  return { timeZones: timeZoneOptions(), locale: ctx.locale };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const values = formValues(form);
  const input = {
    organisationName: values["organisationName"] ?? "",
    organisationKind: values["organisationKind"] || undefined,
    timeZone: values["timeZone"] || undefined,
    ownerName: values["ownerName"] ?? "",
    ownerEmail: values["ownerEmail"] ?? "",
    ownerPassword: String(form.get("ownerPassword") ?? ""),
    locale: ctx.locale,
  };
  const result = await formAction(() => ctx.services.setup.complete(input, { ipAddress: ctx.ipAddress, requestId: ctx.requestId }), values);
  if ("ok" in result && result.ok === false) return data(result, { status: result.fields.length ? 400 : 409 });
  const created = result as Exclude<typeof result, ActionResult>;
  // Sign the new owner in and take them to their organisation.
  const response = await ctx.services.kernel.auth.api.signInEmail({
    body: { email: input.ownerEmail, password: input.ownerPassword },
    headers: ctx.headers,
    asResponse: true,
  });
  const headers = new Headers();
  for (const cookie of response.headers.getSetCookie()) headers.append("Set-Cookie", cookie);
  return redirect(`/o/${created.organisation.slug}?welcome=1`, { headers });
}

export default function Setup({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = actionData as ActionResult | undefined;
  const v = (result && !result.ok ? result.values : undefined) ?? {};
  const browserZone = typeof Intl !== "undefined" ? Intl.DateTimeFormat().resolvedOptions().timeZone : "UTC";
  return (
    <div className="page narrow">
      <h1>
        <FormattedMessage id="setup.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="setup.intro" />
      </p>
      <ErrorSummary
        result={result}
        labels={Object.fromEntries(
          ["organisationName", "organisationKind", "timeZone", "ownerName", "ownerEmail", "ownerPassword"].map((f) => [f, intl.formatMessage({ id: `setup.${f}` })]),
        )}
      />
      <Form method="post" noValidate>
        <fieldset>
          <legend>
            <FormattedMessage id="setup.organisationLegend" />
          </legend>
          <Field name="organisationName" label={intl.formatMessage({ id: "setup.organisationName" })} required defaultValue={v["organisationName"]} error={fieldError(result, "organisationName")} autoComplete="organization" />
          <div className="field">
            <label htmlFor="field-organisationKind">
              <FormattedMessage id="setup.organisationKind" />
            </label>
            <select id="field-organisationKind" name="organisationKind" defaultValue={v["organisationKind"] ?? "society"}>
              {ORGANISATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {intl.formatMessage({ id: `setup.kind.${k}` })}
                </option>
              ))}
            </select>
          </div>
          <div className={`field${fieldError(result, "timeZone") ? " field--error" : ""}`}>
            <label htmlFor="field-timeZone">
              <FormattedMessage id="setup.timeZone" />
            </label>
            <p className="field__hint" id="tz-hint">
              <FormattedMessage id="setup.timeZoneHint" />
            </p>
            <select id="field-timeZone" name="timeZone" aria-describedby="tz-hint" defaultValue={v["timeZone"] ?? browserZone}>
              {loaderData.timeZones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>
            <FormattedMessage id="setup.ownerLegend" />
          </legend>
          <Field name="ownerName" label={intl.formatMessage({ id: "setup.ownerName" })} required defaultValue={v["ownerName"]} error={fieldError(result, "ownerName")} autoComplete="name" />
          <Field name="ownerEmail" type="email" label={intl.formatMessage({ id: "setup.ownerEmail" })} required defaultValue={v["ownerEmail"]} error={fieldError(result, "ownerEmail")} autoComplete="email" />
          <Field
            name="ownerPassword"
            type="password"
            label={intl.formatMessage({ id: "setup.ownerPassword" })}
            hint={intl.formatMessage({ id: "setup.passwordHint" })}
            required
            minLength={10}
            error={fieldError(result, "ownerPassword")}
            autoComplete="new-password"
          />
        </fieldset>
        <button type="submit" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="setup.submit" />
        </button>
      </Form>
    </div>
  );
}
