// Program reports from the administrator's side: a cell stays suppressed until the fifth
// respondent. Five new members join the organisation; two identical confidential WHO-5 check-ins
// go out; four people answer the first and all five the second, through the real answer pages.
// The owner closes both check-ins on the administration page, then reads the reports: the first
// says "fewer than 5" with no number anywhere, the second shows 5 respondents.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { OWNER, PASSWORD, appLink, expectNoSeriousA11yViolations, readLatestMail, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

async function api<T>(page: Page, method: "GET" | "POST", path: string, data?: unknown): Promise<T> {
  const res = method === "GET" ? await page.request.get(`/api/v1${path}`) : await page.request.post(`/api/v1${path}`, { data, headers: { Origin: new URL(page.url()).origin } });
  expect(res.status(), `${method} ${path}: ${res.status() >= 300 ? await res.text() : ""}`).toBeLessThan(300);
  return (await res.json()) as T;
}

/** A new member of the owner's organisation, signed in in their own browser context. */
async function newMember(browser: Browser, owner: Page, orgId: string, baseURL: string, i: number): Promise<Page> {
  const person = { name: `Respondent ${String.fromCharCode(65 + i)}`, email: uniqueEmail(`wb-respondent-${i}`), password: PASSWORD };
  await api(owner, "POST", `/orgs/${orgId}/invitations`, { email: person.email, role: "member" });
  const page = await (await browser.newContext()).newPage();
  await signUpViaUi(page, person);
  const confirm = await readLatestMail(page, person.email, /Confirm your email address/);
  await page.goto(appLink(confirm, baseURL));
  await expect(page.getByRole("heading", { level: 1, name: "Email address confirmed" })).toBeVisible();
  const invitation = await readLatestMail(page, person.email, /You are invited to join/);
  const token = new URL(appLink(invitation, baseURL)).pathname.split("/").pop()!;
  await api(page, "POST", `/invitations/${token}/accept`);
  return page;
}

async function answer(page: Page, campaign: string, code: string) {
  await page.goto("/wellbeing");
  await page.getByRole("listitem").filter({ hasText: campaign }).getByRole("link", { name: "Open the check-in" }).click();
  await page.getByRole("link", { name: "Start" }).click();
  for (const n of [1, 2, 3, 4, 5]) await page.locator(`input[name="who5-${n}"][value="${code}"]`).check();
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("heading", { name: "Thank you" })).toBeVisible();
}

test("an admin's cell stays suppressed until the fifth respondent", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const owner = await (await browser.newContext()).newPage();
  await signInViaUi(owner, OWNER);
  const orgs = await api<{ items: { organisationId: string; slug: string }[] }>(owner, "GET", "/orgs");
  const orgId = orgs.items.find((o) => o.slug === OWNER.organisationSlug)!.organisationId;

  const members: Page[] = [];
  for (let i = 0; i < 5; i++) members.push(await newMember(browser, owner, orgId, baseURL!, i));

  // Two check-ins for everyone, each in its own cohort so that only this test's answers count.
  const suffix = Date.now().toString(36);
  const who5 = (await api<{ items: { id: string; builtInKey: string | null }[] }>(owner, "GET", `/orgs/${orgId}/wellbeing/instruments`)).items.find((i) => i.builtInKey === "who-5")!.id;
  const names = [`Four answer ${suffix}`, `Five answer ${suffix}`];
  for (const [i, name] of names.entries()) {
    const c = await api<{ waves: { id: string }[] }>(owner, "POST", `/orgs/${orgId}/wellbeing/campaigns`, { name, mode: "confidential", instrumentIds: [who5], cohort: { kind: "organisation" }, cohortLabel: `e2e-${suffix}-${i}`, schedule: { kind: "once", opensAt: new Date(Date.now() - 60_000).toISOString() } });
    await api(owner, "POST", `/orgs/${orgId}/wellbeing/waves/${c.waves[0]!.id}/invitations`);
  }

  for (const [i, m] of members.entries()) {
    if (i < 4) await answer(m, names[0]!, i % 2 ? "most" : "some");
    await answer(m, names[1]!, i % 2 ? "most" : "some");
  }

  // The owner closes both check-ins on the administration page.
  await owner.goto(`/o/${OWNER.organisationSlug}/wellbeing`);
  await expect(owner.getByRole("heading", { level: 2, name: "Well-being check-ins" })).toBeVisible();
  await expectNoSeriousA11yViolations(owner, "/o/:slug/wellbeing");
  for (const name of names) {
    await owner.getByRole("button", { name: `Close now: ${name}, Check-in 1` }).click();
    await expect(owner.getByRole("status").filter({ hasText: "The check-in was closed" })).toBeVisible();
  }

  // Four respondents: suppressed, calmly, with no number.
  await owner.goto(`/o/${OWNER.organisationSlug}/wellbeing/reports`);
  await owner.getByLabel("Campaign").selectOption({ label: `${names[0]} (Confidential)` });
  await owner.getByRole("button", { name: "Show" }).click();
  const four = owner.getByTestId("report-table-who5");
  await expect(four.getByText("fewer than 5")).toBeVisible();
  await expect(four.getByRole("cell", { name: "4", exact: true })).toHaveCount(0);
  await expect(owner.getByText(/Not enough comparable answers|Choose at least two check-ins/)).toBeVisible();
  await expectNoSeriousA11yViolations(owner, "/o/:slug/wellbeing/reports suppressed");

  // Five respondents: the cell is shown.
  await owner.getByLabel("Campaign").selectOption({ label: `${names[1]} (Confidential)` });
  await owner.getByRole("button", { name: "Show" }).click();
  const five = owner.getByTestId("report-table-who5");
  await expect(five.getByRole("cell", { name: "5", exact: true })).toBeVisible();
  await expect(five.getByText("fewer than 5")).toHaveCount(0);
  await expect(owner.getByRole("img", { name: /Well-being \(WHO-5\): mean by check-in/ })).toBeVisible();
  await expectNoSeriousA11yViolations(owner, "/o/:slug/wellbeing/reports shown");
});
