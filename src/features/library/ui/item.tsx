import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/item";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionFailure } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { useLanguageName } from "../../groups/ui/shared.tsx";
import type { IdentifierFinding } from "../../debrief/identifier-check.ts";
import { MINUTES_MAX, REFLECTION_MAX } from "../constants.ts";
import { ItemFacts, LibraryPageError } from "./shared.tsx";
import libraryStyles from "./library.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: libraryStyles }];

export function meta({ loaderData: d }: Route.MetaArgs) {
  return [{ title: `${d?.item.title ?? "Item"} · Learning library · Balint Commons` }];
}

export async function loader({ context, params }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  try {
    const item = await ctx.services.library.getBySlug(ctx.actor, params.orgSlug, params.itemId);
    const mine = ctx.user && ctx.actor.kind === "user" ? await ctx.services.library.myEntriesFor(ctx.actor, item.id) : null;
    return { item, mine, signedIn: Boolean(ctx.user), today: new Date().toISOString().slice(0, 10) };
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw data(null, { status: 404 });
    throw error;
  }
}

type Outcome = { ok: true; saved: true } | (ActionFailure & { findings?: IdentifierFinding[] });

export async function action({ request, context, params }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const form = await request.formData();
  const str = (k: string) => (typeof form.get(k) === "string" ? String(form.get(k)) : "");
  const values = { readOn: str("readOn"), minutes: str("minutes"), reflection: str("reflection") };
  let status = 400;
  const result = await formAction<Outcome>(async () => {
    try {
      const item = await ctx.services.library.getBySlug(ctx.actor, params.orgSlug, params.itemId);
      const minutes = values.minutes.trim() === "" ? Number.NaN : Number(values.minutes);
      const r = await ctx.services.library.logReading(ctx.actor, {
        itemId: item.id,
        readOn: values.readOn,
        minutes: Number.isFinite(minutes) ? minutes : values.minutes,
        ...(values.reflection.trim() ? { reflection: values.reflection } : {}),
        ...(str("acknowledgeFindings") === "true" ? { acknowledgeFindings: true } : {}),
      });
      if (r.outcome === "findings") {
        status = 422;
        return { ok: false, message: "", fields: [], findings: r.findings, values };
      }
      return { ok: true, saved: true };
    } catch (error) {
      if (isAppError(error)) status = error.status;
      throw error;
    }
  }, values);
  if (!result.ok) return data(result, { status });
  return result;
}

export { LibraryPageError as ErrorBoundary };

