import { FormattedMessage, useIntl } from "react-intl";
import { Form } from "react-router";
import type { Route } from "./+types/credential-mine";
import { getRequestContext } from "../../../ui/request-context.ts";
import { formAction, formValues } from "../../../ui/actions.ts";
import { ErrorSummary, type ActionResult } from "../../../ui/forms.tsx";
import { loadOr } from "../../organisations/ui/shared.tsx";

// The holder's page: my credentials (download, verification link) and my directory listings.
export function meta() {
  return [{ title: "My credentials · Balint Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  const svc = ctx.services.credentials;
  const [credentials, listings] = await loadOr(request, () => Promise.all([svc.listMine(ctx.actor), svc.myListings(ctx.actor)]));
  return { credentials, listings };
}

export async function action({ request, context }: Route.ActionArgs): Promise<ActionResult> {
  const ctx = getRequestContext(context);
  const form = await request.formData();
  const orgId = String(form.get("organisationId") ?? "");
  const svc = ctx.services.credentials;
  if (form.get("intent") === "remove") {
    return formAction(async () => {
      await svc.removeListing(ctx.actor, orgId, ctx);
      return { ok: true as const, message: "credentialMine.removed" };
    });
  }
  const input = {
    displayName: String(form.get("displayName") ?? ""),
    languages: String(form.get("languages") ?? "")
      .split(/[,\s]+/)
      .map((s) => s.trim())
      .filter(Boolean),
    region: String(form.get("region") ?? ""),
    online: form.get("online") === "on",
    inPerson: form.get("inPerson") === "on",
    openToCoLeading: form.get("openToCoLeading") === "on",
    published: form.get("published") === "on",
  };
  return formAction(async () => {
    await svc.saveListing(ctx.actor, orgId, input, ctx);
    return { ok: true as const, message: "credentialMine.saved" };
  }, formValues(form));
}

export default function MyCredentials({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const { credentials, listings } = loaderData;
  const day = (iso: string) => intl.formatDate(iso, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return (
    <div className="page">
      <h1>
        <FormattedMessage id="credentialMine.title" />
      </h1>
      {actionData?.ok && actionData.message && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id={actionData.message} />
        </div>
      )}
      <ErrorSummary result={actionData} />
      {credentials.length === 0 ? (
        <p>
          <FormattedMessage id="credentialMine.empty" />
        </p>
      ) : (
        <ul className="stack">
          {credentials.map((c) => (
            <li key={c.id} className="card" data-testid="my-credential" data-state={c.state}>
              <strong>{c.achievementName}</strong> — {c.organisationName}
              <p>
                <FormattedMessage id="credentialMine.state" values={{ state: c.state }} /> · {day(c.validFrom)}
                {c.validUntil ? ` – ${day(c.validUntil)}` : ""}
              </p>
              <p>
                <a href={`/api/v1/credentials/${c.id}/download?format=json`} download>
                  <FormattedMessage id="credentialMine.downloadJson" />
                </a>
                {" · "}
                <a href={`/api/v1/credentials/${c.id}/download?format=jwt`} download>
                  <FormattedMessage id="credentialMine.downloadJwt" />
                </a>
                {" · "}
                <a href={`/verify/credential/${c.id}`}>
                  <FormattedMessage id="credentialMine.verifyLink" />
                </a>
              </p>
            </li>
          ))}
        </ul>
      )}
      {listings.map((l) => {
        const v = l.listing;
        const prefix = `listing-${l.organisationId}`;
        return (
          <section key={l.organisationId} className="card" aria-labelledby={`${prefix}-title`}>
            <h2 id={`${prefix}-title`}>
              <FormattedMessage id="credentialMine.listingTitle" values={{ organisation: l.organisationName }} />
            </h2>
            <p>
              <FormattedMessage id="credentialMine.listingIntro" />
            </p>
            {!l.eligible && (
              <p className="notice">
                <FormattedMessage id="credentialMine.notEligible" />
              </p>
            )}
            <Form method="post">
              <input type="hidden" name="organisationId" value={l.organisationId} />
              <label htmlFor={`${prefix}-name`}><FormattedMessage id="credentialMine.displayName" /></label>
              <input id={`${prefix}-name`} name="displayName" required maxLength={120} defaultValue={v?.displayName ?? credentials.find((c) => c.organisationId === l.organisationId)?.holderName ?? ""} />
              <label htmlFor={`${prefix}-languages`}><FormattedMessage id="credentialMine.languages" /></label>
              <input id={`${prefix}-languages`} name="languages" maxLength={80} defaultValue={v?.languages.join(", ") ?? ""} />
              <label htmlFor={`${prefix}-region`}><FormattedMessage id="credentialMine.region" /></label>
              <input id={`${prefix}-region`} name="region" maxLength={80} defaultValue={v?.region ?? ""} />
              {(["online", "inPerson", "openToCoLeading", "published"] as const).map((k) => (
                <div key={k} className="checkbox">
                  <input id={`${prefix}-${k}`} type="checkbox" name={k} defaultChecked={v ? v[k] : false} />
                  <label htmlFor={`${prefix}-${k}`}>
                    <FormattedMessage id={`credentialMine.${k === "openToCoLeading" ? "coLeading" : k}`} />
                  </label>
                </div>
              ))}
              <button type="submit" name="intent" value="save">
                <FormattedMessage id="credentialMine.save" />
              </button>
              {v && (
                <button type="submit" name="intent" value="remove" className="button--secondary">
                  <FormattedMessage id="credentialMine.remove" />
                </button>
              )}
            </Form>
          </section>
        );
      })}
    </div>
  );
}
