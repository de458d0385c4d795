import { afterAll, beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { eventObservation } from "./observation-schema.ts";

// The observation pages without JavaScript: faculty observe through the form (a name in the
// narrative is held back until confirmed), the leader in training reads it, strangers get 404.

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ ui: true });
});
afterAll(async () => app?.close());

const page = (path: string, cookie?: string) => app.request(path, { ...(cookie ? { cookie } : {}), redirect: "manual" });
const post = (path: string, cookie: string, fields: Record<string, string>) =>
  app.request(path, { method: "POST", cookie, body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

it("faculty observe through the form; the leader reads it on /account/observations", async () => {
  const { org, person: organiser } = await orgWithPerson(app, "coordinator");
  const faculty = await signUp(app, { verified: true, name: "Fenna Faculty" });
  await addMember(app, org.id, faculty.id, "member");
  const leader = await signUp(app, { verified: true, name: "Lars Leader" });
  const organiserActor = { kind: "user", userId: organiser.id, memberships: new Map([[org.id, "coordinator"]]) } as never;
  const e = await app.services.events.createEvent(organiserActor, org.id, {
    kind: "workshop",
    slug: "observed-workshop",
    title: "Observed workshop",
    language: "en",
    timeZone: "UTC",
    format: "in_person",
    venue: "Leeds",
    capacity: 10,
    days: [{ date: "2031-03-03", sessions: [{ kind: "experiential_group", title: "Group", start: "10:00", end: "11:30" }] }],
    tiers: [{ name: "Free", amountMinor: 0, currency: "GBP", eligibility: "anyone" }],
    faculty: [{ userId: faculty.id, role: "faculty" }],
  });
  await app.services.events.publishEvent(organiserActor, org.id, e.id);
  await app.services.events.register({ kind: "user", userId: leader.id, memberships: new Map() } as never, org.slug, { kind: "event", slug: "observed-workshop" }, { tierId: e.tiers[0]!.id, role: "leader_in_training" });

  const path = `/observe/${org.id}/${e.id}`;
  const form = await page(path, faculty.cookie);
  expect(form.status).toBe(200);
  const html = await form.text();
  expect(html).toContain("Lars Leader");
  expect(html).toContain("Protecting the presenter");
  expect((await page(path, leader.cookie)).status).toBe(404);
  expect((await page(`/o/${org.slug}/events/${e.id}`, organiser.cookie).then((r) => r.text()))).toContain(path);

  const fields = { leaderUserId: leader.id, observedOn: "2031-03-03", sessionId: "", "level.safety": "2", "level.boundaries": "", narrative: "Mrs Delacroix was discussed." };
  const held = await post(path, faculty.cookie, fields);
  expect(held.status).toBe(422);
  expect(await app.services.kernel.db.select().from(eventObservation).where(eq(eventObservation.leaderUserId, leader.id))).toHaveLength(0);
  const bad = await post(path, faculty.cookie, { ...fields, narrative: "", leaderUserId: organiser.id });
  expect(bad.status).toBe(400);
  const saved = await post(path, faculty.cookie, { ...fields, narrative: "Steady and warm; kept to the doctor's question." });
  expect(saved.status).toBe(200);
  const rows = await app.services.kernel.db.select().from(eventObservation).where(eq(eventObservation.leaderUserId, leader.id));
  expect(rows).toHaveLength(1);

  const mine = await (await page("/account/observations", leader.cookie)).text();
  expect(mine).toContain("Observed workshop");
  expect(mine).toContain("Fenna Faculty");
  expect(mine).toContain("kept to the doctor");
  const facultyView = await (await page("/account/observations", faculty.cookie)).text();
  expect(facultyView).toContain(path);
});
