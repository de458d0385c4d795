// The companion settings page's soft tone toggle (the group's offer of the tone; unticked = muted
// on every device), as plain form posts without JavaScript.
// Needs the UI build: `flock /tmp/bc-build.lock node scripts/ensure-build.ts`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { PHASES } from "./meeting-clock.ts";
import type { CompanionState } from "./service.server.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgId: string;
let slug: string;
let owner: Person;
let leader: Person;
let member: Person;
let groupId: string;
let start: string;

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const made = await orgWithPerson(app, "owner");
  orgId = made.org.id;
  slug = made.org.slug;
  owner = made.person;
  leader = await signUp(app, { verified: true, name: "Lena Leader" });
  await addMember(app, orgId, leader.id, "leader");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, orgId, member.id, "member");
  // Daily in UTC; today's meeting began 20 minutes ago.
  const startMs = Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000;
  const res = await app.request(`/api/v1/orgs/${orgId}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: {
      name: "Evening circle",
      description: "A standing Balint group.",
      format: "online",
      meetingLink: "https://meet.example.org/evening",
      languages: ["en"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=DAILY;COUNT=4", dtstartLocal: new Date(startMs - 86_400_000).toISOString().slice(0, 16), durationMinutes: 90 },
      capacity: 10,
      leaders: [{ userId: leader.id, kind: "leader" }],
    },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  groupId = ((await res.json()) as { id: string }).id;
  start = new Date(startMs).toISOString();
});
afterAll(async () => app?.close());

const settingsPath = () => `/o/${slug}/groups/${groupId}/companion-settings`;

/** The settings form as a browser sends it: an unticked checkbox is simply absent. */
function settingsForm(softSound: boolean) {
  const body = new URLSearchParams();
  for (const p of PHASES) body.append(`minutes-${p}`, p === "pushback" ? "25" : "10");
  body.append("groundRules", "");
  if (softSound) body.append("softSound", "on");
  return body;
}
const post = (cookie: string, body: URLSearchParams) => app.request(settingsPath(), { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body, redirect: "manual" });

/** The soft tone checkbox of the settings page: [exists, checked]. */
function softSoundBox(html: string): { present: boolean; checked: boolean } {
  const input = /<input[^>]*name="softSound"[^>]*>/.exec(html)?.[0];
  return { present: Boolean(input), checked: Boolean(input && /\schecked(=""|\s|>|\/)/.test(input)) };
}

async function companionSound(): Promise<boolean> {
  const res = await app.request(`/api/v1/orgs/${orgId}/groups/${groupId}/meetings/${encodeURIComponent(start)}/companion`, { cookie: leader.cookie });
  expect(res.status).toBe(200);
  return ((await res.json()) as CompanionState).settings.softSound;
}

describe("the soft tone setting", () => {
  it("is off by default; a leader offers it, then mutes it again, with plain form posts; the companion's state follows", async () => {
    const page = await app.request(settingsPath(), { cookie: leader.cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Offer a soft tone near the end of a phase");
    expect(softSoundBox(html)).toEqual({ present: true, checked: false });
    expect(await companionSound()).toBe(false);

    const on = await post(leader.cookie, settingsForm(true));
    expect(on.status).toBe(200);
    const onHtml = await on.text();
    expect(onHtml).toContain("Settings saved.");
    expect(softSoundBox(onHtml)).toEqual({ present: true, checked: true });
    expect(await companionSound()).toBe(true);
    expect(softSoundBox(await (await app.request(settingsPath(), { cookie: leader.cookie })).text()).checked).toBe(true);

    // Unticking it mutes the tone for every device of the group.
    const off = await post(leader.cookie, settingsForm(false));
    expect(off.status).toBe(200);
    expect(softSoundBox(await off.text())).toEqual({ present: true, checked: false });
    expect(await companionSound()).toBe(false);
  });

  it("is offered in Spanish too", async () => {
    const page = await app.request(settingsPath(), { cookie: leader.cookie, headers: { "accept-language": "es" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Ofrecer un tono suave al final de una fase");
  });

  it("coordinators may change it; members may not (404, nothing saved)", async () => {
    expect((await post(owner.cookie, settingsForm(true))).status).toBe(200);
    expect(await companionSound()).toBe(true);
    expect((await app.request(settingsPath(), { cookie: member.cookie })).status).toBe(404);
    expect((await post(member.cookie, settingsForm(false))).status).toBe(404);
    expect(await companionSound()).toBe(true);
  });
});
