import { useIntl } from "react-intl";
import { FieldMessage } from "../../../ui/forms.tsx";

/** A price in minor units, in the viewer's language. */
export function Price({ amountMinor, currency }: { amountMinor: number; currency: string }) {
  const intl = useIntl();
  return <>{intl.formatNumber(amountMinor / 100, { style: "currency", currency })}</>;
}

/** An instant in a time zone: "16 April 2031, 09:00". */
export function When({ iso, timeZone, dateOnly = false }: { iso: string | null; timeZone?: string; dateOnly?: boolean }) {
  const intl = useIntl();
  if (!iso) return null;
  const opts: Intl.DateTimeFormatOptions = dateOnly ? { dateStyle: "long" } : { dateStyle: "long", timeStyle: "short" };
  if (timeZone) opts.timeZone = timeZone;
  return <time dateTime={iso}>{intl.formatDate(iso, opts)}</time>;
}

/** Reads "answers.<id>" style fields of a form into a record. */
export function prefixed(values: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k.startsWith(prefix) && v.trim() !== "") out[k.slice(prefix.length)] = v;
  return out;
}

/** The registration form's fields as the events service's `register` input (event and package pages). */
export function registrationInput(values: Record<string, string>): Record<string, unknown> {
  const input: Record<string, unknown> = {
    tierId: values["tierId"] ?? "",
    role: values["role"] || "participant",
    answers: prefixed(values, "answers."),
    keepApart: (values["keepApart"] ?? "").split(/[\s,;]+/).filter(Boolean),
  };
  if (values["discipline"]) input["discipline"] = values["discipline"];
  if (values["experience"]) input["experience"] = values["experience"];
  if (values["affiliation"]) input["affiliation"] = values["affiliation"];
  if (values["trainee.stage"] || values["trainee.discipline"]) input["trainee"] = { stage: values["trainee.stage"], discipline: values["trainee.discipline"], confirm: values["trainee.confirm"] === "on" };
  return input;
}

/** A labelled select with a "choose" first option and its field error (registration forms). */
export function Select({ name, label, options, error, required }: { name: string; label: string; options: { value: string; label: string }[]; error?: string | undefined; required?: boolean }) {
  const intl = useIntl();
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {error && <p className="field__error"><FieldMessage message={error} /></p>}
      <select id={`field-${name}`} name={name} required={required} aria-invalid={error ? true : undefined}>
        <option value="">{intl.formatMessage({ id: "events.page.choose" })}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
