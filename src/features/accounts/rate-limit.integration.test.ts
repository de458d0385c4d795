import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { signUp } from "../../../tests/support/factories.ts";
import { isAppError } from "../../platform/http/errors.ts";

describe("auth rate limiting", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ env: { AUTH_RATE_LIMIT: "3" } });
  });
  afterAll(async () => app?.close());

  it("answers the 4th failed sign-in from one client within the window with 429 in the shared shape", async () => {
    const person = await signUp(app);
    const attempt = () => app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: "definitely-not-it-42" } });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message.length).toBeGreaterThan(0);
    // Even the right password is refused until the window passes.
    const right = await app.request("/api/auth/sign-in/email", { method: "POST", json: { email: person.email, password: person.password } });
    expect(right.status).toBe(429);
  });

  it("applies the same limit to the sign-in form (through the accounts service)", async () => {
    const error = await app.services.accounts
      .signInWithPassword({ headers: new Headers(), ipAddress: "198.51.100.7", locale: "en" }, { email: "someone@example.org", password: "x-x-x-x-x-x-x" })
      .catch((e: unknown) => e);
    // A different client address has its own budget …
    expect(isAppError(error) && error.code).toBe("unauthenticated");
    for (let i = 0; i < 2; i++) {
      await app.services.accounts.signInWithPassword({ headers: new Headers(), ipAddress: "198.51.100.7" }, { email: "someone@example.org", password: "x-x-x-x-x-x-x" }).catch(() => null);
    }
    // … and it runs out the same way.
    const limited = await app.services.accounts
      .signInWithPassword({ headers: new Headers(), ipAddress: "198.51.100.7", locale: "en" }, { email: "someone@example.org", password: "x-x-x-x-x-x-x" })
      .catch((e: unknown) => e);
    expect(isAppError(limited) && limited.code).toBe("rate_limited");
  });
});
