import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import type { ErrorBody } from "../http/errors.ts";

/**
 * Validation messages reach Spanish readers in Spanish: in the REST API's 400 bodies and on the
 * group creation form (summary and inline errors), negotiated as the UI negotiates its language.
 */
let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Awaited<ReturnType<typeof signUp>>;
let leader: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  leader = await signUp(app, { verified: true, name: "Lena Leaderson" });
  await addMember(app, org.id, leader.id, "leader");
});
afterAll(async () => app?.close());

describe("the REST API's 400 body", () => {
  const badGroup = () => ({
    name: "Quillon residents",
    description: "A standing Balint group for residents.",
    format: "online",
    meetingLink: "https://meet.example.org/room",
    languages: ["en"],
    timeZone: "America/New_York",
    schedule: { rrule: "FREQ=MONTHLY;BYDAY=2WE;COUNT=8", dtstartLocal: "2030-01-09T19:00", durationMinutes: 90 },
    capacity: 40,
    visibility: "everyone",
    leaders: [{ userId: leader.id, kind: "leader" }],
  });
  const create = (headers: Record<string, string>, cookie = owner.cookie) => app.request(`/api/v1/orgs/${org.id}/groups`, { method: "POST", cookie, json: badGroup(), headers });

  it("is in Spanish for accept-language: es, naming the same fields with the same codes", async () => {
    const en = await create({});
    const es = await create({ "accept-language": "es-ES,es;q=0.9,en;q=0.5" });
    expect(en.status).toBe(400);
    expect(es.status).toBe(400);
    const enBody = (await en.json()) as ErrorBody;
    const esBody = (await es.json()) as ErrorBody;

    expect(esBody.error.code).toBe("validation_failed");
    expect(esBody.error.fields?.map((f) => f.path)).toEqual(enBody.error.fields?.map((f) => f.path));
    expect(enBody.error.fields).toContainEqual({ path: "visibility", message: "Choose listed, unlisted or private." });
    expect(esBody.error.fields).toContainEqual({ path: "visibility", message: "Elija listed, unlisted o private." });
    expect(enBody.error.fields).toContainEqual({ path: "capacity", message: "Use at most 15 places: larger groups lose the trust that makes them work." });
    expect(esBody.error.fields).toContainEqual({ path: "capacity", message: "Como máximo 15 plazas: los grupos más grandes pierden la confianza que los hace funcionar." });
    // The top-level message names the first field, in Spanish.
    expect(enBody.error.message).toMatch(/^Invalid (capacity|visibility): /);
    expect(esBody.error.message).toMatch(/^Revise el campo «(capacity|visibility)»: (Como máximo 15 plazas|Elija listed, unlisted o private\.)/);
    expect(JSON.stringify(esBody)).not.toContain("Choose listed");
  });

  it("follows the person's profile language, as the UI does", async () => {
    const me = (json: unknown) => app.request("/api/v1/me", { method: "PUT", cookie: leader.cookie, json, headers: { "accept-language": "en" } });
    expect((await me({ name: "Lena Leaderson", timeZone: "Europe/Madrid", locale: "es" })).status).toBe(200);
    const res = await me({ name: "L".repeat(200), timeZone: "Europe/Madrid", locale: "es" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.fields).toContainEqual({ path: "name", message: "Use como máximo 120 caracteres." });
  });

  it("translates errors raised before the person is known, from Accept-Language alone", async () => {
    const res = await app.request(`/api/v1/orgs/${org.id}/groups?x=%E0%A4%A`, { cookie: owner.cookie, headers: { "accept-language": "es" } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({
      code: "validation_failed",
      message: "La dirección no tiene una codificación porcentual válida.",
      fields: [{ path: "url", message: "codificación porcentual incorrecta" }],
    });
  });
});

describe("the group creation form", () => {
  const post = (fields: URLSearchParams, language: string) =>
    app.request(`/o/${org.slug}/groups/new`, {
      method: "POST",
      cookie: owner.cookie,
      body: fields,
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": language },
      redirect: "manual",
    });
  const form = () => {
    const body = new URLSearchParams({
      intent: "save",
      name: "Thursday nurses circle",
      slug: "",
      description: "For nurses.",
      format: "online",
      meetingLink: "https://meet.example.org/thursday",
      address: "",
      disciplines: "nursing",
      timeZone: "Europe/Madrid",
      startDate: "2031-03-13",
      startTime: "18:30",
      frequency: "fortnightly",
      meetings: "6",
      duration: "90",
      capacity: "40",
      visibility: "everyone",
      joinPolicy: "request",
      [`leader:${leader.id}`]: "leader",
    });
    body.append("languages", "es");
    return body;
  };
  /** Text content with React's `<!-- -->` separators removed. */
  const text = (html: string) => html.replaceAll("<!-- -->", "");

  it("shows the summary and the inline errors in Spanish to a Spanish reader", async () => {
    const res = await post(form(), "es");
    expect(res.status).toBe(400);
    const html = text(await res.text());
    expect(html).toContain('<html lang="es"');
    // The summary: Spanish labels (react-intl) and Spanish messages (the field-message catalog).
    expect(html).toContain('<a href="#field-capacity">Plazas: Como máximo 15 plazas: los grupos más grandes pierden la confianza que los hace funcionar.</a>');
    expect(html).toContain('<a href="#field-visibility">Quién puede encontrar el grupo: Elija listed, unlisted o private.</a>');
    // Inline: the Field component (capacity) and the group form's own choice list (visibility).
    expect(html).toMatch(/<p class="field__error" id="[^"]+">Como máximo 15 plazas: los grupos más grandes pierden la confianza que los hace funcionar\.<\/p>/);
    expect(html).toContain('<p class="field__error" id="visibility-error">Elija listed, unlisted o private.</p>');
    // What the page shows (the hydration data in <script> keeps the English the action returned).
    const visible = html.replace(/<script\b[\s\S]*?<\/script>/g, "");
    expect(visible).not.toContain("Choose listed, unlisted or private.");
    expect(visible).not.toContain("larger groups lose the trust");
  });

  it("keeps English for an English reader", async () => {
    const html = text(await (await post(form(), "en")).text());
    expect(html).toContain('<a href="#field-visibility">Who can find the group: Choose listed, unlisted or private.</a>');
    expect(html).toContain('<p class="field__error" id="visibility-error">Choose listed, unlisted or private.</p>');
  });
});
