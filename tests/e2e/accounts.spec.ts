import { expect, test, type Page } from "@playwright/test";
import { PASSWORD, appLink, expectNoSeriousA11yViolations, readLatestMail, signInViaUi, signOutViaUi, signUpViaUi, totp, totpSecretFrom, uniqueEmail } from "./support.ts";

const signedIn = (page: Page) => expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();

async function newVerifiedPerson(page: Page, baseURL: string, label: string, name: string) {
  const person = { name, email: uniqueEmail(label), password: PASSWORD };
  await signUpViaUi(page, person);
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Balint Commons" })).toBeVisible();
  const mail = await readLatestMail(page, person.email, /Confirm your email address/);
  await page.goto(appLink(mail, baseURL));
  await expect(page.getByRole("heading", { level: 1, name: "Email address confirmed" })).toBeVisible();
  return person;
}

test("sign up, confirm the address from the email, sign out and sign in again", async ({ page, baseURL }) => {
  const person = { name: "Ngozi Adichie-Brown", email: uniqueEmail("signup"), password: PASSWORD };
  await page.goto("/sign-up");
  await expect(page.getByRole("heading", { level: 1, name: "Create an account" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/sign-up");

  // A weak password is refused with the field named, and what was typed is kept.
  await signUpViaUi(page, { ...person, password: "password123" });
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByRole("main").getByLabel(/password/i).first()).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email address")).toHaveValue(person.email);

  await signUpViaUi(page, person);
  await expect(page.getByRole("heading", { level: 1, name: "Welcome to Balint Commons" })).toBeVisible();
  await expect(page.getByText(person.email).first()).toBeVisible();
  await signedIn(page);
  await expectNoSeriousA11yViolations(page, "sign-up welcome");

  const mail = await readLatestMail(page, person.email, /Confirm your email address/);
  expect(mail.text).toContain(`Hello ${person.name},`);
  await expectNoSeriousA11yViolations(page, "/dev/outbox/:id");
  await page.goto(appLink(mail, baseURL!));
  await expect(page.getByRole("heading", { level: 1, name: "Email address confirmed" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/verify-email");

  await signOutViaUi(page);
  await signInViaUi(page, { email: person.email, password: "wrong-password-entirely" });
  await expect(page.getByRole("alert")).toContainText("The email address or password is not right.");
  await expectNoSeriousA11yViolations(page, "/sign-in with an error");
  await signInViaUi(page, person);
  await signedIn(page);
  await expect(page).not.toHaveURL(/\/sign-in/);
});

test("forgot password: the emailed link sets a new password", async ({ page, baseURL }) => {
  const person = await newVerifiedPerson(page, baseURL!, "reset", "Lars Johansson");
  await signOutViaUi(page);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Forgot your password?" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/forgot-password");
  await page.getByLabel("Email address").fill(person.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Check your email" })).toBeVisible();

  const mail = await readLatestMail(page, person.email, /Reset your password/);
  await page.goto(appLink(mail, baseURL!));
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/reset-password");
  const newPassword = "orchard-lighthouse-softly-58";
  await page.getByLabel("New password").fill(newPassword);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByText("Your password was changed")).toBeVisible();

  await signInViaUi(page, person); // the old password no longer works
  await expect(page.getByRole("alert")).toContainText("The email address or password is not right.");
  await signInViaUi(page, { email: person.email, password: newPassword });
  await signedIn(page);
});

test("two-step verification with an authenticator app is asked for after the password", async ({ page, baseURL }) => {
  const person = await newVerifiedPerson(page, baseURL!, "totp", "Haruto Sato");
  await page.goto("/account/security");
  await expectNoSeriousA11yViolations(page, "/account/security");
  const section = page.getByRole("region", { name: "Two-step verification" });
  await section.getByLabel("Your current password").fill(person.password);
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByRole("heading", { name: "Connect your authenticator app" })).toBeVisible();
  const secret = totpSecretFrom(await section.getByLabel("Key for manual entry").innerText());
  await expectNoSeriousA11yViolations(page, "/account/security two-factor setup");
  const firstCode = totp(secret);
  await section.getByLabel("6-digit code").fill(firstCode);
  await section.getByRole("button", { name: "Confirm and turn on" }).click();
  await expect(page.getByRole("heading", { name: "Your recovery codes" })).toBeVisible();
  await expect(section.getByText("On", { exact: true })).toBeVisible();

  await signOutViaUi(page);
  await signInViaUi(page, person);
  await expect(page).toHaveURL(/\/sign-in\/two-factor/);
  await expect(page.getByRole("heading", { level: 1, name: "Two-step verification" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/sign-in/two-factor");
  // A wrong code is refused.
  await page.getByLabel("6-digit code").fill(firstCode === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  // A valid code signs in: the current one, or, while the current one is still the code that turned
  // two-factor on, the next window's (the server accepts one window either side), so no waiting.
  let code = totp(secret);
  if (code === firstCode) code = totp(secret, Date.now() + 30_000);
  await page.getByLabel("6-digit code").fill(code);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await signedIn(page);
});

test("add a passkey with a virtual authenticator and sign in with it", async ({ page, baseURL }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });

  await newVerifiedPerson(page, baseURL!, "passkey", "Zanele Dlamini");
  await page.goto("/account/security");
  const section = page.getByRole("region", { name: "Passkeys" });
  await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
  await section.getByLabel("Name for a new passkey (optional)").fill("Test laptop");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByText("You have no passkeys yet.")).toHaveCount(0);
  await expect(section.getByRole("button", { name: "Delete passkey Test laptop" })).toBeVisible();
  await expectNoSeriousA11yViolations(page, "/account/security with a passkey");

  await signOutViaUi(page);
  await page.goto("/sign-in");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await signedIn(page);
  await page.goto("/account/security");
  await expect(page.getByRole("region", { name: "Passkeys" }).getByRole("button", { name: "Delete passkey Test laptop" })).toBeVisible();
});
