import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/answer";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionFailure } from "../../../ui/forms.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import type { IdentifierFinding } from "../../debrief/identifier-check.ts";
import { COMMENT_MIN_CELL, FEEDBACK_COMMENT_MAX, FEEDBACK_ITEMS, FEEDBACK_SCALE, FEEDBACK_VALUES, MIN_CELL_DEFAULT } from "../privacy.ts";
import styles from "./feedback.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export function meta() {
  return [{ title: "Meeting feedback · Balint Commons" }];
}

const FIELD: Record<(typeof FEEDBACK_ITEMS)[number], "safeToSpeak" | "feltHeard" | "seeDifferently"> = { safe_to_speak: "safeToSpeak", felt_heard: "feltHeard", see_differently: "seeDifferently" };

type AnswerAction = (ActionFailure & { findings?: IdentifierFinding[] }) | { ok: true };

function notFoundOr(error: unknown): never {
  if (isAppError(error) && (error.code === "not_found" || error.code === "validation_failed")) throw data(null, { status: 404 });
  if (isAppError(error) && error.code === "unauthenticated") throw redirect("/sign-in");
  throw error;
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const url = new URL(request.url);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(url.pathname)}`);
  try {
    const orgId = await ctx.services.feedback.organisationOf(ctx.actor, params.groupId);
    const eligibility = await ctx.services.feedback.eligibility(ctx.actor, orgId, params.groupId, params.start);
    return { eligibility, sent: url.searchParams.get("sent") === "1" };
  } catch (error) {
    return notFoundOr(error);
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "values") values[k] = v;
  const chosen = form.getAll("values").map(String);
  values["values"] = chosen.join(",");
  const num = (k: string) => {
    const v = String(form.get(k) ?? "");
    return /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const comment = String(form.get("comment") ?? "");
  const input: Record<string, unknown> = { safeToSpeak: num("safeToSpeak"), feltHeard: num("feltHeard"), seeDifferently: num("seeDifferently"), values: chosen };
  if (comment.trim()) input["comment"] = comment;
  if (form.get("confirmComment") === "1") input["confirmComment"] = true;
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  try {
    const orgId = await ctx.services.feedback.organisationOf(ctx.actor, params.groupId);
    await ctx.services.feedback.submit(ctx.actor, orgId, params.groupId, params.start, input);
  } catch (error) {
    if (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "IdentifierWarning") {
      const findings = (error as { findings: IdentifierFinding[] }).findings;
      return data({ ok: false, message: (error as Error).message, fields: [{ path: "comment", message: "may name a person or hold an identifier" }], values, findings } satisfies AnswerAction, { status: 422 });
    }
    if (isAppError(error)) {
      if (error.code === "not_found") throw data(null, { status: 404 });
      return data({ ok: false, message: error.message, fields: error.fields ?? [], values } satisfies AnswerAction, { status: error.status });
    }
    throw error;
  }
  throw redirect(`/feedback/${params.groupId}/${encodeURIComponent(params.start)}?sent=1`);
}

export default function Answer({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const { eligibility: e, sent } = loaderData;
  const result = actionData as AnswerAction | undefined;
  const failed = result && !result.ok ? result : undefined;
  const findings = failed?.findings ?? [];
  const prior = failed?.values ?? {};
  const priorValues = new Set((prior["values"] ?? "").split(",").filter(Boolean));
  const when = intl.formatDate(e.occurrenceStart, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const closes = intl.formatDate(e.closesAt, { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });
  const back = (
    <p>
      <Link to="/sessions">
        <FormattedMessage id="feedback.back" />
      </Link>
    </p>
  );

  if (sent && e.status === "answered") {
    return (
      <div className="page narrow feedback">
        <h1>
          <FormattedMessage id="feedback.thanks.title" />
        </h1>
        <p className="lead" role="status">
          <FormattedMessage id="feedback.thanks.body" />
        </p>
        {back}
      </div>
    );
  }

  if (e.status !== "open") {
    return (
      <div className="page narrow feedback">
        <h1>
          <FormattedMessage id="feedback.title" />
        </h1>
        <p className="lead">
          {e.groupName}, {when}
        </p>
        <div className="notice" role="status">
          <FormattedMessage id={`feedback.state.${e.status}`} values={{ date: closes }} />
        </div>
        {back}
      </div>
    );
  }

  const scaleLabel = (p: number) => intl.formatMessage({ id: `feedback.scale.${p}` });
  return (
    <div className="page narrow feedback">
      <h1>
        <FormattedMessage id="feedback.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="feedback.intro" values={{ group: e.groupName, when, min: MIN_CELL_DEFAULT }} />
      </p>
      <p className="field__hint">
        <FormattedMessage id="feedback.closes" values={{ date: closes }} />
      </p>
      {findings.length === 0 && <ErrorSummary result={failed} />}
      <Form method="post" className="feedback-form">
        {FEEDBACK_ITEMS.map((item) => {
          const name = FIELD[item];
          const err = fieldError(failed, name);
          return (
            <fieldset key={item} id={`field-${name}`} tabIndex={-1} className={`feedback-scale${err ? " field--error" : ""}`}>
              <legend>
                <FormattedMessage id={`feedback.item.${item}`} />
              </legend>
              {err && <p className="field__error"><FieldMessage message={err} /></p>}
              <ul className="feedback-scale__points">
                {FEEDBACK_SCALE.map((p) => (
                  <li key={p}>
                    <label>
                      <input type="radio" name={name} value={p} required defaultChecked={prior[name] === String(p)} />
                      <span className="feedback-scale__number" aria-hidden="true">
                        {p}
                      </span>
                      <span className="feedback-scale__label">{scaleLabel(p)}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
          );
        })}
        <fieldset id="field-values" tabIndex={-1}>
          <legend>
            <FormattedMessage id="feedback.values.legend" />
          </legend>
          <ul className="checkbox-list feedback-values">
            {FEEDBACK_VALUES.map((v) => (
              <li key={v}>
                <label>
                  <input type="checkbox" name="values" value={v} defaultChecked={priorValues.has(v)} />
                  <FormattedMessage id={`feedback.value.${v}`} />
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <div className={`field${findings.length ? " field--error" : ""}`}>
          <label htmlFor="field-comment">
            <FormattedMessage id="feedback.comment.label" />
          </label>
          <p className="field__hint" id="comment-hint">
            <FormattedMessage id="feedback.comment.hint" values={{ max: FEEDBACK_COMMENT_MAX, min: COMMENT_MIN_CELL }} />
          </p>
          {findings.length > 0 && (
            <div className="notice notice--warning" role="alert" id="comment-warning">
              <p>
                <strong>
                  <FormattedMessage id="feedback.warning.title" />
                </strong>
              </p>
              <p>
                <FormattedMessage id="feedback.warning.intro" />
              </p>
              <ul>
                {findings.map((f) => (
                  <li key={`${f.start}-${f.end}`}>
                    <FormattedMessage id="feedback.warning.finding" values={{ text: f.text, kind: intl.formatMessage({ id: `feedback.warning.kind.${f.kind}` }) }} />
                  </li>
                ))}
              </ul>
            </div>
          )}
          <textarea
            id="field-comment"
            name="comment"
            rows={4}
            maxLength={FEEDBACK_COMMENT_MAX}
            defaultValue={prior["comment"] ?? ""}
            aria-describedby={findings.length ? "comment-hint comment-warning" : "comment-hint"}
            aria-invalid={findings.length > 0 || undefined}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={navigation.state === "submitting"}>
            <FormattedMessage id="feedback.submit" />
          </button>
          {findings.length > 0 && (
            <button type="submit" name="confirmComment" value="1" className="button--secondary" disabled={navigation.state === "submitting"}>
              <FormattedMessage id="feedback.sendAnyway" />
            </button>
          )}
        </div>
      </Form>
    </div>
  );
}
