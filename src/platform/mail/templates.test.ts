import { TYPE, parse, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { catalogs } from "../i18n/catalog.ts";
import { LOCALES } from "../i18n/locales.ts";
import { renderMail, type MailTemplate } from "./templates.server.ts";

// Every template in the catalog (mail.<template>.subject), with each of its placeholders filled:
// numbers for plural/number arguments, and for text a value full of HTML metacharacters.
const TRICKY = "Sociedad <Balint> & Co";
const TEMPLATES = Object.keys(catalogs.en)
  .map((k) => /^mail\.([A-Za-z]+)\.subject$/.exec(k)?.[1])
  .filter((t): t is MailTemplate => Boolean(t));

function placeholders(template: string): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  const visit = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.plural || el.type === TYPE.number) values[el.value] = 10;
      else if (el.type === TYPE.argument || el.type === TYPE.date || el.type === TYPE.time || el.type === TYPE.select) values[el.value] ??= TRICKY;
      if (el.type === TYPE.plural || el.type === TYPE.select) for (const o of Object.values(el.options)) visit(o.value);
    }
  };
  for (const part of ["subject", "body", "action"]) visit(parse(catalogs.en[`mail.${template}.${part}`] ?? ""));
  return values;
}

const LINK = "https://balint.example.org/invitations/abc?token=x&next=%2Fhome";

describe("email templates", () => {
  it("finds every template, each with a subject, body and action in both languages", () => {
    expect(TEMPLATES).toEqual(expect.arrayContaining(["verifyEmail", "resetPassword", "magicLink", "invitation", "roleChanged"]));
    for (const t of TEMPLATES) for (const l of LOCALES) for (const part of ["subject", "body", "action"]) expect(catalogs[l][`mail.${t}.${part}`], `${l} mail.${t}.${part}`).toBeTruthy();
  });

  for (const locale of LOCALES) {
    for (const template of TEMPLATES) {
      const values = placeholders(template);
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
        if (Object.values(values).includes(TRICKY)) {
          expect(mail.html).toContain("Sociedad &lt;Balint&gt; &amp; Co");
          expect(mail.html).not.toContain("<Balint>");
          expect(mail.text).toContain(TRICKY);
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
