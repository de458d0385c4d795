import { createTranslator } from "../i18n/translate.ts";
import type { Locale } from "../i18n/locales.ts";

export type MailTemplate = "verifyEmail" | "resetPassword" | "magicLink" | "invitation" | "roleChanged" | "groupJoinApproved" | "groupJoinDeclined" | "groupSeatOffered" | "sessionChanged" | "sessionCancelled" | "sessionReminder" | "sessionLinkChanged" | "sessionRestored" | "groupPaused" | "groupResumed" | "wellbeingInvitation" | "wellbeingReminder" | "eventRegistrationConfirmed" | "eventWaitlisted" | "eventSeatOffered" | "eventRosterPublished" | "eventCertificateIssued" | "accreditationDecision" | "credentialIssued" | "credentialExpiring" | "credentialRevoked" | "supervisorReportDue" | "supervisorReportOverdue";

export interface MailContent {
  template: MailTemplate;
  locale: Locale;
  recipientName?: string | null;
  /** Values for the template's ICU messages. */
  values?: Record<string, string | number>;
  actionUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * Renders an email in the recipient's language as plain text and simple, accessible HTML
 * (one column, real text, a link that is also written out). Every template has the same parts:
 * greeting, body, one action, footer.
 */
export function renderMail(content: MailContent): RenderedMail {
  const t = createTranslator(content.locale);
  const values = content.values ?? {};
  const key = `mail.${content.template}`;
  const subject = t(`${key}.subject`, values);
  const greeting = t("mail.greeting", { name: content.recipientName || content.values?.["email"] || "" });
  const body = t(`${key}.body`, values);
  const action = t(`${key}.action`, values);
  const footer = t("mail.footer", { appName: "Balint Commons" });
  const fallback = t("mail.linkFallback");
  const text = [greeting, "", body, "", `${action}: ${content.actionUrl}`, "", "—", footer, ""].join("\n");
  const html = `<!doctype html>
<html lang="${content.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f6f4ef;font-family:Georgia,'Times New Roman',serif;color:#1f2a2e">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px;line-height:1.6;font-size:17px">
<p>${escape(greeting)}</p>
<p>${escape(body)}</p>
<p><a href="${escape(content.actionUrl)}" style="display:inline-block;background:#2f5d62;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none">${escape(action)}</a></p>
<p style="font-size:14px;color:#4a5a5e">${escape(fallback)}<br><span style="word-break:break-all">${escape(content.actionUrl)}</span></p>
<hr style="border:none;border-top:1px solid #e3e0d8;margin:24px 0">
<p style="font-size:13px;color:#4a5a5e">${escape(footer)}</p>
</div></body></html>`;
  return { subject, text, html };
}
