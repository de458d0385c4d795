import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { FormattedMessage, useIntl, type IntlShape } from "react-intl";
import { Form, data, redirect, useNavigation } from "react-router";
import type { Route } from "./+types/tokens";
import { getRequestContext } from "../../../ui/request-context.ts";
import { AccountNav } from "../../../ui/account-nav.tsx";
import { ErrorSummary, FieldMessage, Field, fieldError, type ActionResult } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { PERMISSIONS, ROLE_PERMISSIONS } from "../../../platform/policy/permissions.ts";
import { EXPIRY_CHOICES } from "../schemas.ts";
import stylesUrl from "./tokens.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export function meta() {
  return [{ title: "API tokens · Balint Commons" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const [tokens, memberships] = await Promise.all([ctx.services.apiTokens.listMine(ctx.actor), ctx.services.organisations.switcherFor(ctx.actor)]);
  return {
    tokens,
    now: Date.now(),
    organisations: memberships.map((m) => ({
      id: m.organisationId,
      name: m.name,
      role: m.role,
      permissions: PERMISSIONS.filter((p) => ROLE_PERMISSIONS[m.role].has(p)),
    })),
  };
}

type CreatedData = { token: string; name: string };

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const meta = { ipAddress: ctx.ipAddress, requestId: ctx.requestId };
  if (intent === "revoke") {
    const result = await formAction(() => ctx.services.apiTokens.revoke(ctx.actor, String(form.get("tokenId") ?? ""), meta));
    if (result && typeof result === "object" && "ok" in result) return data(result, { status: 404 });
    return { ok: true as const, intent: "revoke", message: "revoked" };
  }
  const permissions = form.getAll("permissions").map(String);
  const values = { ...formValues(form), permissions: permissions.join(",") };
  const expiry = String(form.get("expiresInDays") ?? "");
  const input = {
    name: String(form.get("name") ?? ""),
    organisationId: String(form.get("organisationId") ?? ""),
    permissions,
    expiresInDays: expiry === "" ? null : Number(expiry),
  };
  const result = await formAction(() => ctx.services.apiTokens.create(ctx.actor, input, meta), values);
  if ("ok" in result && result.ok === false) return data(result, { status: result.fields.length ? 400 : 409 });
  const created = result as Exclude<typeof result, ActionResult>;
  return { ok: true as const, intent: "create", data: { token: created.token, name: created.apiToken.name } satisfies CreatedData };
}

function permissionLabel(intl: IntlShape, permission: string): string {
  const id = `apiTokens.permission.${permission}`;
  return intl.messages[id] ? intl.formatMessage({ id }) : permission;
}

const noSubscription = () => () => {};

function CopyButton({ text }: { text: string }) {
  // False on the server and before hydration: without JavaScript the token stays selectable text.
  const available = useSyncExternalStore(noSubscription, () => Boolean(navigator.clipboard), () => false);
  const [copied, setCopied] = useState(false);
  if (!available) return null;
  return (
    <>
      <button
        type="button"
        className="button--secondary"
        onClick={() => {
          navigator.clipboard.writeText(text).then(
            () => setCopied(true),
            () => setCopied(false),
          );
        }}
      >
        <FormattedMessage id="apiTokens.copy" />
      </button>
      <span role="status" className="copy-status">
        {copied ? <FormattedMessage id="apiTokens.copied" /> : null}
      </span>
    </>
  );
}

function NewToken({ created }: { created: CreatedData }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="notice notice--success new-token" ref={ref} tabIndex={-1} aria-labelledby="new-token-title">
      <h2 id="new-token-title">
        <FormattedMessage id="apiTokens.createdTitle" values={{ name: created.name }} />
      </h2>
      <p>
        <FormattedMessage id="apiTokens.createdOnce" />
      </p>
      <label htmlFor="new-token-value" className="visually-hidden">
        <FormattedMessage id="apiTokens.tokenLabel" />
      </label>
      <div className="new-token__row">
        <input id="new-token-value" className="token-value" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} spellCheck={false} autoComplete="off" />
        <CopyButton text={created.token} />
      </div>
      <p className="field__hint">
        <FormattedMessage id="apiTokens.usage" values={{ header: <code>Authorization: Bearer …</code> }} />
      </p>
    </div>
  );
}

