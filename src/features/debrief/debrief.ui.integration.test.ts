// The debrief pages without JavaScript: server-rendered, plain form posts.
// Needs the UI build: `flock /tmp/bc-build.lock npx react-router build`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { debriefCompletion, meetingDebrief } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let lena: Person;
let cora: Person;
let owner: Person;
let groupId: string;
const DAY = 86_400_000;
const base = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() - 3, 19, 0, 0));
const M1 = base.toISOString();
const page = () => `/debrief/${groupId}/${encodeURIComponent(M1)}`;

const post = (path: string, cookie: string, fields: Record<string, string>) =>
  app.request(path, { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" });

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const made = await orgWithPerson(app, "owner");
  owner = made.person;
  lena = await signUp(app, { verified: true, name: "Lena Leader" });
  cora = await signUp(app, { verified: true, name: "Cora Coleader" });
  for (const p of [lena, cora]) await addMember(app, made.org.id, p.id, "leader");
  const res = await app.request(`/api/v1/orgs/${made.org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: { name: "Evening GPs", description: "A group.", format: "online", meetingLink: "https://meet.example.org/evening", languages: ["en"], timeZone: "UTC", schedule: { rrule: "FREQ=DAILY;COUNT=10", dtstartLocal: M1.slice(0, 16), durationMinutes: 60 }, capacity: 10, leaders: [{ userId: lena.id, kind: "leader" }, { userId: cora.id, kind: "co_leader" }] },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => app?.close());

describe("debrief pages", () => {
  it("lists meetings needing a debrief and renders the writing page only for the meeting's leaders", async () => {
    const list = await app.request("/debrief", { cookie: lena.cookie });
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain("Debriefs to write");
    expect(html).toContain(`/debrief/${groupId}/${encodeURIComponent(M1)}`);
    const writing = await app.request(page(), { cookie: lena.cookie });
    expect(writing.status).toBe(200);
    const w = await writing.text();
    expect(w).toContain("Leaders’ debrief");
    expect(w).toContain("of 20,000 characters");
    expect((await app.request(page(), { cookie: owner.cookie })).status).toBe(404);
    expect((await app.request(`/debrief/${groupId}/${encodeURIComponent(new Date(base.getTime() + 9 * DAY).toISOString())}`, { cookie: lena.cookie })).status).toBe(409);
    const es = await app.request(page(), { cookie: lena.cookie, headers: { "accept-language": "es" } });
    expect(await es.text()).toContain("Reflexión de los coordinadores");
  });

  it("without JavaScript: findings ask for confirmation, then save; a stale save shows theirs and keeps mine", async () => {
    const text = "We talked about Mrs Delacroix at length.";
    const first = await post(page(), lena.cookie, { intent: "save", revision: "0", text });
    expect(first.status).toBe(422);
    const html = await first.text();
    expect(html).toContain("Save anyway");
    expect(html).toContain("Delacroix</mark>");
    expect(await app.services.kernel.db.select().from(meetingDebrief).where(eq(meetingDebrief.groupId, groupId))).toHaveLength(0);
    const ok = await post(page(), lena.cookie, { intent: "save", revision: "0", text, acknowledgeFindings: "true" });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Saved.");

    const coras = await post(page(), cora.cookie, { intent: "save", revision: "1", text: "Cora's calmer version of the evening." });
    expect(coras.status).toBe(200);
    const stale = await post(page(), lena.cookie, { intent: "save", revision: "1", text: "Lena's late edit." });
    expect(stale.status).toBe(409);
    const s = await stale.text();
    expect(s).toContain("A co-leader saved first");
    expect(s).toContain("Cora&#x27;s calmer version of the evening.");
    expect(s).toMatch(/<textarea[^>]*>Lena&#x27;s late edit\.<\/textarea>/);
  });

  it("keeps for supervision, and deletes only after confirming", async () => {
    const kept = await post(page(), lena.cookie, { intent: "attach" });
    expect(kept.status).toBe(200);
    expect(await kept.text()).toContain("Kept for supervision since");
    const confirm = await app.request(`${page()}?confirm=delete`, { cookie: lena.cookie });
    expect(await confirm.text()).toContain("Yes, delete it for good");
    const del = await post(page(), lena.cookie, { intent: "delete" });
    expect(del.status).toBe(200);
    expect(await del.text()).toContain("deleted for good");
    expect(await app.services.kernel.db.select().from(meetingDebrief).where(eq(meetingDebrief.groupId, groupId))).toHaveLength(0);
    expect(await app.services.kernel.db.select().from(debriefCompletion).where(eq(debriefCompletion.groupId, groupId))).toHaveLength(2);
  });
});
