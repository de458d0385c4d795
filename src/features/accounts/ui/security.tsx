import { useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Form, data, redirect, useNavigation, useRevalidator } from "react-router";
import type { Route } from "./+types/security";
import { getRequestContext } from "../../../ui/request-context.ts";
import { AccountNav } from "../../../ui/account-nav.tsx";
import { ErrorSummary, Field, fieldError, type ActionFailure } from "../../../ui/forms.tsx";
import { formAction, formValues } from "../../../ui/actions.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { cookieHeaders, isFailure, renameFields } from "./helpers.ts";
import { QrCode } from "./qr-code.tsx";
import { useHydrated, usePasskeySupport } from "./hooks.ts";
import accountsCss from "./accounts.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: accountsCss }];

export function meta() {
  return [{ title: "Security · Balint Commons" }];
}

const SIGN_IN = `/sign-in?redirectTo=${encodeURIComponent("/account/security")}`;

export async function loader({ context }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(SIGN_IN);
  try {
    const [sessions, passkeys] = await Promise.all([ctx.services.accounts.listSessions(ctx), ctx.services.accounts.listPasskeys(ctx)]);
    return { email: ctx.user.email, emailVerified: ctx.user.emailVerified, twoFactorEnabled: ctx.user.twoFactorEnabled, sessions, passkeys };
  } catch (error) {
    if (isAppError(error) && error.code === "unauthenticated") throw redirect(SIGN_IN);
    throw error;
  }
}

type Intent =
  | "resendVerification"
  | "changePassword"
  | "startTwoFactor"
  | "confirmTwoFactor"
  | "disableTwoFactor"
  | "regenerateCodes"
  | "renamePasskey"
  | "deletePasskey"
  | "revokeSession"
  | "revokeOthers";

interface ActionData {
  intent: Intent;
  ok: boolean;
  message?: string;
  fields?: ActionFailure["fields"];
  values?: Record<string, string>;
  notice?: string;
  setup?: { totpURI: string; secret: string };
  recoveryCodes?: string[];
}

export async function action({ request, context }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(SIGN_IN);
  const form = await request.formData();
  const values = formValues(form, ["currentPassword", "newPassword", "tfaPassword", "disablePassword", "codesPassword"]);
  const intent = values["intent"] as Intent;
  const secret = (name: string) => String(form.get(name) ?? "");
  const accounts = ctx.services.accounts;
  const fail = (result: ActionFailure, rename: Record<string, string> = {}) =>
    data({ intent, ...renameFields(result, rename) } satisfies ActionData, { status: result.fields.length ? 400 : 409 });

  switch (intent) {
    case "resendVerification": {
      const r = await formAction(() => accounts.resendVerification(ctx));
      if (isFailure(r)) return fail(r);
      return { intent, ok: true, notice: "verificationSent" } satisfies ActionData;
    }
    case "changePassword": {
      const r = await formAction(
        () => accounts.changePassword(ctx, { currentPassword: secret("currentPassword"), newPassword: secret("newPassword"), revokeOtherSessions: form.get("revokeOtherSessions") === "on" }),
        values,
      );
      if (isFailure(r)) return fail(r);
      return data({ intent, ok: true, notice: "passwordChanged" } satisfies ActionData, { headers: cookieHeaders(r.cookies) });
    }
    case "startTwoFactor": {
      const r = await formAction(() => accounts.startTwoFactor(ctx, { password: secret("tfaPassword") }), values);
      if (isFailure(r)) return fail(r, { password: "tfaPassword" });
      return { intent, ok: true, setup: r } satisfies ActionData;
    }
    case "confirmTwoFactor": {
      const r = await formAction(() => accounts.confirmTwoFactor(ctx, { code: values["tfaCode"] ?? "" }), values);
      if (isFailure(r)) return fail(r, { code: "tfaCode" });
      return data({ intent, ok: true, recoveryCodes: r.data.recoveryCodes } satisfies ActionData, { headers: cookieHeaders(r.cookies) });
    }
    case "disableTwoFactor": {
      const r = await formAction(() => accounts.disableTwoFactor(ctx, { password: secret("disablePassword") }), values);
      if (isFailure(r)) return fail(r, { password: "disablePassword" });
      return data({ intent, ok: true, notice: "twoFactorDisabled" } satisfies ActionData, { headers: cookieHeaders(r.cookies) });
    }
    case "regenerateCodes": {
      const r = await formAction(() => accounts.regenerateRecoveryCodes(ctx, { password: secret("codesPassword") }), values);
      if (isFailure(r)) return fail(r, { password: "codesPassword" });
      return { intent, ok: true, recoveryCodes: r.recoveryCodes } satisfies ActionData;
    }
    case "renamePasskey": {
      const r = await formAction(() => accounts.renamePasskey(ctx, { id: values["id"] ?? "", name: values["passkeyName"] ?? "" }), values);
      if (isFailure(r)) return fail(r, { name: "passkeyName" });
      return { intent, ok: true, notice: "passkeyRenamed" } satisfies ActionData;
    }
    case "deletePasskey": {
      const r = await formAction(() => accounts.deletePasskey(ctx, { id: values["id"] ?? "" }), values);
      if (isFailure(r)) return fail(r);
      return { intent, ok: true, notice: "passkeyDeleted" } satisfies ActionData;
    }
    case "revokeSession": {
      const r = await formAction(() => accounts.revokeSession(ctx, { sessionId: values["sessionId"] ?? "" }), values);
      if (isFailure(r)) return fail(r);
      if (r.data.signedOut) return redirect("/sign-in", { headers: cookieHeaders(r.cookies) });
      return { intent, ok: true, notice: "sessionRevoked" } satisfies ActionData;
    }
    case "revokeOthers": {
      const r = await formAction(() => accounts.revokeOtherSessions(ctx));
      if (isFailure(r)) return fail(r);
      return { intent, ok: true, notice: "othersRevoked" } satisfies ActionData;
    }
    default:
      throw data(null, { status: 400 });
  }
}

