import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { wellbeingInvitation, wellbeingResponse } from "./schema.ts";

// Needs the UI build (the test runner builds it when sources changed).
type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgId: string;
let member: Person;
let token: string;
let waveId: string;
let who5Id: string;
const WHO5 = ["who5-1", "who5-2", "who5-3", "who5-4", "who5-5"];

const post = (path: string, fields: [string, string][], cookie?: string, headers: Record<string, string> = {}) =>
  app.request(path, { method: "POST", ...(cookie ? { cookie } : {}), headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(fields), redirect: "manual" });

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const { org, person: owner } = await orgWithPerson(app, "owner");
  orgId = org.id;
  await app.services.kernel.db.update(organisation).set({ settings: { supportUrl: "https://support.example.org/now", contactEmail: "care@example.org" } }).where(eq(organisation.id, org.id));
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
  const ownerActor: Actor = { kind: "user", userId: owner.id, memberships: new Map([[org.id, "owner"]]) };
  who5Id = (await app.services.wellbeing.listInstruments(ownerActor, org.id)).items.find((i) => i.builtInKey === "who-5")!.id;
  const c = await app.services.wellbeing.createCampaign(ownerActor, org.id, { name: "Spring check-in", mode: "confidential", instrumentIds: [who5Id], cohort: { kind: "organisation" }, schedule: { kind: "once", opensAt: new Date(Date.now() - 3_600_000).toISOString() } });
  waveId = c.waves[0]!.id;
  await app.services.wellbeing.sendInvitations(ownerActor, org.id, waveId);
  const [inv] = await app.services.kernel.db.select().from(wellbeingInvitation).where(eq(wellbeingInvitation.userId, member.id));
  token = app.services.wellbeing.tokenOf(inv!.id, inv!.tokenSalt);
});
afterAll(async () => app?.close());

describe("check-in pages", () => {
  it("lists my open check-in", async () => {
    const res = await app.request("/wellbeing", { cookie: member.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Spring check-in");
    expect(html).toContain(`/wellbeing/checkin/${orgId}/${waveId}`);
  });

  it("explains the mode before starting (no sign-in needed with the link), in Spanish too", async () => {
    const res = await app.request(`/wellbeing/answer/${token}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("This check-in is confidential");
    expect(html).not.toContain('type="radio"');
    const es = await app.request(`/wellbeing/answer/${token}`, { headers: { "accept-language": "es" } });
    const esHtml = await es.text();
    expect(esHtml).toContain("Este cuestionario es confidencial");
    // WHO-5 is shipped in Spanish: no "not in your language" notice.
    expect(esHtml).not.toContain("no están disponibles en su idioma");
    expect((await app.request("/wellbeing/answer/not-a-real-token-aaaaaaaaaaaaaaaa")).status).toBe(404);
  });

  it("shows WHO-5 in Spanish to a Spanish reader and lets anyone switch language", async () => {
    const page = `/wellbeing/answer/${token}?start=1`;
    // What is rendered, not the loader data the page carries for hydration.
    const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "");
    const esHtml = visible(await (await app.request(page, { headers: { "accept-language": "es" } })).text());
    expect(esHtml).toContain('<div lang="es">');
    expect(esHtml).toContain("Me he sentido alegre y de buen humor");
    expect(esHtml).toContain("La mayor parte del tiempo");
    expect(esHtml).not.toContain("I have felt cheerful");
    expect(esHtml).toContain("Índice de Bienestar WHO-5");
    expect(esHtml).toMatch(/aria-current="true" lang="es">español</);
    expect(esHtml).toContain(`i=${who5Id}&amp;lang=en`);
    // An English reader may choose Spanish; an unknown language falls back to the reader's own.
    const chosen = visible(await (await app.request(`${page}&i=${who5Id}&lang=es`)).text());
    expect(chosen).toContain("Me he sentido tranquilo y relajado");
    expect(chosen).toContain("Answer in:");
    const unknown = visible(await (await app.request(`${page}&i=${who5Id}&lang=xx`)).text());
    expect(unknown).toContain("I have felt calm and relaxed");
    expect(unknown).not.toContain("not available in your language");
  });

  it("renders radio groups in fieldsets with legends, saves progress, and shows errors for a missing answer", async () => {
    const page = `/wellbeing/answer/${token}?start=1`;
    const html = await (await app.request(page)).text();
    expect(html).toMatch(/<fieldset[^>]*id="field-who5-1"/);
    expect(html).toContain("<legend>");
    expect(html.match(/type="radio" name="who5-1"/g)?.length).toBe(6);
    const saved = await post(page, [["instrumentId", who5Id], ["intent", "save"], ["who5-1", "most"]]);
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Your progress is saved");
    const again = await (await app.request(page)).text();
    expect(again).toMatch(/name="who5-1" checked="" value="most"/);
    expect(again.match(/checked=""/g)?.length).toBe(1);
    const missing = await post(page, [["instrumentId", who5Id], ["intent", "submit"], ["who5-1", "most"]]);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('href="#field-who5-2"');
    expect(await app.services.kernel.db.select().from(wellbeingResponse)).toHaveLength(0);
  });

  it("after sending: the score in calm words and, on distress, the organisation's support at once", async () => {
    const res = await post(`/wellbeing/answer/${token}?start=1`, [["instrumentId", who5Id], ["intent", "submit"], ...WHO5.map((k): [string, string] => [k, "some"])]);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Support is available now");
    expect(html).toContain("https://support.example.org/now");
    expect(html).toContain("not a diagnosis");
    const done = await (await app.request(`/wellbeing/answer/${token}?start=1`)).text();
    expect(done).toContain("You have answered everything");
  });

  it("shows my trend as an SVG chart with a table, and deletes my data only when confirmed", async () => {
    const res = await app.request("/wellbeing/results", { cookie: member.cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<svg[^>]*role="img"/);
    expect(html).toContain("<table");
    expect(html).toContain("20 / 100");
    expect(html).toContain("/api/v1/me/wellbeing/export/fhir");
    const refused = await post("/wellbeing/results", [["intent", "delete"]], member.cookie);
    expect(refused.status).toBe(400);
    expect(await app.services.kernel.db.select().from(wellbeingResponse)).toHaveLength(1);
    const ok = await post("/wellbeing/results", [["intent", "delete"], ["confirm", "yes"]], member.cookie);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("1 answer was deleted");
    expect(await app.services.kernel.db.select().from(wellbeingResponse)).toHaveLength(0);
  });
});
