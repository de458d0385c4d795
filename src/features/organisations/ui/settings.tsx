import { FormattedMessage, useIntl } from "react-intl";
import { Form, data, useNavigation } from "react-router";
import type { Route } from "./+types/settings";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { timeZoneOptions } from "../../../ui/time-zones.ts";
import { LOCALES, LOCALE_NAMES } from "../../../platform/i18n/locales.ts";
import { MINIMUM_CELL_SIZE_FLOOR, MINIMUM_CELL_SIZE_MAX } from "../schemas.ts";
import { DEBRIEF_RETENTION_DAYS_MAX, DEBRIEF_RETENTION_DAYS_MIN } from "../../debrief/constants.ts";
import { NoticeBanner, OrgPageError, attempt, loadOr, type Notice } from "./shared.tsx";

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  if (!org.permissions.includes("organisation:update")) throw data(null, { status: 403 });
  return { org, timeZones: timeZoneOptions() };
}

type SettingsAction = ActionResult<{ notice: Notice }>;

/** Form text to the API's shape: blanks clear optional settings; numbers stay numbers when they are. */
function toInput(values: Record<string, string>) {
  const size = (values["settings.minimumCellSize"] ?? "").trim();
  const numeric = /^-?\d+(\.\d+)?$/.test(size) ? Number(size) : size;
  const days = (values["settings.debriefRetentionDays"] ?? "").trim();
  const daysValue = /^-?\d+(\.\d+)?$/.test(days) ? Number(days) : days;
  return {
    name: values["name"] ?? "",
    defaultLocale: values["defaultLocale"] ?? "",
    timeZone: values["timeZone"] ?? "",
    settings: {
      ...(size === "" ? {} : { minimumCellSize: numeric }),
      ...(days === "" ? {} : { debriefRetentionDays: daysValue }),
      supportUrl: (values["settings.supportUrl"] ?? "").trim() || null,
      contactEmail: (values["settings.contactEmail"] ?? "").trim() || null,
    },
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.organisations;
  const org = await loadOr(request, () => svc.getBySlug(ctx.actor, params.slug));
  const values = formValues(await request.formData());
  const result = await attempt(() => svc.updateSettings(ctx.actor, org.id, toInput(values), ctx), values);
  if (!result.ok) return data(result.failure satisfies SettingsAction, { status: result.status });
  return { ok: true, data: { notice: { id: "organisations.settings.saved" } } } satisfies SettingsAction;
}

export { OrgPageError as ErrorBoundary };

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const { org, timeZones } = loaderData;
  const result = actionData as SettingsAction | undefined;
  const v = (result && !result.ok ? result.values : undefined) ?? {};
  const value = (name: string, current: string | number | null) => v[name] ?? (current === null ? "" : String(current));
  const tzError = fieldError(result, "timeZone");
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">
        <FormattedMessage id="organisations.settings.title" />
      </h2>
      <NoticeBanner notice={result?.ok ? result.data?.notice : null} />
      <ErrorSummary result={result} />
      <Form method="post" noValidate className="narrow">
        <fieldset>
          <legend>
            <FormattedMessage id="organisations.settings.general" />
          </legend>
          <Field name="name" label={intl.formatMessage({ id: "organisations.settings.name" })} required defaultValue={value("name", org.name)} error={fieldError(result, "name")} autoComplete="organization" />
          <div className={`field${fieldError(result, "defaultLocale") ? " field--error" : ""}`}>
            <label htmlFor="field-defaultLocale">
              <FormattedMessage id="organisations.settings.defaultLocale" />
            </label>
            <p className="field__hint" id="locale-hint">
              <FormattedMessage id="organisations.settings.defaultLocaleHint" />
            </p>
            <select id="field-defaultLocale" name="defaultLocale" aria-describedby="locale-hint" defaultValue={value("defaultLocale", org.defaultLocale)}>
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </option>
              ))}
            </select>
          </div>
          <div className={`field${tzError ? " field--error" : ""}`}>
            <label htmlFor="field-timeZone">
              <FormattedMessage id="organisations.settings.timeZone" />
            </label>
            <p className="field__hint" id="tz-hint">
              <FormattedMessage id="organisations.settings.timeZoneHint" />
            </p>
            {tzError && (
              <p className="field__error" id="tz-error">
                <FieldMessage message={tzError} />
              </p>
            )}
            <select id="field-timeZone" name="timeZone" aria-describedby={tzError ? "tz-hint tz-error" : "tz-hint"} defaultValue={value("timeZone", org.timeZone)}>
              {timeZones.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <fieldset>
          <legend>
            <FormattedMessage id="organisations.settings.privacy" />
          </legend>
          <Field
            name="settings.minimumCellSize"
            type="number"
            inputMode="numeric"
            min={MINIMUM_CELL_SIZE_FLOOR}
            max={MINIMUM_CELL_SIZE_MAX}
            step={1}
            label={intl.formatMessage({ id: "organisations.settings.minimumCellSize" })}
            hint={intl.formatMessage({ id: "organisations.settings.minimumCellSizeHint" }, { floor: MINIMUM_CELL_SIZE_FLOOR })}
            defaultValue={value("settings.minimumCellSize", org.settings.minimumCellSize)}
            error={fieldError(result, "settings.minimumCellSize")}
          />
          <Field
            name="settings.debriefRetentionDays"
            type="number"
            inputMode="numeric"
            min={DEBRIEF_RETENTION_DAYS_MIN}
            max={DEBRIEF_RETENTION_DAYS_MAX}
            step={1}
            label={intl.formatMessage({ id: "debrief.settings.retention" })}
            hint={intl.formatMessage({ id: "debrief.settings.retentionHint" })}
            defaultValue={value("settings.debriefRetentionDays", org.settings.debriefRetentionDays)}
            error={fieldError(result, "settings.debriefRetentionDays")}
          />
        </fieldset>
        <fieldset>
          <legend>
            <FormattedMessage id="organisations.settings.support" />
          </legend>
          <Field
            name="settings.supportUrl"
            type="url"
            label={intl.formatMessage({ id: "organisations.settings.supportUrl" })}
            hint={intl.formatMessage({ id: "organisations.settings.supportUrlHint" })}
            defaultValue={value("settings.supportUrl", org.settings.supportUrl)}
            error={fieldError(result, "settings.supportUrl")}
            placeholder="https://"
          />
          <Field
            name="settings.contactEmail"
            type="email"
            label={intl.formatMessage({ id: "organisations.settings.contactEmail" })}
            hint={intl.formatMessage({ id: "organisations.settings.contactEmailHint" })}
            defaultValue={value("settings.contactEmail", org.settings.contactEmail)}
            error={fieldError(result, "settings.contactEmail")}
          />
        </fieldset>
        <button type="submit" disabled={navigation.state === "submitting"}>
          <FormattedMessage id="common.save" />
        </button>
      </Form>
    </section>
  );
}
