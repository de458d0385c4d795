import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp, uniqueEmail } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { membership } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { invitation } from "./schema.ts";

type ErrorJson = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe("invitations", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  const db = () => app.services.kernel.db;

  async function invite(orgId: string, cookie: string, email: string, role = "member") {
    return app.request(`/api/v1/orgs/${orgId}/invitations`, { method: "POST", cookie, json: { email, role } });
  }

  /** Invites `email` and returns the token from the email that was sent. */
  async function inviteAndGetToken(orgId: string, cookie: string, email: string, role = "member") {
    const to = email.toLowerCase();
    const isInvitation = (m: { to: string; text: string }) => m.to === to && m.text.includes("/invitations/");
    const before = app.mail.sent.filter(isInvitation).length;
    const res = await invite(orgId, cookie, email, role);
    expect(res.status).toBe(201);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const mails = app.mail.sent.filter(isInvitation);
      if (mails.length > before) {
        const match = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mails.at(-1)!.text);
        expect(match).not.toBeNull();
        return { token: match![1]!, invitation: (await res.json()) as { id: string; state: string } };
      }
      if (Date.now() > deadline) throw new Error("no invitation mail");
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function membersOf(orgId: string, userId: string) {
    const [row] = await db()
      .select({ n: count() })
      .from(membership)
      .where(and(eq(membership.organisationId, orgId), eq(membership.userId, userId)));
    return row!.n;
  }

  it("invite → email → accept with the verified, matching address → membership", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("invitee");
    const { token, invitation: created } = await inviteAndGetToken(org.id, owner.cookie, email, "leader");
    expect(created.state).toBe("pending");

    // Only the hash is stored.
    const [stored] = await db().select().from(invitation).where(eq(invitation.id, created.id));
    expect(stored!.tokenHash).not.toContain(token);
    expect(stored!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);

    const mail = app.mail.sent.find((m) => m.to === email)!;
    expect(mail.text).toContain(`http://localhost:3000/invitations/${token}`);
    expect(mail.subject).toContain(org.name);

    // Anyone with the link sees only organisation, role and state.
    const peek = await app.request(`/api/v1/invitations/${token}`);
    expect(peek.status).toBe(200);
    expect(await peek.json()).toEqual({ organisationName: org.name, role: "leader", state: "pending" });

    const invitee = await signUp(app, { email, verified: true });
    const signedInPeek = (await (await app.request(`/api/v1/invitations/${token}`, { cookie: invitee.cookie })).json()) as { fit: string };
    expect(signedInPeek.fit).toBe("match");
    const accepted = await app.request(`/api/v1/invitations/${token}/accept`, { method: "POST", cookie: invitee.cookie });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ organisation: { id: org.id, slug: org.slug }, role: "leader" });
    const [m] = await db().select().from(membership).where(and(eq(membership.organisationId, org.id), eq(membership.userId, invitee.id)));
    expect(m?.role).toBe("leader");

    const audits = await db().select().from(auditEvent).where(and(eq(auditEvent.organisationId, org.id), eq(auditEvent.targetId, created.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(["invitation.accepted", "invitation.created"]);
    for (const a of audits) expect(JSON.stringify(a.details)).not.toContain(email);

    // Used once: a second accept fails and the link now reads as used.
    const again = await app.request(`/api/v1/invitations/${token}/accept`, { method: "POST", cookie: invitee.cookie });
    expect(again.status).toBe(410);
    expect(((await again.json()) as ErrorJson).error.code).toBe("gone");
    expect(((await (await app.request(`/api/v1/invitations/${token}`)).json()) as { state: string }).state).toBe("accepted");
  });

  it("writes to the invitee in their own language when known, else the organisation's", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const spanish = await signUp(app, { verified: true });
    await db()
      .insert(profile)
      .values({ userId: spanish.id, locale: "es", timeZone: "Europe/Madrid" })
      .onConflictDoUpdate({ target: profile.userId, set: { locale: "es", timeZone: "Europe/Madrid" } });
    await inviteAndGetToken(org.id, owner.cookie, spanish.email, "member");
    const mail = app.mail.sent.find((m) => m.to === spanish.email && /invitan/i.test(m.subject));
    expect(mail?.text).toMatch(/miembro/);
  });

  it("refuses a signed-in person with another email address (403), and an unverified address (403)", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("invitee");
    const { token } = await inviteAndGetToken(org.id, owner.cookie, email);

    const stranger = await signUp(app, { verified: true });
    const wrong = await app.request(`/api/v1/invitations/${token}/accept`, { method: "POST", cookie: stranger.cookie });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as ErrorJson).error.message).toMatch(/different email address/);
    expect(await membersOf(org.id, stranger.id)).toBe(0);

    const unverified = await signUp(app, { email: email.toUpperCase() });
    const peek = (await (await app.request(`/api/v1/invitations/${token}`, { cookie: unverified.cookie })).json()) as { fit: string };
    expect(peek.fit).toBe("unverified");
    const refused = await app.request(`/api/v1/invitations/${token}/accept`, { method: "POST", cookie: unverified.cookie });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorJson).error.message).toMatch(/confirm your email/);
    expect(await membersOf(org.id, unverified.id)).toBe(0);

    const anonymous = await app.request(`/api/v1/invitations/${token}/accept`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });

  it("an expired invitation gives 410 and no membership", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("late");
    const { token, invitation: created } = await inviteAndGetToken(org.id, owner.cookie, email);
    await db().update(invitation).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitation.id, created.id));
    const invitee = await signUp(app, { email, verified: true });
    expect(((await (await app.request(`/api/v1/invitations/${token}`)).json()) as { state: string }).state).toBe("expired");
    const res = await app.request(`/api/v1/invitations/${token}/accept`, { method: "POST", cookie: invitee.cookie });
    expect(res.status).toBe(410);
    expect(((await res.json()) as ErrorJson).error.message).toMatch(/expired/);
    expect(await membersOf(org.id, invitee.id)).toBe(0);

    // Resending gives a new link with a new expiry; the old link stops working.
    const resent = await app.request(`/api/v1/orgs/${org.id}/invitations/${created.id}/resend`, { method: "POST", cookie: owner.cookie });
    expect(resent.status).toBe(200);
    expect(((await resent.json()) as { state: string }).state).toBe("pending");
    expect((await app.request(`/api/v1/invitations/${token}`)).status).toBe(404);
  });

  it("a revoked invitation cannot be accepted; an unknown token is 404", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("revoked");
    const { token, invitation: created } = await inviteAndGetToken(org.id, owner.cookie, email);
    const revoked = await app.request(`/api/v1/orgs/${org.id}/invitations/${created.id}`, { method: "DELETE", cookie: owner.cookie });
    expect(revoked.status).toBe(200);
    const invitee = await signUp(app, { email, verified: true });
    const res = await app.request(`/api/v1/invitations/${token}/accept`, { method: "POST", cookie: invitee.cookie });
    expect(res.status).toBe(410);
    expect(await membersOf(org.id, invitee.id)).toBe(0);
    const twice = await app.request(`/api/v1/orgs/${org.id}/invitations/${created.id}`, { method: "DELETE", cookie: owner.cookie });
    expect(twice.status).toBe(409);

    const unknown = await app.request(`/api/v1/invitations/${"x".repeat(43)}/accept`, { method: "POST", cookie: invitee.cookie });
    expect(unknown.status).toBe(404);
    expect((await app.request("/api/v1/invitations/not-a-token")).status).toBe(404);
  });

  it("two concurrent accepts produce exactly one membership", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("racer");
    const { token } = await inviteAndGetToken(org.id, owner.cookie, email);
    const invitee = await signUp(app, { email, verified: true });
    const results = await Promise.all([0, 1, 2].map(() => app.request(`/api/v1/invitations/${token}/accept`, { method: "POST", cookie: invitee.cookie })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const s of statuses.filter((s) => s !== 200)) expect([409, 410]).toContain(s);
    expect(await membersOf(org.id, invitee.id)).toBe(1);
  });

  it("a new invitation to the same address replaces the pending one", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const email = uniqueEmail("twice");
    const first = await inviteAndGetToken(org.id, owner.cookie, email, "member");
    const second = await inviteAndGetToken(org.id, owner.cookie, email.toUpperCase().replace("@EXAMPLE.ORG", "@example.org"), "leader");
    expect(second.invitation.id).not.toBe(first.invitation.id);
    const [old] = await db().select().from(invitation).where(eq(invitation.id, first.invitation.id));
    expect(old!.status).toBe("revoked");
    expect(((await (await app.request(`/api/v1/invitations/${first.token}`)).json()) as { state: string }).state).toBe("revoked");
    const list = (await (await app.request(`/api/v1/orgs/${org.id}/invitations`, { cookie: owner.cookie })).json()) as { items: { id: string; role: string }[]; total: number };
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: second.invitation.id, role: "leader" });
  });

  it("refuses to invite an existing member (409 naming email)", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const other = await signUp(app, { verified: true });
    await addMember(app, org.id, other.id, "member");
    const res = await invite(org.id, owner.cookie, other.email.toUpperCase());
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorJson).error.fields?.[0]?.path).toBe("email");
  });

  it("a coordinator may invite a leader but not an admin; a member may not invite", async () => {
    const { org, person: coordinator } = await orgWithPerson(app, "coordinator");
    const ok = await invite(org.id, coordinator.cookie, uniqueEmail(), "leader");
    expect(ok.status).toBe(201);
    const admin = await invite(org.id, coordinator.cookie, uniqueEmail(), "admin");
    expect(admin.status).toBe(403);
    expect(((await admin.json()) as ErrorJson).error.fields?.[0]?.path).toBe("role");
    const member = await signUp(app, { verified: true });
    await addMember(app, org.id, member.id, "member");
    expect((await invite(org.id, member.cookie, uniqueEmail(), "member")).status).toBe(403);
    const [n] = await db().select({ n: count() }).from(invitation).where(eq(invitation.organisationId, org.id));
    expect(n!.n).toBe(1);
  });

  it("bad input is a 400 naming the field, and nothing is written", async () => {
    const { org, person: owner } = await orgWithPerson(app, "owner");
    const badEmail = await invite(org.id, owner.cookie, "not-an-email", "member");
    expect(badEmail.status).toBe(400);
    expect(((await badEmail.json()) as ErrorJson).error.fields!.map((f) => f.path)).toEqual(["email"]);
    const badRole = await invite(org.id, owner.cookie, uniqueEmail(), "emperor");
    expect(badRole.status).toBe(400);
    expect(((await badRole.json()) as ErrorJson).error.fields!.map((f) => f.path)).toEqual(["role"]);
    const [n] = await db().select({ n: count() }).from(invitation).where(eq(invitation.organisationId, org.id));
    expect(n!.n).toBe(0);
  });

  it("invitation ids from another organisation are 404 and change nothing", async () => {
    const a = await orgWithPerson(app, "owner");
    const b = await orgWithPerson(app, "owner");
    const { invitation: inB } = await inviteAndGetToken(b.org.id, b.person.cookie, uniqueEmail());
    const revoke = await app.request(`/api/v1/orgs/${a.org.id}/invitations/${inB.id}`, { method: "DELETE", cookie: a.person.cookie });
    expect(revoke.status).toBe(404);
    const resend = await app.request(`/api/v1/orgs/${a.org.id}/invitations/${inB.id}/resend`, { method: "POST", cookie: a.person.cookie });
    expect(resend.status).toBe(404);
    const [row] = await db().select().from(invitation).where(eq(invitation.id, inB.id));
    expect(row!.status).toBe("pending");
    // And A's owner cannot reach B's list at all.
    expect((await app.request(`/api/v1/orgs/${b.org.id}/invitations`, { cookie: a.person.cookie })).status).toBe(404);
  });
});
