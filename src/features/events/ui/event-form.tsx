import { useIntl } from "react-intl";
import { FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { EVENT_FORMATS, EVENT_KINDS } from "../constants.ts";
import { parseProgramme, parseQuestions, parseTiers } from "../form-parse.ts";

/** Reads the create / edit form into the API's input (shared with org-event.tsx). */
export function eventInputFrom(values: Record<string, string>, partial: boolean) {
  const programme = parseProgramme(values["programme"] ?? "");
  const tiers = parseTiers(values["tiers"] ?? "");
  const questions = parseQuestions(values["questions"] ?? "");
  const input: Record<string, unknown> = {};
  const text = (k: string) => {
    const v = values[k];
    if (v !== undefined && (v !== "" || !partial)) input[k] = v;
  };
  for (const k of ["kind", "slug", "title", "description", "language", "timeZone", "format"]) text(k);
  for (const k of ["venue", "onlineLink", "ceStatement"]) if (values[k] !== undefined) input[k] = values[k] || null;
  if (values["capacity"]) input["capacity"] = Number(values["capacity"]);
  if (values["ceHours"] !== undefined) input["ceHours"] = values["ceHours"] ? Number(values["ceHours"]) : null;
  if (values["registrationClosesAt"] !== undefined) input["registrationClosesAt"] = values["registrationClosesAt"] ? `${values["registrationClosesAt"]}:00Z` : null;
  if (!partial || values["programme"]) input["days"] = programme.days;
  if (!partial || values["tiers"]) input["tiers"] = tiers.tiers;
  if (!partial || values["questions"]) input["questions"] = questions.questions;
  return { input, issues: [...programme.issues, ...tiers.issues, ...questions.issues] };
}

export function EventFields({ result, defaults, partial }: { result: ActionResult | undefined; defaults: Record<string, string>; partial: boolean }) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const v = (k: string) => (result && !result.ok ? (result.values?.[k] ?? defaults[k]) : defaults[k]) ?? "";
  const area = (name: string, label: string, hint?: string) => (
    <div className={`field${fieldError(result, name) ? " field--error" : ""}`}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {hint && <p className="field__hint" id={`${name}-hint`}>{hint}</p>}
      {fieldError(result, name) && <p className="field__error"><FieldMessage message={fieldError(result, name)} /></p>}
      <textarea id={`field-${name}`} name={name} rows={name === "description" ? 4 : 6} defaultValue={v(name)} aria-describedby={hint ? `${name}-hint` : undefined} />
    </div>
  );
  const select = (name: string, label: string, options: readonly string[], prefix: string) => (
    <div className="field">
      <label htmlFor={`field-${name}`}>{label}</label>
      <select id={`field-${name}`} name={name} defaultValue={v(name)}>
        {options.map((o) => (
          <option key={o} value={o}>{t(`${prefix}.${o}`)}</option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      {!partial && select("kind", t("events.form.kind"), EVENT_KINDS, "events.kind")}
      <Field name="title" label={t("events.form.title")} defaultValue={v("title")} error={fieldError(result, "title")} required />
      {!partial && <Field name="slug" label={t("events.form.slug")} defaultValue={v("slug")} error={fieldError(result, "slug")} required />}
      {area("description", t("events.form.description"))}
      {!partial && <Field name="language" label={t("events.form.language")} defaultValue={v("language") || "en"} error={fieldError(result, "language")} />}
      {!partial && <Field name="timeZone" label={t("events.form.timeZone")} defaultValue={v("timeZone")} error={fieldError(result, "timeZone")} />}
      {select("format", t("events.form.format"), EVENT_FORMATS, "events.format")}
      <Field name="venue" label={t("events.form.venue")} defaultValue={v("venue")} error={fieldError(result, "venue")} />
      <Field name="onlineLink" label={t("events.form.onlineLink")} defaultValue={v("onlineLink")} error={fieldError(result, "onlineLink")} type="url" />
      <Field name="capacity" label={t("events.form.capacity")} defaultValue={v("capacity") || "30"} error={fieldError(result, "capacity")} type="number" min={1} />
      <Field name="ceStatement" label={t("events.form.ceStatement")} defaultValue={v("ceStatement")} error={fieldError(result, "ceStatement")} />
      <Field name="ceHours" label={t("events.form.ceHours")} defaultValue={v("ceHours")} error={fieldError(result, "ceHours")} type="number" step="0.25" min={0} />
      <Field name="registrationClosesAt" label={t("events.form.closes")} defaultValue={v("registrationClosesAt")} error={fieldError(result, "registrationClosesAt")} type="datetime-local" />
      {area("programme", t("events.form.programme"), t("events.form.programmeHint"))}
      {area("tiers", t("events.form.tiers"), t("events.form.tiersHint"))}
      {area("questions", t("events.form.questions"), t("events.form.questionsHint"))}
    </>
  );
}

