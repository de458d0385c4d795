import { expect, test } from "@playwright/test";
import { expectNoSeriousA11yViolations } from "./support.ts";

test("the landing page explains Balint groups and how to start", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Balint Commons/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("A quiet place to run Balint groups");
  await expect(page.getByRole("heading", { name: "What is a Balint group?" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Confidential by design" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Create an account" })).toHaveAttribute("href", "/sign-up");
  await expect(page.getByRole("main").getByRole("link", { name: "I already have an account" })).toHaveAttribute("href", "/sign-in");
  await expectNoSeriousA11yViolations(page, "landing");
});

test("the skip link is the first stop and moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible(); // visible when focused
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});

test("the header can be used with the keyboard alone", async ({ page }) => {
  await page.goto("/");
  const seen: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return null;
      const style = getComputedStyle(el);
      const outlined = style.outlineStyle !== "none" && style.outlineWidth !== "0px";
      return { text: (el.textContent ?? "").trim(), inHeader: Boolean(el.closest("header")), visibleFocus: outlined || style.boxShadow !== "none" };
    });
    if (focused?.inHeader) {
      seen.push(focused.text);
      expect(focused.visibleFocus, `focus indicator on "${focused.text}"`).toBe(true);
    }
  }
  expect(seen).toEqual(expect.arrayContaining(["Sign in", "Create an account"]));
  // Enter follows the focused header link.
  await page.goto("/");
  await page.getByRole("banner").getByRole("link", { name: "Sign in" }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("an unknown page gets a friendly 404", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("We could not find that page");
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "404");
});

test.describe("dark colour scheme", () => {
  test.use({ colorScheme: "dark" });
  test("renders with a dark background and readable contrast", async ({ page }) => {
    await page.goto("/");
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect((r + g + b) / 3, `body background ${background}`).toBeLessThan(80);
    await expectNoSeriousA11yViolations(page, "landing (dark)");
  });
});

test.describe("Spanish", () => {
  test.use({ locale: "es-ES", extraHTTPHeaders: { "Accept-Language": "es-ES,es;q=0.9" } });
  test("Accept-Language: es serves the page in Spanish", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("link", { name: "Saltar al contenido principal" })).toBeAttached();
    await expect(page.getByRole("heading", { name: "¿Qué es un grupo Balint?" })).toBeVisible();
    await expect(page.getByRole("banner").getByRole("link", { name: "Iniciar sesión" })).toBeVisible();
    await expectNoSeriousA11yViolations(page, "landing (es)");
  });
});
