import { expect, test } from "@playwright/test";
import { OWNER, PASSWORD, expectNoSeriousA11yViolations, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

test("switching the interface language to Español in the profile", async ({ page }) => {
  const person = { name: "Valentina Greco", email: uniqueEmail("profile"), password: PASSWORD };
  await signUpViaUi(page, person);
  await page.goto("/account/profile");
  await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/account/profile");
  await page.getByRole("group", { name: "Language of Balint Commons" }).getByLabel("Español").check();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Su perfil" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("banner").getByRole("button", { name: "Cerrar sesión" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/account/profile (es)");
  // The choice follows the person, whatever the browser asks for.
  await page.goto("/home");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
});

test("creating an API token and using it against /api/v1/me", async ({ page, request }) => {
  await signInViaUi(page, OWNER);
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto("/account/tokens");
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/account/tokens");
  await page.getByLabel("Name", { exact: true }).fill("End-to-end check");
  await page.getByLabel("See the organisation").check();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("heading", { name: "Your new token “End-to-end check”" })).toBeVisible();
  const token = await page.getByLabel("New API token").inputValue();
  expect(token).toMatch(/^bc_pat_/);
  await expectNoSeriousA11yViolations(page, "/account/tokens after creating one");

  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(JSON.stringify(await me.json())).toContain(OWNER.email);
  const wrong = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}x` } });
  expect(wrong.status()).toBe(401);

  // The list shows the token by name; the secret itself is not shown again.
  await page.goto("/account/tokens");
  await expect(page.getByRole("table").getByText("End-to-end check")).toBeVisible();
  await expect(page.getByText(token)).toHaveCount(0);
});

test("the audit log shows sign-ins and the setup", async ({ page }) => {
  await signInViaUi(page, OWNER);
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto(`/o/${OWNER.organisationSlug}/audit`);
  const region = page.getByRole("region", { name: "Audit log" });
  await expect(region).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/o/:slug/audit");
  const table = region.getByRole("table");
  await expect(table.getByText("Set up Balint Commons")).toBeVisible();
  await expect(table.getByText("Signed in").first()).toBeVisible();
});
