import { randomUUID } from "node:crypto";
import { count } from "drizzle-orm";
import { account, user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { AppError, validationError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { installation, membership, organisation } from "../../platform/tenancy/schema.ts";
import { checkPassword } from "../accounts/password-strength.ts";
import { profile } from "../profile/schema.ts";
import { SetupInput, slugify } from "./schemas.ts";


/**
 * First run: while no organisation exists, anyone who can reach the app may create the first
 * organisation and its owner. Afterwards setup is refused for good (the installation row's
 * single-valued primary key makes a second completion impossible, even concurrently).
 */
export function createSetupService(kernel: Kernel) {
  const { db } = kernel;

  async function isNeeded(): Promise<boolean> {
    const [installed] = await db.select({ n: count() }).from(installation);
    if ((installed?.n ?? 0) > 0) return false;
    const [orgs] = await db.select({ n: count() }).from(organisation);
    return (orgs?.n ?? 0) === 0;
  }

  async function complete(raw: unknown, meta: { ipAddress?: string | null; requestId?: string | null } = {}) {
    const parsed = SetupInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error.issues);
    const input = parsed.data;
    if (!(await isNeeded())) throw new AppError("conflict", "This installation is already set up.");
    const verdict = checkPassword(input.ownerPassword, [input.ownerEmail, input.ownerName]);
    if (!verdict.ok) throw new AppError("validation_failed", verdict.message!, [{ path: "ownerPassword", message: verdict.message! }]);

    const authContext = await kernel.auth.$context;
    const passwordHash = await authContext.password.hash(input.ownerPassword);
    const userId = randomUUID();
    const slug = input.organisationSlug ?? slugify(input.organisationName);
    const now = new Date();
    try {
      const org = await db.transaction(async (tx) => {
        await tx.insert(installation).values({ id: "singleton" });
        await tx.insert(user).values({ id: userId, name: input.ownerName, email: input.ownerEmail, emailVerified: false, createdAt: now, updatedAt: now });
        await tx.insert(account).values({ id: randomUUID(), accountId: userId, providerId: "credential", userId, password: passwordHash, createdAt: now, updatedAt: now });
        await tx.insert(profile).values({ userId, timeZone: input.timeZone, locale: input.locale });
        const [created] = await tx
          .insert(organisation)
          .values({ name: input.organisationName, slug, kind: input.organisationKind, timeZone: input.timeZone, defaultLocale: input.locale })
          .returning();
        await tx.insert(membership).values({ organisationId: created!.id, userId, role: "owner" });
        await tx.update(installation).set({ organisationId: created!.id });
        await recordAudit(tx, {
          organisationId: created!.id,
          actorUserId: userId,
          action: "setup.completed",
          targetType: "organisation",
          targetId: created!.id,
          ipAddress: meta.ipAddress ?? null,
          requestId: meta.requestId ?? null,
        });
        return created!;
      });
      // Outside the transaction: ask the owner to confirm their address.
      await kernel.auth.api.sendVerificationEmail({ body: { email: input.ownerEmail } }).catch((error: unknown) => {
        kernel.logger.warn({ err: error }, "could not queue verification email after setup");
      });
      return { organisation: { id: org.id, slug: org.slug, name: org.name }, user: { id: userId, email: input.ownerEmail } };
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === "installation_pkey") throw new AppError("conflict", "This installation is already set up.");
      if (constraint === "user_email_unique") throw new AppError("conflict", "An account with this email already exists.", [{ path: "ownerEmail", message: "already registered" }]);
      if (constraint === "organisation_slug_key") throw new AppError("conflict", "That address is taken.", [{ path: "organisationSlug", message: "already taken" }]);
      throw error;
    }
  }

  return { isNeeded, complete };
}
