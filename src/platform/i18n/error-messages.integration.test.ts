import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import type { ErrorBody } from "../http/errors.ts";

/**
 * Top-level error messages other than validation (conflict, not_found…) reach Spanish readers in
 * Spanish: in the REST API's error bodies and on the page that shows a form action's failure.
 * Inviting someone who is already a member is a 409; an unknown group is a 404.
 */
let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Awaited<ReturnType<typeof signUp>>;
let member: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, org.id, member.id, "member");
});
afterAll(async () => app?.close());

describe("the REST API's error body", () => {
  const invite = (language: string) =>
    app.request(`/api/v1/orgs/${org.id}/invitations`, { method: "POST", cookie: owner.cookie, json: { email: member.email, role: "member" }, headers: { "accept-language": language } });

  it("says a 409 conflict in Spanish to a Spanish reader, keeping code and field paths", async () => {
    const en = await invite("en");
    const es = await invite("es-ES,es;q=0.9");
    expect(en.status).toBe(409);
    expect(es.status).toBe(409);
    const enBody = (await en.json()) as ErrorBody;
    const esBody = (await es.json()) as ErrorBody;
    expect(enBody.error).toMatchObject({ code: "conflict", message: "This person is already a member of the organisation.", fields: [{ path: "email", message: "already a member" }] });
    expect(esBody.error).toMatchObject({ code: "conflict", message: "Esta persona ya es miembro de la organización.", fields: [{ path: "email", message: "ya es miembro" }] });
  });

  it("says a 404 in Spanish to a Spanish reader, and in English by default", async () => {
    const get = (headers: Record<string, string>) => app.request(`/api/v1/orgs/${org.id}/groups/${randomUUID()}`, { cookie: owner.cookie, headers });
    const es = await get({ "accept-language": "es" });
    expect(es.status).toBe(404);
    expect(((await es.json()) as ErrorBody).error).toMatchObject({ code: "not_found", message: "No se encontró ese grupo." });
    const other = await get({ "accept-language": "fr" });
    expect(other.status).toBe(404);
    expect(((await other.json()) as ErrorBody).error).toMatchObject({ code: "not_found", message: "That group was not found." });
  });
});

describe("the invitations page", () => {
  const post = (language: string) =>
    app.request(`/o/${org.slug}/invitations`, {
      method: "POST",
      cookie: owner.cookie,
      body: new URLSearchParams({ intent: "invite", email: member.email, role: "member" }),
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": language },
      redirect: "manual",
    });
  /** Text content with React's `<!-- -->` separators removed and the hydration data left out. */
  const visible = (html: string) => html.replaceAll("<!-- -->", "").replace(/<script\b[\s\S]*?<\/script>/g, "");

  it("shows the conflict in Spanish to a Spanish reader", async () => {
    const res = await post("es");
    expect(res.status).toBe(409);
    const html = visible(await res.text());
    expect(html).toContain('<html lang="es"');
    expect(html).toContain("<strong>Esta persona ya es miembro de la organización.</strong>");
    expect(html).toMatch(/<p class="field__error" id="[^"]+">ya es miembro<\/p>/);
    expect(html).not.toContain("already a member");
  });

  it("keeps English for an English reader", async () => {
    const html = visible(await (await post("en")).text());
    expect(html).toContain("<strong>This person is already a member of the organisation.</strong>");
  });
});
