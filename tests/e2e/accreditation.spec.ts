// Issue 7, "Proof": from candidate to issued credential in Chromium, verified independently.
// The coordinator (the owner) creates and publishes a small pathway (membership now + one verified
// item); a candidate enrols, adds an item with a PDF; the coordinator verifies it; progress shows
// met; the candidate applies; the committee chair (the owner) assigns a reviewer, the reviewer
// recommends, the chair approves; the candidate is emailed, downloads the credential from
// /account/credentials, pastes it into /verify/credential (valid); the test verifies the download
// with the independent verifier (noble + node:crypto + JSON Schema, keys from the public JWKS);
// a tampered copy fails; the coordinator revokes it and verification says revoked (on the page and
// in the independently checked, signed status list). axe on the main pages.
// Setup the journey is not about goes through the API: inviting the candidate and the reviewer,
// seating the committee.
import { readFileSync } from "node:fs";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { OWNER, PASSWORD, appLink, expectNoSeriousA11yViolations, readLatestMail, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";
import { independentStatusBit, independentVerify } from "../../src/features/accreditation/credential-independent.test-support.ts";

async function api<T>(page: Page, method: "GET" | "POST" | "PUT", path: string, data?: unknown, okStatuses: number[] = []): Promise<{ status: number; body: T }> {
  const headers = { Origin: new URL(page.url()).origin };
  const res =
    method === "GET" ? await page.request.get(`/api/v1${path}`) : method === "PUT" ? await page.request.put(`/api/v1${path}`, { data, headers }) : await page.request.post(`/api/v1${path}`, { data, headers });
  if (!okStatuses.includes(res.status())) expect(res.status(), `${method} ${path}: ${res.status() >= 300 ? await res.text() : ""}`).toBeLessThan(300);
  return { status: res.status(), body: (await res.json()) as T };
}

/** A new person invited with `role`, signed up, confirmed and joined, signed in in their own browser context. */
async function newPerson(browser: Browser, owner: Page, orgId: string, baseURL: string, person: { name: string; email: string }, role: string): Promise<Page> {
  await api(owner, "POST", `/orgs/${orgId}/invitations`, { email: person.email, role });
  const page = await (await browser.newContext()).newPage();
  await signUpViaUi(page, { ...person, password: PASSWORD });
  const confirm = await readLatestMail(page, person.email, /Confirm your email address/);
  await page.goto(appLink(confirm, baseURL));
  await expect(page.getByRole("heading", { level: 1, name: "Email address confirmed" })).toBeVisible();
  const invitation = await readLatestMail(page, person.email, /You are invited to join/);
  const token = new URL(appLink(invitation, baseURL)).pathname.split("/").pop()!;
  await api(page, "POST", `/invitations/${token}/accept`);
  return page;
}

/** A small but real PDF (the upload is sniffed for %PDF-). */
function tinyPdf(): Buffer {
  return Buffer.from(
    "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n",
    "latin1",
  );
}

test("issue 7: a candidate becomes credentialed, the credential verifies independently, then is revoked", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36);
  const pathwayKey = `e2e-proof-${run}`;
  const pathwayName = `E2E proof pathway ${run}`;
  const pathwayTitle = `Balint leader (e2e ${run})`;
  const itemLabel = "Signed supervisor agreement";
  const candidate = { name: `Candidate ${run}`, email: uniqueEmail("acc-candidate") };
  const reviewer = { name: `Reviewer ${run}`, email: uniqueEmail("acc-reviewer") };

  // ---- setup through the API: people, roles and committee seats ----
  const owner = await (await browser.newContext()).newPage();
  await signInViaUi(owner, OWNER);
  const orgs = await api<{ items: { organisationId: string; slug: string }[] }>(owner, "GET", "/orgs");
  const orgId = orgs.body.items.find((o) => o.slug === OWNER.organisationSlug)!.organisationId;
  const slug = OWNER.organisationSlug;
  const cand = await newPerson(browser, owner, orgId, baseURL!, candidate, "member");
  const rev = await newPerson(browser, owner, orgId, baseURL!, reviewer, "supervisor");
  const ownerId = (await api<{ userId: string }>(owner, "GET", "/me")).body.userId;
  const reviewerId = (await api<{ userId: string }>(rev, "GET", "/me")).body.userId;
  const chair = await api<{ members: { userId: string; role: string }[] }>(owner, "PUT", `/orgs/${orgId}/accreditation/committee`, { userId: ownerId, role: "chair" }, [409]);
  if (chair.status === 409) {
    // Another spec seated a chair: this journey needs the owner in the chair.
    const committee = await api<{ members: { userId: string; role: string }[] }>(owner, "GET", `/orgs/${orgId}/accreditation/committee`);
    expect(committee.body.members.find((m) => m.role === "chair")?.userId, "the owner must chair the committee").toBe(ownerId);
  }
  await api(owner, "PUT", `/orgs/${orgId}/accreditation/committee`, { userId: reviewerId, role: "member" });

  // ---- the coordinator creates and publishes a small pathway (UI) ----
  await owner.goto(`/o/${slug}/accreditation`);
  await expect(owner.getByRole("heading", { level: 1 })).toBeVisible();
  const newForm = owner.locator("form").filter({ has: owner.getByRole("heading", { name: "New pathway" }) });
  await newForm.getByLabel("Key (lower-case, hyphens)").fill(pathwayKey);
  await newForm.getByLabel("Name", { exact: true }).fill(pathwayName);
  await newForm.getByLabel("Definition (JSON)").fill(
    JSON.stringify({
      title: pathwayTitle,
      summary: "An end-to-end test pathway.",
      requirements: [
        { id: "membership", kind: "membership_in_good_standing", label: "Member in good standing" },
        { id: "agreement", kind: "verified_item", label: itemLabel, minCount: 1 },
      ],
    }),
  );
  await newForm.getByRole("button", { name: "Create draft" }).click();
  const card = owner.locator("article.card").filter({ hasText: pathwayKey });
  await expect(card).toBeVisible();
  await card.getByRole("button", { name: "Publish version 1" }).click();
  // (Not /published/: the definition hint mentions "a published pathway" too.)
  await expect(card.getByText("Version 1: published")).toBeVisible();
  await expectNoSeriousA11yViolations(owner, "coordinator's accreditation page");

  // ---- the competency list: reordered with the keyboard, then put back (UI) ----
  await owner.getByRole("link", { name: "Competencies", exact: true }).click();
  await expect(owner.getByRole("heading", { level: 1, name: "Competencies" })).toBeVisible();
  await expectNoSeriousA11yViolations(owner, "competencies page");
  await owner.getByRole("button", { name: "Move Safety down" }).focus();
  await owner.keyboard.press("Enter");
  await expect(owner.getByRole("status").filter({ hasText: "Safety is now number 3 of 5." })).toBeVisible();
  await expect(owner.getByTestId("competency").nth(2)).toContainText("Safety");
  await owner.getByRole("button", { name: "Move Safety up" }).focus();
  await owner.keyboard.press("Enter");
  await expect(owner.getByRole("status").filter({ hasText: "Safety is now number 2 of 5." })).toBeVisible();
  await owner.goto(`/o/${slug}/accreditation`);

  // ---- the candidate enrols and adds evidence with a PDF (UI) ----
  await cand.goto("/accreditation");
  await cand.getByRole("listitem").filter({ has: cand.getByRole("heading", { name: pathwayName }) }).getByRole("button", { name: "Enrol" }).click();
  const mine = cand.locator("section.card").filter({ has: cand.getByRole("heading", { level: 2, name: pathwayTitle }) });
  await expect(mine).toBeVisible();
  await expect(mine.getByRole("row").filter({ hasText: itemLabel })).toContainText("0 of 1");
  await mine.getByLabel("Kind", { exact: true }).selectOption("verified_item");
  await mine.getByLabel("For requirement (items only)").selectOption({ label: itemLabel });
  await mine.getByLabel("Short description (no case content)").fill("Supervisor agreement, signed");
  await mine.getByLabel("Date", { exact: true }).fill("2026-01-15");
  await mine.getByLabel(/^File/).setInputFiles({ name: "agreement.pdf", mimeType: "application/pdf", buffer: tinyPdf() });
  await mine.getByRole("button", { name: "Add evidence" }).click();
  await expect(cand.getByRole("status").filter({ hasText: "Evidence added; it counts once verified." })).toBeVisible();
  await expect(mine.getByRole("listitem").filter({ hasText: "Supervisor agreement, signed" })).toContainText("awaiting verification");
  await expectNoSeriousA11yViolations(cand, "candidate's accreditation page");

  // ---- the coordinator downloads the file and verifies the item (UI) ----
  await owner.goto(`/o/${slug}/accreditation`);
  const item = owner.getByRole("listitem").filter({ hasText: candidate.name }).filter({ hasText: "Supervisor agreement, signed" });
  await expect(item).toBeVisible();
  const fileHref = await item.getByRole("link", { name: "File", exact: true }).getAttribute("href");
  const file = await owner.request.get(fileHref!);
  expect(file.status()).toBe(200);
  expect(file.headers()["content-disposition"]).toMatch(/^attachment/);
  expect((await file.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  await expectNoSeriousA11yViolations(owner, "evidence queue");
  await item.getByRole("button", { name: "Verify" }).click();
  await expect(item).toHaveCount(0);

  // ---- progress shows met (UI) ----
  await cand.goto("/accreditation");
  await expect(mine.getByRole("row").filter({ hasText: itemLabel })).toContainText("Met");
  await expect(mine.getByRole("row").filter({ hasText: "Member in good standing" })).toContainText("Met");
  await expect(mine).toContainText("2 of 2 requirements met");
  await expect(mine.getByRole("listitem").filter({ hasText: "Supervisor agreement, signed" })).toContainText("verified");

  // ---- the candidate applies (UI) ----
  await cand.goto(`/o/${slug}/accreditation/applications`);
  await expectNoSeriousA11yViolations(cand, "application form");
  await cand.getByLabel("Candidacy").selectOption({ label: `${pathwayName} (v1)` });
  await cand.getByRole("button", { name: "Apply" }).click();
  await expect(cand).toHaveURL(/\/accreditation\/applications\/[0-9a-f-]+$/);
  await expect(cand.getByRole("main")).toContainText("Submitted");

  // ---- the chair assigns the reviewer (UI) ----
  await owner.goto(`/o/${slug}/accreditation/reviews`);
  const ownerApp = owner.locator("li.card").filter({ hasText: `${candidate.name}: ${pathwayName}` });
  await expect(ownerApp).toContainText("Submitted");
  await expectNoSeriousA11yViolations(owner, "committee queue");
  await ownerApp.getByLabel(reviewer.name).check();
  await ownerApp.getByRole("button", { name: "Assign reviewers" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(ownerApp).toContainText("In review");

  // ---- the reviewer recommends (UI) ----
  await rev.goto(`/o/${slug}/accreditation/reviews`);
  const revApp = rev.locator("li.card").filter({ hasText: `${candidate.name}: ${pathwayName}` });
  await revApp.getByLabel("Approve").check();
  await revApp.getByLabel("Comments").fill("Portfolio complete; supervisor agreement verified.");
  await revApp.getByRole("button", { name: "Recommend" }).click();
  await expect(rev.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(revApp).toContainText(`${reviewer.name}: Approve`);

  // ---- the chair approves (UI) ----
  await owner.goto(`/o/${slug}/accreditation/reviews`);
  await ownerApp.getByLabel("Approve").check();
  await ownerApp.getByLabel("Reasons").fill("All requirements met; the reviewer recommends approval.");
  await ownerApp.getByRole("button", { name: "Record the decision" }).click();
  await expect(owner.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(owner.getByRole("region", { name: "Decided" }).getByRole("listitem").filter({ hasText: `${candidate.name}: ${pathwayName}` })).toContainText("Decision: approved");
  await expect(ownerApp).toHaveCount(0);
  // The candidate's application page shows the decision and points to the credential.
  await cand.reload();
  await expect(cand.getByRole("main")).toContainText("Decision: approved");
  await expect(cand.getByRole("main").getByRole("link", { name: "/account/credentials" })).toBeVisible();

  // ---- the candidate is emailed and downloads the credential (dev outbox, UI) ----
  const mail = await readLatestMail(cand, candidate.email, /Your credential:/);
  expect(mail.subject).toContain(pathwayTitle);
  await cand.goto(appLink(mail, baseURL!));
  await expect(cand).toHaveURL(/\/account\/credentials$/);
  const held = cand.getByTestId("my-credential").filter({ hasText: pathwayTitle });
  await expect(held).toBeVisible();
  await expect(held).toHaveAttribute("data-state", "valid");
  await expectNoSeriousA11yViolations(cand, "my credentials");
  const credentialId = (await held.getByRole("link", { name: /verif/i }).getAttribute("href"))!.split("/").pop()!;
  const [download] = await Promise.all([cand.waitForEvent("download"), held.getByRole("link", { name: "Download (signed JWT)" }).click()]);
  const jwt = readFileSync((await download.path())!, "utf8").trim();
  expect(jwt.split(".")).toHaveLength(3);

  // ---- pasted into /verify/credential: valid ----
  await cand.goto("/verify/credential");
  await cand.getByLabel("Credential", { exact: true }).fill(jwt);
  await cand.getByRole("button", { name: "Check" }).click();
  await expect(cand.locator('[data-status="valid"]')).toBeVisible();
  await expect(cand.getByRole("heading", { level: 2, name: "Valid" })).toBeVisible();
  await expect(cand.getByTestId("credential-verification")).toContainText(candidate.name);
  await expect(cand.getByTestId("credential-verification")).toContainText(pathwayTitle);
  await expectNoSeriousA11yViolations(cand, "verify credential (valid)");

  // ---- independent verification of the download (keys from the public JWKS) ----
  const anon = await (await browser.newContext({ baseURL })).newPage();
  const jwks = await (await anon.request.get(`/api/v1/issuers/${orgId}/jwks.json`)).json();
  const ind = independentVerify(jwt, jwks);
  expect(ind).toMatchObject({ signatureNoble: true, signatureNode: true, schemaErrors: [] });
  const payload = ind.payload as { credentialSubject: { identifier: Array<{ identityHash: string }>; achievement: { name: string } }; credentialStatus: { statusListIndex: string; statusListCredential: string } };
  expect(payload.credentialSubject.achievement.name).toBe(pathwayTitle);
  const statusIndex = Number(payload.credentialStatus.statusListIndex);
  async function publicStatusBit(): Promise<boolean> {
    const res = await anon.request.get(`/api/v1/issuers/${orgId}/status/1`);
    expect(res.headers()["content-type"]).toContain("application/vc+jwt");
    const list = independentVerify((await res.text()).trim(), jwks);
    expect(list.signatureNoble && list.signatureNode).toBe(true);
    return independentStatusBit((list.payload as { credentialSubject: { encodedList: string } }).credentialSubject.encodedList, statusIndex);
  }
  expect(await publicStatusBit()).toBe(false);

  // ---- a tampered copy fails (independently and on the page) ----
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const forged = JSON.parse(Buffer.from(p, "base64url").toString());
  forged.credentialSubject.achievement.name = "Master Balint leader";
  const tampered = `${h}.${Buffer.from(JSON.stringify(forged)).toString("base64url")}.${s}`;
  expect(independentVerify(tampered, jwks)).toMatchObject({ signatureNoble: false, signatureNode: false });
  await cand.getByLabel("Credential", { exact: true }).fill(tampered);
  await cand.getByRole("button", { name: "Check" }).click();
  await expect(cand.locator('[data-status="tampered"]')).toBeVisible();

  // ---- the coordinator revokes it on the organisation's credentials page; verification says revoked ----
  await owner.goto(`/o/${slug}/accreditation`);
  await owner.getByRole("link", { name: "Issued credentials" }).click();
  await expect(owner.getByRole("heading", { level: 1 })).toContainText("Credentials issued by");
  await expectNoSeriousA11yViolations(owner, "issued credentials");
  const row = owner.getByRole("row").filter({ has: owner.locator(`a[href="/verify/credential/${credentialId}"]`) });
  await row.getByRole("combobox").selectOption("issued_in_error");
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(owner.getByRole("status")).toContainText("The credential is revoked");
  await expect(row).toContainText("Revoked");
  await cand.goto("/verify/credential");
  await cand.getByLabel("Credential", { exact: true }).fill(jwt);
  await cand.getByRole("button", { name: "Check" }).click();
  await expect(cand.locator('[data-status="revoked"]')).toBeVisible();
  await expect(cand.getByRole("heading", { level: 2, name: "Revoked" })).toBeVisible();
  await expectNoSeriousA11yViolations(cand, "verify credential (revoked)");
  expect(await publicStatusBit()).toBe(true);
  // The signature itself still verifies: revocation is a status, not a broken signature.
  expect(independentVerify(jwt, jwks)).toMatchObject({ signatureNoble: true, signatureNode: true });
  await cand.goto("/account/credentials");
  await expect(cand.getByTestId("my-credential").filter({ hasText: pathwayTitle })).toHaveAttribute("data-state", "revoked");
  await readLatestMail(cand, candidate.email, /was revoked/);
});
