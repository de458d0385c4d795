import { FormattedMessage, useIntl } from "react-intl";
import { Form } from "react-router";
import { ErrorSummary, FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { timeZoneOptions } from "../../../ui/time-zones.ts";
import { GROUP_FORMATS, GROUP_VISIBILITIES, JOIN_POLICIES } from "../constants.ts";
import { CAPACITY_DEFAULT, CAPACITY_MAX, CAPACITY_MIN } from "../rules.ts";
import { CUSTOM_FREQUENCY, FREQUENCIES, LANGUAGE_CHOICES, type GroupFormValues } from "./form-input.ts";
import { useLanguageName } from "./shared.tsx";

export interface LeaderCandidate {
  userId: string;
  name: string;
}

/** Labels of the friendly fields, for the error summary. */
export function useGroupFormLabels(): Record<string, string> {
  const intl = useIntl();
  const names = ["name", "slug", "description", "format", "address", "meetingLink", "disciplines", "languages", "timeZone", "startDate", "startTime", "frequency", "meetings", "rrule", "duration", "firstDuration", "capacity", "ceCredit", "visibility", "joinPolicy", "leaders"];
  return Object.fromEntries(names.map((n) => [n, intl.formatMessage({ id: `groups.form.${n}` })]));
}

function Choices({ name, legend, options, value, error, hint, type = "radio" }: { name: string; legend: string; options: { value: string; label: string }[]; value: string[]; error?: string | undefined; hint?: string; type?: "radio" | "checkbox" }) {
  return (
    <fieldset className={`group-choices field${error ? " field--error" : ""}`} id={`field-${name}`} tabIndex={-1} aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {hint && <p className="field__hint">{hint}</p>}
      {error && (
        <p className="field__error" id={`${name}-error`}>
          <FieldMessage message={error} />
        </p>
      )}
      {options.map((o) => (
        <label key={o.value}>
          <input type={type} name={name} value={o.value} defaultChecked={value.includes(o.value)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** The create / edit form: friendly fields (the RRULE is built from them), or, for any other rule, the RRULE itself in an advanced field. */
export function GroupForm({ values, result, candidates, submitLabel, coordinator = true, timeZoneDefault }: { values: GroupFormValues; result: ActionResult | undefined; candidates: LeaderCandidate[]; submitLabel: string; coordinator?: boolean; timeZoneDefault: string }) {
  const intl = useIntl();
  const labels = useGroupFormLabels();
  const languageName = useLanguageName();
  const v = (k: string, d = "") => values[k] ?? d;
  const err = (k: string) => fieldError(result, k);
  const t = (id: string, vals?: Record<string, string | number>) => intl.formatMessage({ id }, vals);
  const languages = v("languages").split(",").filter(Boolean);
  const zones = timeZoneOptions();
  const zone = v("timeZone", timeZoneDefault);
  const custom = v("frequency") === CUSTOM_FREQUENCY;
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="save" />
      <ErrorSummary result={result && !result.ok && result.fields.length > 0 ? { ...result, message: t("groups.form.failed") } : result} labels={labels} />
      <Field name="name" label={labels["name"]} defaultValue={v("name")} error={err("name")} required maxLength={120} disabled={!coordinator} />
      <Field name="slug" label={labels["slug"]} hint={t("groups.form.slugHint")} defaultValue={v("slug")} error={err("slug")} maxLength={48} disabled={!coordinator || values["editing"] === "1"} />
      <div className={`field${err("description") ? " field--error" : ""}`}>
        <label htmlFor="field-description">{labels["description"]}</label>
        <p className="field__hint" id="description-hint">
          <FormattedMessage id="groups.form.descriptionHint" />
        </p>
        {err("description") && <p className="field__error"><FieldMessage message={err("description")} /></p>}
        <textarea id="field-description" name="description" rows={4} maxLength={2000} defaultValue={v("description")} aria-describedby="description-hint" />
      </div>
      {coordinator && (
        <Choices name="format" legend={labels["format"]!} value={[v("format", "online")]} error={err("format")} options={GROUP_FORMATS.map((f) => ({ value: f, label: t(`groups.format.${f}`) }))} />
      )}
      {coordinator && <Field name="address" label={labels["address"]} hint={t("groups.form.addressHint")} defaultValue={v("address")} error={err("address")} maxLength={300} />}
      <Field name="meetingLink" type="url" label={labels["meetingLink"]} hint={t("groups.form.meetingLinkHint")} defaultValue={v("meetingLink")} error={err("meetingLink")} maxLength={500} />
      {coordinator && (
        <>
          <Field name="disciplines" label={labels["disciplines"]} hint={t("groups.form.disciplinesHint")} defaultValue={v("disciplines")} error={err("disciplines")} />
          <Choices type="checkbox" name="languages" legend={labels["languages"]!} value={languages.length ? languages : ["en"]} error={err("languages")} options={[...new Set([...LANGUAGE_CHOICES, ...languages])].map((l) => ({ value: l, label: languageName(l) }))} />
          <div className={`field${err("timeZone") ? " field--error" : ""}`}>
            <label htmlFor="field-timeZone">{labels["timeZone"]}</label>
            {err("timeZone") && <p className="field__error"><FieldMessage message={err("timeZone")} /></p>}
            <select id="field-timeZone" name="timeZone" defaultValue={zone}>
              {(zones.includes(zone) ? zones : [zone, ...zones]).map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="card">
            <legend>
              <FormattedMessage id="groups.form.scheduleLegend" />
            </legend>
            <p className="field__hint">
              <FormattedMessage id="groups.form.scheduleHint" />
            </p>
            <Field name="startDate" type="date" label={labels["startDate"]} defaultValue={v("startDate")} error={err("startDate")} required />
            <Field name="startTime" type="time" label={labels["startTime"]} defaultValue={v("startTime", "19:00")} error={err("startTime")} required />
            <Choices name="frequency" legend={labels["frequency"]!} value={[v("frequency", "weekly")]} error={err("frequency")} options={[...FREQUENCIES, CUSTOM_FREQUENCY].map((f) => ({ value: f, label: t(`groups.form.frequency.${f}`) }))} />
            <Field name="meetings" type="number" inputMode="numeric" min={1} max={500} label={labels["meetings"]} hint={t("groups.form.meetingsHint")} defaultValue={v("meetings", "10")} error={err("meetings")} />
            <details className="group-advanced" open={custom || Boolean(err("rrule"))}>
              <summary>
                <FormattedMessage id="groups.form.rruleSummary" />
              </summary>
              {custom && (
                <p className="notice" role="note">
                  <FormattedMessage id="groups.form.rruleCustomNote" />
                </p>
              )}
              <Field name="rrule" label={labels["rrule"]} hint={t("groups.form.rruleHint")} defaultValue={v("rrule")} error={err("rrule")} maxLength={500} spellCheck={false} autoComplete="off" />
            </details>
            <Field name="duration" type="number" inputMode="numeric" min={30} max={240} label={labels["duration"]} hint={t("groups.form.durationHint")} defaultValue={v("duration", "90")} error={err("duration")} required />
            <Field name="firstDuration" type="number" inputMode="numeric" min={30} max={240} label={labels["firstDuration"]} hint={t("groups.form.firstDurationHint")} defaultValue={v("firstDuration")} error={err("firstDuration")} />
          </fieldset>
          <Field name="capacity" type="number" inputMode="numeric" min={CAPACITY_MIN} max={CAPACITY_MAX} label={labels["capacity"]} hint={t("groups.form.capacityHint", { min: CAPACITY_MIN, max: CAPACITY_MAX })} defaultValue={v("capacity", String(CAPACITY_DEFAULT))} error={err("capacity")} />
          <Field name="ceCredit" label={labels["ceCredit"]} hint={t("groups.form.ceCreditHint")} defaultValue={v("ceCredit")} error={err("ceCredit")} maxLength={300} />
          <Choices name="visibility" legend={labels["visibility"]!} value={[v("visibility", "listed")]} error={err("visibility")} options={GROUP_VISIBILITIES.map((o) => ({ value: o, label: t(`groups.visibility.${o}`) }))} />
          <Choices name="joinPolicy" legend={labels["joinPolicy"]!} value={[v("joinPolicy", "request")]} error={err("joinPolicy")} options={JOIN_POLICIES.map((o) => ({ value: o, label: t(`groups.joinPolicy.${o}`) }))} />
          <fieldset className={`group-choices field${err("leaders") ? " field--error" : ""}`} id="field-leaders" tabIndex={-1}>
            <legend>{labels["leaders"]}</legend>
            <p className="field__hint">
              <FormattedMessage id="groups.form.leadersHint" />
            </p>
            {err("leaders") && <p className="field__error"><FieldMessage message={err("leaders")} /></p>}
            {candidates.length === 0 ? (
              <p>
                <FormattedMessage id="groups.form.noCandidates" />
              </p>
            ) : (
              candidates.map((c) => (
                <div key={c.userId} className="group-leader-row">
                  <label htmlFor={`leader-${c.userId}`}>{c.name}</label>
                  <select id={`leader-${c.userId}`} name={`leader:${c.userId}`} defaultValue={v(`leader:${c.userId}`)}>
                    <option value="">{t("groups.form.leaderNone")}</option>
                    <option value="leader">{t("groups.leaderKind.leader")}</option>
                    <option value="co_leader">{t("groups.leaderKind.co_leader")}</option>
                  </select>
                </div>
              ))
            )}
          </fieldset>
        </>
      )}
      <div className="actions">
        <button type="submit">{submitLabel}</button>
      </div>
    </Form>
  );
}