export default function Item({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const languageName = useLanguageName();
  const { item, mine, signedIn, today } = loaderData;
  const result = actionData as Outcome | undefined;
  const failed = result && !result.ok ? result : undefined;
  const findings = failed?.findings;
  const label = (id: string) => intl.formatMessage({ id });
  const labels = { readOn: label("library.log.readOn"), minutes: label("library.log.minutes"), reflection: label("library.log.reflection"), itemId: label("library.form.title") };
  const err = (name: string) => fieldError(failed, name);
  const v = (name: string, fallback = "") => failed?.values?.[name] ?? fallback;
  const date = (iso: string) => intl.formatDate(`${iso}T12:00:00Z`, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <div className="page narrow">
      <p>
        <Link to={`/library/${item.organisation.slug}`}>
          <FormattedMessage id="library.back" />
        </Link>
      </p>
      <article aria-labelledby="item-title">
        <h1 id="item-title">{item.title}</h1>
        {item.authors.length > 0 && (
          <p className="lead">
            <FormattedMessage id="library.by" values={{ authors: item.authors.join(", ") }} />
          </p>
        )}
        <ItemFacts item={item} />
        {item.summary && <p>{item.summary}</p>}
        <p>
          <a href={item.url} target="_blank" rel="noopener noreferrer" className="button">
            <FormattedMessage id="library.open" values={{ title: item.title }} />
          </a>{" "}
          <span className="field__hint">
            <FormattedMessage id="library.externalNote" />
          </span>
        </p>
        <dl className="library-facts">
          <dt>
            <FormattedMessage id="library.item.org" />
          </dt>
          <dd>{item.organisation.name}</dd>
          <dt>
            <FormattedMessage id="library.item.language" />
          </dt>
          <dd>{languageName(item.language)}</dd>
          {item.audiences.length > 0 && (
            <>
              <dt>
                <FormattedMessage id="library.item.audiences" />
              </dt>
              <dd>{item.audiences.map((a) => label(`library.audience.${a}`)).join(", ")}</dd>
            </>
          )}
          {item.tags.length > 0 && (
            <>
              <dt>
                <FormattedMessage id="library.item.tags" />
              </dt>
              <dd>
                <ul className="library-tags">
                  {item.tags.map((t) => (
                    <li key={t}>
                      <Link to={`/library/${item.organisation.slug}?tag=${encodeURIComponent(t)}`} className="tag">
                        {t}
                      </Link>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          )}
        </dl>
        {item.canManage && (
          <p>
            <Link to={`/library/${item.organisation.slug}/${item.id}/edit`}>
              <FormattedMessage id="library.edit" />
            </Link>
          </p>
        )}
      </article>

      <section className="card" aria-labelledby="log-title">
        <h2 id="log-title">
          <FormattedMessage id="library.log.title" />
        </h2>
        {!signedIn || mine === null ? (
          <p>
            <Link to={`/sign-in?redirectTo=${encodeURIComponent(`/library/${item.organisation.slug}/${item.id}`)}`}>
              <FormattedMessage id="library.log.signIn" />
            </Link>
          </p>
        ) : (
          <>
            <p>
              <FormattedMessage id="library.log.intro" />
            </p>
            {result?.ok && (
              <div className="notice notice--success" role="status">
                <FormattedMessage id="library.log.saved" />
              </div>
            )}
            {failed && !findings && <ErrorSummary result={failed} labels={labels} />}
            {findings && (
              <div className="notice notice--warning library-findings" role="alert">
                <p>
                  <FormattedMessage id="library.log.findings" />
                </p>
                <ul>
                  {findings.map((f) => (
                    <li key={`${f.start}:${f.kind}`}>
                      <strong>
                        <FormattedMessage id={`debrief.kind.${f.kind}`} />
                      </strong>
                      {": "}
                      <mark>{f.text}</mark>
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <Form method="post" key={result?.ok ? "saved" : "form"}>
              <div className={`field${err("readOn") ? " field--error" : ""}`}>
                <label htmlFor="field-readOn">{labels.readOn}</label>
                {err("readOn") && <p className="field__error"><FieldMessage message={err("readOn")} /></p>}
                <input id="field-readOn" name="readOn" type="date" required max={today} defaultValue={v("readOn", today)} aria-invalid={err("readOn") ? true : undefined} />
              </div>
              <div className={`field${err("minutes") ? " field--error" : ""}`}>
                <label htmlFor="field-minutes">{labels.minutes}</label>
                {err("minutes") && <p className="field__error"><FieldMessage message={err("minutes")} /></p>}
                <input id="field-minutes" name="minutes" type="number" inputMode="numeric" required min={1} max={MINUTES_MAX} defaultValue={v("minutes", item.estimatedMinutes ? String(item.estimatedMinutes) : "")} aria-invalid={err("minutes") ? true : undefined} />
              </div>
              <div className={`field${err("reflection") ? " field--error" : ""}`}>
                <label htmlFor="field-reflection">{labels.reflection}</label>
                <p className="field__hint" id="reflection-hint">
                  <FormattedMessage id="library.log.reflectionHint" />
                </p>
                {err("reflection") && <p className="field__error"><FieldMessage message={err("reflection")} /></p>}
                <textarea id="field-reflection" name="reflection" rows={5} maxLength={REFLECTION_MAX} defaultValue={v("reflection")} aria-describedby="reflection-hint" aria-invalid={err("reflection") ? true : undefined} />
              </div>
              {findings && <input type="hidden" name="acknowledgeFindings" value="true" />}
              <button type="submit">
                <FormattedMessage id={findings ? "library.log.saveAnyway" : "library.log.save"} />
              </button>
            </Form>
            {mine.length > 0 && (
              <>
                <h3>
                  <FormattedMessage id="library.log.mine" />
                </h3>
                <ul data-testid="my-entries">
                  {mine.map((e) => (
                    <li key={e.id}>
                      <FormattedMessage id="library.log.entry" values={{ date: date(e.readOn), minutes: e.minutes }} />
                      {e.reflection && <p className="field__hint">{e.reflection}</p>}
                    </li>
                  ))}
                </ul>
                <p>
                  <Link to="/account/learning">
                    <FormattedMessage id="library.learning.title" />
                  </Link>
                </p>
              </>
            )}
          </>
        )}
      </section>
    </div>
  );
}
