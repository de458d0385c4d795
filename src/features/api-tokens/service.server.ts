import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { AppError, forbidden, notFound, validationError } from "../../platform/http/errors.ts";
import type { SessionUser } from "../../platform/http/request-context.ts";
import { isLocale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { ROLE_PERMISSIONS, isPermission, type Permission } from "../../platform/policy/permissions.ts";
import { requireUser, type Actor } from "../../platform/policy/policy.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { apiToken } from "./schema.ts";
import { CreateTokenInput, TOKEN_PATTERN, TOKEN_PREFIX, TOKEN_PREFIX_LENGTH } from "./schemas.ts";

/** What a person sees about one of their tokens: never the token or its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  organisationId: string;
  organisationName: string;
  organisationSlug: string;
  permissions: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

interface Meta {
  ipAddress?: string | null;
  requestId?: string | null;
}

const LAST_USED_RESOLUTION_MS = 60_000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** Managing tokens needs a browser session: a token must never mint or manage tokens. */
function requireSessionUser(actor: Actor): string {
  const userId = requireUser(actor);
  if (actor.kind === "token" || actor.tokenScope) throw forbidden("API tokens cannot manage API tokens; sign in with a browser session.");
  return userId;
}

export function createApiTokensService(kernel: Kernel) {
  const { db } = kernel;

  const viewColumns = {
    id: apiToken.id,
    name: apiToken.name,
    prefix: apiToken.prefix,
    organisationId: apiToken.organisationId,
    organisationName: organisation.name,
    organisationSlug: organisation.slug,
    permissions: apiToken.permissions,
    createdAt: apiToken.createdAt,
    lastUsedAt: apiToken.lastUsedAt,
    expiresAt: apiToken.expiresAt,
    revokedAt: apiToken.revokedAt,
  };

  /** Creates a token and returns it once; only its hash and first characters are kept. */
  async function create(actor: Actor, raw: unknown, meta: Meta = {}): Promise<{ token: string; apiToken: ApiTokenView }> {
    const userId = requireSessionUser(actor);
    const parsed = CreateTokenInput.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error.issues);
    const input = parsed.data;
    const role = actor.memberships.get(input.organisationId);
    if (!role) {
      throw new AppError("not_found", "That organisation was not found.", [{ path: "organisationId", message: "You are not a member of that organisation." }]);
    }
    const allowed = ROLE_PERMISSIONS[role];
    const refused = input.permissions.filter((p) => !allowed.has(p));
    if (refused.length > 0) {
      throw validationError([{ path: ["permissions"], message: `Your role (${role}) does not include: ${refused.join(", ")}.` }]);
    }
    const permissions = [...new Set(input.permissions)];
    const token = generateToken();
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(apiToken)
        .values({ userId, organisationId: input.organisationId, name: input.name, prefix: token.slice(0, TOKEN_PREFIX_LENGTH), tokenHash: hashToken(token), permissions, expiresAt })
        .returning({ id: apiToken.id });
      await recordAudit(tx, {
        actor,
        organisationId: input.organisationId,
        action: "api_token.created",
        targetType: "api_token",
        targetId: row!.id,
        details: { permissionCount: permissions.length, expiresInDays: input.expiresInDays },
        ipAddress: meta.ipAddress ?? null,
        requestId: meta.requestId ?? null,
      });
      return row!.id;
    });
    const [view] = await db.select(viewColumns).from(apiToken).innerJoin(organisation, eq(organisation.id, apiToken.organisationId)).where(eq(apiToken.id, id));
    return { token, apiToken: view! };
  }

  /** The actor's own tokens, newest first (revoked ones included, marked). */
  async function listMine(actor: Actor): Promise<ApiTokenView[]> {
    const userId = requireSessionUser(actor);
    return db
      .select(viewColumns)
      .from(apiToken)
      .innerJoin(organisation, eq(organisation.id, apiToken.organisationId))
      .where(eq(apiToken.userId, userId))
      .orderBy(desc(apiToken.createdAt), desc(apiToken.id));
  }

  /** Revokes one of the actor's own tokens; anyone else's is "not found". Idempotent. */
  async function revoke(actor: Actor, id: string, meta: Meta = {}): Promise<void> {
    const userId = requireSessionUser(actor);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound("That token");
    await db.transaction(async (tx) => {
      const [row] = await tx
        .select({ id: apiToken.id, organisationId: apiToken.organisationId, revokedAt: apiToken.revokedAt })
        .from(apiToken)
        .where(and(eq(apiToken.id, id), eq(apiToken.userId, userId)));
      if (!row) throw notFound("That token");
      if (row.revokedAt) return;
      await tx.update(apiToken).set({ revokedAt: new Date() }).where(eq(apiToken.id, id));
      await recordAudit(tx, {
        actor,
        organisationId: row.organisationId,
        action: "api_token.revoked",
        targetType: "api_token",
        targetId: row.id,
        ipAddress: meta.ipAddress ?? null,
        requestId: meta.requestId ?? null,
      });
    });
  }

  /**
   * Resolves a bearer token to an actor scoped to the token's organisation, or null when the
   * token is unknown, revoked, expired, or its owner is no longer a member there. The role is
   * read on every request, so a demotion or removal takes effect at once.
   */
  async function authenticate(token: string): Promise<{ actor: Actor; user: SessionUser | null } | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const [row] = await db
      .select({
        id: apiToken.id,
        userId: apiToken.userId,
        organisationId: apiToken.organisationId,
        permissions: apiToken.permissions,
        expiresAt: apiToken.expiresAt,
        revokedAt: apiToken.revokedAt,
        lastUsedAt: apiToken.lastUsedAt,
        role: membership.role,
        name: user.name,
        email: user.email,
        emailVerified: user.emailVerified,
        twoFactorEnabled: user.twoFactorEnabled,
        timeZone: profile.timeZone,
        locale: profile.locale,
      })
      .from(apiToken)
      .innerJoin(user, eq(user.id, apiToken.userId))
      .leftJoin(membership, and(eq(membership.organisationId, apiToken.organisationId), eq(membership.userId, apiToken.userId)))
      .leftJoin(profile, eq(profile.userId, apiToken.userId))
      .where(eq(apiToken.tokenHash, hashToken(token)));
    const now = new Date();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || !row.role) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await db.update(apiToken).set({ lastUsedAt: now }).where(eq(apiToken.id, row.id));
    }
    const permissions = new Set<Permission>(row.permissions.filter(isPermission));
    return {
      actor: {
        kind: "token",
        userId: row.userId,
        memberships: new Map([[row.organisationId, row.role]]),
        tokenScope: { tokenId: row.id, organisationId: row.organisationId, permissions },
      },
      user: {
        id: row.userId,
        name: row.name,
        email: row.email,
        emailVerified: row.emailVerified,
        twoFactorEnabled: Boolean(row.twoFactorEnabled),
        timeZone: row.timeZone ?? "UTC",
        locale: isLocale(row.locale) ? row.locale : "en",
        sessionId: null,
      },
    };
  }

  return { create, listMine, revoke, authenticate };
}
