import { createHmac, randomBytes } from "node:crypto";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

/** The owner created by setup.spec.ts; the other specs sign in as this person. */
export const OWNER = {
  name: "Amara Okafor",
  email: "amara.owner@example.org",
  password: "lantern-harbour-quietly-42",
  organisationName: "Northshore Balint Society",
  organisationSlug: "northshore-balint-society",
};

export const PASSWORD = "cedar-window-gently-73";

let seq = 0;
/** A fresh address for a person created by a test. */
export function uniqueEmail(label: string): string {
  seq += 1;
  return `${label}.${Date.now().toString(36)}${seq}.${randomBytes(2).toString("hex")}@example.org`;
}

/**
 * Runs axe on the current page (WCAG 2.x A/AA rules) and fails on serious or critical
 * violations, printing each one with the elements at fault.
 */
export async function expectNoSeriousA11yViolations(page: Page, label = page.url()): Promise<void> {
  // Local diagnosis only (never set by scripts/test.ts or CI): E2E_AXE_DISABLE_RULES=rule-a,rule-b
  // lets the rest of a flow run while a known violation is being fixed elsewhere.
  const disabled = (process.env.E2E_AXE_DISABLE_RULES ?? "").split(",").filter(Boolean);
  if (disabled.length > 0 && process.env.CI) throw new Error("E2E_AXE_DISABLE_RULES must not be used in CI");
  if (disabled.length > 0) console.warn(`axe rules disabled for this run: ${disabled.join(", ")}`);
  const results = await new AxeBuilder({ page })
    .disableRules(disabled)
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    // Script-less sandboxed frames (the outbox's email preview) cannot host axe; the email
    // templates are checked on their own (src/platform/mail/templates.test.ts).
    .exclude("iframe[sandbox]")
    .analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length > 0) {
    const report = serious
      .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n.target.join(" ")} — ${n.failureSummary?.split("\n").join(" ")}`).join("\n")}`)
      .join("\n");
    console.log(`Accessibility violations on ${label}:\n${report}`);
  }
  expect(serious.map((v) => `${v.id} (${v.nodes.length})`), `serious/critical axe violations on ${label}`).toEqual([]);
}

export interface OutboxMail {
  subject: string;
  text: string;
  /** Every http(s) address in the message, in order. */
  links: string[];
}

/**
 * Opens the newest message to `to` in the development outbox (/dev/outbox, which the server
 * shows because DEV_OUTBOX=1) and returns its text and links. Retries while the job queue
 * delivers it.
 */
export async function readLatestMail(page: Page, to: string, subject?: RegExp, timeoutMs = 20_000): Promise<OutboxMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await page.goto(`/dev/outbox?to=${encodeURIComponent(to)}`);
    if (response?.status() === 404) throw new Error("The development outbox (/dev/outbox) is not available on this server.");
    // Newest first: the first entry that names the recipient (and subject, when given).
    let entries = page.locator("main").locator("tr, li, article").filter({ hasText: to });
    if (subject) entries = entries.filter({ hasText: subject });
    if ((await entries.count()) > 0) {
      const link = entries.first().getByRole("link").first();
      const subjectText = (await link.innerText()).trim();
      const href = await link.getAttribute("href");
      if (!href) throw new Error("The outbox entry has no link to the message.");
      await page.goto(href);
      const text = await page.locator("main").innerText();
      const links = [...text.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
      for (const a of await page.locator("main a[href^='http']").evaluateAll((as) => as.map((el) => (el as HTMLAnchorElement).href))) {
        if (!links.includes(a)) links.push(a);
      }
      return { subject: subjectText, text, links };
    }
    if (Date.now() > deadline) throw new Error(`No mail to ${to}${subject ? ` matching ${subject}` : ""} in the outbox within ${timeoutMs} ms.`);
    await page.waitForTimeout(500);
  }
}

/** The action link of an email: the first link that points back at this app. */
export function appLink(mail: OutboxMail, baseURL: string): string {
  const link = mail.links.find((l) => l.startsWith(baseURL) && !l.endsWith("/dev/outbox"));
  if (!link) throw new Error(`No link to ${baseURL} in the mail "${mail.subject}": ${mail.links.join(", ")}`);
  return link;
}

/** Signs up through /sign-up as a new person would. Leaves the browser on the page after submit. */
export async function signUpViaUi(page: Page, person: { name: string; email: string; password: string }): Promise<void> {
  await page.goto("/sign-up");
  const main = page.getByRole("main");
  await main.getByLabel(/name/i).first().fill(person.name);
  await main.getByLabel(/email/i).fill(person.email);
  await main.getByLabel(/password/i).first().fill(person.password);
  await main.getByRole("button", { name: /^(create account|sign up)$/i }).click();
  await settled(page);
}

/** Waits until a submitted sign-in/sign-up form has an outcome: an error, a session, or the next step. */
async function settled(page: Page): Promise<void> {
  const outcome = page
    .getByRole("alert")
    .or(page.getByRole("banner").getByRole("button", { name: /sign out|cerrar sesión/i }))
    .or(page.getByRole("heading", { level: 1, name: "Two-step verification" }));
  await expect(outcome.first()).toBeVisible();
}

/** Signs in through /sign-in with email and password. */
export async function signInViaUi(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.goto("/sign-in");
  const main = page.getByRole("main");
  await main.getByLabel(/email/i).fill(person.email);
  await main.getByLabel(/password/i).first().fill(person.password);
  await main.getByRole("button", { name: "Sign in", exact: true }).click();
  await settled(page);
}

export async function signOutViaUi(page: Page): Promise<void> {
  await page.getByRole("banner").getByRole("button", { name: /sign out/i }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: /sign in/i })).toBeVisible();
}

// ---- RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits), for the two-factor tests ----

function base32Decode(input: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const clean = input.toUpperCase().replace(/[^A-Z2-7]/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The TOTP code for a base32 secret at a time (RFC 6238; RFC 4226 dynamic truncation). */
export function totp(secretBase32: string, at = Date.now(), step = 30, digits = 6): string {
  const counter = Math.floor(at / 1000 / step);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hmac = createHmac("sha1", base32Decode(secretBase32)).update(message).digest();
  const offset = hmac[hmac.length - 1]! & 0x0f;
  const binary = ((hmac[offset]! & 0x7f) << 24) | (hmac[offset + 1]! << 16) | (hmac[offset + 2]! << 8) | hmac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The secret from an otpauth:// URI or a base32 string shown on the page. */
export function totpSecretFrom(text: string): string {
  const uri = /otpauth:\/\/[^\s"'<>]+/.exec(text)?.[0];
  if (uri) {
    const secret = new URL(uri).searchParams.get("secret");
    if (secret) return secret;
  }
  const plain = /\b([A-Z2-7]{4}(?:\s?[A-Z2-7]{4}){3,})\b/.exec(text)?.[1];
  if (!plain) throw new Error("No two-factor secret found on the page");
  return plain.replace(/\s/g, "");
}
