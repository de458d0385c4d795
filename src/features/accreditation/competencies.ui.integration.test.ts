// The coordinators' competency page without JavaScript (add, rename, reorder with Up/Down, retire,
// restore; errors naming the field), and the same steps through the REST API.
// Needs the UI build: `flock /tmp/bc-build.lock npx react-router build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { supervisionSettings } from "./supervision-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let org: { id: string; slug: string };
let owner: Person;
let coordinator: Person;
let member: Person;
let outsider: Person;

const path = () => `/o/${org.slug}/accreditation/competencies`;
const post = (cookie: string, fields: Record<string, string>) =>
  app.request(path(), { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" });
async function stored() {
  const [row] = await app.services.kernel.db.select().from(supervisionSettings).where(eq(supervisionSettings.organisationId, org.id));
  return { keys: row?.competencies.map((c) => c.key) ?? [], labels: row?.competencies.map((c) => c.label) ?? [], retired: row?.retiredCompetencies.map((c) => c.key) ?? [] };
}
/** The summary's link to a field: `<a href="#field-<name>">` (React may put comments between text parts). */
const namesField = (html: string, field: string) => new RegExp(`href="#field-${field}"`).test(html);

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const made = await orgWithPerson(app, "owner");
  org = made.org;
  owner = made.person;
  coordinator = await signUp(app, { verified: true, name: "Coco Coordinator" });
  member = await signUp(app, { verified: true, name: "Mel Member" });
  await addMember(app, org.id, coordinator.id, "coordinator");
  await addMember(app, org.id, member.id, "member");
  outsider = (await orgWithPerson(app, "owner")).person;
}, 120_000);
afterAll(async () => app?.close());

