// Credentials in Chromium (brief R): a candidacy on a pathway, an Open Badges 3.0 credential issued
// to it, the holder's page and downloads, independent verification of the downloaded credential
// (noble + node:crypto + JSON Schema, keys from the public JWKS), the public verification page
// (valid, then a tampered copy fails), and the opt-in /leaders directory. Pages are checked with axe.
import { expect, test, type Page } from "@playwright/test";
import { OWNER, expectNoSeriousA11yViolations, signInViaUi } from "./support.ts";
import { independentVerify } from "../../src/features/accreditation/credential-independent.test-support.ts";

async function api<T>(page: Page, method: "GET" | "POST", path: string, data?: unknown, okStatuses: number[] = []): Promise<{ status: number; body: T }> {
  const res = method === "GET" ? await page.request.get(`/api/v1${path}`) : await page.request.post(`/api/v1${path}`, { data, headers: { Origin: new URL(page.url()).origin } });
  if (!okStatuses.includes(res.status())) expect(res.status(), `${method} ${path}: ${res.status() >= 300 ? await res.text() : ""}`).toBeLessThan(300);
  return { status: res.status(), body: (await res.json()) as T };
}

test("a credential is issued, downloaded, verified independently and on the page, and listed on /leaders", async ({ page }) => {
  test.setTimeout(120_000);
  await signInViaUi(page, OWNER);
  const orgs = await api<{ items: { organisationId: string; slug: string }[] }>(page, "GET", "/orgs");
  const orgId = orgs.body.items.find((o) => o.slug === OWNER.organisationSlug)!.organisationId;

  // A candidacy: the example pathways (published), enrol myself (or reuse an earlier candidacy).
  await api(page, "POST", `/orgs/${orgId}/accreditation/pathways/examples`);
  const pathways = await api<{ items: Array<{ id: string; key: string; published: { id: string } | null }> }>(page, "GET", `/orgs/${orgId}/accreditation/pathways`);
  const pathway = pathways.body.items.find((p) => p.published)!;
  const enrolled = await api<{ id: string }>(page, "POST", `/orgs/${orgId}/accreditation/candidates`, { pathwayId: pathway.id }, [409]);
  let candidateId = enrolled.status === 409 ? "" : enrolled.body.id;
  if (!candidateId) {
    const mine = await api<Array<{ id: string; pathwayId: string }> | { items: Array<{ id: string; pathwayId: string }> }>(page, "GET", "/me/accreditation");
    const list = Array.isArray(mine.body) ? mine.body : mine.body.items;
    candidateId = list.find((c) => c.pathwayId === pathway.id)!.id;
  }
  const achievement = `Accredited leader e2e ${Date.now().toString(36)}`;
  const issued = await api<{ id: string; jwt: string }>(page, "POST", `/orgs/${orgId}/candidates/${candidateId}/credentials`, {
    achievement: { name: achievement, description: "Leads Balint groups for clinicians.", criteria: "Met the pathway's requirements." },
    validUntil: "2040-01-01",
  });

  // The holder's page lists it with downloads.
  await page.goto("/account/credentials");
  await expect(page.getByRole("heading", { name: "My credentials", level: 1 })).toBeVisible();
  await expect(page.getByTestId("my-credential").filter({ hasText: achievement })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "my credentials");
  const jwtDownload = await page.request.get(`/api/v1/credentials/${issued.body.id}/download?format=jwt`);
  expect(jwtDownload.headers()["content-type"]).toBe("application/vc+jwt");
  const jwt = await jwtDownload.text();

  // Independent verification with keys from the public JWKS.
  const jwks = await (await page.request.get(`/api/v1/issuers/${orgId}/jwks.json`)).json();
  const ind = independentVerify(jwt, jwks);
  expect(ind).toMatchObject({ signatureNoble: true, signatureNode: true, schemaErrors: [] });

  // The public verification page: by link, then pasted, then a tampered copy.
  await page.goto(`/verify/credential/${issued.body.id}`);
  await expect(page.getByRole("heading", { name: "Valid", level: 2 })).toBeVisible();
  await expect(page.getByText(achievement).first()).toBeVisible();
  await expect(page.getByText(OWNER.name).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, "verify credential");
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, "base64url").toString());
  payload.credentialSubject.identifier[0].identityHash = "Someone Else";
  await page.getByLabel("Credential", { exact: true }).fill(`${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`);
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.locator('[data-status="tampered"]')).toBeVisible();
  await expectNoSeriousA11yViolations(page, "tampered credential");

  // Listing: the holder publishes, the public directory finds them.
  await page.goto("/account/credentials");
  const form = page.locator("section").filter({ hasText: "Directory listing" }).first();
  await form.getByLabel("Region").fill("Northshore");
  await form.getByLabel("Leads online").check();
  await form.getByLabel("Show me in the public directory").check();
  await form.getByRole("button", { name: "Save listing" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Listing saved." })).toBeVisible();
  await page.goto("/leaders");
  await expect(page.getByRole("heading", { name: "Accredited Balint group leaders", level: 1 })).toBeVisible();
  await page.getByLabel("Name, region or organisation").fill("Northshore");
  await page.getByLabel("Online").check();
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/online=1/);
  await expect(page.getByTestId("directory-leader").filter({ hasText: OWNER.name }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page, "leaders directory");
});