export default function Tokens({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const result = actionData as (ActionResult & { intent?: string; data?: CreatedData }) | undefined;
  const failed = result && !result.ok ? result : undefined;
  const v = failed?.values;
  const { organisations, tokens } = loaderData;
  const [orgId, setOrgId] = useState(v?.["organisationId"] || organisations[0]?.id || "");
  const org = organisations.find((o) => o.id === orgId) ?? organisations[0];
  const chosen = new Set(v ? (v["permissions"] ?? "").split(",") : ["organisation:read"]);
  const created = result?.ok && result.intent === "create" ? result.data : undefined;
  const revoked = result?.ok && result.intent === "revoke";
  const date = (d: Date | string | null) => (d ? intl.formatDate(d, { dateStyle: "medium" }) : null);
  const dateTime = (d: Date | string | null) => (d ? intl.formatDate(d, { dateStyle: "medium", timeStyle: "short" }) : null);
  const now = loaderData.now;

  return (
    <div className="page">
      <AccountNav />
      <h1>
        <FormattedMessage id="apiTokens.title" />
      </h1>
      <p className="lead">
        <FormattedMessage id="apiTokens.intro" />
      </p>
      {created && <NewToken created={created} />}
      {revoked && (
        <div className="notice notice--success" role="status">
          <FormattedMessage id="apiTokens.revoked" />
        </div>
      )}

      <section aria-labelledby="tokens-list">
        <h2 id="tokens-list">
          <FormattedMessage id="apiTokens.listTitle" />
        </h2>
        {tokens.length === 0 ? (
          <p className="empty-state">
            <FormattedMessage id="apiTokens.empty" />
          </p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <caption className="visually-hidden">
                <FormattedMessage id="apiTokens.listTitle" />
              </caption>
              <thead>
                <tr>
                  <th scope="col"><FormattedMessage id="apiTokens.col.name" /></th>
                  <th scope="col"><FormattedMessage id="apiTokens.col.organisation" /></th>
                  <th scope="col"><FormattedMessage id="apiTokens.col.permissions" /></th>
                  <th scope="col"><FormattedMessage id="apiTokens.col.dates" /></th>
                  <th scope="col"><FormattedMessage id="apiTokens.col.status" /></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => {
                  const expired = t.expiresAt !== null && new Date(t.expiresAt).getTime() <= now;
                  return (
                    <tr key={t.id}>
                      <td data-label={intl.formatMessage({ id: "apiTokens.col.name" })}>
                        <strong>{t.name}</strong>
                        <br />
                        <code aria-label={intl.formatMessage({ id: "apiTokens.prefixLabel" })}>{t.prefix}…</code>
                      </td>
                      <td data-label={intl.formatMessage({ id: "apiTokens.col.organisation" })}>{t.organisationName}</td>
                      <td data-label={intl.formatMessage({ id: "apiTokens.col.permissions" })}>
                        <ul className="tag-list">
                          {t.permissions.map((p) => (
                            <li key={p} className="tag">
                              {permissionLabel(intl, p)}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td className="token-dates" data-label={intl.formatMessage({ id: "apiTokens.col.dates" })}>
                        <FormattedMessage id="apiTokens.createdOn" values={{ date: date(t.createdAt) }} />
                        <br />
                        {t.lastUsedAt ? <FormattedMessage id="apiTokens.lastUsed" values={{ date: dateTime(t.lastUsedAt) }} /> : <FormattedMessage id="apiTokens.neverUsed" />}
                        <br />
                        {t.expiresAt ? (
                          <FormattedMessage id={expired ? "apiTokens.expired" : "apiTokens.expires"} values={{ date: date(t.expiresAt) }} />
                        ) : (
                          <FormattedMessage id="apiTokens.noExpiry" />
                        )}
                      </td>
                      <td data-label={intl.formatMessage({ id: "apiTokens.col.status" })}>
                        {t.revokedAt ? (
                          <span className="tag">
                            <FormattedMessage id="apiTokens.status.revoked" />
                          </span>
                        ) : expired ? (
                          <span className="tag">
                            <FormattedMessage id="apiTokens.status.expired" />
                          </span>
                        ) : (
                          <Form method="post">
                            <input type="hidden" name="intent" value="revoke" />
                            <input type="hidden" name="tokenId" value={t.id} />
                            <button type="submit" className="button--danger button--small" aria-label={intl.formatMessage({ id: "apiTokens.revokeNamed" }, { name: t.name })}>
                              <FormattedMessage id="apiTokens.revoke" />
                            </button>
                          </Form>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="create-token" className="card narrow-card">
        <h2 id="create-token">
          <FormattedMessage id="apiTokens.createTitle" />
        </h2>
        {organisations.length === 0 || !org ? (
          <p className="empty-state">
            <FormattedMessage id="apiTokens.noOrganisations" />
          </p>
        ) : (
          <>
            <ErrorSummary result={failed} />
            <Form method="post" noValidate key={created?.token ?? "create"}>
              <input type="hidden" name="intent" value="create" />
              <Field name="name" label={intl.formatMessage({ id: "apiTokens.name" })} hint={intl.formatMessage({ id: "apiTokens.nameHint" })} required maxLength={80} defaultValue={v?.["name"]} error={fieldError(failed, "name")} autoComplete="off" />
              <div className={`field${fieldError(failed, "organisationId") ? " field--error" : ""}`}>
                <label htmlFor="field-organisationId">
                  <FormattedMessage id="apiTokens.organisation" />
                </label>
                {fieldError(failed, "organisationId") && <p className="field__error" id="org-error"><FieldMessage message={fieldError(failed, "organisationId")} /></p>}
                <select id="field-organisationId" name="organisationId" value={org.id} onChange={(e) => setOrgId(e.currentTarget.value)} aria-describedby={fieldError(failed, "organisationId") ? "org-error" : undefined}>
                  {organisations.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </div>
              <fieldset id="field-permissions" className={fieldError(failed, "permissions") ? "field--error" : undefined} aria-describedby="permissions-hint">
                <legend>
                  <FormattedMessage id="apiTokens.permissions" />
                </legend>
                <p className="field__hint" id="permissions-hint">
                  <FormattedMessage id="apiTokens.permissionsHint" values={{ role: intl.formatMessage({ id: `apiTokens.role.${org.role}` }) }} />
                </p>
                {fieldError(failed, "permissions") && <p className="field__error"><FieldMessage message={fieldError(failed, "permissions")} /></p>}
                <ul className="checkbox-list">
                  {org.permissions.map((p) => (
                    <li key={`${org.id}-${p}`}>
                      <label>
                        <input type="checkbox" name="permissions" value={p} defaultChecked={chosen.has(p)} />
                        <span>
                          {permissionLabel(intl, p)} <code className="muted">{p}</code>
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <div className={`field${fieldError(failed, "expiresInDays") ? " field--error" : ""}`}>
                <label htmlFor="field-expiresInDays">
                  <FormattedMessage id="apiTokens.expiry" />
                </label>
                {fieldError(failed, "expiresInDays") && <p className="field__error"><FieldMessage message={fieldError(failed, "expiresInDays")} /></p>}
                <select id="field-expiresInDays" name="expiresInDays" defaultValue={v?.["expiresInDays"] ?? "90"}>
                  {EXPIRY_CHOICES.map((d) => (
                    <option key={d ?? "never"} value={d ?? ""}>
                      {d === null ? intl.formatMessage({ id: "apiTokens.expiryNever" }) : intl.formatMessage({ id: "apiTokens.expiryDays" }, { days: d })}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" disabled={navigation.state === "submitting"}>
                <FormattedMessage id="apiTokens.create" />
              </button>
            </Form>
          </>
        )}
      </section>
    </div>
  );
}
