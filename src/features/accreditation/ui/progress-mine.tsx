import { FormattedMessage, useIntl } from "react-intl";
import { Form, data, redirect } from "react-router";
import type { Route } from "./+types/progress-mine";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";
import type { LeftItem } from "../progress.ts";

// /accreditation: my pathways (enrol), progress per requirement with what is left and a projected
// date, my evidence with its status, and the form to add evidence (with an optional upload).
export function meta() {
  return [{ title: "My accreditation · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const svc = ctx.services.accreditation;
  const mine = await loadOr(request, () => svc.myCandidacies(ctx.actor));
  const items = [];
  for (const c of mine.items) items.push(await loadOr(request, () => svc.progress(ctx.actor, c.organisationId, c.id)).then((p) => ({ ...p, organisationName: c.organisationName })));
  const options = await loadOr(request, () => svc.enrolmentOptions(ctx.actor));
  return { items, options: options.items };
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const orgId = String(form.get("organisationId") ?? "");
  const candidateId = String(form.get("candidateId") ?? "");
  const svc = ctx.services.accreditation;
  const meta = { ipAddress: ctx.ipAddress, requestId: ctx.requestId };
  if (intent === "enrol") {
    const r = await attempt(() => svc.enrol(ctx.actor, orgId, { pathwayId: String(form.get("pathwayId") ?? "") }, meta));
    if (!r.ok) return data({ ...r.failure, intent, candidateId }, { status: r.status });
    return { ok: true as const, intent, candidateId };
  }
  if (intent === "withdraw") {
    const r = await attempt(() => svc.withdraw(ctx.actor, orgId, candidateId, meta));
    if (!r.ok) return data({ ...r.failure, intent, candidateId }, { status: r.status });
    return { ok: true as const, intent, candidateId };
  }
  const input: Record<string, unknown> = {};
  for (const k of ["kind", "requirementId", "description", "occurredOn", "hours", "eventKind"]) {
    const v = form.get(k);
    if (typeof v === "string" && v !== "") input[k] = v;
  }
  if (input["kind"] !== "verified_item") delete input["requirementId"];
  if (input["kind"] !== "event_attended") delete input["eventKind"];
  input["finalCredentialing"] = form.get("finalCredentialing") === "on";
  input["acknowledgeFindings"] = form.get("acknowledgeFindings") === "on";
  const file = form.get("file");
  const bytes = file && typeof file !== "string" && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
  const r = await attempt(() => svc.addEvidence(ctx.actor, orgId, candidateId, input, bytes, meta), values);
  if (!r.ok) return data({ ...r.failure, intent, candidateId }, { status: r.status });
  if (r.value.outcome === "findings") return data({ ok: false as const, message: "", fields: [], values, intent, candidateId, findings: r.value.findings.map((f) => f.text) }, { status: 422 });
  return { ok: true as const, intent, candidateId };
}

const KINDS = ["event_attended", "session_attended", "session_led", "supervised_session", "supervision_meeting", "debrief", "membership", "verified_item"] as const;
const EVENT_KINDS = ["intensive", "workshop", "conference", "webinar", "fellowship_cohort", "other"] as const;

export function LeftText({ item }: { item: LeftItem }) {
  const intl = useIntl();
  if (item.what === "competency")
    return <FormattedMessage id="accreditation.left.competency" values={{ competency: item.competency.replaceAll("_", " "), minLevel: item.minLevel, level: item.level ?? intl.formatMessage({ id: "accreditation.notRated" }) }} />;
  if (item.what === "final_event" || item.what === "membership") return <FormattedMessage id={`accreditation.left.${item.what}`} />;
  return <FormattedMessage id={`accreditation.left.${item.what}`} values={{ count: item.count }} />;
}

export default function MyAccreditation({ loaderData: d, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const result = actionData as (ActionResult & { intent?: string; candidateId?: string; findings?: string[]; values?: Record<string, string> }) | undefined;
  const date = (iso: string | null) => (iso ? intl.formatDate(iso, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }) : "—");
  return (
    <div className="page accreditation">
      <h1>
        <FormattedMessage id="accreditation.title" />
      </h1>
      <p>
        <FormattedMessage id="accreditation.intro" />
      </p>
      {result?.intent === "enrol" && <ErrorSummary result={result} />}
      {d.items.length === 0 && (
        <p>
          <FormattedMessage id="accreditation.none" />
        </p>
      )}
      {d.items.map((c) => {
        const mineResult = result && result.candidateId === c.id ? result : undefined;
        const values = mineResult && !mineResult.ok ? (mineResult.values ?? {}) : {};
        const items = c.evaluation.requirements.filter((r) => r.kind === "verified_item");
        return (
          <section key={c.id} className="card" aria-labelledby={`cand-${c.id}`}>
            <h2 id={`cand-${c.id}`}>{c.title}</h2>
            <p>
              <FormattedMessage id="accreditation.version" values={{ organisation: c.organisationName, version: c.version, status: c.status }} />
            </p>
            {c.example && (
              <p className="notice">
                <FormattedMessage id="accreditation.example" />
              </p>
            )}
            <p>
              <strong>
                <FormattedMessage id="accreditation.overall" values={{ met: c.evaluation.metCount, total: c.evaluation.requirements.length, percent: c.evaluation.fraction }} />
              </strong>
              {c.evaluation.projectedDate && (
                <>
                  {" · "}
                  <FormattedMessage id="accreditation.projectedOverall" values={{ date: date(c.evaluation.projectedDate) }} />
                </>
              )}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">
                    <FormattedMessage id="accreditation.requirement" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="accreditation.progress" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="accreditation.left" />
                  </th>
                  <th scope="col">
                    <FormattedMessage id="accreditation.projected" />
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.evaluation.requirements.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.label}</th>
                    <td>
                      <progress max={r.required} value={Math.min(r.done, r.required)} aria-hidden="true" /> <FormattedMessage id="accreditation.doneOf" values={{ done: r.done, required: r.required }} />
                    </td>
                    <td>
                      {r.met ? (
                        <FormattedMessage id="accreditation.met" />
                      ) : (
                        <ul className="plain">
                          {r.left.map((l, i) => (
                            <li key={i}>
                              <LeftText item={l} />
                            </li>
                          ))}
                        </ul>
                      )}
                      {r.gaps && r.gaps.length > 0 && (
                        <p className="field__hint">
                          <FormattedMessage id="accreditation.gaps" values={{ count: r.gaps.length }} />
                        </p>
                      )}
                    </td>
                    <td>{r.met ? "—" : date(r.projectedDate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              <a href={`/api/v1/orgs/${c.organisationId}/accreditation/candidates/${c.id}/portfolio.pdf`} download>
                <FormattedMessage id="accreditation.portfolio" />
              </a>
            </p>

            <h3>
              <FormattedMessage id="accreditation.evidenceTitle" />
            </h3>
            {c.evidence.length === 0 ? (
              <p>
                <FormattedMessage id="accreditation.noEvidence" />
              </p>
            ) : (
              <ul>
                {c.evidence.map((e) => (
                  <li key={e.id}>
                    {date(e.occurredOn)} · <FormattedMessage id={`accreditation.kind.${e.kind}`} /> · {e.description} · <FormattedMessage id="accreditation.evidenceStatus" values={{ status: e.status }} />
                    {e.reason && (
                      <>
                        {" · "}
                        <FormattedMessage id="accreditation.rejectedBecause" values={{ reason: e.reason }} />
                      </>
                    )}
                    {e.hasFile && (
                      <>
                        {" · "}
                        <a href={`/api/v1/orgs/${c.organisationId}/accreditation/evidence/${e.id}/file`}>
                          <FormattedMessage id="accreditation.download" />
                        </a>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}

            {(c.status === "active" || c.status === "applied") && (
              <Form method="post" encType="multipart/form-data" className="stack">
                <h3>
                  <FormattedMessage id="accreditation.addEvidence" />
                </h3>
                <p className="field__hint">
                  <FormattedMessage id="accreditation.evidenceHint" />
                </p>
                {mineResult?.intent === "evidence" && mineResult.ok && (
                  <p role="status" className="notice notice--success">
                    <FormattedMessage id="accreditation.added" />
                  </p>
                )}
                {mineResult?.intent === "evidence" && !mineResult.ok && mineResult.findings && (
                  <p role="alert" className="error-summary">
                    <FormattedMessage id="accreditation.findings" values={{ found: mineResult.findings.join(", ") }} />
                  </p>
                )}
                {mineResult?.intent === "evidence" && !mineResult.ok && !mineResult.findings && <ErrorSummary result={mineResult} />}
                <input type="hidden" name="intent" value="evidence" />
                <input type="hidden" name="organisationId" value={c.organisationId} />
                <input type="hidden" name="candidateId" value={c.id} />
                <div className="field">
                  <label htmlFor={`kind-${c.id}`}>
                    <FormattedMessage id="accreditation.kind" />
                  </label>
                  <select id={`kind-${c.id}`} name="kind" defaultValue={values["kind"] ?? "event_attended"}>
                    {KINDS.map((k) => (
                      <option key={k} value={k}>
                        {intl.formatMessage({ id: `accreditation.kind.${k}` })}
                      </option>
                    ))}
                  </select>
                </div>
                {items.length > 0 && (
                  <div className="field">
                    <label htmlFor={`req-${c.id}`}>
                      <FormattedMessage id="accreditation.requirementId" />
                    </label>
                    <select id={`req-${c.id}`} name="requirementId" defaultValue={values["requirementId"] ?? items[0]!.id}>
                      {items.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.label}
                        </option>
                      ))}
                    </select>
                  </div>
                )}
                <div className="field">
                  <label htmlFor={`desc-${c.id}`}>
                    <FormattedMessage id="accreditation.description" />
                  </label>
                  <input id={`desc-${c.id}`} name="description" required maxLength={200} defaultValue={values["description"] ?? ""} />
                </div>
                <div className="field">
                  <label htmlFor={`date-${c.id}`}>
                    <FormattedMessage id="accreditation.occurredOn" />
                  </label>
                  <input id={`date-${c.id}`} name="occurredOn" type="date" required defaultValue={values["occurredOn"] ?? ""} />
                </div>
                <div className="field">
                  <label htmlFor={`hours-${c.id}`}>
                    <FormattedMessage id="accreditation.hours" />
                  </label>
                  <input id={`hours-${c.id}`} name="hours" type="number" min={0} max={1000} step={0.25} defaultValue={values["hours"] ?? ""} />
                </div>
                <div className="field">
                  <label htmlFor={`ek-${c.id}`}>
                    <FormattedMessage id="accreditation.eventKind" />
                  </label>
                  <select id={`ek-${c.id}`} name="eventKind" defaultValue={values["eventKind"] ?? "intensive"}>
                    {EVENT_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {k.replaceAll("_", " ")}
                      </option>
                    ))}
                  </select>
                </div>
                <label className="checkbox">
                  <input type="checkbox" name="finalCredentialing" /> <FormattedMessage id="accreditation.final" />
                </label>
                <div className="field">
                  <label htmlFor={`file-${c.id}`}>
                    <FormattedMessage id="accreditation.file" />
                  </label>
                  <input id={`file-${c.id}`} name="file" type="file" accept="application/pdf,image/png,image/jpeg" />
                </div>
                {mineResult && !mineResult.ok && mineResult.findings && (
                  <label className="checkbox">
                    <input type="checkbox" name="acknowledgeFindings" /> <FormattedMessage id="accreditation.acknowledge" />
                  </label>
                )}
                <button type="submit">
                  <FormattedMessage id="accreditation.addEvidence" />
                </button>
              </Form>
            )}
            {c.status === "active" && (
              <Form method="post">
                <input type="hidden" name="intent" value="withdraw" />
                <input type="hidden" name="organisationId" value={c.organisationId} />
                <input type="hidden" name="candidateId" value={c.id} />
                <button type="submit" className="secondary">
                  <FormattedMessage id="accreditation.withdraw" />
                </button>
              </Form>
            )}
          </section>
        );
      })}

      <section aria-labelledby="enrol-heading">
        <h2 id="enrol-heading">
          <FormattedMessage id="accreditation.enrolTitle" />
        </h2>
        {d.options.length === 0 ? (
          <p>
            <FormattedMessage id="accreditation.noPathways" />
          </p>
        ) : (
          <ul className="plain">
            {d.options.map((o) => (
              <li key={o.pathwayId} className="card">
                <h3>
                  {o.name} <small>({o.organisationName})</small>
                </h3>
                {o.example && (
                  <p className="notice">
                    <FormattedMessage id="accreditation.example" />
                  </p>
                )}
                <ul>
                  {o.requirements.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
                <Form method="post">
                  <input type="hidden" name="intent" value="enrol" />
                  <input type="hidden" name="organisationId" value={o.organisationId} />
                  <input type="hidden" name="pathwayId" value={o.pathwayId} />
                  <button type="submit">
                    <FormattedMessage id="accreditation.enrol" />
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
