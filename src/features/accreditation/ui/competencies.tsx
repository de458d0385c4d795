import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/competencies";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, FieldMessage, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";
import { can } from "../../../platform/policy/policy.ts";
import { AppError } from "../../../platform/http/errors.ts";

// /o/:slug/accreditation/competencies: the organisation's competency list (supervisor reports and
// faculty observations rate it, pathways name its keys). Accreditation coordinators ("groups:manage")
// read it; owners and admins ("organisation:update", as PUT …/supervision/settings) add, rename,
// reorder with Up/Down buttons, retire and restore. Plain forms: works without JavaScript.
export function meta() {
  return [{ title: "Competencies · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const scope = { organisationId: org.id };
  const canEdit = can(ctx.actor, "organisation:update", scope);
  if (!canEdit && !can(ctx.actor, "groups:manage", scope)) throw data(null, { status: 403 });
  const settings = await loadOr(request, () => ctx.services.supervision.getSettings(ctx.actor, org.id));
  return { org: { id: org.id, slug: org.slug, name: org.name }, canEdit, competencies: settings.competencies, retired: settings.retiredCompetencies };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === "string" ? v : "";
  };
  const intent = text("intent");
  const key = text("key");
  const svc = ctx.services.supervision;
  const meta = { ipAddress: ctx.ipAddress, requestId: ctx.requestId };
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
  const r = await attempt(() => {
    switch (intent) {
      case "add":
        return svc.addCompetency(ctx.actor, org.id, { key: text("newKey"), label: text("label") }, meta);
      case "rename":
        return svc.renameCompetency(ctx.actor, org.id, key, { label: text("label") }, meta);
      case "move":
        return svc.moveCompetency(ctx.actor, org.id, key, { direction: text("direction") }, meta);
      case "retire":
        return svc.retireCompetency(ctx.actor, org.id, key, meta);
      case "restore":
        return svc.restoreCompetency(ctx.actor, org.id, key, meta);
      default:
        throw new AppError("validation_failed", "intent: Unknown action.", [{ path: "intent", message: "Unknown action." }]);
    }
  }, values);
  if (!r.ok) {
    // The add form's key input is "newKey"; a rename's name input is "label-<key>" (one per row).
    const rename = (path: string) => (intent === "add" && path === "key" ? "newKey" : intent === "rename" && path === "label" ? `label-${key}` : path);
    return data({ ...r.failure, fields: r.failure.fields.map((f) => ({ ...f, path: rename(f.path) })), intent, key }, { status: r.status });
  }
  const position = r.value.competencies.findIndex((c) => c.key === key);
  const moved = intent === "move" && position >= 0 ? { name: r.value.competencies[position]!.label, position: position + 1, total: r.value.competencies.length } : null;
  return { ok: true as const, intent, key, moved };
}

type Outcome = (ActionResult & { intent?: string; key?: string; values?: Record<string, string>; moved?: { name: string; position: number; total: number } | null }) | undefined;

export default function Competencies({ loaderData: d, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const result = actionData as Outcome;
  const failed = (intent: string, key = "") => (result && !result.ok && result.intent === intent && (result.key ?? "") === key ? result : undefined);
  const fieldMessage = (intent: string, key: string, path: string) => failed(intent, key)?.fields.find((f) => f.path === path)?.message;
  const labels: Record<string, string> = {
    label: intl.formatMessage({ id: "competencies.name" }),
    newKey: intl.formatMessage({ id: "competencies.key" }),
    key: intl.formatMessage({ id: "competencies.key" }),
    ...Object.fromEntries(d.competencies.map((c) => [`label-${c.key}`, intl.formatMessage({ id: "competencies.renameLabel" }, { name: c.label })])),
  };
  const summaryFor = (intent: string, key = "") => (failed(intent, key) ? <ErrorSummary result={result} labels={labels} /> : null);
  const addError = { label: fieldMessage("add", "", "label"), key: fieldMessage("add", "", "newKey") };
  const total = d.competencies.length;
  return (
    <div className="page accreditation-competencies">
      <p>
        <Link to={`/o/${d.org.slug}`}>{d.org.name}</Link>
        {" · "}
        <Link to={`/o/${d.org.slug}/accreditation`}>
          <FormattedMessage id="accreditation.admin.title" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="competencies.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="competencies.intro" />
      </p>
      {!d.canEdit && (
        <p className="notice">
          <FormattedMessage id="competencies.readOnly" />
        </p>
      )}
      {result?.ok && (
        <p role="status" className="notice notice--success">
          {result.moved ? <FormattedMessage id="competencies.moved" values={result.moved} /> : <FormattedMessage id="competencies.saved" />}
        </p>
      )}
      {/* Errors of the row forms, above the table (the add form shows its own). */}
      {result && !result.ok && result.intent !== "add" && <ErrorSummary result={result} labels={labels} />}

      <section aria-labelledby="current-heading">
        <h2 id="current-heading">
          <FormattedMessage id="competencies.current" />
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">
                <FormattedMessage id="competencies.position" />
              </th>
              <th scope="col">
                <FormattedMessage id="competencies.name" />
              </th>
              <th scope="col">
                <FormattedMessage id="competencies.key" />
              </th>
              {d.canEdit && (
                <th scope="col">
                  <FormattedMessage id="competencies.actions" />
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {d.competencies.map((c, i) => {
              const renameError = fieldMessage("rename", c.key, `label-${c.key}`);
              const renameValue = failed("rename", c.key)?.values?.["label"];
              return (
                <tr key={c.key} data-testid="competency">
                  <td>{i + 1}</td>
                  <th scope="row">
                    {d.canEdit ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="rename" />
                        <input type="hidden" name="key" value={c.key} />
                        <label htmlFor={`field-label-${c.key}`} className="visually-hidden">
                          <FormattedMessage id="competencies.renameLabel" values={{ name: c.label }} />
                        </label>
                        <input
                          id={`field-label-${c.key}`}
                          name="label"
                          required
                          maxLength={80}
                          defaultValue={renameValue ?? c.label}
                          aria-invalid={renameError ? true : undefined}
                          aria-describedby={renameError ? `error-label-${c.key}` : undefined}
                        />{" "}
                        {renameError && (
                          <span id={`error-label-${c.key}`} className="field__error">
                            <FieldMessage message={renameError} />
                          </span>
                        )}
                        <button type="submit" className="secondary">
                          <FormattedMessage id="competencies.rename" />
                        </button>
                      </Form>
                    ) : (
                      c.label
                    )}
                  </th>
                  <td>
                    <code>{c.key}</code>
                  </td>
                  {d.canEdit && (
                    <td>
                      <RowActions competency={c} first={i === 0} last={i === total - 1} only={total === 1} />
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      {d.canEdit && (
        <section aria-labelledby="add-heading" className="card">
          <h2 id="add-heading">
            <FormattedMessage id="competencies.add" />
          </h2>
          {summaryFor("add")}
          <Form method="post">
            <input type="hidden" name="intent" value="add" />
            <div className={`field${addError.label ? " field--error" : ""}`}>
              <label htmlFor="field-label">
                <FormattedMessage id="competencies.name" />
              </label>
              <input
                id="field-label"
                name="label"
                required
                maxLength={80}
                defaultValue={failed("add")?.values?.["label"] ?? ""}
                aria-invalid={addError.label ? true : undefined}
                aria-describedby={addError.label ? "error-label" : undefined}
              />
              {addError.label && (
                <p id="error-label" className="field__error">
                  <FieldMessage message={addError.label} />
                </p>
              )}
            </div>
            <div className={`field${addError.key ? " field--error" : ""}`}>
              <label htmlFor="field-newKey">
                <FormattedMessage id="competencies.key" />
              </label>
              <p className="field__hint" id="key-hint">
                <FormattedMessage id="competencies.keyHint" />
              </p>
              <input
                id="field-newKey"
                name="newKey"
                maxLength={40}
                pattern="[a-z][a-z0-9_]{0,39}"
                defaultValue={failed("add")?.values?.["newKey"] ?? ""}
                aria-invalid={addError.key ? true : undefined}
                aria-describedby={addError.key ? "key-hint error-newKey" : "key-hint"}
              />
              {addError.key && (
                <p id="error-newKey" className="field__error">
                  <FieldMessage message={addError.key} />
                </p>
              )}
            </div>
            <button type="submit">
              <FormattedMessage id="competencies.add" />
            </button>
          </Form>
        </section>
      )}

      <section aria-labelledby="retired-heading">
        <h2 id="retired-heading">
          <FormattedMessage id="competencies.retired" />
        </h2>
        {d.retired.length === 0 ? (
          <p>
            <FormattedMessage id="competencies.noneRetired" />
          </p>
        ) : (
          <ul>
            {d.retired.map((c) => (
              <li key={c.key}>
                {c.label} <code>{c.key}</code> · <FormattedMessage id="competencies.retiredOn" values={{ date: intl.formatDate(c.retiredAt, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) }} />
                {d.canEdit && (
                  <Form method="post">
                    <input type="hidden" name="intent" value="restore" />
                    <input type="hidden" name="key" value={c.key} />
                    <button type="submit" className="secondary" aria-label={intl.formatMessage({ id: "competencies.restoreLabel" }, { name: c.label })}>
                      <FormattedMessage id="competencies.restore" />
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** Up, Down and Retire for one row: each its own small form (a button press works without JavaScript). */
function RowActions({ competency: c, first, last, only }: { competency: { key: string; label: string }; first: boolean; last: boolean; only: boolean }) {
  const intl = useIntl();
  return (
    <div className="actions">
      <Form method="post">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="key" value={c.key} />
        <input type="hidden" name="direction" value="up" />
        <button type="submit" className="secondary" disabled={first} aria-label={intl.formatMessage({ id: "competencies.moveUp" }, { name: c.label })}>
          ↑ <FormattedMessage id="competencies.up" />
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="key" value={c.key} />
        <input type="hidden" name="direction" value="down" />
        <button type="submit" className="secondary" disabled={last} aria-label={intl.formatMessage({ id: "competencies.moveDown" }, { name: c.label })}>
          ↓ <FormattedMessage id="competencies.down" />
        </button>
      </Form>
      <Form method="post">
        <input type="hidden" name="intent" value="retire" />
        <input type="hidden" name="key" value={c.key} />
        <button type="submit" className="secondary" disabled={only} aria-label={intl.formatMessage({ id: "competencies.retireLabel" }, { name: c.label })}>
          <FormattedMessage id="competencies.retire" />
        </button>
      </Form>
    </div>
  );
}
