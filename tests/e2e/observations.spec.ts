import { expect, test } from "@playwright/test";
import { OWNER, PASSWORD, expectNoSeriousA11yViolations, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

// A faculty member observes a leader in training at an intensive; the leader reads it.
test("faculty records an observation of a leader in training, who reads it", async ({ browser }) => {
  test.setTimeout(150_000);
  const suffix = Date.now().toString(36);
  const slug = `observed-intensive-${suffix}`;
  const title = `Observed Intensive ${suffix}`;
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const facultyPage = await (await browser.newContext()).newPage();
  const leaderPage = await (await browser.newContext()).newPage();
  const facultyPerson = { name: `Fatima Faculty ${suffix}`, email: uniqueEmail("faculty"), password: PASSWORD };
  const leaderPerson = { name: `Leo Leader ${suffix}`, email: uniqueEmail("leader"), password: PASSWORD };

  await signInViaUi(owner, OWNER);
  const origin = new URL(owner.url()).origin;
  const orgs = (await (await owner.request.get("/api/v1/orgs")).json()) as { items: Array<{ id?: string; organisationId?: string; slug: string }> };
  const org = orgs.items.find((o) => o.slug === OWNER.organisationSlug)!;
  const orgId = (org.organisationId ?? org.id)!;
  const year = new Date().getUTCFullYear() + 1;
  const created = await owner.request.post(`/api/v1/orgs/${orgId}/events`, {
    headers: { origin },
    data: {
      kind: "intensive",
      slug,
      title,
      language: "en",
      timeZone: "UTC",
      format: "in_person",
      venue: "Lakeside Retreat",
      capacity: 30,
      days: [{ date: `${year}-05-20`, sessions: [{ kind: "experiential_group", title: "Demonstration group", start: "09:00", end: "10:30" }] }],
      tiers: [{ name: "Standard", amountMinor: 0, currency: "USD", eligibility: "anyone" }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const eventId = ((await created.json()) as { id: string }).id;
  expect((await owner.request.post(`/api/v1/orgs/${orgId}/events/${eventId}/publish`, { headers: { origin } })).status()).toBe(200);

  // The leader in training registers on the public page as a leader in training.
  await signUpViaUi(leaderPage, leaderPerson);
  await leaderPage.goto(`/events/${OWNER.organisationSlug}/${slug}`);
  await leaderPage.getByRole("radio", { name: /Standard/ }).check();
  await leaderPage.locator('select[name="role"]').selectOption("leader_in_training");
  await leaderPage.getByRole("main").getByRole("button", { name: "Register" }).click();
  await expect(leaderPage.getByText("You are registered.", { exact: false })).toBeVisible();

  // A visiting faculty member registers; the organiser marks them faculty of the event.
  await signUpViaUi(facultyPage, facultyPerson);
  const tiers = ((await (await owner.request.get(`/api/v1/orgs/${orgId}/events/${eventId}`)).json()) as { tiers: Array<{ id: string }> }).tiers;
  const reg = await facultyPage.request.post(`/api/v1/events/${OWNER.organisationSlug}/${slug}/registrations`, { headers: { origin }, data: { tierId: tiers[0]!.id } });
  expect(reg.status(), await reg.text()).toBe(201);
  const regs = ((await (await owner.request.get(`/api/v1/orgs/${orgId}/events/${eventId}/registrations`)).json()) as { items: Array<{ id: string; email: string }> }).items;
  const facultyReg = regs.find((r) => r.email === facultyPerson.email)!;
  expect((await owner.request.post(`/api/v1/orgs/${orgId}/event-registrations/${facultyReg.id}/role`, { headers: { origin }, data: { role: "faculty" } })).status()).toBe(200);

  // The organiser's event page links to the observation page.
  await owner.goto(`/o/${OWNER.organisationSlug}/events/${eventId}`);
  await expect(owner.getByRole("link", { name: "Observe a leader in training" })).toBeVisible();

  // The faculty member finds the event under Observations and records an observation.
  await facultyPage.goto("/account/observations");
  await facultyPage.getByRole("link", { name: title }).click();
  await expect(facultyPage.getByRole("heading", { level: 1, name: `Observations at ${title}` })).toBeVisible();
  await expectNoSeriousA11yViolations(facultyPage, "observation form");
  await facultyPage.getByLabel("Leader in training", { exact: true }).selectOption({ label: leaderPerson.name });
  await facultyPage.getByLabel("Session (optional)").selectOption({ index: 1 });
  await facultyPage.getByLabel("Boundaries", { exact: true }).selectOption("3");
  await facultyPage.getByLabel("Protecting the presenter", { exact: true }).selectOption("4");
  // A name in the narrative is flagged as you type and by the server.
  await facultyPage.getByLabel("What you observed (optional)").fill("Mrs Delacroix was discussed.");
  await expect(facultyPage.getByText("This may name someone or hold an identifier.", { exact: false })).toBeVisible();
  await facultyPage.getByRole("button", { name: "Save the observation" }).click();
  await expect(facultyPage.getByRole("alert")).toContainText("names someone");
  await facultyPage.getByLabel("What you observed (optional)").fill("Kept the group with the doctor's question and protected the presenter well.");
  await facultyPage.getByLabel("Boundaries", { exact: true }).selectOption("3");
  await facultyPage.getByLabel("Protecting the presenter", { exact: true }).selectOption("4");
  await facultyPage.getByRole("button", { name: "Save the observation" }).click();
  await expect(facultyPage.getByRole("status")).toContainText("The observation is saved.");
  await expect(facultyPage.getByTestId("observation")).toContainText(leaderPerson.name);
  await expectNoSeriousA11yViolations(facultyPage, "observation saved");

  // The leader in training reads it.
  await leaderPage.goto("/account/observations");
  const card = leaderPage.getByTestId("observation");
  await expect(card).toContainText(title);
  await expect(card).toContainText(facultyPerson.name);
  await expect(card).toContainText("protected the presenter well");
  await expect(card.getByRole("row", { name: /Protecting the presenter/ })).toContainText("4 – Exemplary");
  await expectNoSeriousA11yViolations(leaderPage, "my observations");

  // Someone else cannot open the faculty page.
  const stranger = await leaderPage.goto(`/observe/${orgId}/${eventId}`);
  expect(stranger?.status()).toBe(404);
});
