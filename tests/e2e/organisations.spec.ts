import { expect, test } from "@playwright/test";
import { OWNER, PASSWORD, appLink, expectNoSeriousA11yViolations, readLatestMail, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

test("an owner invites a person, who signs up from the email, confirms, joins, and gets a new role", async ({ browser, baseURL }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const inviteeContext = await browser.newContext();
  const invitee = await inviteeContext.newPage();
  const person = { name: "Thandiwe Nkosi", email: uniqueEmail("invitee"), password: PASSWORD };

  // The owner invites someone as a member.
  await signInViaUi(owner, OWNER);
  await expect(owner.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
  await owner.goto(`/o/${OWNER.organisationSlug}/invitations`);
  await expectNoSeriousA11yViolations(owner, "/o/:slug/invitations");
  // Bad input names the field.
  await owner.getByLabel("Email address").fill("not an address");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByRole("alert")).toBeVisible();
  await expect(owner.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await owner.getByLabel("Email address").fill(person.email);
  await owner.getByLabel("Role", { exact: true }).selectOption("member");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByText(`Invitation sent to ${person.email}.`)).toBeVisible();
  await expect(owner.getByRole("table").getByRole("rowheader", { name: person.email })).toBeVisible();

  // The invitee opens the email, creates an account from the invitation and confirms it.
  const invitation = await readLatestMail(invitee, person.email, new RegExp(`You are invited to join ${OWNER.organisationName}`));
  const invitationUrl = appLink(invitation, baseURL!);
  expect(invitationUrl).toMatch(/\/invitations\/[\w-]+/);
  await invitee.goto(invitationUrl);
  await expect(invitee.getByRole("heading", { level: 1, name: `Join ${OWNER.organisationName}` })).toBeVisible();
  await expectNoSeriousA11yViolations(invitee, "/invitations/:token signed out");
  await invitee.getByRole("main").getByRole("link", { name: "Create an account" }).click();
  await expect(invitee).toHaveURL(/\/sign-up/);
  await invitee.getByLabel("Your name").fill(person.name);
  await invitee.getByLabel("Email address").fill(person.email);
  await invitee.getByRole("main").getByLabel(/password/i).first().fill(person.password);
  await invitee.getByRole("main").getByRole("button", { name: "Create account" }).click();
  await expect(invitee.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
  const confirm = await readLatestMail(invitee, person.email, /Confirm your email address/);
  await invitee.goto(appLink(confirm, baseURL!));
  await expect(invitee.getByRole("heading", { level: 1, name: "Email address confirmed" })).toBeVisible();

  // …and accepts.
  await invitee.goto(invitationUrl);
  await expect(invitee.getByText(`You are signed in as ${person.email}.`)).toBeVisible();
  await expectNoSeriousA11yViolations(invitee, "/invitations/:token ready");
  await invitee.getByRole("button", { name: `Accept and join ${OWNER.organisationName}` }).click();
  await expect(invitee).toHaveURL(new RegExp(`/o/${OWNER.organisationSlug}`));
  await expect(invitee.getByText(`You have joined ${OWNER.organisationName}. Welcome.`)).toBeVisible();

  // The owner sees the new member and makes them a group leader.
  await owner.goto(`/o/${OWNER.organisationSlug}/members`);
  const row = owner.getByRole("row").filter({ hasText: person.email });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Member");
  await expectNoSeriousA11yViolations(owner, "/o/:slug/members");
  await owner.getByLabel(`Role for ${person.name}`).selectOption("leader");
  await row.getByRole("button", { name: /Change role/ }).click();
  await expect(owner.getByText(`${person.name} is now group leader.`, { exact: false })).toBeVisible();
  await expect(owner.getByLabel(`Role for ${person.name}`)).toHaveValue("leader");
  const roleMail = await readLatestMail(invitee, person.email, new RegExp(`Your role in ${OWNER.organisationName} changed`));
  expect(roleMail.text).toContain("group leader");

  // The new member finds the organisation in the switcher and on /home.
  await invitee.goto("/home");
  await expectNoSeriousA11yViolations(invitee, "/home");
  await invitee.getByRole("banner").getByText("Switch organisation").click();
  const switcherLink = invitee.getByRole("banner").getByRole("link", { name: OWNER.organisationName });
  await expect(switcherLink).toBeVisible();
  await switcherLink.click();
  await expect(invitee).toHaveURL(new RegExp(`/o/${OWNER.organisationSlug}$`));
  await expect(invitee.getByRole("heading", { level: 1 })).toContainText(OWNER.organisationName);

  await ownerContext.close();
  await inviteeContext.close();
});

test("a person who belongs to no organisation sees a calm empty state, and other organisations are 404", async ({ page }) => {
  const person = { name: "Mateus Costa", email: uniqueEmail("lonely"), password: PASSWORD };
  await signUpViaUi(page, person);
  await page.goto("/home");
  await expect(page.getByText("You do not belong to an organisation yet")).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/home empty");
  const response = await page.goto(`/o/${OWNER.organisationSlug}/members`);
  expect(response?.status()).toBe(404);
});
