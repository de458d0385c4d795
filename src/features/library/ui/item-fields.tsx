import { FormattedMessage, useIntl } from "react-intl";
import { Form } from "react-router";
import { ErrorSummary, FieldMessage, fieldError, type ActionFailure } from "../../../ui/forms.tsx";
import { LIBRARY_AUDIENCES, LIBRARY_KINDS, LIBRARY_VISIBILITIES, MINUTES_MAX, SUMMARY_MAX } from "../constants.ts";
import type { LibraryItemView } from "../service.server.ts";

/** The curator's form for one item (new or edit). */
export function ItemForm({ item, failure, edit }: { item: LibraryItemView | null; failure: ActionFailure | undefined; edit: boolean }) {
  const intl = useIntl();
  const label = (id: string) => intl.formatMessage({ id });
  const fields = ["kind", "title", "authors", "year", "language", "summary", "url", "tags", "audiences", "visibility", "estimatedMinutes", "ceEligible", "archived"] as const;
  const labels = Object.fromEntries(fields.map((f) => [f, label(`library.form.${f === "kind" ? "title" : f}`)]));
  labels["kind"] = label("library.kind");
  const fv = failure?.values;
  const value = (name: string, fromItem: string) => fv?.[name] ?? fromItem;
  const err = (name: string) => fieldError(failure, name);
  const errorText = (name: string) =>
    err(name) ? (
      <p className="field__error" id={`item-${name}-error`}>
        <FieldMessage message={err(name)} />
      </p>
    ) : null;
  const aria = (name: string, hint?: string) => {
    const ids = [hint, err(name) ? `item-${name}-error` : undefined].filter(Boolean).join(" ");
    return { ...(ids ? { "aria-describedby": ids } : {}), ...(err(name) ? { "aria-invalid": true as const } : {}) };
  };
  const audiences = fv ? (fv["audiences"] ?? "").split(",").filter(Boolean) : (item?.audiences ?? []);
  const ce = fv ? fv["ceEligible"] === "true" : (item?.ceEligible ?? false);
  const archived = fv ? fv["archived"] === "true" : Boolean(item?.archivedAt);
  return (
    <>
      <ErrorSummary result={failure} labels={labels} />
      <Form method="post" className="card">
        <div className={`field${err("kind") ? " field--error" : ""}`}>
          <label htmlFor="field-kind">{labels["kind"]}</label>
          {errorText("kind")}
          <select id="field-kind" name="kind" defaultValue={value("kind", item?.kind ?? "reading")} {...aria("kind")}>
            {LIBRARY_KINDS.map((k) => (
              <option key={k} value={k}>
                {label(`library.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${err("title") ? " field--error" : ""}`}>
          <label htmlFor="field-title">{labels["title"]}</label>
          {errorText("title")}
          <input id="field-title" name="title" required maxLength={300} defaultValue={value("title", item?.title ?? "")} {...aria("title")} />
        </div>
        <div className={`field${err("authors") ? " field--error" : ""}`}>
          <label htmlFor="field-authors">{labels["authors"]}</label>
          <p className="field__hint" id="item-authors-hint">
            <FormattedMessage id="library.form.authorsHint" />
          </p>
          {errorText("authors")}
          <textarea id="field-authors" name="authors" rows={3} defaultValue={value("authors", item?.authors.join("\n") ?? "")} {...aria("authors", "item-authors-hint")} />
        </div>
        <div className={`field${err("year") ? " field--error" : ""}`}>
          <label htmlFor="field-year">{labels["year"]}</label>
          {errorText("year")}
          <input id="field-year" name="year" type="number" min={1800} max={2200} defaultValue={value("year", item?.year !== null && item?.year !== undefined ? String(item.year) : "")} {...aria("year")} />
        </div>
        <div className={`field${err("language") ? " field--error" : ""}`}>
          <label htmlFor="field-language">{labels["language"]}</label>
          {errorText("language")}
          <input id="field-language" name="language" required maxLength={35} defaultValue={value("language", item?.language ?? "en")} {...aria("language")} />
        </div>
        <div className={`field${err("summary") ? " field--error" : ""}`}>
          <label htmlFor="field-summary">{labels["summary"]}</label>
          <p className="field__hint" id="item-summary-hint">
            <FormattedMessage id="library.form.summaryHint" />
          </p>
          {errorText("summary")}
          <textarea id="field-summary" name="summary" rows={5} maxLength={SUMMARY_MAX} defaultValue={value("summary", item?.summary ?? "")} {...aria("summary", "item-summary-hint")} />
        </div>
        <div className={`field${err("url") ? " field--error" : ""}`}>
          <label htmlFor="field-url">{labels["url"]}</label>
          {errorText("url")}
          <input id="field-url" name="url" type="url" required maxLength={500} defaultValue={value("url", item?.url ?? "https://")} {...aria("url")} />
        </div>
        <div className={`field${err("tags") ? " field--error" : ""}`}>
          <label htmlFor="field-tags">{labels["tags"]}</label>
          <p className="field__hint" id="item-tags-hint">
            <FormattedMessage id="library.form.tagsHint" />
          </p>
          {errorText("tags")}
          <input id="field-tags" name="tags" defaultValue={value("tags", item?.tags.join(", ") ?? "")} {...aria("tags", "item-tags-hint")} />
        </div>
        <fieldset className="library-checks" id="field-audiences">
          <legend>{labels["audiences"]}</legend>
          {errorText("audiences")}
          {LIBRARY_AUDIENCES.map((a) => (
            <label key={a}>
              <input type="checkbox" name="audiences" value={a} defaultChecked={audiences.includes(a)} /> {label(`library.audience.${a}`)}
            </label>
          ))}
        </fieldset>
        <div className={`field${err("visibility") ? " field--error" : ""}`}>
          <label htmlFor="field-visibility">{labels["visibility"]}</label>
          {errorText("visibility")}
          <select id="field-visibility" name="visibility" defaultValue={value("visibility", item?.visibility ?? "members")} {...aria("visibility")}>
            {LIBRARY_VISIBILITIES.map((v) => (
              <option key={v} value={v}>
                {label(`library.visibility.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${err("estimatedMinutes") ? " field--error" : ""}`}>
          <label htmlFor="field-estimatedMinutes">{labels["estimatedMinutes"]}</label>
          {errorText("estimatedMinutes")}
          <input id="field-estimatedMinutes" name="estimatedMinutes" type="number" min={1} max={MINUTES_MAX} defaultValue={value("estimatedMinutes", item?.estimatedMinutes ? String(item.estimatedMinutes) : "")} {...aria("estimatedMinutes")} />
        </div>
        <div className="field field--checkbox">
          <input id="field-ceEligible" type="checkbox" name="ceEligible" value="true" defaultChecked={ce} />
          <label htmlFor="field-ceEligible">{labels["ceEligible"]}</label>
        </div>
        {edit && (
          <div className="field field--checkbox">
            <input id="field-archived" type="checkbox" name="archived" value="true" defaultChecked={archived} />
            <label htmlFor="field-archived">{labels["archived"]}</label>
          </div>
        )}
        <button type="submit">
          <FormattedMessage id="library.form.save" />
        </button>
      </Form>
    </>
  );
}
