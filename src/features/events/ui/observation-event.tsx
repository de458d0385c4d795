import { useDeferredValue, useMemo, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/observation-event";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionFailure, type ActionSuccess } from "../../../ui/forms.tsx";
import { formValues } from "../../../ui/actions.ts";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";
import { findIdentifiers, type IdentifierFinding } from "../../debrief/identifier-check.ts";
import { OBSERVATION_LEVELS } from "../competencies.ts";
import { CompetencyName, ObservationCard } from "./observation-shared.tsx";

// The faculty's page for one event: "Observe a leader in training" and the observations written
// here (organisers see all of them). Outside the organisation layout: visiting faculty need not
// be members of the organisation.

export function meta() {
  return [{ title: "Observations · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  return loadOr(request, () => ctx.services.eventObservations.forEvent(ctx.actor, params.orgId, params.eventId));
}

type ObserveAction = (ActionFailure & { findings?: IdentifierFinding[] }) | ActionSuccess<{ notice: string }>;

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const values = formValues(await request.formData());
  const ratings = Object.entries(values)
    .filter(([k, v]) => k.startsWith("level.") && v !== "")
    .map(([k, v]) => ({ competency: k.slice("level.".length), level: Number(v) }));
  const input: Record<string, unknown> = {
    leaderUserId: values["leaderUserId"] ?? "",
    ratings,
    narrative: values["narrative"] ?? "",
    acknowledgeFindings: values["acknowledgeFindings"] === "on",
  };
  if (values["sessionId"]) input["sessionId"] = values["sessionId"];
  if (values["observedOn"]) input["observedOn"] = values["observedOn"];
  const result = await attempt(() => ctx.services.eventObservations.record(ctx.actor, params.orgId, params.eventId, input, ctx), values);
  if (!result.ok) {
    if (result.status === 404) throw data(null, { status: 404 });
    return data(result.failure satisfies ObserveAction, { status: result.status });
  }
  if (result.value.outcome === "findings")
    return data({ ok: false, message: "The narrative looks like it names someone or holds an identifier.", fields: [{ path: "narrative", message: "Rephrase, or confirm that it holds no case content." }], values, findings: result.value.findings } satisfies ObserveAction, { status: 422 });
  return { ok: true, data: { notice: "events.observation.saved" } } satisfies ObserveAction;
}

/** The narrative with the identifier check as you type (the server checks again before saving). */
function NarrativeField({ failed }: { failed: (ActionFailure & { findings?: IdentifierFinding[] }) | undefined }) {
  const intl = useIntl();
  const initial = failed?.values?.["narrative"] ?? "";
  const [narrative, setNarrative] = useState(initial);
  const deferred = useDeferredValue(narrative);
  const live = useMemo(() => findIdentifiers(deferred), [deferred]);
  const shown = failed?.findings && narrative === initial ? failed.findings : live;
  const error = fieldError(failed, "narrative");
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor="field-narrative"><FormattedMessage id="events.observation.narrative" /></label>
      <p className="field__hint" id="narrative-hint"><FormattedMessage id="events.observation.narrativeHint" /></p>
      {error && <p className="field__error"><FieldMessage message={error} /></p>}
      <textarea id="field-narrative" name="narrative" rows={5} maxLength={1000} value={narrative} onChange={(e) => setNarrative(e.target.value)} aria-describedby="narrative-hint narrative-findings" />
      <div id="narrative-findings" aria-live="polite">
        {shown.length > 0 && (
          <div className="notice notice--warning">
            <p><FormattedMessage id="events.observation.findings" /></p>
            <ul>
              {shown.map((f) => (
                <li key={`${f.start}-${f.end}`}>“{f.text}” ({intl.formatMessage({ id: `debrief.kind.${f.kind}` })})</li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}

export default function ObserveEvent({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({ id }, values);
  const { organisation, event, days, leaders, competencies, mayRecord, observations } = loaderData;
  const result = actionData as ObserveAction | undefined;
  const failed = result && !result.ok ? result : undefined;
  const v = (k: string) => failed?.values?.[k] ?? "";
  const saved = result?.ok;
  return (
    <div className="page narrow">
      <p className="eyebrow">
        <Link to="/account/observations"><FormattedMessage id="events.observation.mineTitle" /></Link>
      </p>
      <h1><FormattedMessage id="events.observation.eventTitle" values={{ event: event.title }} /></h1>
      <p>{organisation.name}</p>
      {saved && <p className="notice notice--success" role="status"><FormattedMessage id="events.observation.saved" /></p>}

      {mayRecord && (
        <section aria-labelledby="observe">
          <h2 id="observe"><FormattedMessage id="events.observation.observe" /></h2>
          {leaders.length === 0 ? (
            <p><FormattedMessage id="events.observation.noLeaders" /></p>
          ) : (
            <Form method="post" noValidate key={saved ? observations.length : "form"}>
              <ErrorSummary result={failed} />
              <div className={`field${fieldError(failed, "leaderUserId") ? " field--error" : ""}`}>
                <label htmlFor="field-leaderUserId"><FormattedMessage id="events.observation.leader" /></label>
                {fieldError(failed, "leaderUserId") && <p className="field__error"><FieldMessage message={fieldError(failed, "leaderUserId")} /></p>}
                <select id="field-leaderUserId" name="leaderUserId" required defaultValue={v("leaderUserId")} aria-invalid={fieldError(failed, "leaderUserId") ? true : undefined}>
                  <option value="">{t("events.page.choose")}</option>
                  {leaders.map((l) => (
                    <option key={l.userId} value={l.userId}>{l.name}</option>
                  ))}
                </select>
              </div>
              <div className={`field${fieldError(failed, "observedOn") ? " field--error" : ""}`}>
                <label htmlFor="field-observedOn"><FormattedMessage id="events.observation.day" /></label>
                {fieldError(failed, "observedOn") && <p className="field__error"><FieldMessage message={fieldError(failed, "observedOn")} /></p>}
                <select id="field-observedOn" name="observedOn" defaultValue={v("observedOn") || days[0]?.date || ""}>
                  {days.map((d) => (
                    <option key={d.date} value={d.date}>{intl.formatDate(`${d.date}T12:00:00Z`, { dateStyle: "long", timeZone: "UTC" })}</option>
                  ))}
                </select>
              </div>
              <div className={`field${fieldError(failed, "sessionId") ? " field--error" : ""}`}>
                <label htmlFor="field-sessionId"><FormattedMessage id="events.observation.session" /></label>
                {fieldError(failed, "sessionId") && <p className="field__error"><FieldMessage message={fieldError(failed, "sessionId")} /></p>}
                <select id="field-sessionId" name="sessionId" defaultValue={v("sessionId")}>
                  <option value="">{t("events.observation.noSession")}</option>
                  {days.map((d) => (
                    <optgroup key={d.date} label={intl.formatDate(`${d.date}T12:00:00Z`, { dateStyle: "medium", timeZone: "UTC" })}>
                      {d.sessions.map((s) => (
                        <option key={s.id} value={s.id}>
                          {intl.formatDate(s.start, { hour: "2-digit", minute: "2-digit", timeZone: event.timeZone })} {s.title}
                        </option>
                      ))}
                    </optgroup>
                  ))}
                </select>
              </div>
              <fieldset id="field-ratings">
                <legend><FormattedMessage id="events.observation.ratings" /></legend>
                <p className="field__hint"><FormattedMessage id="events.observation.ratingsHint" /></p>
                {fieldError(failed, "ratings") && <p className="field__error"><FieldMessage message={fieldError(failed, "ratings")} /></p>}
                {competencies.map((c) => (
                  <div key={c.key} className="field">
                    <label htmlFor={`field-level.${c.key}`}><CompetencyName competency={c.key} label={c.label} /></label>
                    <select id={`field-level.${c.key}`} name={`level.${c.key}`} defaultValue={v(`level.${c.key}`)}>
                      <option value="">{t("events.observation.notRated")}</option>
                      {OBSERVATION_LEVELS.map((l) => (
                        <option key={l} value={String(l)}>{t("events.observation.levelOption", { level: l, label: t(`events.observation.level.${l}`) })}</option>
                      ))}
                    </select>
                  </div>
                ))}
              </fieldset>
              <NarrativeField failed={failed} />
              {failed?.findings && (
                <div className="choice">
                  <input type="checkbox" id="field-acknowledgeFindings" name="acknowledgeFindings" />
                  <label htmlFor="field-acknowledgeFindings"><FormattedMessage id="events.observation.acknowledge" /></label>
                </div>
              )}
              <button type="submit"><FormattedMessage id="events.observation.save" /></button>
            </Form>
          )}
        </section>
      )}

      <section aria-labelledby="written">
        <h2 id="written"><FormattedMessage id={mayRecord ? "events.observation.written" : "events.observation.all"} /></h2>
        {observations.length === 0 ? (
          <p><FormattedMessage id="events.observation.none" /></p>
        ) : (
          <ul className="card-list">
            {observations.map((o) => (
              <ObservationCard key={o.id} observation={o} showLeader />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
