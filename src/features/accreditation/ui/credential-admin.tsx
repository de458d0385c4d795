import { FormattedMessage, useIntl } from "react-intl";
import { Form, Link, data } from "react-router";
import type { Route } from "./+types/credential-admin";
import { getRequestContext } from "../../../ui/request-context.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { attempt, loadOr } from "../../organisations/ui/shared.tsx";
import type { RevocationReason } from "../credential-schema.ts";

// The organisation's issued credentials (coordinators and above): state, dates, and revocation with
// a reason code (the status list flips the credential's bit; the holder is emailed; audited).
const REVOCATION_REASONS = ["issued_in_error", "requirements_not_met", "conduct", "holder_request", "superseded", "other"] as const satisfies readonly RevocationReason[];

export function meta() {
  return [{ title: "Credentials · Balint Commons" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const items = await loadOr(request, () => ctx.services.credentials.listForOrganisation(ctx.actor, org.id));
  return { org: { id: org.id, slug: org.slug, name: org.name }, items };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  const org = await loadOr(request, () => ctx.services.organisations.getBySlug(ctx.actor, params.slug));
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  const r = await attempt<unknown>(() => ctx.services.credentials.revoke(ctx.actor, org.id, id, { reason: String(form.get("reason") ?? "") }, ctx));
  if (!r.ok) return data({ ...r.failure, id }, { status: r.status });
  return { ok: true as const, id };
}

export default function CredentialAdmin({ loaderData: d, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const result = actionData as (ActionResult & { id?: string }) | undefined;
  const date = (iso: string | null) => (iso ? intl.formatDate(iso, { day: "numeric", month: "short", year: "numeric" }) : "—");
  return (
    <div className="page">
      <p>
        <Link to={`/o/${d.org.slug}/accreditation`}>
          <FormattedMessage id="credential.admin.back" />
        </Link>
      </p>
      <h1>
        <FormattedMessage id="credential.admin.title" values={{ org: d.org.name }} />
      </h1>
      <p className="lead">
        <FormattedMessage id="credential.admin.lead" />
      </p>
      {result?.ok && (
        <p className="notice notice--success" role="status">
          <FormattedMessage id="credential.admin.revoked" />
        </p>
      )}
      {result && !result.ok && <ErrorSummary result={result} />}
      {d.items.length === 0 ? (
        <p className="empty-state">
          <FormattedMessage id="credential.admin.empty" />
        </p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">
            <FormattedMessage id="credential.admin.title" values={{ org: d.org.name }} />
          </caption>
          <thead>
            <tr>
              <th scope="col"><FormattedMessage id="credential.admin.holder" /></th>
              <th scope="col"><FormattedMessage id="credential.admin.achievement" /></th>
              <th scope="col"><FormattedMessage id="credential.admin.valid" /></th>
              <th scope="col"><FormattedMessage id="credential.admin.state" /></th>
              <th scope="col"><FormattedMessage id="credential.admin.actions" /></th>
            </tr>
          </thead>
          <tbody>
            {d.items.map((c) => (
              <tr key={c.id}>
                <td>{c.holderName}</td>
                <td>{c.achievementName}</td>
                <td>
                  {date(c.validFrom)} – {date(c.validUntil)}
                </td>
                <td>
                  <FormattedMessage id="credential.admin.stateValue" values={{ state: c.state }} />
                  {c.revokedReason && (
                    <>
                      {" "}
                      (<FormattedMessage id="credential.admin.reason" values={{ reason: c.revokedReason }} />)
                    </>
                  )}
                </td>
                <td>
                  <Link to={`/verify/credential/${c.id}`}>
                    <FormattedMessage id="credential.admin.verify" />
                  </Link>
                  {c.state !== "revoked" && (
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="id" value={c.id} />
                      <label>
                        <span className="visually-hidden">
                          <FormattedMessage id="credential.admin.reasonLabel" values={{ holder: c.holderName }} />
                        </span>
                        <select name="reason" required defaultValue="">
                          <option value="" disabled>
                            {intl.formatMessage({ id: "credential.admin.reasonPlaceholder" })}
                          </option>
                          {REVOCATION_REASONS.map((r) => (
                            <option key={r} value={r}>
                              {intl.formatMessage({ id: "credential.admin.reason" }, { reason: r })}
                            </option>
                          ))}
                        </select>
                      </label>{" "}
                      <button type="submit" className="button button--secondary">
                        <FormattedMessage id="credential.admin.revoke" values={{ holder: c.holderName }} />
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
