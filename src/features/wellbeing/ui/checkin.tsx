// The check-in form, shared by /wellbeing/answer/:token (the emailed link; no sign-in needed) and
// /wellbeing/checkin/:orgId/:waveId (signed in). Server-rendered, works without JavaScript:
// 1. the mode (anonymous / confidential) is explained BEFORE starting;
// 2. one questionnaire at a time, built from the FHIR Questionnaire (radio groups in fieldsets with
//    legends; enableWhen honoured after "Save progress"; progress saved as a draft under the
//    invitation, never under a user id); shown in the respondent's language when the Questionnaire
//    carries a complete translation (FHIR translation extension), with a choice of the languages it
//    offers (`?lang=`); the answers are codes, so the language never changes a score;
// 3. after sending: the score in calm words and, when distressFlag, the organisation's support
//    resources at once. The result lives only in this response: it is never stored or reported.
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useLocation, useNavigation, type RouterContextProvider } from "react-router";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, type ActionFailure } from "../../../ui/forms.tsx";
import { isAppError, type FieldError } from "../../../platform/http/errors.ts";
import { type Questionnaire, type QuestionnaireItem, type QuestionnaireResponse, type ResponseItem, localizeQuestionnaire, pickLanguage, questionnaireLanguages } from "../fhir.ts";
import { enabledUnder, hasConditions, optionKey, responseFromValues, valuesFromForm, type FormValue } from "../form-values.ts";
import { MIN_CELL_DEFAULT } from "../report-privacy.ts";
import type { AnswerOutcome, CheckInForm } from "../service.server.ts";

export type Target = { kind: "token"; token: string } | { kind: "wave"; orgId: string; waveId: string };

type CheckInAction = (ActionFailure & { formValues?: Record<string, FormValue>; instrumentId?: string }) | { ok: true; saved: true; instrumentId: string; formValues: Record<string, FormValue> } | { ok: true; outcome: AnswerOutcome };

export interface CheckInData {
  form: CheckInForm;
  started: boolean;
  current: string | null;
  /** The language asked for with `?lang=` (used only if the questionnaire offers it). */
  lang: string | null;
}

function notFoundOr(error: unknown, request: Request): never {
  if (isAppError(error) && (error.code === "not_found" || error.code === "validation_failed")) throw data(null, { status: 404 });
  if (isAppError(error) && error.code === "unauthenticated") throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  if (isAppError(error) && error.code === "forbidden") throw data({ message: error.message }, { status: 403 });
  throw error;
}

async function formOf(context: Readonly<RouterContextProvider>, target: Target): Promise<CheckInForm> {
  const ctx = getRequestContext(context);
  return target.kind === "token" ? ctx.services.wellbeing.formByToken(ctx.actor, target.token) : ctx.services.wellbeing.formByWave(ctx.actor, target.orgId, target.waveId);
}

export async function loadCheckIn(context: Readonly<RouterContextProvider>, request: Request, target: Target): Promise<CheckInData> {
  const url = new URL(request.url);
  try {
    const form = await formOf(context, target);
    const wanted = url.searchParams.get("i");
    const open = form.instruments.filter((i) => !i.answered);
    const current = (wanted && open.find((i) => i.id === wanted)?.id) || open[0]?.id || null;
    return { form, started: url.searchParams.get("start") === "1", current, lang: url.searchParams.get("lang")?.slice(0, 35) ?? null };
  } catch (error) {
    return notFoundOr(error, request);
  }
}

/** The linkId a validation path points at (`item.where(linkId='x')`, or a position in the response). */
function linkIdOf(response: QuestionnaireResponse, path: string): string | null {
  const m = /linkId='([^']+)'/.exec(path);
  if (m) return m[1]!;
  let items: ResponseItem[] | undefined = response.item;
  let found: string | null = null;
  for (const part of path.replace(/^response\./, "").split(".")) {
    const pm = /^item\[(\d+)\]$/.exec(part);
    if (!pm) break;
    const it: ResponseItem | undefined = items?.[Number(pm[1])];
    if (!it) break;
    found = it.linkId;
    items = it.item;
  }
  return found;
}

