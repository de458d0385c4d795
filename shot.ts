import { chromium } from "playwright-core";
const base = "http://localhost:3050";
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
await page.goto(base + "/");
await page.screenshot({ path: "/tmp/shots/01-setup.png", fullPage: true });
await page.fill("#field-organisationName", "American Balint Society (test)");
await page.fill("#field-ownerName", "Ada Lovelace");
await page.fill("#field-ownerEmail", "ada@example.org");
await page.fill("#field-ownerPassword", "short");
await page.click("button[type=submit]");
await page.waitForLoadState("networkidle");
await page.screenshot({ path: "/tmp/shots/02-setup-error.png", fullPage: true });
await page.fill("#field-ownerPassword", "lantern-harbour-quietly-42");
await page.click("button[type=submit]");
await page.waitForURL(/\/o\//);
await page.screenshot({ path: "/tmp/shots/03-org.png", fullPage: true });
for (const [name, path] of [["04-members", "/o/american-balint-society-test/members"], ["05-invitations", "/o/american-balint-society-test/invitations"], ["06-settings", "/o/american-balint-society-test/settings"], ["07-audit", "/o/american-balint-society-test/audit"], ["08-home", "/home"], ["09-security", "/account/security"], ["10-profile", "/account/profile"], ["11-tokens", "/account/tokens"], ["12-outbox", "/dev/outbox"], ["13-404", "/nope"]]) {
  await page.goto(base + path);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
await browser.close();
