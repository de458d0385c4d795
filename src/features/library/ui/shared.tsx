import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, isRouteErrorResponse, useRouteError } from "react-router";
import { ErrorSummary, FieldMessage, fieldError, type ActionFailure } from "../../../ui/forms.tsx";
import { Pagination } from "../../organisations/ui/shared.tsx";
import { useLanguageName } from "../../groups/ui/shared.tsx";
import { LIBRARY_AUDIENCES, LIBRARY_KINDS, LIBRARY_LANGUAGE_CHOICES } from "../constants.ts";
import type { LibraryItemView, Page } from "../service.server.ts";

export const QUERY_KEYS = ["q", "kind", "language", "tag", "audience", "page"] as const;
export const PAGE_SIZE = 12;

/** The search values in the URL (empty ones dropped). */
export function queryValues(request: Request): Record<string, string> {
  const url = new URL(request.url);
  const values: Record<string, string> = {};
  for (const key of QUERY_KEYS) {
    const v = url.searchParams.get(key);
    if (v !== null && v.trim() !== "") values[key] = v;
  }
  return values;
}

export function failureOf(error: { message: string; fields?: { path: string; message: string }[] | undefined }): ActionFailure {
  return { ok: false, message: error.message, fields: error.fields ?? [] };
}

export function ItemFacts({ item }: { item: LibraryItemView }) {
  const intl = useIntl();
  const languageName = useLanguageName();
  return (
    <p className="library-card__meta">
      <span className="tag">{intl.formatMessage({ id: `library.kind.${item.kind}` })}</span> <span className="tag">{languageName(item.language)}</span>
      {item.year !== null && <> · {item.year}</>}
      {item.estimatedMinutes !== null && (
        <>
          {" "}
          · <FormattedMessage id="library.minutes" values={{ minutes: item.estimatedMinutes }} />
        </>
      )}
      {item.visibility === "members" && (
        <>
          {" "}
          <span className="tag tag--muted">{intl.formatMessage({ id: "library.visibility.members" })}</span>
        </>
      )}
      {item.ceEligible && (
        <>
          {" "}
          <span className="tag">{intl.formatMessage({ id: "library.ce" })}</span>
        </>
      )}
      {item.archivedAt && (
        <>
          {" "}
          <span className="tag tag--muted">{intl.formatMessage({ id: "library.archived" })}</span>
        </>
      )}
    </p>
  );
}

