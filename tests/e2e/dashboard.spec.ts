// The dashboard (/dashboard): a newcomer's empty state, a request waiting for the leaders, the
// member's view (agreement link, RSVP with a note, also without JavaScript) and the leader's view
// (roster, requests, attendance to record). The group and the join steps are set up through the
// REST API with the people's own browser sessions (the journey through the UI is groups.spec.ts's).
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { OWNER, PASSWORD, expectNoSeriousA11yViolations, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

const DAY_MS = 86_400_000;

function api(r: APIRequestContext, page: Page) {
  const headers = () => ({ Origin: new URL(page.url()).origin });
  return {
    get: async <T>(path: string): Promise<T> => {
      const res = await r.get(`/api/v1${path}`);
      expect(res.status(), `GET ${path}`).toBe(200);
      return (await res.json()) as T;
    },
    post: async <T>(path: string, data: unknown, status = 200): Promise<T> => {
      const res = await r.post(`/api/v1${path}`, { data, headers: headers() });
      expect(res.status(), `POST ${path}: ${await res.text()}`).toBe(status);
      return (await res.json()) as T;
    },
  };
}

test("dashboard: empty state, waiting request, member RSVP with a note, leader's overview", async ({ browser }) => {
  test.setTimeout(120_000);
  const ownerContext = await browser.newContext();
  const memberContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  const member = await memberContext.newPage();
  const suffix = Date.now().toString(36);
  const groupName = `Lighthouse clinicians ${suffix}`;
  const person = { name: "Keziah Mensah", email: uniqueEmail("dashboard"), password: PASSWORD };

  // The owner creates a weekly group (UTC) that began six days ago: one meeting is past.
  await signInViaUi(owner, OWNER);
  const ownerApi = api(owner.request, owner);
  const me = await ownerApi.get<{ userId: string }>("/me");
  const orgs = await ownerApi.get<{ items: { organisationId: string; slug: string }[] }>("/orgs");
  const orgId = orgs.items.find((o) => o.slug === OWNER.organisationSlug)!.organisationId;
  const first = new Date(Date.now() - 6 * DAY_MS);
  const group = await ownerApi.post<{ id: string; slug: string }>(
    `/orgs/${orgId}/groups`,
    {
      name: groupName,
      description: "A weekly group.",
      format: "online",
      meetingLink: `https://meet.example.org/lighthouse-${suffix}`,
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=WEEKLY;COUNT=8", dtstartLocal: first.toISOString().slice(0, 16), durationMinutes: 60 },
      capacity: 10,
      leaders: [{ userId: me.userId, kind: "leader" }],
    },
    201,
  );

  // A newcomer with no group: the dashboard points to the directory.
  await signUpViaUi(member, person);
  await member.goto("/dashboard");
  await expect(member.getByRole("heading", { level: 1, name: "Your dashboard" })).toBeVisible();
  await expect(member.getByRole("heading", { level: 2, name: "You are not in a group yet" })).toBeVisible();
  await expect(member.getByRole("main").getByRole("link", { name: "Find a group" })).toHaveAttribute("href", "/groups");
  await expectNoSeriousA11yViolations(member, "/dashboard empty");

  // The request waits for the leaders.
  const memberApi = api(member.request, member);
  await memberApi.post(`/orgs/${orgId}/groups/${group.id}/join-requests`, { note: "Hospital nurse." }, 201);
  await member.reload();
  await expect(member.getByRole("heading", { level: 2, name: "Waiting for the leaders" })).toBeVisible();
  await expect(member.getByRole("main").getByRole("link", { name: groupName })).toBeVisible();

  // The leader's dashboard (from the header): the request, the roster, attendance to record.
  await owner.goto("/home");
  await owner.getByRole("banner").getByRole("link", { name: "Dashboard" }).click();
  await expect(owner).toHaveURL(/\/dashboard$/);
  await expect(owner.getByRole("heading", { level: 2, name: "Groups I lead" })).toBeVisible();
  const card = owner.getByRole("listitem").filter({ has: owner.getByRole("heading", { level: 3, name: groupName }) });
  await expect(card.getByText("0 of 10 seats taken")).toBeVisible();
  await expect(card.getByRole("link", { name: "1 waiting for your decision" })).toHaveAttribute("href", `/o/${OWNER.organisationSlug}/groups/${group.id}#pending-title`);
  await expect(owner.getByText("waiting for attendance", { exact: false })).toBeVisible();
  await expectNoSeriousA11yViolations(owner, "/dashboard leader");

  // Approved: the member is asked to accept the agreement first.
  const approval = await owner.request.post(`/api/v1/orgs/${orgId}/groups/${group.id}/join-requests/${(await memberApi.get<{ userId: string }>("/me")).userId}/decision`, {
    data: { decision: "approve" },
    headers: { Origin: new URL(owner.url()).origin },
  });
  expect(approval.status()).toBe(200);
  await member.reload();
  await expect(member.getByRole("heading", { level: 2, name: "My groups" })).toBeVisible();
  const agreementLink = member.getByRole("link", { name: `Read the agreement of ${groupName}` });
  await expect(agreementLink).toHaveAttribute("href", `/groups/${OWNER.organisationSlug}/${group.slug}#agreement-title`);
  await member.goto((await agreementLink.getAttribute("href"))!);
  await expect(member.getByRole("heading", { name: "The group agreement" })).toBeVisible();
  await member.getByRole("button", { name: "I agree" }).click();
  await expect(member.getByRole("heading", { name: "The group agreement" })).toHaveCount(0);

  // The member answers "can't come" with a note, from the dashboard.
  await member.goto("/dashboard");
  const mine = member.getByRole("listitem").filter({ has: member.getByRole("heading", { level: 3, name: groupName }) });
  await expect(mine.getByText("Accepted")).toBeVisible();
  await expect(mine.getByText("You are going.")).toBeVisible();
  await expectNoSeriousA11yViolations(member, "/dashboard member");
  await mine.getByLabel("A note for the leaders (optional)").fill("Night shift that week.");
  await mine.getByRole("button", { name: "I can’t come" }).click();
  await expect(member.getByRole("status").filter({ hasText: "Your answer is saved." })).toBeVisible();
  await expect(mine.getByText("You can’t come.")).toBeVisible();

  // Without JavaScript the same form posts and the page shows the new answer.
  const noJs = await browser.newContext({ javaScriptEnabled: false, storageState: await memberContext.storageState() });
  const plain = await noJs.newPage();
  await plain.goto("/dashboard");
  const plainCard = plain.getByRole("listitem").filter({ has: plain.getByRole("heading", { level: 3, name: groupName }) });
  await plainCard.getByRole("button", { name: "I’m going after all" }).click();
  await expect(plain.getByText("Your answer is saved.")).toBeVisible();
  await expect(plainCard.getByText("You are going.")).toBeVisible();
  await noJs.close();

  // The leader sees the new member in the roster and goes to record attendance.
  await owner.reload();
  await expect(card.getByText("1 of 10 seats taken")).toBeVisible();
  await card.getByRole("link", { name: /^Record attendance for / }).first().click();
  await expect(owner).toHaveURL(new RegExp(`/sessions/${group.id}/[^/]+/attendance$`));

  await ownerContext.close();
  await memberContext.close();
});
