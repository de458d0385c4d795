// The learning library from a member's side: an item is added through the REST API, then the
// member searches the library with a filter, opens the item (external link opens safely), logs it
// with a private reflection (the identifier check warns first), and finds it with totals on
// "My learning". Pages are checked with axe.
import { expect, test, type Page } from "@playwright/test";
import { OWNER, expectNoSeriousA11yViolations, signInViaUi } from "./support.ts";

async function api<T>(page: Page, method: "GET" | "POST", path: string, data?: unknown): Promise<T> {
  const res = method === "GET" ? await page.request.get(`/api/v1${path}`) : await page.request.post(`/api/v1${path}`, { data, headers: { Origin: new URL(page.url()).origin } });
  expect(res.status(), `${method} ${path}: ${res.status() >= 300 ? await res.text() : ""}`).toBeLessThan(300);
  return (await res.json()) as T;
}

test("a member searches the library, opens an item and logs it with a reflection", async ({ page }) => {
  test.setTimeout(120_000);
  await signInViaUi(page, OWNER);
  const orgs = await api<{ items: { organisationId: string; slug: string }[] }>(page, "GET", "/orgs");
  const orgId = orgs.items.find((o) => o.slug === OWNER.organisationSlug)!.organisationId;
  const word = `lighthouse${Date.now().toString(36)}`;
  const title = `Listening in groups ${word}`;
  await api(page, "POST", `/orgs/${orgId}/library/items`, {
    kind: "recording",
    title,
    authors: ["Example Speaker"],
    year: 2024,
    language: "en",
    summary: "A recorded public talk about listening in Balint groups. (Example link.)",
    url: "https://example.org/library/listening-in-groups",
    tags: ["listening", "group-process"],
    audiences: ["members", "new_leaders"],
    visibility: "public",
    estimatedMinutes: 40,
    ceEligible: true,
  });

  // Search with a word and a filter.
  await page.goto("/library");
  await expect(page.getByRole("heading", { name: "Learning library", level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "library");
  await page.getByLabel("Words in the title, summary, authors or topics").fill(word);
  await page.getByLabel("Kind").selectOption("recording");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/kind=recording/);
  await expect(page.getByText("1 item · page 1 of 1")).toBeVisible();
  await page.getByRole("link", { name: title }).click();

  // The item page: the external link opens safely.
  await expect(page.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  const external = page.getByRole("link", { name: `Open “${title}” (external site, new tab)` });
  await expect(external).toHaveAttribute("rel", "noopener noreferrer");
  await expect(external).toHaveAttribute("href", "https://example.org/library/listening-in-groups");
  await expectNoSeriousA11yViolations(page, "library item");

  // Log it: a reflection that names someone is warned about first.
  await page.getByLabel("Minutes spent").fill("35");
  await page.getByLabel("Private reflection (optional)").fill("Mrs Johnson came to mind, born 12/03/1961.");
  await page.getByRole("button", { name: "Add to my log" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "may identify someone" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "reflection warning");
  await page.getByLabel("Private reflection (optional)").fill("I noticed how hard it is to stay quiet and let the group work.");
  await page.getByRole("button", { name: "Save anyway" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Added to your reading log." })).toBeVisible();
  await expect(page.getByTestId("my-entries")).toContainText("35 minutes");

  // My learning: the entry, my reflection and the totals.
  await page.goto("/account/learning");
  await expect(page.getByRole("heading", { name: "My learning", level: 1 })).toBeVisible();
  const entry = page.getByTestId("learning-entries").getByRole("listitem").filter({ hasText: title });
  await expect(entry).toContainText("I noticed how hard it is to stay quiet");
  await expect(page.getByTestId("learning-totals")).toContainText("hours in all");
  await expect(page.getByRole("link", { name: "Download as CSV", exact: true })).toHaveAttribute("href", "/api/v1/me/learning/export.csv");
  await expectNoSeriousA11yViolations(page, "my learning");
});