/** The search form and results, server-rendered; works without JavaScript (a GET form). */
export function LibrarySearch({ basePath, values, results, failure }: { basePath: string; values: Record<string, string>; results: Page<LibraryItemView> | null; failure: ActionFailure | null }) {
  const intl = useIntl();
  const languageName = useLanguageName();
  const label = (id: string) => intl.formatMessage({ id });
  const labels: Record<string, string> = { q: label("library.search"), kind: label("library.kind"), language: label("library.language"), tag: label("library.tag"), audience: label("library.audience"), page: label("library.page") };
  const err = (name: string) => fieldError(failure ?? undefined, name);
  const described = (name: string) => (err(name) ? { "aria-invalid": true as const, "aria-describedby": `lib-${name}-error` } : {});
  const errorText = (name: string) =>
    err(name) ? (
      <p className="field__error" id={`lib-${name}-error`}>
        <FieldMessage message={err(name)} />
      </p>
    ) : null;
  const filtered = Object.keys(values).some((k) => k !== "page");
  const href = (page: number) => {
    const sp = new URLSearchParams(values);
    sp.set("page", String(page));
    return `${basePath}?${sp.toString()}`;
  };
  const pages = results ? Math.max(1, Math.ceil(results.total / results.pageSize)) : 1;
  const select = (name: "kind" | "audience", options: readonly string[], prefix: string) => (
    <div className={`field${err(name) ? " field--error" : ""}`}>
      <label htmlFor={`field-${name}`}>{labels[name]}</label>
      {errorText(name)}
      <select id={`field-${name}`} name={name} defaultValue={values[name] ?? ""} {...described(name)}>
        <option value="">{label("library.any")}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {label(`${prefix}.${o}`)}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <ErrorSummary result={failure ?? undefined} labels={labels} />
      <Form method="get" action={basePath} className="card" role="search" aria-label={label("library.filtersLabel")}>
        <div className={`field${err("q") ? " field--error" : ""}`}>
          <label htmlFor="field-q">{labels["q"]}</label>
          {errorText("q")}
          <input id="field-q" name="q" type="search" maxLength={100} defaultValue={values["q"] ?? ""} {...described("q")} />
        </div>
        <div className="library-filters__grid">
          {select("kind", LIBRARY_KINDS, "library.kind")}
          <div className={`field${err("language") ? " field--error" : ""}`}>
            <label htmlFor="field-language">{labels["language"]}</label>
            {errorText("language")}
            <select id="field-language" name="language" defaultValue={values["language"] ?? ""} {...described("language")}>
              <option value="">{label("library.any")}</option>
              {[...new Set([...LIBRARY_LANGUAGE_CHOICES, ...(values["language"] ? [values["language"]] : [])])].map((l) => (
                <option key={l} value={l}>
                  {languageName(l)}
                </option>
              ))}
            </select>
          </div>
          <div className={`field${err("tag") ? " field--error" : ""}`}>
            <label htmlFor="field-tag">{labels["tag"]}</label>
            {errorText("tag")}
            <input id="field-tag" name="tag" maxLength={40} defaultValue={values["tag"] ?? ""} aria-describedby="lib-tag-hint" {...described("tag")} />
            <p className="field__hint" id="lib-tag-hint">
              <FormattedMessage id="library.tagHint" />
            </p>
          </div>
          {select("audience", LIBRARY_AUDIENCES, "library.audience")}
        </div>
        <div className="actions">
          <button type="submit">
            <FormattedMessage id="library.submit" />
          </button>
          {filtered && (
            <Link to={basePath}>
              <FormattedMessage id="library.clear" />
            </Link>
          )}
        </div>
      </Form>
      {results && (
        <section aria-labelledby="results-title">
          <h2 id="results-title" className="visually-hidden">
            <FormattedMessage id="library.resultsTitle" />
          </h2>
          <p aria-live="polite">
            <FormattedMessage id="library.count" values={{ count: results.total, page: results.page, pages }} />
          </p>
          {results.items.length === 0 ? (
            <div className="empty-state card">
              <p>
                <FormattedMessage id={filtered ? "library.emptyFiltered" : "library.empty"} />
              </p>
              {filtered && (
                <Link to={basePath}>
                  <FormattedMessage id="library.clear" />
                </Link>
              )}
            </div>
          ) : (
            <ul className="library-cards">
              {results.items.map((item) => (
                <li key={item.id} className="card library-card">
                  <h3>
                    <Link to={`/library/${item.organisation.slug}/${item.id}`}>{item.title}</Link>
                  </h3>
                  {item.authors.length > 0 && <p className="library-card__meta">{item.authors.join(", ")}</p>}
                  <ItemFacts item={item} />
                  {item.summary && <p>{item.summary.length > 220 ? `${item.summary.slice(0, 217)}…` : item.summary}</p>}
                  <p className="field__hint">{item.organisation.name}</p>
                </li>
              ))}
            </ul>
          )}
          <Pagination page={results.page} pageSize={results.pageSize} total={results.total} href={href} />
        </section>
      )}
    </>
  );
}

export function LibraryPageError() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <div className="page narrow">
      <div role="alert" className="card">
        <h1>
          <FormattedMessage id={status === 404 ? "common.notFoundTitle" : "common.errorTitle"} />
        </h1>
        <p>
          <a href="/library">
            <FormattedMessage id="library.back" />
          </a>
        </p>
      </div>
    </div>
  );
}