/** Success line, announced politely and focused so keyboard users land on it. */
function Notice({ id }: { id: string }) {
  return (
    <div className="notice notice--success" role="status" tabIndex={-1} ref={(el) => el?.focus()}>
      <FormattedMessage id={`accounts.security.notice.${id}`} />
    </div>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const intl = useIntl();
  const hydrated = useHydrated();
  const text = `${intl.formatMessage({ id: "accounts.security.codesFileHeading" })}\n\n${codes.join("\n")}\n`;
  return (
    <div className="card" role="region" aria-labelledby="recovery-codes-title">
      <h3 id="recovery-codes-title" tabIndex={-1} ref={(el) => el?.focus()}>
        <FormattedMessage id="accounts.security.codesTitle" />
      </h3>
      <p>
        <FormattedMessage id="accounts.security.codesIntro" />
      </p>
      <ul className="recovery-codes" aria-label={intl.formatMessage({ id: "accounts.security.codesTitle" })}>
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="actions no-print">
        <a className="button button--secondary" href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="balint-commons-recovery-codes.txt">
          <FormattedMessage id="accounts.security.codesDownload" />
        </a>
        {hydrated && (
          <button type="button" className="button button--secondary" onClick={() => window.print()}>
            <FormattedMessage id="accounts.security.codesPrint" />
          </button>
        )}
      </div>
    </div>
  );
}

function AddPasskey() {
  const intl = useIntl();
  const revalidator = useRevalidator();
  const supported = usePasskeySupport();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  if (!supported) {
    return (
      <p className="field__hint">
        <FormattedMessage id="accounts.security.passkeyNeedsJs" />
      </p>
    );
  }
  async function add() {
    setBusy(true);
    setStatus(null);
    try {
      const { createBrowserAuthClient } = await import("../../../ui/auth-client.ts");
      const result = await createBrowserAuthClient().passkey.addPasskey({ name: name.trim() || undefined });
      if (result?.error) {
        const code = (result.error as { code?: string }).code;
        setStatus({ ok: false, text: intl.formatMessage({ id: code === "SESSION_NOT_FRESH" ? "accounts.error.signInAgain" : "accounts.security.passkeyAddFailed" }) });
        return;
      }
      setName("");
      setStatus({ ok: true, text: intl.formatMessage({ id: "accounts.security.notice.passkeyAdded" }) });
      await revalidator.revalidate();
    } catch {
      setStatus({ ok: false, text: intl.formatMessage({ id: "accounts.security.passkeyAddFailed" }) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="new-passkey-name">
            <FormattedMessage id="accounts.security.passkeyNewName" />
          </label>
          <input id="new-passkey-name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </div>
        <button type="button" className="button" onClick={add} disabled={busy}>
          <FormattedMessage id={busy ? "accounts.security.passkeyAdding" : "accounts.security.passkeyAdd"} />
        </button>
      </div>
      {status && (
        <p className={status.ok ? "notice notice--success" : "notice notice--warning"} role={status.ok ? "status" : "alert"}>
          {status.text}
        </p>
      )}
    </div>
  );
}

export default function Security({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const a = actionData as ActionData | undefined;
  const failure = (intent: Intent) => (a && !a.ok && a.intent === intent ? ({ ok: false, message: a.message ?? "", fields: a.fields ?? [], values: a.values } satisfies ActionFailure) : undefined);
  const notice = (intent: Intent) => (a?.ok && a.intent === intent && a.notice ? <Notice id={a.notice} /> : null);
  const dateTime = (iso: string | null) => (iso ? intl.formatDate(iso, { dateStyle: "medium", timeStyle: "short" }) : "—");

  // Two-step set-up in progress: just started, or a wrong confirmation code (the URI comes back).
  const confirmFailure = failure("confirmTwoFactor");
  const setup = a?.ok && a.setup ? a.setup : confirmFailure?.values?.["totpURI"] ? { totpURI: confirmFailure.values["totpURI"], secret: confirmFailure.values["secret"] ?? "" } : null;
  const codes = a?.ok && a.recoveryCodes ? a.recoveryCodes : null;
  const twoFactorOn = loaderData.twoFactorEnabled || Boolean(a?.ok && a.intent === "confirmTwoFactor");

  return (
    <div className="page">
      <h1>
        <FormattedMessage id="common.account" />
      </h1>
      <AccountNav />
      <div className="narrow">
        <h2 className="visually-hidden">
          <FormattedMessage id="common.security" />
        </h2>

        {!loaderData.emailVerified && (
          <section className="card security-section" aria-labelledby="email-title">
            <h2 id="email-title">
              <FormattedMessage id="accounts.security.emailTitle" />
            </h2>
            <p>
              <FormattedMessage id="accounts.security.emailUnverified" values={{ email: <strong>{loaderData.email}</strong> }} />
            </p>
            {notice("resendVerification")}
            <ErrorSummary result={failure("resendVerification")} />
            <Form method="post">
              <input type="hidden" name="intent" value="resendVerification" />
              <button type="submit" className="button button--secondary" disabled={busy}>
                <FormattedMessage id="accounts.verify.resend" />
              </button>
            </Form>
          </section>
        )}

        <section className="card security-section" aria-labelledby="password-title">
          <h2 id="password-title">
            <FormattedMessage id="accounts.security.passwordTitle" />
          </h2>
          {notice("changePassword")}
          <ErrorSummary result={failure("changePassword")} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="changePassword" />
            {/* Lets password managers know whose password this is. */}
            <input type="email" name="username" autoComplete="username" value={loaderData.email} readOnly hidden />
            <Field name="currentPassword" type="password" label={intl.formatMessage({ id: "accounts.field.currentPassword" })} required error={fieldError(failure("changePassword"), "currentPassword")} autoComplete="current-password" />
            <Field
              name="newPassword"
              type="password"
              label={intl.formatMessage({ id: "accounts.field.newPassword" })}
              hint={intl.formatMessage({ id: "accounts.passwordHint" })}
              required
              minLength={10}
              maxLength={128}
              error={fieldError(failure("changePassword"), "newPassword")}
              autoComplete="new-password"
            />
            <div className="checkbox-field">
              <input type="checkbox" id="field-revokeOtherSessions" name="revokeOtherSessions" defaultChecked />
              <label htmlFor="field-revokeOtherSessions">
                <FormattedMessage id="accounts.security.revokeOthersOnChange" />
              </label>
            </div>
            <button type="submit" className="button" disabled={busy}>
              <FormattedMessage id="accounts.security.changePassword" />
            </button>
          </Form>
        </section>

        <section className="card security-section" aria-labelledby="tfa-title">
          <h2 id="tfa-title">
            <FormattedMessage id="accounts.security.twoFactorTitle" />
          </h2>
          <p className="status">
            <span className={`tag ${twoFactorOn ? "tag--on" : "tag--off"}`}>
              <FormattedMessage id={twoFactorOn ? "accounts.security.on" : "accounts.security.off"} />
            </span>
            <FormattedMessage id="accounts.security.twoFactorIntro" />
          </p>
          {notice("disableTwoFactor")}
          {codes && <RecoveryCodes codes={codes} />}

          {!twoFactorOn && !setup && (
            <>
              <ErrorSummary result={failure("startTwoFactor")} />
              <Form method="post" noValidate className="inline-form">
                <input type="hidden" name="intent" value="startTwoFactor" />
                <input type="email" name="username" autoComplete="username" value={loaderData.email} readOnly hidden />
                <Field name="tfaPassword" type="password" label={intl.formatMessage({ id: "accounts.security.confirmPassword" })} required error={fieldError(failure("startTwoFactor"), "tfaPassword")} autoComplete="current-password" />
                <button type="submit" className="button" disabled={busy}>
                  <FormattedMessage id="accounts.security.twoFactorStart" />
                </button>
              </Form>
            </>
          )}

          {!twoFactorOn && setup && (
            <div role="region" aria-labelledby="tfa-setup-title">
              <h3 id="tfa-setup-title" tabIndex={-1} ref={(el) => (a?.intent === "startTwoFactor" ? el?.focus() : undefined)}>
                <FormattedMessage id="accounts.security.setupTitle" />
              </h3>
              <div className="setup-steps">
                <QrCode value={setup.totpURI} label={intl.formatMessage({ id: "accounts.security.qrLabel" })} />
                <div>
                  <p>
                    <FormattedMessage id="accounts.security.setupScan" />
                  </p>
                  <p>
                    <FormattedMessage id="accounts.security.setupManual" />
                  </p>
                  <p>
                    <code className="secret" aria-label={intl.formatMessage({ id: "accounts.security.secretLabel" })}>
                      {setup.secret.replace(/(.{4})/g, "$1 ").trim()}
                    </code>
                  </p>
                </div>
              </div>
              <ErrorSummary result={confirmFailure} />
              <Form method="post" noValidate className="inline-form">
                <input type="hidden" name="intent" value="confirmTwoFactor" />
                <input type="hidden" name="totpURI" value={setup.totpURI} />
                <input type="hidden" name="secret" value={setup.secret} />
                <Field
                  name="tfaCode"
                  label={intl.formatMessage({ id: "accounts.security.setupCode" })}
                  required
                  error={fieldError(confirmFailure, "tfaCode")}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  pattern="[0-9 ]*"
                  maxLength={7}
                  spellCheck={false}
                />
                <button type="submit" className="button" disabled={busy}>
                  <FormattedMessage id="accounts.security.setupConfirm" />
                </button>
              </Form>
            </div>
          )}

          {twoFactorOn && (
            <>
              <details className="more" open={a?.intent === "regenerateCodes" && !a.ok}>
                <summary>
                  <FormattedMessage id="accounts.security.codesRegenerate" />
                </summary>
                <p>
                  <FormattedMessage id="accounts.security.codesRegenerateHint" />
                </p>
                <ErrorSummary result={failure("regenerateCodes")} />
                <Form method="post" noValidate className="inline-form">
                  <input type="hidden" name="intent" value="regenerateCodes" />
                  <input type="email" name="username" autoComplete="username" value={loaderData.email} readOnly hidden />
                  <Field name="codesPassword" type="password" label={intl.formatMessage({ id: "accounts.security.confirmPassword" })} required error={fieldError(failure("regenerateCodes"), "codesPassword")} autoComplete="current-password" />
                  <button type="submit" className="button button--secondary" disabled={busy}>
                    <FormattedMessage id="accounts.security.codesRegenerateSubmit" />
                  </button>
                </Form>
              </details>
              <details className="more" open={a?.intent === "disableTwoFactor" && !a.ok}>
                <summary>
                  <FormattedMessage id="accounts.security.twoFactorDisable" />
                </summary>
                <p>
                  <FormattedMessage id="accounts.security.twoFactorDisableHint" />
                </p>
                <ErrorSummary result={failure("disableTwoFactor")} />
                <Form method="post" noValidate className="inline-form">
                  <input type="hidden" name="intent" value="disableTwoFactor" />
                  <input type="email" name="username" autoComplete="username" value={loaderData.email} readOnly hidden />
                  <Field name="disablePassword" type="password" label={intl.formatMessage({ id: "accounts.security.confirmPassword" })} required error={fieldError(failure("disableTwoFactor"), "disablePassword")} autoComplete="current-password" />
                  <button type="submit" className="button button--danger" disabled={busy}>
                    <FormattedMessage id="accounts.security.twoFactorDisableSubmit" />
                  </button>
                </Form>
              </details>
            </>
          )}
        </section>

        <section className="card security-section" aria-labelledby="passkeys-title">
          <h2 id="passkeys-title">
            <FormattedMessage id="accounts.security.passkeysTitle" />
          </h2>
          <p>
            <FormattedMessage id="accounts.security.passkeysIntro" />
          </p>
          {notice("renamePasskey")}
          {notice("deletePasskey")}
          <ErrorSummary result={failure("deletePasskey")} />
          {loaderData.passkeys.length === 0 ? (
            <p className="empty-state">
              <FormattedMessage id="accounts.security.passkeysEmpty" />
            </p>
          ) : (
            <ul className="item-list">
              {loaderData.passkeys.map((p) => {
                const renameFailure = failure("renamePasskey")?.values?.["id"] === p.id ? failure("renamePasskey") : undefined;
                return (
                  <li key={p.id}>
                    <div className="item-title">{p.name || intl.formatMessage({ id: "accounts.security.passkeyUnnamed" })}</div>
                    <p className="item-meta">
                      <FormattedMessage id="accounts.security.passkeyAdded" values={{ when: dateTime(p.createdAt) }} />
                      {p.backedUp && (
                        <>
                          {" · "}
                          <FormattedMessage id="accounts.security.passkeySynced" />
                        </>
                      )}
                    </p>
                    <ErrorSummary result={renameFailure} />
                    <div className="row-actions">
                      <Form method="post" noValidate className="inline-form">
                        <input type="hidden" name="intent" value="renamePasskey" />
                        <input type="hidden" name="id" value={p.id} />
                        <Field
                          id={renameFailure ? "field-passkeyName" : `passkey-name-${p.id}`}
                          name="passkeyName"
                          label={intl.formatMessage({ id: "accounts.security.passkeyName" })}
                          defaultValue={p.name ?? ""}
                          maxLength={60}
                          required
                          error={fieldError(renameFailure, "passkeyName")}
                          autoComplete="off"
                        />
                        <button type="submit" className="button button--secondary button--small" disabled={busy}>
                          <FormattedMessage id="accounts.security.passkeyRename" />
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value="deletePasskey" />
                        <input type="hidden" name="id" value={p.id} />
                        <button type="submit" className="button button--danger button--small" disabled={busy} aria-label={intl.formatMessage({ id: "accounts.security.passkeyDeleteNamed" }, { name: p.name || intl.formatMessage({ id: "accounts.security.passkeyUnnamed" }) })}>
                          <FormattedMessage id="common.delete" />
                        </button>
                      </Form>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
          <AddPasskey />
        </section>

        <section className="card security-section" aria-labelledby="sessions-title">
          <h2 id="sessions-title">
            <FormattedMessage id="accounts.security.sessionsTitle" />
          </h2>
          <p>
            <FormattedMessage id="accounts.security.sessionsIntro" />
          </p>
          {notice("revokeSession")}
          {notice("revokeOthers")}
          <ErrorSummary result={failure("revokeSession") ?? failure("revokeOthers")} />
          <ul className="item-list">
            {loaderData.sessions.map((s) => {
              const device =
                s.device.browser && s.device.os
                  ? intl.formatMessage({ id: "accounts.security.deviceOn" }, { browser: s.device.browser, os: s.device.os })
                  : (s.device.browser ?? s.device.os ?? intl.formatMessage({ id: "accounts.security.deviceUnknown" }));
              return (
                <li key={s.id}>
                  <div className="item-title">
                    {device}
                    {s.current && (
                      <span className="tag tag--on">
                        <FormattedMessage id="accounts.security.thisDevice" />
                      </span>
                    )}
                  </div>
                  <p className="item-meta">
                    <FormattedMessage id="accounts.security.sessionTimes" values={{ signedIn: dateTime(s.createdAt), active: dateTime(s.lastActiveAt) }} />
                    {s.network && (
                      <>
                        {" · "}
                        <FormattedMessage id="accounts.security.sessionNetwork" values={{ network: s.network }} />
                      </>
                    )}
                  </p>
                  <Form method="post" className="row-actions">
                    <input type="hidden" name="intent" value="revokeSession" />
                    <input type="hidden" name="sessionId" value={s.id} />
                    <button type="submit" className="button button--secondary button--small" disabled={busy} aria-label={intl.formatMessage({ id: s.current ? "accounts.security.signOutHere" : "accounts.security.revokeNamed" }, { device })}>
                      <FormattedMessage id={s.current ? "accounts.security.signOutHereShort" : "accounts.security.revoke"} />
                    </button>
                  </Form>
                </li>
              );
            })}
          </ul>
          {loaderData.sessions.length > 1 && (
            <Form method="post">
              <input type="hidden" name="intent" value="revokeOthers" />
              <button type="submit" className="button button--danger" disabled={busy}>
                <FormattedMessage id="accounts.security.revokeOthers" />
              </button>
            </Form>
          )}
        </section>
      </div>
    </div>
  );
}
