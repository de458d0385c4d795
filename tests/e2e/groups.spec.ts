import { expect, test } from "@playwright/test";
import { OWNER, PASSWORD, expectNoSeriousA11yViolations, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

test("a coordinator creates a listed group; a newcomer finds it, asks for a seat, is approved, accepts the agreement and sees the link", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const newcomerContext = await browser.newContext();
  const newcomer = await newcomerContext.newPage();
  const suffix = Date.now().toString(36);
  const groupName = `Harbour residents ${suffix}`;
  const link = `https://meet.example.org/harbour-${suffix}`;
  const person = { name: "Ines Navarro", email: uniqueEmail("joiner"), password: PASSWORD };

  // The owner (coordinator rights) creates a listed online group and leads it.
  await signInViaUi(owner, OWNER);
  await owner.goto(`/o/${OWNER.organisationSlug}/groups`);
  await expectNoSeriousA11yViolations(owner, "/o/:slug/groups");
  await owner.getByRole("main").getByRole("link", { name: "New group" }).click();
  await expect(owner).toHaveURL(new RegExp(`/o/${OWNER.organisationSlug}/groups/new$`));
  await expectNoSeriousA11yViolations(owner, "/o/:slug/groups/new");
  await owner.getByLabel("Name", { exact: true }).fill(groupName);
  await owner.getByLabel("Description").fill("A monthly group for residents.");
  await owner.getByRole("radio", { name: "Online", exact: true }).check();
  await owner.getByLabel("Meeting link").fill(link);
  await owner.getByLabel("Time zone of the meetings").selectOption("Europe/London");
  await owner.getByLabel("Date of the first meeting").fill("2030-01-09");
  await owner.getByLabel("Start time").fill("19:00");
  await owner.getByRole("radio", { name: "Once a month, on the same weekday" }).check();
  await owner.getByLabel("Number of meetings in the term").fill("8");
  await owner.getByLabel(OWNER.name).selectOption("leader");
  await owner.getByRole("button", { name: "Create the group" }).click();
  await expect(owner.getByText(`The group ${groupName} was created.`)).toBeVisible();
  await expectNoSeriousA11yViolations(owner, "/o/:slug/groups/:groupId");

  // A newcomer finds it in the directory (signed out), then signs up and asks for a seat.
  await newcomer.goto("/");
  await newcomer.getByRole("banner").getByRole("link", { name: "Find a group" }).click();
  await expect(newcomer).toHaveURL(/\/groups$/);
  await expectNoSeriousA11yViolations(newcomer, "/groups");
  await newcomer.getByLabel("Search by name or description").fill(`Harbour ${suffix}`);
  await newcomer.getByRole("button", { name: "Show groups" }).click();
  await expect(newcomer.getByText("1 group found", { exact: false })).toBeVisible();
  await expect(newcomer.getByText("Every 2nd Wednesday of the month", { exact: false })).toBeVisible();
  await newcomer.getByRole("link", { name: groupName }).click();
  await expect(newcomer.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
  await expect(newcomer.getByText(link)).toHaveCount(0);
  await expectNoSeriousA11yViolations(newcomer, "/groups/:org/:group signed out");
  const groupUrl = newcomer.url();
  await signUpViaUi(newcomer, person);
  await newcomer.goto(groupUrl);
  await newcomer.getByLabel("A short note for the leaders (optional)").fill("Second-year resident.");
  await newcomer.getByRole("button", { name: "Request a seat" }).click();
  await expect(newcomer.getByText(`Your request to join ${groupName} was sent.`, { exact: false })).toBeVisible();
  await expectNoSeriousA11yViolations(newcomer, "/groups/:org/:group pending");

  // The leader approves.
  await owner.reload();
  await expect(owner.getByText("Second-year resident.")).toBeVisible();
  await owner.getByRole("button", { name: `Approve ${person.name}` }).click();
  await expect(owner.getByText(`${person.name} is now a member of ${groupName}.`)).toBeVisible();

  // The member accepts the agreement and then sees the meeting link.
  await newcomer.goto(groupUrl);
  await expect(newcomer.getByRole("heading", { name: "The group agreement" })).toBeVisible();
  await expect(newcomer.getByText(link)).toHaveCount(0);
  await expectNoSeriousA11yViolations(newcomer, "/groups/:org/:group agreement");
  await newcomer.getByRole("button", { name: "I agree" }).click();
  await expect(newcomer.getByRole("link", { name: link })).toBeVisible();
  await expect(newcomer.getByRole("heading", { name: "The group agreement" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(newcomer, "/groups/:org/:group member");

  await ownerContext.close();
  await newcomerContext.close();
});
