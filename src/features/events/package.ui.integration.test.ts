import { afterAll, beforeAll, expect, it } from "vitest";
import { and, eq, ne } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { eventPackage, eventRegistration } from "./schema.ts";

// Packages through the pages (no JavaScript): the organiser creates and edits a series, the public
// list links it, a person registers on its page and sees it in My events; capacity is the events'.

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ ui: true });
});
afterAll(async () => app?.close());

const page = (path: string, cookie?: string) => app.request(path, { ...(cookie ? { cookie } : {}), redirect: "manual" });
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  app.request(path, { method: "POST", cookie, body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

it("organiser creates and edits a series; a person registers for it; seats are the events' seats", async () => {
  const { org, person: organiser } = await orgWithPerson(app, "coordinator");
  const ids: string[] = [];
  for (const [i, date] of ["2031-09-01", "2031-10-01", "2031-11-01"].entries()) {
    const e = await app.services.events.createEvent({ kind: "user", userId: organiser.id, memberships: new Map([[org.id, "coordinator"]]) } as never, org.id, {
      kind: "workshop",
      slug: `series-part-${i + 1}`,
      title: `Series part ${i + 1}`,
      language: "en",
      timeZone: "Europe/Madrid",
      format: "in_person",
      venue: "Madrid",
      capacity: 1,
      days: [{ date, sessions: [{ kind: "experiential_group", title: "Group", start: "10:00", end: "12:00" }] }],
      tiers: [{ name: "Single", amountMinor: 5000, currency: "EUR", eligibility: "anyone" }],
    });
    await app.services.events.publishEvent({ kind: "user", userId: organiser.id, memberships: new Map([[org.id, "coordinator"]]) } as never, org.id, e.id);
    ids.push(e.id);
  }

  // Bad input names the field and writes nothing.
  const bad = await post(`/o/${org.slug}/event-packages`, organiser.cookie, { title: "Autumn series", slug: "autumn", description: "", registrationClosesAt: "", [`event.${ids[0]}`]: "on", tiers: "anyone 9000 EUR Series", questions: "" });
  expect(bad.status).toBe(400);
  expect(await bad.text()).toContain("at least two events");
  expect(await app.services.kernel.db.select().from(eventPackage).where(eq(eventPackage.organisationId, org.id))).toHaveLength(0);

  const created = await post(`/o/${org.slug}/event-packages`, organiser.cookie, {
    title: "Autumn series",
    slug: "autumn",
    description: "Two workshops.",
    registrationClosesAt: "",
    [`event.${ids[0]}`]: "on",
    [`event.${ids[1]}`]: "on",
    tiers: "anyone 9000 EUR Series",
    questions: "dietary | Dietary needs | none, vegetarian *",
  });
  expect(created.status).toBe(302);
  const location = created.headers.get("location")!;
  expect(location).toMatch(new RegExp(`/o/${org.slug}/event-packages/[0-9a-f-]{36}$`));
  const edit = await post(location, organiser.cookie, { title: "Autumn series 2031", description: "Two workshops.", status: "published", registrationClosesAt: "", [`event.${ids[0]}`]: "on", [`event.${ids[1]}`]: "on", tiers: "anyone 9000 EUR Series", questions: "dietary | Dietary needs | none, vegetarian *" });
  expect(edit.status).toBe(200);
  const orgPage = await (await page(location, organiser.cookie)).text();
  expect(orgPage).toContain("Autumn series 2031");
  expect((await page(`/o/${org.slug}/event-packages`, organiser.cookie)).status).toBe(200);

  const list = await (await page(`/events/${org.slug}`)).text();
  expect(list).toContain(`/events/${org.slug}/series/autumn`);
  const pub = await page(`/events/${org.slug}/series/autumn`);
  expect(pub.status).toBe(200);
  const pubHtml = await pub.text();
  expect(pubHtml).toContain("Autumn series 2031");
  expect(pubHtml).toContain("Series part 1");

  const pkg = await app.services.events.publicPackage(org.slug, "autumn");
  const person = await signUp(app, { verified: true });
  const missing = await post(`/events/${org.slug}/series/autumn`, person.cookie, { tierId: pkg.tiers[0]!.id });
  expect(missing.status).toBe(400);
  const ok = await post(`/events/${org.slug}/series/autumn`, person.cookie, { tierId: pkg.tiers[0]!.id, [`answers.${pkg.questions[0]!.id}`]: "vegetarian", keepApart: "" });
  expect(ok.status).toBe(200);
  const [row] = await app.services.kernel.db.select().from(eventRegistration).where(and(eq(eventRegistration.userId, person.id), ne(eventRegistration.status, "cancelled")));
  expect(row).toMatchObject({ packageId: pkg.id, status: "confirmed", amountMinor: 9000 });
  const mine = await (await page("/account/events", person.cookie)).text();
  expect(mine).toContain("Autumn series 2031");
  expect(mine).toContain(`/events/${org.slug}/series/autumn`);

  // Capacity 1 per event: the package holds the seat of both events.
  expect((await app.services.events.publicEvent(org.slug, "series-part-2")).seatsLeft).toBe(0);
  expect((await app.services.events.publicEvent(org.slug, "series-part-3")).seatsLeft).toBe(1);

  // With a registration, the series' events can no longer change (409 naming eventIds) and nothing is written.
  const patch = (json: Record<string, unknown>) => app.request(`/api/v1/orgs/${org.id}/event-packages/${pkg.id}`, { method: "PATCH", cookie: organiser.cookie, json });
  const dup = await patch({ eventIds: [ids[0], ids[0]] });
  expect(dup.status).toBe(400);
  const swap = await patch({ eventIds: [ids[0], ids[2]] });
  expect(swap.status).toBe(409);
  expect(((await swap.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toContain("eventIds");
  expect((await app.services.events.publicPackage(org.slug, "autumn")).events.map((e) => e.id).sort()).toEqual([ids[0], ids[1]].sort());
  const draft = await app.request(`/api/v1/orgs/${org.id}/event-packages/${pkg.id}`, { method: "PATCH", cookie: organiser.cookie, json: { status: "draft" } });
  expect(draft.status).toBe(409);
  expect(((await draft.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toContain("status");

  // Strangers and members: 404 / 403 on the organisers' pages and API.
  const stranger = await orgWithPerson(app, "owner");
  expect((await app.request(`/api/v1/orgs/${org.id}/event-packages/${pkg.id}`, { cookie: stranger.person.cookie })).status).toBe(404);
  expect((await page(location, person.cookie)).status).toBeGreaterThanOrEqual(403);
});
