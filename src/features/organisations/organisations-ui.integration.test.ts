import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp, uniqueEmail } from "../../../tests/support/factories.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { invitation } from "./schema.ts";

/** The organisation pages, rendered by the real UI build, without JavaScript (plain forms). */
describe("organisation pages", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ ui: true });
  });
  afterAll(async () => app?.close());

  const page = (path: string, cookie?: string) => app.request(path, { ...(cookie ? { cookie } : {}), redirect: "manual" });
  const post = (path: string, cookie: string, fields: Record<string, string>) =>
    app.request(path, { method: "POST", cookie, body: new URLSearchParams(fields), headers: { "content-type": "application/x-www-form-urlencoded" }, redirect: "manual" });

  it("sends signed-out visitors to sign in and back", async () => {
    const res = await page("/home");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/sign-in?redirectTo=%2Fhome");
  });

  it("shows my organisations on /home, and a calm empty state otherwise", async () => {
    const { org, person } = await orgWithPerson(app, "leader");
    const html = await (await page("/home", person.cookie)).text();
    expect(html).toContain(org.name);
    expect(html).toContain("Group leader");
    const loner = await signUp(app);
    const empty = await (await page("/home", loner.cookie)).text();
    expect(empty).toContain("You do not belong to an organisation yet");
    expect(empty).toContain("Please confirm your email address");
    expect(empty).toContain('href="/account/security"');
  });

  it("shows only the sections a role permits; other pages are 403 for members and 404 for outsiders", async () => {
    const { org, person: member } = await orgWithPerson(app, "member");
    const html = await (await page(`/o/${org.slug}`, member.cookie)).text();
    expect(html).toContain(`href="/o/${org.slug}"`);
    expect(html).not.toContain(`href="/o/${org.slug}/members"`);
    expect(html).not.toContain(`href="/o/${org.slug}/settings"`);
    expect((await page(`/o/${org.slug}/members`, member.cookie)).status).toBe(403);
    expect((await page(`/o/${org.slug}/settings`, member.cookie)).status).toBe(403);
    const outsider = await signUp(app, { verified: true });
    expect((await page(`/o/${org.slug}`, outsider.cookie)).status).toBe(404);
    expect((await page(`/o/${org.slug}/members`, outsider.cookie)).status).toBe(404);

    const { org: other, person: owner } = await orgWithPerson(app, "owner");
    const ownerHtml = await (await page(`/o/${other.slug}?welcome=1`, owner.cookie)).text();
    for (const section of ["members", "invitations", "settings", "audit"]) expect(ownerHtml).toContain(`href="/o/${other.slug}/${section}"`);
    expect(ownerHtml).toContain("Welcome: your organisation is ready");
  });

  it("invites, changes a role and removes a member through plain forms", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("ui");
    const invited = await post(`/o/${org.slug}/invitations`, owner.cookie, { intent: "invite", email, role: "leader" });
    expect(invited.status).toBe(200);
    expect(await invited.text()).toContain(`Invitation sent to ${email}`);
    const [row] = await app.services.kernel.db.select().from(invitation).where(eq(invitation.organisationId, org.id));
    expect(row).toMatchObject({ email, role: "leader", status: "pending" });

    const bad = await post(`/o/${org.slug}/invitations`, owner.cookie, { intent: "invite", email: "nope", role: "member" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('href="#field-email"');

    const member = await signUp(app, { verified: true, name: "Rosa Member" });
    await addMember(app, org.id, member.id, "member");
    const changed = await post(`/o/${org.slug}/members`, owner.cookie, { intent: "changeRole", userId: member.id, role: "coordinator" });
    expect(changed.status).toBe(200);
    const [m] = await app.services.kernel.db.select().from(membership).where(and(eq(membership.organisationId, org.id), eq(membership.userId, member.id)));
    expect(m!.role).toBe("coordinator");

    const confirm = await (await page(`/o/${org.slug}/members?remove=${member.id}`, owner.cookie)).text();
    expect(confirm).toContain("Remove Rosa Member?");
    const removed = await post(`/o/${org.slug}/members`, owner.cookie, { intent: "remove", userId: member.id, name: "Rosa Member" });
    expect(removed.status).toBe(200);
    expect(await app.services.kernel.db.select().from(membership).where(and(eq(membership.organisationId, org.id), eq(membership.userId, member.id)))).toHaveLength(0);

    const lastOwner = await post(`/o/${org.slug}/members`, owner.cookie, { intent: "changeRole", userId: owner.id, role: "admin" });
    expect(lastOwner.status).toBe(409);
  });

  it("saves settings and refuses a minimum cell size below 5", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const base = { name: org.name, defaultLocale: "es", timeZone: "Europe/Madrid", "settings.supportUrl": "", "settings.contactEmail": "" };
    const refused = await post(`/o/${org.slug}/settings`, owner.cookie, { ...base, "settings.minimumCellSize": "3" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('href="#field-settings.minimumCellSize"');
    const [unchanged] = await app.services.kernel.db.select().from(organisation).where(eq(organisation.id, org.id));
    expect(unchanged!.timeZone).toBe("UTC");
    const saved = await post(`/o/${org.slug}/settings`, owner.cookie, { ...base, "settings.minimumCellSize": "7" });
    expect(saved.status).toBe(200);
    const [row] = await app.services.kernel.db.select().from(organisation).where(eq(organisation.id, org.id));
    expect(row).toMatchObject({ defaultLocale: "es", timeZone: "Europe/Madrid", settings: { minimumCellSize: 7 } });
  });

  it("the accept page explains each situation and joins on submit", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("joiner");
    await app.request(`/api/v1/orgs/${org.id}/invitations`, { method: "POST", cookie: owner.cookie, json: { email, role: "member" } });
    const mail = await app.waitForMail(email, /invited/i);
    const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
    const path = `/invitations/${token}`;

    const anonymous = await (await page(path)).text();
    expect(anonymous).toContain(`Join ${org.name}`);
    expect(anonymous).toContain(`/sign-in?redirectTo=${encodeURIComponent(path)}`);
    expect(anonymous).toContain(`/sign-up?redirectTo=${encodeURIComponent(path)}`);

    const stranger = await signUp(app, { verified: true });
    expect(await (await page(path, stranger.cookie)).text()).toContain("this invitation was sent to another address");

    const invitee = await signUp(app, { email, verified: true });
    const ready = await (await page(path, invitee.cookie)).text();
    expect(ready).toContain(`Accept and join ${org.name}`);
    const joined = await post(path, invitee.cookie, {});
    expect(joined.status).toBe(302);
    expect(joined.headers.get("location")).toBe(`/o/${org.slug}?joined=1`);
    expect(await (await page(path, invitee.cookie)).text()).toContain("already been accepted");
    expect(await (await page(`/invitations/${"y".repeat(43)}`)).text()).toContain("We could not find this invitation");
  });
});
