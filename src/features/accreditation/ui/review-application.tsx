import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data, redirect } from "react-router";
import type { Route } from "./+types/review-application";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";

// The candidate's application page (brief Q). Without :applicationId: my candidacies in this
// organisation with an "apply" form (explanation required when requirements are not all met) and
// my applications. With it: one application (the candidate, or committee members).
export function meta() {
  return [{ title: "Accreditation application · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const svc = ctx.services.accreditationReviews;
  if (params.applicationId) {
    const one = await loadOr(request, () => svc.get(ctx.actor, org.id, params.applicationId!));
    return { org: { id: org.id, slug: org.slug, name: org.name }, one, mine: [], candidacies: [] };
  }
  const [mine, candidacies] = await loadOr(request, () => Promise.all([svc.myApplications(ctx.actor, org.id), ctx.services.accreditation.myCandidacies(ctx.actor)]));
  return {
    org: { id: org.id, slug: org.slug, name: org.name },
    one: null,
    mine,
    candidacies: candidacies.items.filter((c) => c.organisationId === org.id).map((c) => ({ id: c.id, pathwayName: c.pathwayName, version: c.version, status: c.status, met: Boolean((c as { evaluation?: { met?: boolean } }).evaluation?.met) })),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "apply");
  const svc = ctx.services.accreditationReviews;
  const values = { explanation: String(form.get("explanation") ?? ""), candidateId: String(form.get("candidateId") ?? "") };
  const r = await attempt(
    () =>
      intent === "withdraw"
        ? svc.withdraw(ctx.actor, org.id, String(form.get("id") ?? ""), ctx)
        : svc.apply(ctx.actor, org.id, { candidateId: values.candidateId, explanation: values.explanation || undefined, ...(form.get("acknowledgeIdentifiers") === "true" ? { acknowledgeIdentifiers: true } : {}) }, ctx),
    values,
  );
  if (!r.ok) return data(r.failure, { status: r.status });
  if (intent === "apply") throw redirect(`/o/${org.slug}/accreditation/applications/${r.value.id}`);
  return { ok: true as const };
}

type App = NonNullable<Route.ComponentProps["loaderData"]["one"]>;

function ApplicationCard({ a, slug }: { a: App; slug: string }) {
  const intl = useIntl();
  const date = (iso: string | null) => (iso ? intl.formatDate(iso, { day: "numeric", month: "long", year: "numeric" }) : "—");
  return (
    <article className="card">
      <h2>
        <FormattedMessage id="review.application" values={{ candidate: a.candidate.name, pathway: a.pathwayName, version: a.pathwayVersion }} />
      </h2>
      <p>
        <FormattedMessage id="review.status" values={{ status: a.status }} /> · {date(a.submittedAt)} · <FormattedMessage id="review.met" values={{ met: String(a.requirementsMet) }} />
      </p>
      {a.explanation && (
        <p>
          <strong>
            <FormattedMessage id="review.explanation" />:
          </strong>{" "}
          {a.explanation}
        </p>
      )}
      {a.decision && (
        <>
          <p>
            <strong>
              <FormattedMessage id="application.decision" values={{ decision: a.decision }} />
            </strong>{" "}
            ({date(a.decidedAt)})
          </p>
          <p>{a.decisionReasons}</p>
          {a.credentialId && (
            <p>
              <Link to="/account/credentials">/account/credentials</Link>
            </p>
          )}
        </>
      )}
      {a.reviewers.length > 0 && (
        <ul>
          {a.reviewers.map((r) => (
            <li key={r.userId}>
              {r.name}: {r.recommendation ? <FormattedMessage id="review.recommendation" values={{ value: r.recommendation }} /> : "—"}
              {r.comments ? ` — ${r.comments}` : ""}
            </li>
          ))}
        </ul>
      )}
      {a.me.isCandidate && (a.status === "submitted" || a.status === "in_review") && (
        <Form method="post" action={`/o/${slug}/accreditation/applications`}>
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="id" value={a.id} />
          <button type="submit" className="secondary">
            <FormattedMessage id="application.withdraw" />
          </button>
        </Form>
      )}
    </article>
  );
}

export default function ApplicationPage({ loaderData: d, actionData }: Route.ComponentProps) {
  const result = actionData as ActionResult | undefined;
  const failed = result && !result.ok ? result : undefined;
  const open = d.candidacies.filter((c) => c.status === "active");
  return (
    <div className="page narrow application">
      <p>
        <Link to={`/accreditation/supervision?org=${d.org.slug}`}>
          <FormattedMessage id="supervision.title" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="application.title" />
      </h1>
      {d.one ? (
        <ApplicationCard a={d.one} slug={d.org.slug} />
      ) : (
        <>
          {d.mine.length === 0 && (
            <p>
              <FormattedMessage id="application.none" />
            </p>
          )}
          {d.mine.map((a) => (
            <ApplicationCard key={a.id} a={a} slug={d.org.slug} />
          ))}
          {open.length > 0 && (
            <Form method="post">
              <input type="hidden" name="intent" value="apply" />
              <ErrorSummary result={failed} />
              <label>
                <FormattedMessage id="application.candidateId" />
                <select name="candidateId" defaultValue={failed?.values?.["candidateId"] ?? open[0]!.id}>
                  {open.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.pathwayName} (v{c.version})
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <FormattedMessage id="application.explanation" />
                <textarea name="explanation" maxLength={2000} defaultValue={failed?.values?.["explanation"] ?? ""} aria-invalid={fieldError(failed, "explanation") ? true : undefined} />
              </label>
              <label className="checkbox">
                <input type="checkbox" name="acknowledgeIdentifiers" value="true" /> <FormattedMessage id="supervision.acknowledge" />
              </label>
              <button type="submit">
                <FormattedMessage id="application.apply" />
              </button>
            </Form>
          )}
        </>
      )}
    </div>
  );
}
