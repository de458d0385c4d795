import { FormattedMessage, useIntl } from "react-intl";
import { Form, data } from "react-router";
import type { Route } from "./+types/credential-verify";
import { getRequestContext } from "../../../ui/request-context.ts";
import { formAction } from "../../../ui/actions.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import type { VerificationView } from "../credential.service.server.ts";

// Public: check an Open Badges 3.0 credential issued here — by its link, or pasted / uploaded.
// Nothing pasted is stored. Verification: signature (published keys), dates, status list (ADR 018).
export function meta() {
  return [{ title: "Check a credential · Balint Commons" }, { name: "robots", content: "noindex" }];
}

const MAX_UPLOAD = 64_000;

export async function loader({ params, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!params.id) return { result: null as VerificationView | null };
  const result = await ctx.services.credentials.verifyIssued(params.id);
  if (!result) throw data(null, { status: 404 });
  return { result };
}

export async function action({ request, context }: Route.ActionArgs): Promise<ActionResult<VerificationView>> {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  let text = String(form.get("credential") ?? "");
  const file = form.get("file");
  if (!text.trim() && file instanceof File && file.size > 0) {
    if (file.size > MAX_UPLOAD) return { ok: false, message: "The file is too large.", fields: [{ path: "credential", message: "At most 64 KB." }] };
    text = await file.text();
  }
  return formAction(async () => ({ ok: true as const, data: await ctx.services.credentials.verify({ credential: text }) }));
}

export function Verification({ result }: { result: VerificationView }) {
  const intl = useIntl();
  const day = (iso: string | null) => (iso && !Number.isNaN(Date.parse(iso)) ? intl.formatDate(iso, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }) : "—");
  const good = result.status === "valid";
  return (
    <section className={good ? "card notice notice--success" : "card notice"} aria-labelledby="credential-status" data-testid="credential-verification">
      <h2 id="credential-status" data-status={result.status}>
        <FormattedMessage id={`credentialVerify.status.${result.status}`} />
      </h2>
      {result.status !== "malformed" && (
        <>
          {result.unverifiedClaims && (
            <p>
              <FormattedMessage id="credentialVerify.unverified" />
            </p>
          )}
          <dl>
            <dt><FormattedMessage id="credentialVerify.holder" /></dt>
            <dd data-testid="credential-holder">{result.holderName ?? "—"}</dd>
            <dt><FormattedMessage id="credentialVerify.achievement" /></dt>
            <dd>
              {result.achievementName ?? "—"}
              {result.achievementDescription && <p>{result.achievementDescription}</p>}
            </dd>
            <dt><FormattedMessage id="credentialVerify.issuer" /></dt>
            <dd>{result.issuerName ?? "—"}</dd>
            <dt><FormattedMessage id="credentialVerify.validFrom" /></dt>
            <dd>{day(result.validFrom)}</dd>
            <dt><FormattedMessage id="credentialVerify.validUntil" /></dt>
            <dd>{result.validUntil ? day(result.validUntil) : <FormattedMessage id="credentialVerify.noExpiry" />}</dd>
            {result.revokedAt && (
              <>
                <dt><FormattedMessage id="credentialVerify.revokedAt" /></dt>
                <dd>{day(result.revokedAt)}</dd>
              </>
            )}
          </dl>
        </>
      )}
      {!result.unverifiedClaims && (
        <p className="hint">
          <FormattedMessage id="credentialVerify.how" />
        </p>
      )}
    </section>
  );
}

export default function VerifyCredential({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const posted = actionData && actionData.ok ? (actionData.data ?? null) : null;
  const result = posted ?? loaderData.result;
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="credentialVerify.title" />
      </h1>
      {result && <Verification result={result} />}
      <ErrorSummary result={actionData} labels={{ credential: intl.formatMessage({ id: "credentialVerify.paste" }) }} />
      <Form method="post" action="/verify/credential" encType="multipart/form-data" className="card">
        <p>
          <FormattedMessage id="credentialVerify.intro" />
        </p>
        <label htmlFor="field-credential">
          <FormattedMessage id="credentialVerify.paste" />
        </label>
        <textarea id="field-credential" name="credential" rows={6} maxLength={MAX_UPLOAD} spellCheck={false} autoComplete="off" />
        <label htmlFor="field-file">
          <FormattedMessage id="credentialVerify.file" />
        </label>
        <input id="field-file" name="file" type="file" accept=".jwt,.json,application/json,application/vc+jwt,text/plain" />
        <button type="submit">
          <FormattedMessage id="credentialVerify.check" />
        </button>
      </Form>
    </div>
  );
}
