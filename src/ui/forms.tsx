import { useId, type InputHTMLAttributes, type ReactNode } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import type { FieldError } from "../platform/http/errors.ts";
import { localizeFieldMessage } from "../platform/i18n/field-messages.ts";

/** What every form action returns on failure: a message and the fields at fault. */
export interface ActionFailure {
  ok: false;
  message: string;
  fields: FieldError[];
  values?: Record<string, string>;
}
export interface ActionSuccess<T = unknown> {
  ok: true;
  message?: string;
  data?: T;
}
export type ActionResult<T = unknown> = ActionFailure | ActionSuccess<T>;

/**
 * The message of the field at fault, as the service wrote it (English). Render it with `Field`'s
 * `error`, `<FieldMessage>` or `useFieldMessage()` so the reader sees it in their language.
 */
export function fieldError(result: ActionResult | undefined, name: string): string | undefined {
  if (!result || result.ok) return undefined;
  return result.fields.find((f) => f.path === name || f.path.startsWith(`${name}.`))?.message;
}

/**
 * Translates field and form-error messages into the page's language (the IntlProvider's locale),
 * through the catalog in src/platform/i18n/field-messages.ts; unknown messages stay English.
 */
export function useFieldMessage(): <M extends string | undefined>(message: M) => M {
  const { locale } = useIntl();
  return <M extends string | undefined>(message: M): M => (message ? (localizeFieldMessage(message, locale) as M) : message);
}

/** A field or form-error message in the page's language. */
export function FieldMessage({ message }: { message: string | undefined }) {
  const localize = useFieldMessage();
  return <>{localize(message)}</>;
}

/**
 * Summary at the top of a form that failed: focusable, lists each field with a link to it.
 * `labels` maps field names to the visible labels, so the summary reads as the form does.
 */
export function ErrorSummary({ result, labels = {} }: { result: ActionResult | undefined; labels?: Record<string, string> }) {
  const localize = useFieldMessage();
  if (!result || result.ok) return null;
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={(el) => el?.focus()}>
      <p>
        <strong>{localize(result.message)}</strong>
      </p>
      {result.fields.length > 0 && (
        <>
          <p>
            <FormattedMessage id="common.fixErrors" values={{ count: result.fields.length }} />
          </p>
          <ul>
            {result.fields.map((f) => (
              <li key={f.path}>
                <a href={`#field-${f.path}`}>
                  {labels[f.path] ?? f.path}: {localize(f.message)}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function SuccessNotice({ result }: { result: ActionResult | undefined }) {
  if (!result || !result.ok || !result.message) return null;
  return (
    <div className="notice notice--success" role="status">
      {result.message}
    </div>
  );
}

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
}

/** A labelled input with hint and error wired up for screen readers. */
export function Field({ name, label, hint, error, id, ...rest }: FieldProps) {
  const auto = useId();
  const localize = useFieldMessage();
  const inputId = id ?? `field-${name}`;
  const hintId = hint ? `${auto}-hint` : undefined;
  const errorId = error ? `${auto}-error` : undefined;
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={inputId}>{label}</label>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {localize(error)}
        </p>
      )}
      <input id={inputId} name={name} aria-invalid={error ? true : undefined} aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined} {...rest} />
    </div>
  );
}
