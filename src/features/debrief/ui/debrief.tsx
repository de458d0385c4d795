import { useDeferredValue, useMemo, useRef, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect, useNavigation, useSearchParams } from "react-router";
import type { Route } from "./+types/debrief";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, fieldError, type ActionFailure } from "../../../ui/forms.tsx";
import { formAction } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { DEBRIEF_TEXT_MAX } from "../constants.ts";
import { findIdentifiers, type IdentifierFinding } from "../identifier-check.ts";
import debriefStyles from "./debrief.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: debriefStyles }];

export function meta() {
  return [{ title: "Leaders’ debrief · Balint Commons" }];
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  try {
    const orgId = await ctx.services.debrief.organisationOf(ctx.actor, params.groupId);
    return await ctx.services.debrief.get(ctx.actor, orgId, params.groupId, params.start);
  } catch (error) {
    if (isAppError(error) && (error.code === "not_found" || error.code === "validation_failed" || error.code === "forbidden")) throw data(null, { status: 404 });
    if (isAppError(error) && error.code === "conflict") throw data(null, { status: 409 });
    throw error;
  }
}

type Outcome =
  | { ok: true; done: "saved" | "attached" | "detached" | "deleted" | "completed" }
  | (ActionFailure & { kind?: "findings"; findings?: IdentifierFinding[] })
  | (ActionFailure & { kind?: "conflict"; theirs?: { text: string | null; updatedByName: string | null } });

export async function action({ request, context, params }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "save");
  const text = typeof form.get("text") === "string" ? String(form.get("text")) : "";
  const meta = { ipAddress: ctx.ipAddress, requestId: ctx.requestId };
  let status = 400;
  const result = await formAction<Outcome>(
    async () => {
      try {
        const orgId = await ctx.services.debrief.organisationOf(ctx.actor, params.groupId);
        const svc = ctx.services.debrief;
        if (intent === "attach" || intent === "detach") {
          await svc.attach(ctx.actor, orgId, params.groupId, params.start, { attached: intent === "attach" }, meta);
          return { ok: true, done: intent === "attach" ? "attached" : "detached" };
        }
        if (intent === "delete") {
          await svc.remove(ctx.actor, orgId, params.groupId, params.start, meta);
          return { ok: true, done: "deleted" };
        }
        if (intent === "complete") {
          await svc.complete(ctx.actor, orgId, params.groupId, params.start, {}, meta);
          return { ok: true, done: "completed" };
        }
        const revision = Number(form.get("revision"));
        const saved = await svc.save(ctx.actor, orgId, params.groupId, params.start, { text, revision: Number.isFinite(revision) ? revision : -1, ...(form.get("acknowledgeFindings") === "true" ? { acknowledgeFindings: true } : {}) }, meta);
        if (saved.outcome === "findings") {
          status = 422;
          return { ok: false, kind: "findings", findings: saved.findings, message: "", fields: [], values: { text } };
        }
        if (saved.outcome === "conflict") {
          status = 409;
          return { ok: false, kind: "conflict", theirs: { text: saved.current.text, updatedByName: saved.current.updatedByName }, message: "", fields: [], values: { text } };
        }
        return { ok: true, done: "saved" };
      } catch (error) {
        if (isAppError(error)) status = error.status === 404 ? 404 : error.status;
        throw error;
      }
    },
    { text },
  );
  if (!result.ok) return data(result, { status });
  return result;
}

