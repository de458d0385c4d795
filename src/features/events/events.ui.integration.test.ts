import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { eventRegistration } from "./schema.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ ui: true });
});
afterAll(async () => app?.close());

const page = (path: string, cookie?: string) => app.request(path, { ...(cookie ? { cookie } : {}), redirect: "manual" });
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  app.request(path, { method: "POST", cookie, body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

it("organiser creates and publishes through the pages; a person registers without JavaScript", async () => {
  const { org, person: organiser } = await orgWithPerson(app, "coordinator");
  const created = await post(`/o/${org.slug}/events`, organiser.cookie, {
    kind: "workshop",
    title: "Co-leading workshop",
    slug: "co-leading",
    description: "A day on co-leadership.",
    language: "en",
    timeZone: "Europe/Madrid",
    format: "online",
    venue: "",
    onlineLink: "https://meet.example.org/secret-ui",
    capacity: "12",
    ceStatement: "",
    ceHours: "5",
    registrationClosesAt: "",
    programme: "2031-05-06 09:30-11:00 experiential_group Demonstration group\n2031-05-06 11:30-13:00 small_group Practice",
    tiers: "anyone 15000 eur Standard",
    questions: "dietary | Dietary needs | none, vegetarian *",
  });
  expect(created.status).toBe(302);
  const location = created.headers.get("location")!;
  expect(location).toMatch(new RegExp(`/o/${org.slug}/events/[0-9a-f-]{36}$`));
  expect((await post(location, organiser.cookie, { intent: "publish" })).status).toBe(200);

  const pub = await page(`/events/${org.slug}/co-leading`);
  expect(pub.status).toBe(200);
  const html = await pub.text();
  expect(html).toContain("Co-leading workshop");
  expect(html).toContain("/api/v1/public/events/");
  expect(html).not.toContain("secret-ui");

  const person = await signUp(app, { verified: true });
  const event = await app.services.events.publicEvent(org.slug, "co-leading");
  const missing = await post(`/events/${org.slug}/co-leading`, person.cookie, { tierId: event.tiers[0]!.id });
  expect(missing.status).toBe(400);
  const ok = await post(`/events/${org.slug}/co-leading`, person.cookie, { tierId: event.tiers[0]!.id, [`answers.${event.questions[0]!.id}`]: "vegetarian", keepApart: "" });
  expect(ok.status).toBe(200);
  const [row] = await app.services.kernel.db.select().from(eventRegistration).where(eq(eventRegistration.userId, person.id));
  expect(row!.status).toBe("confirmed");

  const mine = await (await page("/account/events", person.cookie)).text();
  expect(mine).toContain("Co-leading workshop");
  expect(mine).toContain("secret-ui");
  const table = await (await page(location, organiser.cookie)).text();
  expect(table).toContain(person.email);
  expect((await page(location, person.cookie)).status).toBeGreaterThanOrEqual(403);
  expect((await page(`/events/${org.slug}`)).status).toBe(200);
});
