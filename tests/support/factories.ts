import { randomBytes } from "node:crypto";
import { membership, type Role } from "../../src/platform/tenancy/schema.ts";
import { organisation } from "../../src/platform/tenancy/schema.ts";
import { user } from "../../src/platform/auth/schema.ts";
import { eq } from "drizzle-orm";
import { cookiesFrom, type TestApp } from "./test-app.ts";

export const STRONG_PASSWORD = "lantern-harbour-quietly-42";

let seq = 0;
export function uniqueEmail(label = "person"): string {
  seq += 1;
  return `${label}.${seq}.${randomBytes(3).toString("hex")}@example.org`;
}

/** Signs a new person up through the real auth endpoint; returns their id and session cookie. */
export async function signUp(app: TestApp, opts: { email?: string; name?: string; password?: string; verified?: boolean } = {}) {
  const email = opts.email ?? uniqueEmail();
  const password = opts.password ?? STRONG_PASSWORD;
  const res = await app.request("/api/auth/sign-up/email", { method: "POST", json: { email, password, name: opts.name ?? "Test Person" } });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string } };
  if (opts.verified) await app.services.kernel.db.update(user).set({ emailVerified: true }).where(eq(user.id, body.user.id));
  return { id: body.user.id, email, password, cookie: cookiesFrom(res) };
}

/** Creates an organisation directly in the database (factories skip the UI, never the rules under test). */
export async function createOrganisation(app: TestApp, opts: { name?: string; slug?: string } = {}) {
  const slug = opts.slug ?? `org-${randomBytes(4).toString("hex")}`;
  const [org] = await app.services.kernel.db
    .insert(organisation)
    .values({ name: opts.name ?? `Organisation ${slug}`, slug })
    .returning();
  return org!;
}

export async function addMember(app: TestApp, organisationId: string, userId: string, role: Role) {
  await app.services.kernel.db.insert(membership).values({ organisationId, userId, role });
}

/** An organisation with a signed-in person in the given role. */
export async function orgWithPerson(app: TestApp, role: Role = "owner") {
  const org = await createOrganisation(app);
  const person = await signUp(app, { verified: true });
  await addMember(app, org.id, person.id, role);
  return { org, person };
}
