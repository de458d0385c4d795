import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { signUp } from "../../../tests/support/factories.ts";
import { user } from "../../platform/auth/schema.ts";
import { profile } from "./schema.ts";

// Needs the UI build: `flock /tmp/bc-build.lock node scripts/ensure-build.ts`.
describe("profile page and UI language", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ ui: true });
  });
  afterAll(async () => app?.close());

  const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];
  const form = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return body;
  };

  it("without a profile language follows Accept-Language (es-MX gives Spanish)", async () => {
    const person = await signUp(app, { verified: true });
    const res = await app.request("/account/profile", { cookie: person.cookie, headers: { "accept-language": "es-MX,es;q=0.9,en;q=0.5" } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(htmlLang(html)).toBe("es");
    expect(html).toContain("Su perfil");
    const english = await app.request("/account/profile", { cookie: person.cookie, headers: { "accept-language": "en-GB" } });
    expect(htmlLang(await english.text())).toBe("en");
  });

  it("after choosing Spanish in the profile, the next page is Spanish whatever the browser says", async () => {
    const person = await signUp(app, { verified: true });
    const put = await app.request("/api/v1/me", { method: "PUT", cookie: person.cookie, json: { name: "Ana Persona", timeZone: "America/Mexico_City", locale: "es" } });
    expect(put.status).toBe(200);
    const res = await app.request("/account/profile", { cookie: person.cookie, headers: { "accept-language": "en-US" } });
    const html = await res.text();
    expect(htmlLang(html)).toBe("es");
    expect(html).toContain("Guardar perfil");
  });

  it("saves through the form (no JavaScript) and redirects so the page re-renders in the chosen language", async () => {
    const person = await signUp(app, { verified: true });
    const res = await app.request("/account/profile", {
      method: "POST",
      cookie: person.cookie,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ name: "Beatriz Clínica", pronouns: "ella", disciplines: ["physician", "psychotherapist"], languages: ["es", "pt", "ase"], timeZone: "Europe/Madrid", locale: "es" }),
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account/profile?saved=1");
    const [row] = await app.services.kernel.db.select().from(profile).where(eq(profile.userId, person.id));
    expect(row).toMatchObject({ pronouns: "ella", disciplines: ["physician", "psychotherapist"], languages: ["es", "pt", "ase"], timeZone: "Europe/Madrid", locale: "es" });
    const next = await app.request("/account/profile?saved=1", { cookie: person.cookie });
    const html = await next.text();
    expect(htmlLang(html)).toBe("es");
    expect(html).toContain("Se guardó su perfil.");
    expect(html).toMatch(/value="Beatriz Clínica"/);

    // "Follow my browser" clears the choice.
    await app.request("/account/profile", {
      method: "POST",
      cookie: person.cookie,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ name: "Beatriz Clínica", timeZone: "Europe/Madrid", locale: "" }),
      redirect: "manual",
    });
    const [cleared] = await app.services.kernel.db.select().from(profile).where(eq(profile.userId, person.id));
    expect(cleared!.locale).toBeNull();
  });

  it("re-renders the form naming the fields at fault and saves nothing", async () => {
    const person = await signUp(app, { verified: true, name: "Original Name" });
    const before = await app.services.kernel.db.select().from(profile).where(eq(profile.userId, person.id));
    const res = await app.request("/account/profile", {
      method: "POST",
      cookie: person.cookie,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form({ name: "", timeZone: "Mars/Olympus_Mons", locale: "en" }),
      redirect: "manual",
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('href="#field-name"');
    expect(html).toContain('href="#field-timeZone"');
    expect(html).toMatch(/aria-invalid="true"/);
    expect(await app.services.kernel.db.select().from(profile).where(eq(profile.userId, person.id))).toEqual(before);
    const [u] = await app.services.kernel.db.select({ name: user.name }).from(user).where(eq(user.id, person.id));
    expect(u!.name).toBe("Original Name");
  });

  it("sends anonymous visitors to sign in", async () => {
    const res = await app.request("/account/profile", { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/sign-in/);
  });
});