export async function actCheckIn(context: Readonly<RouterContextProvider>, request: Request, target: Target) {
  const ctx = getRequestContext(context);
  const posted = Object.fromEntries([...(await request.formData()).entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
  const instrumentId = posted["instrumentId"] ?? "";
  let form: CheckInForm;
  try {
    form = await formOf(context, target);
  } catch (error) {
    return notFoundOr(error, request);
  }
  const instrument = form.instruments.find((i) => i.id === instrumentId);
  if (!instrument) throw data(null, { status: 404 });
  const q = instrument.questionnaire as Questionnaire;
  const values = valuesFromForm(q, posted);
  const svc = ctx.services.wellbeing;
  const response = responseFromValues(q, values);
  try {
    if (posted["intent"] === "save") {
      if (target.kind === "token") await svc.draftByToken(ctx.actor, target.token, { instrumentId, answers: values });
      else await svc.draftByWave(ctx.actor, target.orgId, target.waveId, { instrumentId, answers: values });
      return { ok: true as const, saved: true as const, instrumentId, formValues: values };
    }
    const body = { instrumentId, response };
    const outcome = target.kind === "token" ? await svc.answerByToken(ctx.actor, target.token, body) : await svc.answerByWave(ctx.actor, target.orgId, target.waveId, body);
    return { ok: true as const, outcome };
  } catch (error) {
    if (isAppError(error) && error.code !== "not_found") {
      const fields: FieldError[] = (error.fields ?? []).map((f) => ({ path: linkIdOf(response, f.path) ?? f.path, message: f.message }));
      return data({ ok: false, message: error.message, fields, formValues: values, instrumentId } satisfies CheckInAction, { status: error.status });
    }
    return notFoundOr(error, request);
  }
}

/** A language's name in that language ("English", "español"), for the language choice. */
function languageName(lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "language" }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

/** The languages a questionnaire offers, the one to show (asked for, else the interface's, else its base) and whether the interface's language is among them. */
function languageOf(q: Questionnaire, asked: string | null, locale: string): { offered: string[]; lang: string; inMyLanguage: boolean } {
  const offered = questionnaireLanguages(q);
  return { offered, lang: pickLanguage(offered, asked) ?? pickLanguage(offered, locale) ?? offered[0]!, inMyLanguage: pickLanguage(offered, locale) !== undefined };
}

function itemLabels(items: readonly QuestionnaireItem[], out: Record<string, string> = {}): Record<string, string> {
  for (const it of items) {
    if (it.text) out[it.linkId] = it.text;
    if (it.item) itemLabels(it.item, out);
  }
  return out;
}

function Item({ item, values, enabled, errors }: { item: QuestionnaireItem; values: Record<string, FormValue>; enabled: Set<string>; errors: Map<string, string> }) {
  if (!enabled.has(item.linkId)) return null;
  const id = `field-${item.linkId}`;
  const err = errors.get(item.linkId);
  const v = values[item.linkId];
  const required = item.required ? (
    <>
      {" "}
      <span className="field__hint">
        <FormattedMessage id="wellbeing.form.required" />
      </span>
    </>
  ) : null;
  const errorLine = err ? (
    <p className="field__error" id={`${id}-error`}>
      <FieldMessage message={err} />
    </p>
  ) : null;
  switch (item.type) {
    case "display":
      return <p>{item.text}</p>;
    case "group":
      return (
        <fieldset id={id}>
          {item.text && <legend>{item.text}</legend>}
          {(item.item ?? []).map((child) => (
            <Item key={child.linkId} item={child} values={values} enabled={enabled} errors={errors} />
          ))}
        </fieldset>
      );
    case "choice":
    case "boolean": {
      const options = item.type === "choice" ? (item.answerOption ?? []).map((o) => ({ key: optionKey(o), label: o.valueCoding?.display ?? o.valueString ?? optionKey(o) })) : null;
      return (
        <fieldset id={id} tabIndex={-1} className={err ? "field--error" : undefined} aria-describedby={err ? `${id}-error` : undefined}>
          <legend>
            {item.text}
            {required}
          </legend>
          {errorLine}
          <ul className="wb-options">
            {options
              ? options.map((o) => (
                  <li key={o.key}>
                    <label>
                      <input type="radio" name={item.linkId} value={o.key} defaultChecked={v !== undefined && String(v) === o.key} />
                      <span>{o.label}</span>
                    </label>
                  </li>
                ))
              : (["true", "false"] as const).map((b) => (
                  <li key={b}>
                    <label>
                      <input type="radio" name={item.linkId} value={b} defaultChecked={v !== undefined && String(v) === b} />
                      <span>
                        <FormattedMessage id={b === "true" ? "wellbeing.form.yes" : "wellbeing.form.no"} />
                      </span>
                    </label>
                  </li>
                ))}
          </ul>
        </fieldset>
      );
    }
    default: {
      const input =
        item.type === "text" ? (
          <textarea id={`${id}-input`} name={item.linkId} rows={4} maxLength={2000} defaultValue={v === undefined ? "" : String(v)} aria-invalid={err ? true : undefined} aria-describedby={err ? `${id}-error` : undefined} />
        ) : (
          <input
            id={`${id}-input`}
            name={item.linkId}
            type={item.type === "string" ? "text" : "number"}
            inputMode={item.type === "integer" ? "numeric" : item.type === "decimal" ? "decimal" : undefined}
            step={item.type === "decimal" ? "any" : undefined}
            maxLength={item.type === "string" ? 2000 : undefined}
            defaultValue={v === undefined ? "" : String(v)}
            aria-invalid={err ? true : undefined}
            aria-describedby={err ? `${id}-error` : undefined}
          />
        );
      return (
        <div id={id} tabIndex={-1} className={`field${err ? " field--error" : ""}`}>
          <label htmlFor={`${id}-input`}>
            {item.text}
            {required}
          </label>
          {errorLine}
          {input}
        </div>
      );
    }
  }
}

function Support({ support }: { support: AnswerOutcome["support"] }) {
  return (
    <section className="wb-support" aria-labelledby="wb-support-title">
      <h2 id="wb-support-title">
        <FormattedMessage id="wellbeing.support.title" />
      </h2>
      <p>
        <FormattedMessage id="wellbeing.support.body" />
      </p>
      <ul>
        {support.supportUrl && (
          <li>
            <a href={support.supportUrl} rel="noopener noreferrer">
              <FormattedMessage id="wellbeing.support.url" />
            </a>
          </li>
        )}
        {support.contactEmail && (
          <li>
            <a href={`mailto:${support.contactEmail}`}>
              <FormattedMessage id="wellbeing.support.email" values={{ email: support.contactEmail }} />
            </a>
          </li>
        )}
      </ul>
      <p>
        <FormattedMessage id="wellbeing.support.emergency" />
      </p>
    </section>
  );
}

export function CheckInPage({ loaderData, actionData }: { loaderData: CheckInData; actionData: unknown }) {
  const intl = useIntl();
  const navigation = useNavigation();
  const { form, started, current } = loaderData;
  // From the location, not the loader's request (on client navigation that is the ".data" URL).
  const basePath = useLocation().pathname;
  const result = actionData as CheckInAction | undefined;
  const closes = intl.formatDate(form.closesAt, { day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" });
  const label = (key: string, fallback: string) => (intl.messages[key] ? intl.formatMessage({ id: key }) : fallback);
  const back = (
    <p>
      <Link to="/wellbeing">
        <FormattedMessage id="wellbeing.back" />
      </Link>
    </p>
  );
  const header = (
    <>
      <h1>{form.campaignName}</h1>
      <p className="lead">{form.organisationName}</p>
    </>
  );

  if (result && result.ok && "outcome" in result) {
    const o = result.outcome;
    const instrument = form.instruments.find((i) => i.id === o.instrumentId);
    const next = o.remaining[0];
    return (
      <div className="page narrow wb-result">
        {header}
        {o.distressFlag && <Support support={o.support} />}
        <h2>
          <FormattedMessage id="wellbeing.result.title" />
        </h2>
        <ul>
          {o.scales.map((s) => (
            <li key={s.id}>
              <FormattedMessage id="wellbeing.result.score" values={{ scale: label(`wellbeing.scale.${s.id}`, instrument?.title ?? s.id), score: s.score ?? "–", min: s.range[0], max: s.range[1] }} />
              {s.band && (
                <>
                  {" "}
                  <FormattedMessage id="wellbeing.result.band" values={{ band: label(s.band.labelKey, s.band.labelKey) }} />
                </>
              )}
            </li>
          ))}
        </ul>
        <p>
          <FormattedMessage id="wellbeing.result.calm" />
        </p>
        <p className="field__hint">
          <FormattedMessage id="wellbeing.result.private" />
        </p>
        {next && (
          <p>
            <Link to={`${basePath}?start=1&i=${next}${loaderData.lang ? `&lang=${encodeURIComponent(loaderData.lang)}` : ""}`}>
              <FormattedMessage id="wellbeing.result.next" />
            </Link>
          </p>
        )}
        {back}
      </div>
    );
  }

  if (form.status !== "open") {
    return (
      <div className="page narrow">
        {header}
        <div className="notice" role="status">
          <FormattedMessage id={`wellbeing.state.${form.status}`} values={{ date: intl.formatDate(form.opensAt, { day: "numeric", month: "long", year: "numeric" }) }} />
        </div>
        {back}
      </div>
    );
  }

  if (!current) {
    return (
      <div className="page narrow">
        {header}
        <div className="notice" role="status">
          <FormattedMessage id="wellbeing.state.done" />
        </div>
        {back}
      </div>
    );
  }

  const notInMyLanguage = form.instruments.some((i) => !languageOf(i.questionnaire as Questionnaire, null, intl.locale).inMyLanguage);
  const modeBox = (
    <section className="wb-mode" aria-labelledby="wb-mode-title">
      <h2 id="wb-mode-title">
        <FormattedMessage id={`wellbeing.mode.${form.mode}.title`} />
      </h2>
      <p>
        <FormattedMessage id={`wellbeing.mode.${form.mode}.body`} />
      </p>
      <p>
        <FormattedMessage id="wellbeing.mode.reports" values={{ min: MIN_CELL_DEFAULT }} />
      </p>
    </section>
  );

  if (!started) {
    return (
      <div className="page narrow">
        {header}
        {modeBox}
        {notInMyLanguage && (
          <p className="notice">
            <FormattedMessage id="wellbeing.form.someNotInYourLanguage" />
          </p>
        )}
        <p className="field__hint">
          <FormattedMessage id="wellbeing.form.closes" values={{ date: closes }} />
        </p>
        <p>
          <Link className="button" to={`${basePath}?start=1`}>
            <FormattedMessage id="wellbeing.form.start" />
          </Link>
        </p>
        {back}
      </div>
    );
  }

  const index = form.instruments.findIndex((i) => i.id === current);
  const instrument = form.instruments[index]!;
  const original = instrument.questionnaire as Questionnaire;
  const { offered, lang, inMyLanguage } = languageOf(original, loaderData.lang, intl.locale);
  const q = localizeQuestionnaire(original, lang);
  const here = (l: string) => `${basePath}?start=1&i=${instrument.id}&lang=${encodeURIComponent(l)}`;
  const failed = result && !result.ok && result.instrumentId === instrument.id ? result : undefined;
  const saved = result && result.ok && "saved" in result && result.instrumentId === instrument.id ? result : undefined;
  const values: Record<string, FormValue> = failed?.formValues ?? saved?.formValues ?? instrument.draft ?? {};
  const enabled = enabledUnder(q, values);
  const errors = new Map((failed?.fields ?? []).map((f) => [f.path, f.message]));
  return (
    <div className="page narrow">
      {header}
      <p className="field__hint">
        <FormattedMessage id={`wellbeing.mode.${form.mode}.title`} /> · <FormattedMessage id="wellbeing.form.closes" values={{ date: closes }} />
      </p>
      <h2>
        <FormattedMessage id="wellbeing.form.progress" values={{ n: index + 1, total: form.instruments.length, title: <span lang={lang}>{q.title ?? instrument.title}</span> }} />
      </h2>
      {offered.length > 1 && (
        <nav className="wb-languages" aria-label={intl.formatMessage({ id: "wellbeing.form.languages" })}>
          <FormattedMessage id="wellbeing.form.languages" />{" "}
          {offered.map((l, n) => (
            <span key={l}>
              {n > 0 && " · "}
              {l === lang ? (
                <strong aria-current="true" lang={l}>
                  {languageName(l)}
                </strong>
              ) : (
                <Link to={here(l)} lang={l} hrefLang={l}>
                  {languageName(l)}
                </Link>
              )}
            </span>
          ))}
        </nav>
      )}
      {!inMyLanguage && (
        <p className="notice" lang={intl.locale}>
          <FormattedMessage id="wellbeing.form.notInYourLanguage" values={{ language: languageName(lang) }} />
        </p>
      )}
      {saved && (
        <p className="notice notice--success" role="status">
          <FormattedMessage id="wellbeing.form.saved" />
        </p>
      )}
      <ErrorSummary result={failed} labels={itemLabels(q.item)} />
      {hasConditions(q) && (
        <p className="field__hint">
          <FormattedMessage id="wellbeing.form.conditional" />
        </p>
      )}
      <Form method="post" className="wb-form" action={here(lang)}>
        <input type="hidden" name="instrumentId" value={instrument.id} />
        <div lang={lang}>
          {q.item.map((item) => (
            <Item key={item.linkId} item={item} values={values} enabled={enabled} errors={errors} />
          ))}
        </div>
        <div className="actions">
          <button type="submit" name="intent" value="submit" disabled={navigation.state === "submitting"}>
            <FormattedMessage id="wellbeing.form.submit" />
          </button>
          <button type="submit" name="intent" value="save" className="button--secondary" disabled={navigation.state === "submitting"} formNoValidate>
            <FormattedMessage id="wellbeing.form.save" />
          </button>
        </div>
      </Form>
      {back}
    </div>
  );
}
