import { useIntl } from "react-intl";
import { FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { parseQuestions, parseTiers } from "../form-parse.ts";

/** Reads the package create / edit form into the API's input. */
export function packageInputFrom(values: Record<string, string>, eventIds: string[], partial: boolean) {
  const tiers = parseTiers(values["tiers"] ?? "");
  const questions = parseQuestions(values["questions"] ?? "");
  const input: Record<string, unknown> = {};
  for (const k of ["slug", "title", "description", "status"]) {
    const v = values[k];
    if (v !== undefined && (v !== "" || !partial)) input[k] = v;
  }
  if (values["registrationClosesAt"] !== undefined) input["registrationClosesAt"] = values["registrationClosesAt"] ? `${values["registrationClosesAt"]}:00Z` : null;
  input["eventIds"] = eventIds;
  if (!partial || values["tiers"]) input["tiers"] = tiers.tiers;
  if (!partial || values["questions"]) input["questions"] = questions.questions;
  return { input, issues: [...tiers.issues, ...questions.issues] };
}

/** Tiers and questions back into the one-a-line text the form uses. */
export function tiersText(tiers: { eligibility: string; amountMinor: number; currency: string; name: string }[]): string {
  return tiers.map((t) => `${t.eligibility} ${t.amountMinor} ${t.currency} ${t.name}`).join("\n");
}
export function questionsText(questions: { kind: string; label: string; options: string[]; required: boolean }[]): string {
  return questions.map((q) => `${q.kind} | ${q.label}${q.options.length ? ` | ${q.options.join(", ")}` : ""}${q.required ? " *" : ""}`).join("\n");
}

export function PackageFields({ result, defaults, events, chosen, partial }: { result: ActionResult | undefined; defaults: Record<string, string>; events: { id: string; title: string; status: string }[]; chosen: string[]; partial: boolean }) {
  const intl = useIntl();
  const t = (id: string) => intl.formatMessage({ id });
  const failedValues = result && !result.ok ? result.values : undefined;
  const v = (k: string) => (failedValues ? (failedValues[k] ?? defaults[k]) : defaults[k]) ?? "";
  const isChosen = (id: string) => (failedValues ? failedValues[`event.${id}`] === "on" : chosen.includes(id));
  const area = (name: string, label: string, hint?: string) => (
    <div className={`field${fieldError(result, name) ? " field--error" : ""}`}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {hint && <p className="field__hint" id={`pkg-${name}-hint`}>{hint}</p>}
      {fieldError(result, name) && <p className="field__error"><FieldMessage message={fieldError(result, name)} /></p>}
      <textarea id={`field-${name}`} name={name} rows={name === "description" ? 3 : 4} defaultValue={v(name)} aria-describedby={hint ? `pkg-${name}-hint` : undefined} />
    </div>
  );
  return (
    <>
      <Field name="title" label={t("events.form.title")} defaultValue={v("title")} error={fieldError(result, "title")} required />
      {!partial && <Field name="slug" label={t("events.form.slug")} defaultValue={v("slug")} error={fieldError(result, "slug")} required />}
      {area("description", t("events.form.description"))}
      <fieldset id="field-eventIds">
        <legend>{t("events.packages.events")}</legend>
        <p className="field__hint">{t("events.packages.eventsHint")}</p>
        {fieldError(result, "eventIds") && <p className="field__error"><FieldMessage message={fieldError(result, "eventIds")} /></p>}
        {events.map((e) => (
          <div key={e.id} className="choice">
            <input type="checkbox" id={`pkg-event-${e.id}`} name={`event.${e.id}`} defaultChecked={isChosen(e.id)} />
            <label htmlFor={`pkg-event-${e.id}`}>
              {e.title} ({t(`events.org.status.${e.status}`)})
            </label>
          </div>
        ))}
      </fieldset>
      {partial && (
        <div className="field">
          <label htmlFor="field-status">{t("events.packages.status")}</label>
          <select id="field-status" name="status" defaultValue={v("status")}>
            <option value="published">{t("events.org.status.published")}</option>
            <option value="draft">{t("events.org.status.draft")}</option>
          </select>
        </div>
      )}
      <Field name="registrationClosesAt" label={t("events.form.closes")} defaultValue={v("registrationClosesAt")} error={fieldError(result, "registrationClosesAt")} type="datetime-local" />
      {area("tiers", t("events.form.tiers"), t("events.form.tiersHint"))}
      {area("questions", t("events.form.questions"), t("events.form.questionsHint"))}
    </>
  );
}

/** The event ids ticked in the form ("event.<id>" checkboxes). */
export function chosenEventIds(values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([k, v]) => k.startsWith("event.") && v === "on")
    .map(([k]) => k.slice("event.".length));
}
