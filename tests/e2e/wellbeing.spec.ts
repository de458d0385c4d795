// Well-being check-ins from the clinician's side: the owner (a member of the organisation like any
// other) is invited to two confidential WHO-5 check-ins, reads the mode explanation, answers both
// through the accessible form (the first time after saving progress), sees support resources
// after a low score, and finds the trend as a chart with a table. Campaigns are set up through
// the REST API; answering goes through the pages.
import { expect, test, type Page } from "@playwright/test";
import { OWNER, expectNoSeriousA11yViolations, signInViaUi } from "./support.ts";

async function api<T>(page: Page, method: "GET" | "POST", path: string, data?: unknown): Promise<T> {
  const res = method === "GET" ? await page.request.get(`/api/v1${path}`) : await page.request.post(`/api/v1${path}`, { data, headers: { Origin: new URL(page.url()).origin } });
  expect(res.status(), `${method} ${path}: ${res.status() >= 300 ? await res.text() : ""}`).toBeLessThan(300);
  return (await res.json()) as T;
}

async function answerAll(page: Page, code: string) {
  for (const n of [1, 2, 3, 4, 5]) await page.locator(`input[name="who5-${n}"][value="${code}"]`).check();
}

test("a member completes WHO-5 twice and sees the trend", async ({ page }) => {
  test.setTimeout(120_000);
  await signInViaUi(page, OWNER);
  const orgs = await api<{ items: { organisationId: string; slug: string }[] }>(page, "GET", "/orgs");
  const orgId = orgs.items.find((o) => o.slug === OWNER.organisationSlug)!.organisationId;
  const instruments = await api<{ items: { id: string; builtInKey: string | null }[] }>(page, "GET", `/orgs/${orgId}/wellbeing/instruments`);
  const who5 = instruments.items.find((i) => i.builtInKey === "who-5")!.id;
  const suffix = Date.now().toString(36);
  for (const name of [`Autumn check-in ${suffix}`, `Winter check-in ${suffix}`]) {
    const c = await api<{ waves: { id: string }[] }>(page, "POST", `/orgs/${orgId}/wellbeing/campaigns`, { name, mode: "confidential", instrumentIds: [who5], cohort: { kind: "organisation" }, schedule: { kind: "once", opensAt: new Date(Date.now() - 60_000).toISOString() } });
    await api(page, "POST", `/orgs/${orgId}/wellbeing/waves/${c.waves[0]!.id}/invitations`);
  }

  // First check-in: the mode is explained before starting; progress is saved; a good score.
  await page.goto("/wellbeing");
  await expect(page.getByRole("heading", { name: "Well-being check-ins" })).toBeVisible();
  await page.getByRole("listitem").filter({ hasText: `Autumn check-in ${suffix}` }).getByRole("link", { name: "Open the check-in" }).click();
  await expect(page.getByRole("heading", { name: "This check-in is confidential" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "check-in intro");
  await page.getByRole("link", { name: "Start" }).click();
  await expect(page.getByRole("group", { name: /I have felt cheerful and in good spirits/ })).toBeVisible();
  await page.locator('input[name="who5-1"][value="most"]').check();
  await page.getByRole("button", { name: "Save progress" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your progress is saved" })).toBeVisible();
  await expect(page.locator('input[name="who5-1"][value="most"]')).toBeChecked();
  await expectNoSeriousA11yViolations(page, "check-in form");
  await answerAll(page, "most");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("heading", { name: "Thank you" })).toBeVisible();
  await expect(page.getByText("Well-being (WHO-5): 80")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Support is available now" })).toHaveCount(0);

  // Second check-in, answered in Spanish (the official WHO-5 Spanish version): a very low score
  // shows support at once, and scores exactly as in English.
  await page.goto("/wellbeing");
  await page.getByRole("listitem").filter({ hasText: `Winter check-in ${suffix}` }).getByRole("link", { name: "Open the check-in" }).click();
  await page.getByRole("link", { name: "Start" }).click();
  await page.getByRole("navigation", { name: "Answer in:" }).getByRole("link", { name: "español" }).click();
  await expect(page.getByRole("group", { name: /Me he sentido alegre y de buen humor/ })).toBeVisible();
  await expect(page.getByRole("radio", { name: "De vez en cuando" }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, "check-in form in Spanish");
  await answerAll(page, "some");
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("heading", { name: "Support is available now" })).toBeVisible();
  await expect(page.getByText("Well-being (WHO-5): 20")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "check-in result");

  // The trend: a chart with a text alternative and a table with both results.
  await page.goto("/wellbeing/results");
  await expect(page.getByRole("img", { name: /Well-being \(WHO-5\) over time/ })).toBeVisible();
  const table = page.getByRole("table", { name: /Well-being \(WHO-5\) over time/ });
  await expect(table.getByRole("cell", { name: "80 / 100" })).toBeVisible();
  await expect(table.getByRole("cell", { name: "20 / 100" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "my results");
});
