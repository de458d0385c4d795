import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/pathway-admin";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";
import { isAppError } from "../../../platform/http/errors.ts";
import { can } from "../../../platform/policy/policy.ts";

const orNull = (e: unknown) => {
  if (isAppError(e)) return null;
  throw e;
};

// /o/:slug/accreditation: pathways (install the examples, create, edit the JSON-backed definition
// as a validated textarea, publish), candidates with progress, and the evidence review queue.
// Coordinators and above manage pathways; supervisors see candidates and the queue.
export function meta() {
  return [{ title: "Accreditation · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const svc = ctx.services.accreditation;
  const pathways = await loadOr(request, () => svc.listPathways(ctx.actor, org.id));
  const candidates = await svc.candidates(ctx.actor, org.id).catch(orNull);
  const queue = await svc.reviewQueue(ctx.actor, org.id).catch(orNull);
  if (!pathways.canManage && !candidates) throw data(null, { status: 403 });
  const scope = { organisationId: org.id };
  const competencies = can(ctx.actor, "groups:manage", scope) || can(ctx.actor, "organisation:update", scope);
  return { org: { id: org.id, slug: org.slug, name: org.name }, pathways, candidates: candidates?.items ?? null, queue: queue?.items ?? null, links: { competencies } };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  const text = (k: string) => String(form.get(k) ?? "");
  const svc = ctx.services.accreditation;
  const meta = { ipAddress: ctx.ipAddress, requestId: ctx.requestId };
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
  const definition = () => {
    try {
      return JSON.parse(text("definition")) as unknown;
    } catch {
      return Symbol.for("invalid");
    }
  };
  if ((intent === "create" || intent === "draft") && typeof definition() === "symbol") {
    return data({ ok: false as const, message: "", fields: [{ path: "definition", message: "invalid JSON" }], values, intent, id, invalidJson: true }, { status: 400 });
  }
  const r = await attempt<unknown>(() => {
    switch (intent) {
      case "examples":
        return svc.installExamples(ctx.actor, org.id, meta);
      case "create":
        return svc.createPathway(ctx.actor, org.id, { key: text("key"), name: text("name"), definition: definition() }, meta);
      case "draft":
        return svc.saveDraft(ctx.actor, org.id, id, { definition: definition() }, meta);
      case "publish":
        return svc.publishVersion(ctx.actor, org.id, id, text("versionId"), meta);
      default:
        return svc.decideEvidence(ctx.actor, org.id, id, { decision: text("decision"), ...(text("reason") ? { reason: text("reason") } : {}) }, meta);
    }
  }, values);
  if (!r.ok) return data({ ...r.failure, intent, id }, { status: r.status });
  return { ok: true as const, intent, id };
}

export default function PathwayAdmin({ loaderData: d, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const result = actionData as (ActionResult & { intent?: string; id?: string; invalidJson?: boolean; values?: Record<string, string> }) | undefined;
  const errorFor = (intent: string, id = "") =>
    result && !result.ok && result.intent === intent && (result.id ?? "") === id ? (
      result.invalidJson ? (
        <p role="alert" className="error-summary">
          <FormattedMessage id="accreditation.admin.invalidJson" />
        </p>
      ) : (
        <ErrorSummary result={result} />
      )
    ) : null;
  const savedFor = (intent: string, id = "") =>
    result?.ok && result.intent === intent && (result.id ?? "") === id ? (
      <p role="status" className="notice notice--success">
        <FormattedMessage id="accreditation.admin.saved" />
      </p>
    ) : null;
  const failedValues = (intent: string, id = "") => (result && !result.ok && result.intent === intent && (result.id ?? "") === id ? result.values : undefined);
  return (
    <div className="page accreditation-admin">
      <p>
        <Link to={`/o/${d.org.slug}`}>{d.org.name}</Link>{" · "}
        <Link to={`/o/${d.org.slug}/accreditation/credentials`}>
          <FormattedMessage id="credential.admin.link" />
        </Link>
        {d.links.competencies && (
          <>
            {" · "}
            <Link to={`/o/${d.org.slug}/accreditation/competencies`}>
              <FormattedMessage id="competencies.link" />
            </Link>
          </>
        )}
      </p>
      <h1>
        <FormattedMessage id="accreditation.admin.title" />
      </h1>

      <section aria-labelledby="pathways-heading">
        <h2 id="pathways-heading">
          <FormattedMessage id="accreditation.admin.pathways" />
        </h2>
        {d.pathways.canManage && (
          <Form method="post">
            <input type="hidden" name="intent" value="examples" />
            <p className="field__hint">
              <FormattedMessage id="accreditation.admin.examplesHint" />
            </p>
            {errorFor("examples")}
            <button type="submit" className="secondary">
              <FormattedMessage id="accreditation.admin.installExamples" />
            </button>
          </Form>
        )}
        {d.pathways.items.map((p) => {
          const latest = p.versions?.at(-1);
          const draft = p.versions?.filter((v) => v.status === "draft").at(-1);
          const fv = failedValues("draft", p.id);
          return (
            <article key={p.id} className="card">
              <h3>
                {p.name} <code>{p.key}</code>
              </h3>
              {p.published?.definition.example && (
                <p className="notice">
                  <FormattedMessage id="accreditation.example" />
                </p>
              )}
              {p.versions && (
                <ul className="plain">
                  {p.versions.map((v) => (
                    <li key={v.id}>
                      <FormattedMessage id="accreditation.admin.versionLine" values={{ version: v.version, status: v.status }} />
                    </li>
                  ))}
                </ul>
              )}
              {d.pathways.canManage && latest && (
                <>
                  {errorFor("draft", p.id)}
                  {savedFor("draft", p.id)}
                  <Form method="post" className="stack">
                    <input type="hidden" name="intent" value="draft" />
                    <input type="hidden" name="id" value={p.id} />
                    <div className="field">
                      <label htmlFor={`def-${p.id}`}>
                        <FormattedMessage id="accreditation.admin.definition" />
                      </label>
                      <p className="field__hint" id={`def-hint-${p.id}`}>
                        <FormattedMessage id="accreditation.admin.definitionHint" />
                      </p>
                      <textarea id={`def-${p.id}`} name="definition" rows={14} spellCheck={false} aria-describedby={`def-hint-${p.id}`} defaultValue={fv?.["definition"] ?? JSON.stringify(latest.definition, null, 2)} />
                    </div>
                    <button type="submit">
                      <FormattedMessage id="accreditation.admin.saveDraft" />
                    </button>
                  </Form>
                  {draft && (
                    <Form method="post">
                      {errorFor("publish", p.id)}
                      <input type="hidden" name="intent" value="publish" />
                      <input type="hidden" name="id" value={p.id} />
                      <input type="hidden" name="versionId" value={draft.id} />
                      <button type="submit">
                        <FormattedMessage id="accreditation.admin.publish" values={{ version: draft.version }} />
                      </button>
                    </Form>
                  )}
                </>
              )}
            </article>
          );
        })}
        {d.pathways.canManage && (
          <Form method="post" className="stack card">
            <h3>
              <FormattedMessage id="accreditation.admin.new" />
            </h3>
            {errorFor("create")}
            <input type="hidden" name="intent" value="create" />
            <div className="field">
              <label htmlFor="new-key">
                <FormattedMessage id="accreditation.admin.key" />
              </label>
              <input id="new-key" name="key" required pattern="[a-z0-9][a-z0-9-]{0,39}" defaultValue={failedValues("create")?.["key"] ?? ""} />
            </div>
            <div className="field">
              <label htmlFor="new-name">
                <FormattedMessage id="accreditation.admin.name" />
              </label>
              <input id="new-name" name="name" required maxLength={120} defaultValue={failedValues("create")?.["name"] ?? ""} />
            </div>
            <div className="field">
              <label htmlFor="new-def">
                <FormattedMessage id="accreditation.admin.definition" />
              </label>
              <textarea
                id="new-def"
                name="definition"
                rows={10}
                spellCheck={false}
                defaultValue={failedValues("create")?.["definition"] ?? JSON.stringify({ title: "", requirements: [{ id: "lead", kind: "sessions_led", label: "", minCount: 20 }] }, null, 2)}
              />
            </div>
            <button type="submit">
              <FormattedMessage id="accreditation.admin.create" />
            </button>
          </Form>
        )}
      </section>

      {d.candidates && (
        <section aria-labelledby="candidates-heading">
          <h2 id="candidates-heading">
            <FormattedMessage id="accreditation.admin.candidates" />
          </h2>
          {d.candidates.length === 0 ? (
            <p>
              <FormattedMessage id="accreditation.admin.noCandidates" />
            </p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <FormattedMessage id="accreditation.admin.candidate" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="accreditation.admin.pathway" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="accreditation.admin.status" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="accreditation.progress" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="accreditation.projected" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.candidates.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <a href={`/api/v1/orgs/${d.org.id}/accreditation/candidates/${c.id}/portfolio.pdf`}>{c.candidateName}</a>
                    </th>
                    <td>
                      {c.pathwayName} (v{c.version})
                    </td>
                    <td>{c.status}</td>
                    <td>
                      <FormattedMessage id="accreditation.overall" values={{ met: c.evaluation.metCount, total: c.evaluation.requirements.length, percent: c.evaluation.fraction }} />
                    </td>
                    <td>{c.evaluation.projectedDate ? intl.formatDate(c.evaluation.projectedDate, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      {d.queue && (
        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">
            <FormattedMessage id="accreditation.admin.queue" />
          </h2>
          {d.queue.length === 0 ? (
            <p>
              <FormattedMessage id="accreditation.admin.queueEmpty" />
            </p>
          ) : (
            <ul className="plain">
              {d.queue.map((e) => (
                <li key={e.id} className="card">
                  <p>
                    <strong>{e.candidateName}</strong> · {e.occurredOn} · <FormattedMessage id={`accreditation.kind.${e.kind}`} /> · {e.description}
                    {e.hours !== null && ` · ${e.hours} h`}
                    {e.hasFile && (
                      <>
                        {" · "}
                        <a href={`/api/v1/orgs/${d.org.id}/accreditation/evidence/${e.id}/file`}>
                          <FormattedMessage id="accreditation.download" />
                        </a>
                      </>
                    )}
                  </p>
                  {!e.mine && (
                    <Form method="post" className="inline-form">
                      {errorFor("decide", e.id)}
                      <input type="hidden" name="intent" value="decide" />
                      <input type="hidden" name="id" value={e.id} />
                      <div className="field">
                        <label htmlFor={`reason-${e.id}`}>
                          <FormattedMessage id="accreditation.admin.reason" />
                        </label>
                        <input id={`reason-${e.id}`} name="reason" maxLength={300} />
                      </div>
                      <button type="submit" name="decision" value="verify">
                        <FormattedMessage id="accreditation.admin.verify" />
                      </button>{" "}
                      <button type="submit" name="decision" value="reject" className="secondary">
                        <FormattedMessage id="accreditation.admin.reject" />
                      </button>
                    </Form>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
