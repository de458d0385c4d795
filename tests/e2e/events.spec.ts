import { expect, test } from "@playwright/test";
import { OWNER, PASSWORD, appLink, expectNoSeriousA11yViolations, readLatestMail, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

test("a trainee registers for an intensive at the trainee price, is checked in, gets a small group and a certificate that verifies, and the intensive counts in their accreditation progress", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const traineeContext = await browser.newContext();
  const trainee = await traineeContext.newPage();
  const suffix = Date.now().toString(36);
  const title = `Spring Intensive ${suffix}`;
  const slug = `spring-intensive-${suffix}`;
  const person = { name: `Tomás Trainee ${suffix}`, email: uniqueEmail("trainee"), password: PASSWORD };

  // The owner (an organiser) sets up a two-day intensive through the events API.
  await signInViaUi(owner, OWNER);
  const orgs = (await (await owner.request.get("/api/v1/orgs")).json()) as { items: Array<{ id?: string; organisationId?: string; slug: string }> };
  const org = orgs.items.find((o) => o.slug === OWNER.organisationSlug)!;
  const orgId = (org.organisationId ?? org.id)!;
  // The intensive took place last week (attendance counts toward accreditation once it has happened).
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const created = await owner.request.post(`/api/v1/orgs/${orgId}/events`, {
    headers: { origin: new URL(owner.url()).origin },
    data: {
      kind: "intensive",
      slug,
      title,
      description: "Four days of experiential groups.",
      language: "en",
      timeZone: "UTC",
      format: "in_person",
      venue: "Lakeside Retreat",
      capacity: 30,
      ceHours: 12,
      ceStatement: "This activity is approved for 12 hours of continuing education.",
      days: [
        { date: daysAgo(8), sessions: [{ kind: "experiential_group", title: "Large group", start: "09:00", end: "13:00" }, { kind: "small_group", title: "Small groups", start: "14:00", end: "18:00" }] },
        { date: daysAgo(7), sessions: [{ kind: "faculty_panel", title: "Faculty panel", start: "09:00", end: "13:00" }] },
      ],
      tiers: [
        { name: "Member", amountMinor: 87500, currency: "USD", eligibility: "member" },
        { name: "Non-member", amountMinor: 97500, currency: "USD", eligibility: "anyone" },
        { name: "Trainee", amountMinor: 70000, currency: "USD", eligibility: "trainee", discountLabel: "20% off for trainees" },
      ],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const eventId = ((await created.json()) as { id: string }).id;
  const published = await owner.request.post(`/api/v1/orgs/${orgId}/events/${eventId}/publish`, { headers: { origin: new URL(owner.url()).origin } });
  expect(published.status(), await published.text()).toBe(200);

  // A trainee signs up and registers on the public event page at the trainee price.
  await signUpViaUi(trainee, person);
  await trainee.goto(`/events/${OWNER.organisationSlug}/${slug}`);
  await expect(trainee.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await trainee.getByRole("radio", { name: /Trainee/ }).check();
  await trainee.locator('select[name="trainee.stage"]').selectOption("resident");
  await trainee.locator('select[name="trainee.discipline"]').selectOption("family_medicine");
  await trainee.getByLabel("I confirm that I am currently in training").check();
  await trainee.locator('select[name="discipline"]').selectOption("family_medicine");
  await trainee.getByRole("main").getByRole("button", { name: "Register" }).click();
  await expect(trainee.getByText("You are registered.", { exact: false })).toBeVisible();
  const mine = (await (await trainee.request.get("/api/v1/me/event-registrations")).json()) as { items: Array<{ amountMinor: number; status: string }> };
  expect(mine.items).toEqual([expect.objectContaining({ amountMinor: 70000, status: "confirmed" })]);

  // A colleague registers too (through the API, at the non-member price).
  const colleagueContext = await browser.newContext();
  const colleague = { name: `Rosa Colleague ${suffix}`, email: uniqueEmail("colleague") };
  const origin = new URL(owner.url()).origin;
  const signedUp = await colleagueContext.request.post("/api/auth/sign-up/email", { headers: { origin }, data: { name: colleague.name, email: colleague.email, password: PASSWORD } });
  expect(signedUp.status(), await signedUp.text()).toBe(200);
  const tiers = ((await (await owner.request.get(`/api/v1/orgs/${orgId}/events/${eventId}`)).json()) as { tiers: Array<{ id: string; name: string }> }).tiers;
  const registered = await colleagueContext.request.post(`/api/v1/events/${OWNER.organisationSlug}/${slug}/registrations`, { headers: { origin }, data: { tierId: tiers.find((t) => t.name === "Non-member")!.id, discipline: "psychiatry" } });
  expect(registered.status(), await registered.text()).toBe(201);

  // The organiser forms the small groups, moves people by keyboard and menu, and publishes.
  await owner.goto(`/o/${OWNER.organisationSlug}/events/${eventId}/roster`);
  await owner.getByLabel("Smallest group").fill("1");
  await owner.getByLabel("Largest group").fill("2");
  await owner.getByLabel("Preferred size").fill("1");
  await owner.getByRole("button", { name: "Generate balanced groups" }).first().click();
  await expect(owner.getByText("A proposal is ready below.")).toBeVisible();
  await expect(owner.getByTestId("roster-group")).toHaveCount(2);
  await expect(owner.getByTestId("roster-person")).toHaveCount(2);
  await expectNoSeriousA11yViolations(owner, "/o/:slug/events/:eventId/roster");
  const menu = owner.getByLabel(`Group for ${person.name}`);
  const before = await menu.inputValue();
  // Arrow keys on the focused name move the person to the next / previous group, announced.
  await owner.getByRole("button", { name: person.name }).focus();
  await owner.keyboard.press(before === "0" ? "ArrowRight" : "ArrowLeft");
  await expect(owner.getByTestId("roster-announcement")).toContainText(`${person.name} moved to`);
  await expect(owner.getByLabel(`Group for ${person.name}`)).toHaveValue(before === "0" ? "1" : "0");
  await expect(owner.getByRole("button", { name: person.name })).toBeFocused();
  await expect(owner.getByTestId("roster-group").nth(before === "0" ? 1 : 0).getByTestId("roster-person")).toHaveCount(2);
  // Drag and drop moves them back.
  const home = owner.getByTestId("roster-group").nth(Number(before));
  await owner.getByRole("button", { name: person.name }).dragTo(home);
  await expect(owner.getByLabel(`Group for ${person.name}`)).toHaveValue(before);
  await expect(home.getByTestId("roster-person")).toHaveCount(1);
  // And so does the group menu (there and back).
  await owner.getByLabel(`Group for ${person.name}`).selectOption(before === "0" ? "1" : "0");
  await expect(home.getByTestId("roster-person")).toHaveCount(0);
  await owner.getByLabel(`Group for ${person.name}`).selectOption(before);
  await expect(home.getByTestId("roster-person")).toHaveCount(1);
  await owner.getByRole("button", { name: "Save groups" }).click();
  await expect(owner.getByText("Groups saved.")).toBeVisible();
  await owner.getByRole("button", { name: "Publish to participants" }).click();
  await expect(owner.getByText("Published: each participant was emailed their group.")).toBeVisible();

  // The organiser checks the trainee in on day 1 (search, then the big button) and issues the certificate.
  await owner.goto(`/o/${OWNER.organisationSlug}/events/${eventId}/checkin`);
  await owner.getByLabel("Search by name or email").fill(person.name);
  await expect(owner.getByTestId("checkin-row")).toHaveCount(1);
  await expectNoSeriousA11yViolations(owner, "/o/:slug/events/:eventId/checkin");
  await owner.getByRole("button", { name: `Check in ${person.name}` }).click();
  await expect(owner.getByRole("button", { name: `Undo check-in for ${person.name}` })).toBeVisible();
  await expect(owner.getByText("1 day · 8 CE hours")).toBeVisible();
  await owner.getByRole("button", { name: `Issue certificate to ${person.name}` }).click();
  await expect(owner.getByRole("link", { name: /^Certificate [0-9A-Z-]{19}$/ })).toBeVisible();

  // The trainee sees the group, the attendance and the certificate; downloads it and checks it.
  await trainee.goto("/account/intensives");
  await expect(trainee.getByTestId("my-group")).toContainText(title);
  await expect(trainee.getByText(`${title}: 1 day, 8 CE hours`)).toBeVisible();
  await expect(trainee.getByTestId("my-certificate")).toContainText("8 hours");
  await expectNoSeriousA11yViolations(trainee, "/account/intensives");
  const downloadPromise = trainee.waitForEvent("download");
  await trainee.getByRole("link", { name: "Download PDF" }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^certificate-[0-9A-Z-]{19}\.pdf$/);
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).subarray(0, 5).toString()).toBe("%PDF-");

  await trainee.getByRole("link", { name: "Verification page" }).click();
  await expect(trainee.getByRole("heading", { name: "Valid certificate" })).toBeVisible();
  await expect(trainee.getByText(person.name)).toBeVisible();
  await expectNoSeriousA11yViolations(trainee, "/verify/certificate/:code");

  // Anyone can check a code; an altered one is not valid.
  const code = trainee.url().split("/").at(-1)!;
  const anonymous = await (await browser.newContext()).newPage();
  const altered = `${code.slice(0, -1)}${code.at(-1) === "0" ? "1" : "0"}`;
  await anonymous.goto(`/verify/certificate/${altered}`);
  await expect(anonymous.getByRole("heading", { name: "No certificate has this code" })).toBeVisible();
  await anonymous.getByLabel("Verification code").fill(code);
  await anonymous.getByRole("button", { name: "Check" }).click();
  await expect(anonymous.getByRole("heading", { name: "Valid certificate" })).toBeVisible();

  // The attended intensive counts in the trainee's accreditation progress. The coordinator (the
  // owner) publishes a pathway with an events requirement and invites the trainee into the
  // organisation (API: setup the journey is not about); the trainee enrols on /accreditation.
  const pathwayTitle = `Leader in training (e2e ${suffix})`;
  const pathwayName = `E2E events pathway ${suffix}`;
  const requirementLabel = `One intensive attended (${suffix})`;
  const pathway = await owner.request.post(`/api/v1/orgs/${orgId}/accreditation/pathways`, {
    headers: { origin },
    data: {
      key: `e2e-events-${suffix}`,
      name: pathwayName,
      definition: {
        title: pathwayTitle,
        requirements: [
          { id: "intensive", kind: "events_attended", label: requirementLabel, kinds: ["intensive"], minCount: 1 },
          { id: "observed", kind: "faculty_observations", label: `Observed by faculty (${suffix})`, minCount: 1 },
        ],
      },
    },
  });
  expect(pathway.status(), await pathway.text()).toBe(201);
  const { id: pathwayId, versionId } = (await pathway.json()) as { id: string; versionId: string };
  const publishedPathway = await owner.request.post(`/api/v1/orgs/${orgId}/accreditation/pathways/${pathwayId}/versions/${versionId}/publish`, { headers: { origin } });
  expect(publishedPathway.status(), await publishedPathway.text()).toBe(200);
  const invited = await owner.request.post(`/api/v1/orgs/${orgId}/invitations`, { headers: { origin }, data: { email: person.email, role: "member" } });
  expect(invited.status(), await invited.text()).toBeLessThan(300);
  const confirm = await readLatestMail(trainee, person.email, /Confirm your email address/);
  await trainee.goto(appLink(confirm, baseURL!));
  await expect(trainee.getByRole("heading", { level: 1, name: "Email address confirmed" })).toBeVisible();
  const invitation = await readLatestMail(trainee, person.email, /You are invited to join/);
  const token = new URL(appLink(invitation, baseURL!)).pathname.split("/").pop()!;
  const accepted = await trainee.request.post(`/api/v1/invitations/${token}/accept`, { headers: { origin } });
  expect(accepted.status(), await accepted.text()).toBeLessThan(300);

  await trainee.goto("/accreditation");
  await trainee.getByRole("listitem").filter({ has: trainee.getByRole("heading", { name: pathwayName }) }).getByRole("button", { name: "Enrol" }).click();
  const progress = trainee.locator("section.card").filter({ has: trainee.getByRole("heading", { level: 2, name: pathwayTitle }) });
  await expect(progress).toBeVisible();
  await expect(progress.getByRole("row").filter({ hasText: requirementLabel })).toContainText("1 of 1");
  await expect(progress.getByRole("row").filter({ hasText: `Observed by faculty (${suffix})` })).toContainText("0 of 1");
  await expectNoSeriousA11yViolations(trainee, "/accreditation");
});
