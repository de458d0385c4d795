import { describe, expect, it } from "vitest";
import { LOCALES } from "../i18n/locales.ts";
import { renderMail, type MailTemplate } from "./templates.server.ts";

const TEMPLATES: Record<MailTemplate, Record<string, string | number>> = {
  verifyEmail: {},
  resetPassword: {},
  magicLink: { minutes: 10 },
  invitation: { organisation: "Sociedad <Balint> & Co", inviter: "Zoë O'Brien", role: "leader", expires: "1 June 2027" },
  roleChanged: { organisation: "Sociedad <Balint> & Co", role: "coordinator" },
};

const LINK = "https://balint.example.org/invitations/abc?token=x&next=%2Fhome";

describe("email templates", () => {
  for (const locale of LOCALES) {
    for (const [template, values] of Object.entries(TEMPLATES) as Array<[MailTemplate, Record<string, string | number>]>) {
      it(`${template} renders in ${locale} with the link in text and HTML, and escapes HTML`, () => {
        const mail = renderMail({ template, locale, recipientName: "Ana <b>López</b>", values, actionUrl: LINK });
        // Subject: translated, no unresolved keys or placeholders.
        expect(mail.subject).not.toMatch(/^mail\./);
        expect(mail.subject).not.toMatch(/[{}]/);
        expect(mail.text).not.toMatch(/\bmail\.[a-zA-Z]+\.[a-z]+\b/);
        expect(mail.text).not.toMatch(/[{}]/);
        // The link: whole in the text version, attribute-escaped in the HTML version.
        expect(mail.text).toContain(LINK);
        expect(mail.html).toContain(`href="${LINK.replace(/&/g, "&amp;")}"`);
        // Names and values are escaped in HTML, never injected as markup.
        expect(mail.html).not.toContain("<b>");
        expect(mail.html).toContain("Ana &lt;b&gt;López&lt;/b&gt;");
        if ("organisation" in values) {
          expect(mail.html).toContain("Sociedad &lt;Balint&gt; &amp; Co");
          expect(mail.html).not.toContain("<Balint>");
          expect(mail.text).toContain("Sociedad <Balint> & Co");
        }
        expect(mail.html).toContain(`<html lang="${locale}">`);
        expect(mail.html).toContain(`<title>`);
      });
    }
  }

  it("writes English and Spanish differently", () => {
    const en = renderMail({ template: "verifyEmail", locale: "en", recipientName: "Ana", actionUrl: LINK });
    const es = renderMail({ template: "verifyEmail", locale: "es", recipientName: "Ana", actionUrl: LINK });
    expect(en.subject).toBe("Confirm your email address");
    expect(es.subject).toBe("Confirme su dirección de correo");
    expect(es.text).toMatch(/^Hola, Ana:/);
    expect(en.text).toMatch(/^Hello Ana,/);
  });

  it("renders the magic-link duration as a plural", () => {
    expect(renderMail({ template: "magicLink", locale: "en", values: { minutes: 1 }, actionUrl: LINK }).text).toContain("for 1 minute.");
    expect(renderMail({ template: "magicLink", locale: "es", values: { minutes: 10 }, actionUrl: LINK }).text).toContain("durante 10 minutos.");
  });
});
