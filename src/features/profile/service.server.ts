import { eq } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { validationError } from "../../platform/http/errors.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { requireUser, type Actor } from "../../platform/policy/policy.ts";
import { ProfileInput } from "./schemas.ts";
import { profile } from "./schema.ts";

export interface ProfileView {
  userId: string;
  name: string;
  email: string;
  emailVerified: boolean;
  pronouns: string | null;
  disciplines: string[];
  languages: string[];
  timeZone: string;
  locale: Locale | null;
}

/** A person's own profile: only they read or change it through this service. */
export function createProfileService(kernel: Kernel) {
  const { db } = kernel;

  async function get(userId: string): Promise<ProfileView | null> {
    const [row] = await db
      .select({
        userId: user.id,
        name: user.name,
        email: user.email,
        emailVerified: user.emailVerified,
        pronouns: profile.pronouns,
        disciplines: profile.disciplines,
        languages: profile.languages,
        timeZone: profile.timeZone,
        locale: profile.locale,
      })
      .from(user)
      .leftJoin(profile, eq(profile.userId, user.id))
      .where(eq(user.id, userId));
    if (!row) return null;
    return {
      ...row,
      disciplines: row.disciplines ?? [],
      languages: row.languages ?? [],
      timeZone: row.timeZone ?? "UTC",
      locale: isLocale(row.locale) ? row.locale : null,
    };
  }

  async function getMine(actor: Actor) {
    return get(requireUser(actor));
  }

  async function update(actor: Actor, raw: unknown, meta: { ipAddress?: string | null; requestId?: string | null } = {}) {
    const userId = requireUser(actor);
    const parsed = ProfileInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error.issues);
    const input = parsed.data;
    await db.transaction(async (tx) => {
      await tx.update(user).set({ name: input.name, updatedAt: new Date() }).where(eq(user.id, userId));
      await tx
        .insert(profile)
        .values({ userId, pronouns: input.pronouns, disciplines: input.disciplines, languages: input.languages, timeZone: input.timeZone, locale: input.locale })
        .onConflictDoUpdate({
          target: profile.userId,
          set: { pronouns: input.pronouns, disciplines: input.disciplines, languages: input.languages, timeZone: input.timeZone, locale: input.locale, updatedAt: new Date() },
        });
      await recordAudit(tx, { actor, action: "profile.updated", targetType: "user", targetId: userId, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
    });
    return (await get(userId))!;
  }

  return { get, getMine, update };
}