export default function Debrief({ loaderData: d, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const [search] = useSearchParams();
  const result = actionData as Outcome | undefined;
  const failed = result && !result.ok ? result : undefined;
  const [text, setText] = useState<string>(failed?.values?.text ?? d.text ?? "");
  const [confirming, setConfirming] = useState(false);
  const acknowledged = useRef(false);
  const deferred = useDeferredValue(text);
  const findings = useMemo(() => findIdentifiers(deferred), [deferred]);
  // The server's findings stand until the writer edits the text; then the live check takes over.
  const [editedAfter, setEditedAfter] = useState<unknown>(null);
  const serverFindings = failed && "findings" in failed && editedAfter !== actionData ? failed.findings : undefined;

  const theirs = failed && "theirs" in failed ? failed.theirs : undefined;
  const busy = navigation.state === "submitting";
  const when = intl.formatDate(d.meetingStart, { weekday: "long", day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit" });
  const date = (iso: string) => intl.formatDate(iso, { day: "numeric", month: "long", year: "numeric" });
  const textError = fieldError(failed, "text") ?? fieldError(failed, "revision");
  const askDelete = search.get("confirm") === "delete" && d.exists;
  const shown = serverFindings ?? findings;
  const done = result?.ok ? result.done : undefined;

  return (
    <div className="page narrow debrief">
      <p>
        <Link to="/debrief">
          <FormattedMessage id="debrief.back" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="debrief.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="debrief.intro" values={{ group: d.groupName, when }} />
      </p>
      <p className="debrief__privacy">
        <FormattedMessage id="debrief.privacy" />
      </p>

      {failed && !serverFindings && !theirs && <ErrorSummary result={failed} labels={{ text: intl.formatMessage({ id: "debrief.label" }) }} />}
      {done && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id={`debrief.${done}`} />
        </div>
      )}
      {d.unreadable && (
        <div className="notice notice--warning" role="alert">
          <FormattedMessage id="debrief.unreadable" />
        </div>
      )}

      {theirs && (
        <section className="debrief__conflict" role="alert" aria-labelledby="debrief-conflict-title">
          <h2 id="debrief-conflict-title">
            <FormattedMessage id="debrief.conflict.title" />
          </h2>
          <p>
            <FormattedMessage id="debrief.conflict.body" values={{ name: theirs.updatedByName ?? intl.formatMessage({ id: "debrief.conflict.someone" }) }} />
          </p>
          <h3>
            <FormattedMessage id="debrief.conflict.theirs" />
          </h3>
          <div className="debrief__theirs">
            {theirs.text ?? ""}
          </div>
        </section>
      )}

      <Form
        method="post"
        className="debrief__form"
        onSubmit={(event) => {
          // With JavaScript: findings ask for confirmation here; without it, the server answers 422 and this page asks.
          if (findings.length > 0 && !acknowledged.current) {
            event.preventDefault();
            setConfirming(true);
          }
          acknowledged.current = false;
        }}
      >
        <input type="hidden" name="revision" value={d.revision} />
        <div className="field" id="field-text">
          <label htmlFor="debrief-text">
            <FormattedMessage id="debrief.label" />
          </label>
          <textarea
            id="debrief-text"
            name="text"
            rows={16}
            maxLength={DEBRIEF_TEXT_MAX}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setConfirming(false);
              setEditedAfter(actionData);
            }}
            aria-describedby="debrief-count debrief-check"
            aria-invalid={textError ? true : undefined}
            spellCheck
          />
          <p id="debrief-count" className="field__hint">
            <FormattedMessage id="debrief.count" values={{ count: text.length, max: DEBRIEF_TEXT_MAX }} />
            {" · "}
            {d.updatedAt ? <FormattedMessage id="debrief.lastSaved" values={{ when: intl.formatDate(d.updatedAt, { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" }), name: d.updatedByName ?? "—" }} /> : <FormattedMessage id="debrief.notSaved" />}
          </p>
          {textError && <p className="field__error"><FieldMessage message={textError} /></p>}
        </div>

        <div id="debrief-check" className={shown.length ? "debrief__check debrief__check--found" : "debrief__check"} aria-live="polite">
          <p>
            {serverFindings ? (
              <FormattedMessage id="debrief.check.serverFound" />
            ) : shown.length ? (
              <FormattedMessage id="debrief.check.found" values={{ count: shown.length }} />
            ) : (
              <FormattedMessage id="debrief.check.clean" />
            )}
          </p>
          {shown.length > 0 && (
            <ul>
              {shown.map((f) => (
                <li key={`${f.start}:${f.kind}`}>
                  <strong>
                    <FormattedMessage id={`debrief.kind.${f.kind}`} />
                  </strong>
                  {": "}
                  <mark>{f.text}</mark>
                </li>
              ))}
            </ul>
          )}
          <p className="field__hint">
            <FormattedMessage id="debrief.check.note" />
          </p>
        </div>

        {confirming || serverFindings ? (
          <div className="debrief__confirm" role="alertdialog" aria-labelledby="debrief-confirm-text">
            <p id="debrief-confirm-text">
              <FormattedMessage id="debrief.check.confirm" />
            </p>
            <input type="hidden" name="acknowledgeFindings" value="true" />
            <button type="submit" name="intent" value="save" disabled={busy} onClick={() => (acknowledged.current = true)}>
              <FormattedMessage id="debrief.saveAnyway" />
            </button>{" "}
            {confirming && (
              <button type="button" className="button--secondary" onClick={() => setConfirming(false)}>
                <FormattedMessage id="debrief.keepEditing" />
              </button>
            )}
          </div>
        ) : (
          <button type="submit" name="intent" value="save" disabled={busy}>
            <FormattedMessage id="debrief.save" />
          </button>
        )}
      </Form>

      {d.exists && !d.completedByMe && (
        <Form method="post" className="debrief__complete">
          <p className="field__hint">
            <FormattedMessage id="debrief.complete.hint" />
          </p>
          <button type="submit" name="intent" value="complete" className="button--secondary" disabled={busy}>
            <FormattedMessage id="debrief.complete.action" />
          </button>
        </Form>
      )}
      {d.completedByMe && (
        <p className="debrief__done">
          <FormattedMessage id="debrief.complete.done" />
        </p>
      )}

      <section className="debrief__keeping" aria-labelledby="debrief-keeping-title">
        <h2 id="debrief-keeping-title">
          <FormattedMessage id="debrief.expiry.title" />
        </h2>
        <p>
          {d.attachedToSupervisionAt ? (
            <FormattedMessage id="debrief.expiry.kept" values={{ date: date(d.attachedToSupervisionAt) }} />
          ) : d.expiresAt ? (
            <FormattedMessage id="debrief.expiry.date" values={{ date: date(d.expiresAt), days: d.retentionDays }} />
          ) : (
            <FormattedMessage id="debrief.expiry.none" values={{ days: d.retentionDays }} />
          )}
        </p>
        {d.exists && (
          <div className="debrief__actions">
            <Form method="post">
              <button type="submit" name="intent" value={d.attachedToSupervisionAt ? "detach" : "attach"} className="button--secondary" disabled={busy}>
                <FormattedMessage id={d.attachedToSupervisionAt ? "debrief.detach" : "debrief.attach"} />
              </button>
            </Form>
            {askDelete ? (
              <Form method="post" className="debrief__delete" role="alertdialog" aria-labelledby="debrief-delete-text" replace onSubmit={() => setText("")}>
                <p id="debrief-delete-text">
                  <FormattedMessage id="debrief.deleteConfirm" />
                </p>
                <button type="submit" name="intent" value="delete" className="button--danger" disabled={busy}>
                  <FormattedMessage id="debrief.deleteYes" />
                </button>{" "}
                <Link to="?" replace>
                  <FormattedMessage id="debrief.deleteNo" />
                </Link>
              </Form>
            ) : (
              <Link to="?confirm=delete" className="button button--danger-link">
                <FormattedMessage id="debrief.delete" />
              </Link>
            )}
          </div>
        )}
      </section>
    </div>
  );
}