describe("competencies page", () => {
  it("is reachable from the accreditation page and shows the list; coordinators read, members and outsiders cannot", async () => {
    const admin = await (await app.request(`/o/${org.slug}/accreditation`, { cookie: owner.cookie })).text();
    expect(admin).toContain(`href="/o/${org.slug}/accreditation/competencies"`);
    const res = await app.request(path(), { cookie: owner.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const label of ["Boundaries", "Safety", "Protecting the presenter", "Group process", "Confidentiality"]) expect(html).toContain(label);
    expect(html).toContain('aria-label="Move Safety up"');
    expect(html).toContain("Add a competency");
    // Up is disabled for the first, Down for the last.
    expect(html).toMatch(/<button type="submit" class="secondary" disabled="" aria-label="Move Boundaries up">/);
    expect(html).toMatch(/<button type="submit" class="secondary" disabled="" aria-label="Move Confidentiality down">/);

    const coord = await app.request(path(), { cookie: coordinator.cookie });
    expect(coord.status).toBe(200);
    const coordHtml = await coord.text();
    expect(coordHtml).toContain("Only owners and administrators change the list.");
    expect(coordHtml).not.toContain("Add a competency");
    expect(coordHtml).toContain("Safety");
    expect(coordHtml).not.toContain('aria-label="Move Safety up"');
    expect((await post(coordinator.cookie, { intent: "add", label: "Sneaky" })).status).toBe(403);
    expect((await app.request(path(), { cookie: member.cookie })).status).toBe(403);
    expect((await app.request(path(), { cookie: outsider.cookie })).status).toBe(404);
    expect((await stored()).keys).toEqual([]); // nothing written: still the defaults, no row
  });

  it("adds a competency at the end, and refuses bad input naming the field", async () => {
    const ok = await post(owner.cookie, { intent: "add", label: "Reflective capacity", newKey: "" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Saved.");
    expect((await stored()).keys).toEqual(["boundaries", "safety", "protecting_the_presenter", "group_process", "confidentiality", "reflective_capacity"]);

    const empty = await post(owner.cookie, { intent: "add", label: "   ", newKey: "" });
    expect(empty.status).toBe(400);
    const emptyHtml = await empty.text();
    expect(namesField(emptyHtml, "label")).toBe(true);
    expect(emptyHtml).toContain("Write a name.");
    expect(emptyHtml).toContain('aria-invalid="true"');

    const badKey = await post(owner.cookie, { intent: "add", label: "Timing", newKey: "Bad Key!" });
    expect(badKey.status).toBe(400);
    const badKeyHtml = await badKey.text();
    expect(namesField(badKeyHtml, "newKey")).toBe(true);
    expect(badKeyHtml).toContain('value="Timing"'); // what was typed stays

    const duplicate = await post(owner.cookie, { intent: "add", label: "safety", newKey: "" });
    expect(duplicate.status).toBe(400);
    expect(await duplicate.text()).toContain("A competency with this name is already on the list.");
    expect((await stored()).keys).toHaveLength(6);
  });

  it("renames (the key stays) and refuses an empty name naming that row's field", async () => {
    expect((await post(owner.cookie, { intent: "rename", key: "safety", label: "Safety of the group" })).status).toBe(200);
    const s = await stored();
    expect(s.keys[1]).toBe("safety");
    expect(s.labels[1]).toBe("Safety of the group");
    const bad = await post(owner.cookie, { intent: "rename", key: "safety", label: "" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(namesField(html, "label-safety")).toBe(true);
    expect(html).toContain("New name for Safety of the group");
    expect((await post(owner.cookie, { intent: "rename", key: "no_such_thing", label: "X" })).status).toBe(404);
  });

  it("reorders with Up and Down, announcing the new place", async () => {
    const up = await post(owner.cookie, { intent: "move", key: "safety", direction: "up" });
    expect(up.status).toBe(200);
    expect(await up.text()).toContain("Safety of the group is now number 1 of 6.");
    expect((await stored()).keys.slice(0, 2)).toEqual(["safety", "boundaries"]);
    expect((await post(owner.cookie, { intent: "move", key: "reflective_capacity", direction: "up" })).status).toBe(200);
    expect((await post(owner.cookie, { intent: "move", key: "boundaries", direction: "down" })).status).toBe(200);
    expect((await stored()).keys).toEqual(["safety", "protecting_the_presenter", "boundaries", "group_process", "reflective_capacity", "confidentiality"]);
    // At the top, Up changes nothing; a direction that is not one is refused.
    expect((await post(owner.cookie, { intent: "move", key: "safety", direction: "up" })).status).toBe(200);
    expect((await stored()).keys[0]).toBe("safety");
    const sideways = await post(owner.cookie, { intent: "move", key: "safety", direction: "sideways" });
    expect(sideways.status).toBe(400);
    expect(await sideways.text()).toContain("direction");
    // The order is the order of the report form.
    const settings = await app.services.supervision.getSettings({ kind: "user", userId: owner.id, memberships: new Map([[org.id, "owner"]]) } as never, org.id);
    expect(settings.competencies.map((c) => c.key)[0]).toBe("safety");
  });

  it("retires (kept with its label, never rated again) and restores", async () => {
    const res = await post(owner.cookie, { intent: "retire", key: "boundaries" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('aria-label="Restore Boundaries"');
    let s = await stored();
    expect(s.keys).not.toContain("boundaries");
    expect(s.retired).toEqual(["boundaries"]);
    // A retired key is not given a new meaning.
    const reuse = await post(owner.cookie, { intent: "add", label: "Borders", newKey: "boundaries" });
    expect(reuse.status).toBe(400);
    expect(await reuse.text()).toContain("restore it instead");
    expect((await post(owner.cookie, { intent: "restore", key: "boundaries" })).status).toBe(200);
    s = await stored();
    expect(s.keys.at(-1)).toBe("boundaries");
    expect(s.retired).toEqual([]);
    expect((await post(owner.cookie, { intent: "retire", key: "nothing_here" })).status).toBe(404);
    const audit = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.organisationId, org.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["competency.added", "competency.renamed", "competency.moved", "competency.retired", "competency.restored"]));
  });
});

describe("competency REST routes", () => {
  const api = (p: string, who: Person, init: { method?: string; json?: unknown } = {}) =>
    app.request(`/api/v1/orgs/${org.id}/accreditation/supervision/settings/competencies${p}`, { method: init.method ?? "POST", cookie: who.cookie, ...(init.json !== undefined ? { json: init.json } : {}) });

  it("adds, renames, moves, retires and restores; errors name the field; owners and admins only", async () => {
    const added = await api("", owner, { json: { label: "Use of self", key: "use_of_self" } });
    expect(added.status).toBe(201);
    expect(((await added.json()) as { competencies: Array<{ key: string }> }).competencies.at(-1)!.key).toBe("use_of_self");
    const bad = await api("", owner, { json: { label: "" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Array<{ path: string }> } }).error.fields.map((f) => f.path)).toEqual(["label"]);
    expect((await api("/use_of_self", owner, { method: "PATCH", json: { label: "Use of the self" } })).status).toBe(200);
    expect((await api("/use_of_self/move", owner, { json: { direction: "up" } })).status).toBe(200);
    const retired = await api("/use_of_self/retire", owner);
    expect(retired.status).toBe(200);
    expect(((await retired.json()) as { retiredCompetencies: Array<{ key: string; label: string }> }).retiredCompetencies).toEqual([expect.objectContaining({ key: "use_of_self", label: "Use of the self" })]);
    expect((await api("/use_of_self/restore", owner)).status).toBe(200);
    expect((await api("", coordinator, { json: { label: "Nope" } })).status).toBe(403);
    expect((await api("/use_of_self/retire", outsider)).status).toBe(404);
  });

  it("keeps the last competency (409) and retires what a full replacement leaves out", async () => {
    const put = await app.request(`/api/v1/orgs/${org.id}/accreditation/supervision/settings`, { method: "PUT", cookie: owner.cookie, json: { competencies: [{ key: "safety", label: "Safety" }], maxLevel: 4, reportIntervalMonths: 6 } });
    expect(put.status).toBe(200);
    const s = await stored();
    expect(s.keys).toEqual(["safety"]);
    expect(s.retired.sort()).toEqual(["boundaries", "confidentiality", "group_process", "protecting_the_presenter", "reflective_capacity", "use_of_self"]);
    const last = await api("/safety/retire", owner);
    expect(last.status).toBe(409);
  });
});
