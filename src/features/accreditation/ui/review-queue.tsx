import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/review-queue";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";

// The accreditation committee's queue (brief Q): open applications; the chair assigns reviewers
// and records the decision; assigned reviewers recommend. Committee members only (403 otherwise).
export function meta() {
  return [{ title: "Accreditation committee · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const [queue, committee] = await loadOr(request, () => Promise.all([ctx.services.accreditationReviews.queue(ctx.actor, org.id), ctx.services.accreditationReviews.committee(ctx.actor, org.id)]));
  return { org: { id: org.id, slug: org.slug, name: org.name }, queue, committee };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "");
  const svc = ctx.services.accreditationReviews;
  const text = (k: string) => String(form.get(k) ?? "");
  const ack = form.get("acknowledgeIdentifiers") === "true" ? { acknowledgeIdentifiers: true } : {};
  const r = await attempt<unknown>(() =>
    intent === "assign"
      ? svc.assignReviewers(ctx.actor, org.id, id, { reviewerUserIds: form.getAll("reviewerUserIds").map(String) }, ctx)
      : intent === "recommend"
        ? svc.recommend(ctx.actor, org.id, id, { recommendation: text("recommendation"), comments: text("comments"), ...ack }, ctx)
        : svc.decide(ctx.actor, org.id, id, { decision: text("decision"), reasons: text("reasons"), ...ack }, ctx),
  );
  if (!r.ok) return data({ ...r.failure, intent, id }, { status: r.status });
  return { ok: true as const, intent, id };
}

const RECS = ["approve", "more_needed", "decline"] as const;

export default function ReviewQueue({ loaderData: d, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const result = actionData as (ActionResult & { intent?: string; id?: string }) | undefined;
  const errorFor = (intent: string, id: string) => (result && !result.ok && result.intent === intent && result.id === id ? <ErrorSummary result={result} /> : null);
  const date = (iso: string | null) => (iso ? intl.formatDate(iso, { day: "numeric", month: "short", year: "numeric" }) : "—");
  const choice = (name: string) => (
    <fieldset>
      {RECS.map((v) => (
        <label key={v} className="radio">
          <input type="radio" name={name} value={v} required /> <FormattedMessage id="review.recommendation" values={{ value: v }} />
        </label>
      ))}
    </fieldset>
  );
  return (
    <div className="page reviews">
      <p>
        <Link to={`/o/${d.org.slug}`}>{d.org.name}</Link>
      </p>
      <h1>
        <FormattedMessage id="review.title" />
      </h1>
      <section aria-labelledby="committee">
        <h2 id="committee">
          <FormattedMessage id="review.committee" />
        </h2>
        <ul>
          {d.committee.members.map((m) => (
            <li key={m.userId}>
              {m.name} · <FormattedMessage id={m.role === "chair" ? "review.chair" : "review.member"} />
            </li>
          ))}
        </ul>
      </section>
      {result?.ok && (
        <p role="status" className="notice">
          <FormattedMessage id="supervision.saved" />
        </p>
      )}
      <section aria-labelledby="open">
        <h2 id="open">
          <FormattedMessage id="review.open" />
        </h2>
        {d.queue.open.length === 0 && (
          <p>
            <FormattedMessage id="review.empty" />
          </p>
        )}
        <ul className="cards">
          {d.queue.open.map((a) => (
            <li key={a.id} className="card">
              <h3>
                <Link to={`/o/${d.org.slug}/accreditation/applications/${a.id}`}>
                  <FormattedMessage id="review.application" values={{ candidate: a.candidate.name, pathway: a.pathwayName, version: a.pathwayVersion }} />
                </Link>
              </h3>
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
              <h4>
                <FormattedMessage id="review.reviewers" />
              </h4>
              <ul>
                {a.reviewers.map((r) => (
                  <li key={r.userId}>
                    {r.name}: {r.recommendation ? <FormattedMessage id="review.recommendation" values={{ value: r.recommendation }} /> : "—"}
                    {r.comments ? ` — ${r.comments}` : ""}
                  </li>
                ))}
              </ul>
              {a.me.isChair && (
                <Form method="post">
                  <input type="hidden" name="intent" value="assign" />
                  <input type="hidden" name="id" value={a.id} />
                  {errorFor("assign", a.id)}
                  <fieldset>
                    <legend>
                      <FormattedMessage id="review.assign" />
                    </legend>
                    {d.committee.members
                      .filter((m) => m.userId !== a.candidate.userId)
                      .map((m) => (
                        <label key={m.userId} className="checkbox">
                          <input type="checkbox" name="reviewerUserIds" value={m.userId} defaultChecked={a.reviewers.some((r) => r.userId === m.userId)} /> {m.name}
                        </label>
                      ))}
                    <button type="submit">
                      <FormattedMessage id="review.assign" />
                    </button>
                  </fieldset>
                </Form>
              )}
              {a.me.isReviewer && !a.me.hasRecommended && a.status === "in_review" && (
                <Form method="post">
                  <input type="hidden" name="intent" value="recommend" />
                  <input type="hidden" name="id" value={a.id} />
                  {errorFor("recommend", a.id)}
                  <h4>
                    <FormattedMessage id="review.recommend" />
                  </h4>
                  {choice("recommendation")}
                  <label>
                    <FormattedMessage id="review.comments" />
                    <textarea name="comments" required maxLength={4000} />
                  </label>
                  <label className="checkbox">
                    <input type="checkbox" name="acknowledgeIdentifiers" value="true" /> <FormattedMessage id="supervision.acknowledge" />
                  </label>
                  <button type="submit">
                    <FormattedMessage id="review.recommend" />
                  </button>
                </Form>
              )}
              {a.me.isChair && a.status === "in_review" && (
                <Form method="post">
                  <input type="hidden" name="intent" value="decide" />
                  <input type="hidden" name="id" value={a.id} />
                  {errorFor("decide", a.id)}
                  <h4>
                    <FormattedMessage id="review.decide" />
                  </h4>
                  {choice("decision")}
                  <label>
                    <FormattedMessage id="review.reasons" />
                    <textarea name="reasons" required maxLength={4000} />
                  </label>
                  <label className="checkbox">
                    <input type="checkbox" name="acknowledgeIdentifiers" value="true" /> <FormattedMessage id="supervision.acknowledge" />
                  </label>
                  <button type="submit">
                    <FormattedMessage id="review.decide" />
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="decided">
        <h2 id="decided">
          <FormattedMessage id="review.decided" />
        </h2>
        <ul>
          {d.queue.decided.map((a) => (
            <li key={a.id}>
              <Link to={`/o/${d.org.slug}/accreditation/applications/${a.id}`}>
                <FormattedMessage id="review.application" values={{ candidate: a.candidate.name, pathway: a.pathwayName, version: a.pathwayVersion }} />
              </Link>{" "}
              · <FormattedMessage id="application.decision" values={{ decision: a.decision ?? "" }} /> · {date(a.decidedAt)}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
