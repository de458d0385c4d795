import { expect, test } from "@playwright/test";
import { OWNER, expectNoSeriousA11yViolations } from "./support.ts";

// Runs first, on a brand-new installation (see playwright.config.ts): it creates the owner
// and organisation every other spec uses.
test.describe.configure({ mode: "serial" });

test("a fresh installation sends visitors to setup", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { level: 1, name: "Set up Balint Commons" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/setup");
});

test("bad input shows field errors and keeps what was typed", async ({ page }) => {
  await page.goto("/setup");
  await page.getByLabel("Organisation name").fill("N");
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create organisation and account" }).click();

  const summary = page.getByRole("alert");
  await expect(summary).toBeVisible();
  await expect(summary.getByRole("link", { name: /^Organisation name:/ })).toBeVisible();
  await expect(summary.getByRole("link", { name: /^Email address:/ })).toBeVisible();
  // Values survive the round trip.
  await expect(page.getByLabel("Organisation name")).toHaveValue("N");
  await expect(page.getByLabel("Your name")).toHaveValue(OWNER.name);
  await expect(page.getByLabel("Email address")).toHaveValue("not-an-email");
  // Each field at fault says so, and the summary links to it.
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Organisation name")).toHaveAttribute("aria-invalid", "true");
  await expectNoSeriousA11yViolations(page, "/setup with errors");
  await summary.getByRole("link", { name: /^Email address:/ }).click();
  await expect(page.getByLabel("Email address")).toBeFocused();
});

test("creating the organisation signs the owner in on the organisation's page", async ({ page }) => {
  await page.goto("/setup");
  await page.getByLabel("Organisation name").fill(OWNER.organisationName);
  await page.getByLabel("Kind of organisation").selectOption("society");
  await page.getByLabel("Time zone").selectOption("Europe/London");
  await page.getByLabel("Your name").fill(OWNER.name);
  await page.getByLabel("Email address").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByRole("button", { name: "Create organisation and account" }).click();

  await expect(page).toHaveURL(new RegExp(`/o/${OWNER.organisationSlug}(\\?|$)`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(OWNER.organisationName);
  // Signed in: the header offers signing out, not signing in.
  await expect(page.getByRole("banner").getByRole("button", { name: /sign out/i })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/o/<slug> after setup");
});

test("setup is gone once the installation is set up", async ({ page }) => {
  const response = await page.goto("/setup");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We could not find that page");
  const api = await page.request.get("/api/v1/setup");
  expect(await api.json()).toEqual({ needed: false });
});
