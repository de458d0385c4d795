import { createHash, randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { uniqueViolation } from "../../platform/db/errors.ts";
import { AppError, validationError } from "../../platform/http/errors.ts";
import { createTranslator } from "../../platform/i18n/translate.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { PERMISSIONS, mayAssignRole, mayRemoveMember, type Permission } from "../../platform/policy/permissions.ts";
import { authorize, can, requireUser, roleIn, type Actor } from "../../platform/policy/policy.ts";
import { membershipsOf, type MembershipSummary } from "../../platform/tenancy/memberships.server.ts";
import { ROLES, membership, organisation, type OrganisationSettings, type Role } from "../../platform/tenancy/schema.ts";
import { profile } from "../profile/schema.ts";
import { invitation } from "./schema.ts";
import { retentionDaysOf } from "../debrief/retention.ts";
import {
  ChangeRoleInput,
  INVITATION_TOKEN,
  InvitationQuery,
  InviteInput,
  MINIMUM_CELL_SIZE_FLOOR,
  MemberQuery,
  UpdateOrganisationInput,
} from "./schemas.ts";

/** Invitations work for this long after they are sent (or re-sent). */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

export interface OrganisationView {
  id: string;
  slug: string;
  name: string;
  kind: string;
  defaultLocale: Locale;
  timeZone: string;
  settings: { minimumCellSize: number; supportUrl: string | null; contactEmail: string | null; debriefRetentionDays: number };
  createdAt: string;
  /** The asking person's role here. */
  myRole: Role;
  /** What the asking person may do here (for showing only the links and buttons that work). */
  permissions: Permission[];
}

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  emailVerified: boolean;
  role: Role;
  joinedAt: string;
}

export type InvitationState = "pending" | "expired" | "accepted" | "revoked";

export interface InvitationView {
  id: string;
  email: string;
  role: Role;
  status: "pending" | "accepted" | "revoked";
  /** pending, expired (pending but past its expiry), accepted or revoked. */
  state: InvitationState;
  expiresAt: string;
  createdAt: string;
  invitedBy: string | null;
  acceptedAt: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** What anyone holding an invitation link may learn about it, and nothing else. */
export interface InvitationPeek {
  organisationName: string;
  role: Role;
  state: InvitationState;
  /**
   * Only for a signed-in person: whether they can accept it. "match" (verified, same address),
   * "unverified" (same address, not yet confirmed), "mismatch" (another address), "member"
   * (already belongs to the organisation).
   */
  fit?: "match" | "unverified" | "mismatch" | "member";
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const newToken = () => randomBytes(32).toString("base64url");
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function stateOf(row: { status: "pending" | "accepted" | "revoked"; expiresAt: Date }, now = new Date()): InvitationState {
  if (row.status !== "pending") return row.status;
  return row.expiresAt.getTime() <= now.getTime() ? "expired" : "pending";
}

function settingsView(s: OrganisationSettings | null | undefined): OrganisationView["settings"] {
  return {
    minimumCellSize: Math.max(MINIMUM_CELL_SIZE_FLOOR, s?.minimumCellSize ?? MINIMUM_CELL_SIZE_FLOOR),
    supportUrl: s?.supportUrl ?? null,
    contactEmail: s?.contactEmail ?? null,
    debriefRetentionDays: retentionDaysOf(s),
  };
}

const notFoundMember = () => new AppError("not_found", "That member was not found in this organisation.");
const notFoundInvitation = () => new AppError("not_found", "That invitation was not found.");
const lastOwner = (message: string) => new AppError("conflict", message, [{ path: "role", message: "an organisation needs at least one owner" }]);

export function createOrganisationsService(kernel: Kernel) {
  const { db, config, mailer, logger } = kernel;

  function view(row: typeof organisation.$inferSelect, actor: Actor): OrganisationView {
    const resource = { organisationId: row.id };
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      kind: row.kind,
      defaultLocale: isLocale(row.defaultLocale) ? row.defaultLocale : "en",
      timeZone: row.timeZone,
      settings: settingsView(row.settings),
      createdAt: row.createdAt.toISOString(),
      myRole: roleIn(actor, row.id)!,
      permissions: PERMISSIONS.filter((p) => can(actor, p, resource)),
    };
  }

  async function loadOrg(exec: Executor, orgId: string) {
    const [row] = await exec.select().from(organisation).where(eq(organisation.id, orgId));
    if (!row) throw new AppError("not_found", "That organisation was not found.");
    return row;
  }

  /** Locks the organisation row: every change to who belongs (and who owns) is serialised on it. */
  async function lockOrg(exec: Executor, orgId: string) {
    const [row] = await exec.select().from(organisation).where(eq(organisation.id, orgId)).for("update");
    if (!row) throw new AppError("not_found", "That organisation was not found.");
    return row;
  }

  async function roleOf(exec: Executor, orgId: string, userId: string): Promise<Role | null> {
    const [row] = await exec
      .select({ role: membership.role })
      .from(membership)
      .where(and(eq(membership.organisationId, orgId), eq(membership.userId, userId)));
    return row?.role ?? null;
  }

  async function ownerCount(exec: Executor, orgId: string): Promise<number> {
    const [row] = await exec
      .select({ n: count() })
      .from(membership)
      .where(and(eq(membership.organisationId, orgId), eq(membership.role, "owner")));
    return row?.n ?? 0;
  }

  /** The language to write to a person in: theirs when we know it, else the organisation's. */
  async function localeFor(email: string, fallback: string): Promise<{ locale: Locale; name: string | null; timeZone: string | null }> {
    const [row] = await db
      .select({ name: user.name, locale: profile.locale, timeZone: profile.timeZone })
      .from(user)
      .leftJoin(profile, eq(profile.userId, user.id))
      .where(sql`lower(${user.email}) = ${email.toLowerCase()}`);
    const locale = isLocale(row?.locale) ? row.locale : isLocale(fallback) ? fallback : "en";
    return { locale, name: row?.name ?? null, timeZone: row?.timeZone ?? null };
  }

  async function sendInvitationMail(org: typeof organisation.$inferSelect, inv: { email: string; role: Role; expiresAt: Date }, token: string, inviterName: string) {
    const who = await localeFor(inv.email, org.defaultLocale);
    const t = createTranslator(who.locale);
    const expires = new Intl.DateTimeFormat(who.locale, { dateStyle: "long", timeStyle: "short", timeZone: who.timeZone ?? org.timeZone }).format(inv.expiresAt);
    await mailer.send(
      inv.email,
      {
        template: "invitation",
        locale: who.locale,
        recipientName: who.name,
        values: { organisation: org.name, inviter: inviterName, role: t(`organisations.role.${inv.role}`), expires, email: inv.email },
        actionUrl: `${config.appUrl}/invitations/${token}`,
      },
      { organisationId: org.id },
    );
  }

  async function actorName(actor: Actor): Promise<string> {
    if (!actor.userId) return "Balint Commons";
    const [row] = await db.select({ name: user.name }).from(user).where(eq(user.id, actor.userId));
    return row?.name ?? "Balint Commons";
  }

  function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error.issues);
    return parsed.data;
  }

  async function findInvitation(orgId: string, invitationId: string) {
    if (!UUID.test(invitationId)) throw notFoundInvitation();
    const [row] = await db
      .select()
      .from(invitation)
      .where(and(eq(invitation.id, invitationId), eq(invitation.organisationId, orgId)));
    if (!row) throw notFoundInvitation();
    return row;
  }

  function invitationView(row: typeof invitation.$inferSelect, invitedBy: string | null, now = new Date()): InvitationView {
    return {
      id: row.id,
      email: row.email,
      role: row.role,
      status: row.status,
      state: stateOf(row, now),
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
      invitedBy,
      acceptedAt: row.acceptedAt?.toISOString() ?? null,
    };
  }

  /** The organisations the actor belongs to (for the organisation switcher). */
  async function switcherFor(actor: Actor): Promise<MembershipSummary[]> {
    if (!actor.userId) return [];
    const all = await membershipsOf(db, actor.userId);
    return actor.tokenScope ? all.filter((m) => m.organisationId === actor.tokenScope!.organisationId) : all;
  }

  /** Leaves the organisation; the only owner cannot leave until someone else is an owner. */
  async function leave(actor: Actor, orgId: string, meta: RequestMeta = {}): Promise<void> {
    authorize(actor, "organisation:read", { organisationId: orgId });
    if (actor.kind !== "user") throw new AppError("forbidden", "Leaving an organisation needs a signed-in session, not an API token.");
    const actorId = requireUser(actor);
    await db.transaction(async (tx) => {
      await lockOrg(tx, orgId);
      const current = await roleOf(tx, orgId, actorId);
      if (!current) throw new AppError("not_found", "That organisation was not found.");
      if (current === "owner" && (await ownerCount(tx, orgId)) <= 1) {
        throw lastOwner("You are the only owner of this organisation. Make someone else an owner before you leave.");
      }
      await tx.delete(membership).where(and(eq(membership.organisationId, orgId), eq(membership.userId, actorId)));
      await recordAudit(tx, {
        organisationId: orgId,
        actor,
        action: "member.left",
        targetType: "user",
        targetId: actorId,
        details: { role: current },
        ipAddress: meta.ipAddress ?? null,
        requestId: meta.requestId ?? null,
      });
    });
  }

  return {
    switcherFor,

    /** My organisations with my role in each (an API token sees only its own organisation). */
    async listMine(actor: Actor): Promise<MembershipSummary[]> {
      requireUser(actor);
      return switcherFor(actor);
    },

    async get(actor: Actor, orgId: string): Promise<OrganisationView> {
      if (!UUID.test(orgId)) throw new AppError("not_found", "That organisation was not found.");
      authorize(actor, "organisation:read", { organisationId: orgId });
      return view(await loadOrg(db, orgId), actor);
    },

    async getBySlug(actor: Actor, slug: string): Promise<OrganisationView> {
      if (actor.kind === "anonymous") throw new AppError("unauthenticated", "Please sign in.");
      const [row] = await db.select().from(organisation).where(eq(organisation.slug, slug.toLowerCase()));
      // Same answer for "no such organisation" and "not yours".
      if (!row) throw new AppError("not_found", "That organisation was not found.");
      authorize(actor, "organisation:read", { organisationId: row.id });
      return view(row, actor);
    },

    /**
     * Name, default language, time zone and settings. `settings.minimumCellSize` is a whole
     * number of at least 5 (MINIMUM_CELL_SIZE_FLOOR) and can never be set lower: aggregate
     * results for smaller groups could identify people.
     */
    async updateSettings(actor: Actor, orgId: string, raw: unknown, meta: RequestMeta = {}): Promise<OrganisationView> {
      authorize(actor, "organisation:update", { organisationId: orgId });
      const input = parse(UpdateOrganisationInput, raw);
      const updated = await db.transaction(async (tx) => {
        const current = await lockOrg(tx, orgId);
        const changed: string[] = [];
        const patch: Partial<typeof organisation.$inferInsert> = {};
        if (input.name !== undefined && input.name !== current.name) {
          patch.name = input.name;
          changed.push("name");
        }
        if (input.defaultLocale !== undefined && input.defaultLocale !== current.defaultLocale) {
          patch.defaultLocale = input.defaultLocale;
          changed.push("defaultLocale");
        }
        if (input.timeZone !== undefined && input.timeZone !== current.timeZone) {
          patch.timeZone = input.timeZone;
          changed.push("timeZone");
        }
        if (input.settings) {
          const next: OrganisationSettings = { ...current.settings };
          const before = settingsView(current.settings);
          const s = input.settings;
          if (s.minimumCellSize !== undefined && s.minimumCellSize !== before.minimumCellSize) {
            next.minimumCellSize = s.minimumCellSize;
            changed.push("minimumCellSize");
          }
          if (s.debriefRetentionDays !== undefined && s.debriefRetentionDays !== before.debriefRetentionDays) {
            next.debriefRetentionDays = s.debriefRetentionDays;
            changed.push("debriefRetentionDays");
          }
          for (const key of ["supportUrl", "contactEmail"] as const) {
            const value = s[key];
            if (value === undefined || value === before[key]) continue;
            if (value === null) delete next[key];
            else next[key] = value;
            changed.push(key);
          }
          if (changed.some((c) => c === "minimumCellSize" || c === "supportUrl" || c === "contactEmail" || c === "debriefRetentionDays")) patch.settings = next;
        }
        if (changed.length === 0) return current;
        const [row] = await tx
          .update(organisation)
          .set({ ...patch, updatedAt: new Date() })
          .where(eq(organisation.id, orgId))
          .returning();
        await recordAudit(tx, {
          organisationId: orgId,
          actor,
          action: "organisation.updated",
          targetType: "organisation",
          targetId: orgId,
          details: { fields: changed.join(" ") },
          ipAddress: meta.ipAddress ?? null,
          requestId: meta.requestId ?? null,
        });
        return row!;
      });
      return view(updated, actor);
    },

    /** Members, searched by name or email and filtered by role, ordered by name (then email, id). */
    async listMembers(actor: Actor, orgId: string, rawQuery: MemberQuery = {}): Promise<Page<MemberView>> {
      authorize(actor, "members:read", { organisationId: orgId });
      const q = parse(MemberQuery, rawQuery);
      const where: SQL[] = [eq(membership.organisationId, orgId)];
      if (q.q) {
        const pattern = `%${likeEscape(q.q)}%`;
        where.push(or(ilike(user.name, pattern), ilike(user.email, pattern))!);
      }
      if (q.role) where.push(eq(membership.role, q.role));
      const condition = and(...where);
      const [totalRow] = await db.select({ n: count() }).from(membership).innerJoin(user, eq(user.id, membership.userId)).where(condition);
      const rows = await db
        .select({ userId: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, role: membership.role, joinedAt: membership.createdAt })
        .from(membership)
        .innerJoin(user, eq(user.id, membership.userId))
        .where(condition)
        .orderBy(asc(sql`lower(${user.name})`), asc(user.email), asc(user.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      return {
        items: rows.map((r) => ({ ...r, joinedAt: r.joinedAt.toISOString() })),
        page: q.page,
        pageSize: q.pageSize,
        total: totalRow?.n ?? 0,
      };
    },

    /**
     * Gives a member another role. Who may give which role is mayAssignRole(); an organisation
     * always keeps at least one owner (checked under a lock on the organisation row, so two
     * concurrent demotions of the last two owners cannot both succeed).
     */
    async changeRole(actor: Actor, orgId: string, userId: string, rawRole: unknown, meta: RequestMeta = {}): Promise<MemberView> {
      authorize(actor, "members:change-role", { organisationId: orgId });
      const { role } = parse(ChangeRoleInput, { role: rawRole });
      const actorId = requireUser(actor);
      const result = await db.transaction(async (tx) => {
        const org = await lockOrg(tx, orgId);
        const current = await roleOf(tx, orgId, userId);
        if (!current) throw notFoundMember();
        const actorRole = await roleOf(tx, orgId, actorId);
        if (!actorRole) throw new AppError("not_found", "That organisation was not found.");
        if (!mayAssignRole(actorRole, role, current)) {
          throw new AppError("forbidden", current === "owner" ? "Only an owner can change an owner's role." : `Your role cannot give someone the role ${role}.`, [{ path: "role", message: "not allowed for your role" }]);
        }
        if (current === role) return { org, changed: false as const };
        if (current === "owner" && (await ownerCount(tx, orgId)) <= 1) {
          throw lastOwner("This is the organisation's only owner. Make someone else an owner first.");
        }
        await tx.update(membership).set({ role, updatedAt: new Date() }).where(and(eq(membership.organisationId, orgId), eq(membership.userId, userId)));
        await recordAudit(tx, {
          organisationId: orgId,
          actor,
          action: "member.role_changed",
          targetType: "user",
          targetId: userId,
          details: { oldRole: current, newRole: role },
          ipAddress: meta.ipAddress ?? null,
          requestId: meta.requestId ?? null,
        });
        return { org, changed: true as const };
      });
      const [member] = await db
        .select({ userId: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, role: membership.role, joinedAt: membership.createdAt })
        .from(membership)
        .innerJoin(user, eq(user.id, membership.userId))
        .where(and(eq(membership.organisationId, orgId), eq(membership.userId, userId)));
      if (result.changed && member) {
        const who = await localeFor(member.email, result.org.defaultLocale);
        const t = createTranslator(who.locale);
        await mailer
          .send(
            member.email,
            {
              template: "roleChanged",
              locale: who.locale,
              recipientName: member.name,
              values: { organisation: result.org.name, role: t(`organisations.role.${role}`) },
              actionUrl: `${config.appUrl}/o/${result.org.slug}`,
            },
            { organisationId: orgId },
          )
          .catch((error: unknown) => logger.warn({ err: error }, "could not queue role-changed email"));
      }
      return { ...member!, joinedAt: member!.joinedAt.toISOString() };
    },

    /** Removes someone from the organisation (owners: anyone; admins: anyone but an owner). */
    async removeMember(actor: Actor, orgId: string, userId: string, meta: RequestMeta = {}): Promise<void> {
      const actorId = requireUser(actor);
      if (userId === actorId) return leave(actor, orgId, meta);
      authorize(actor, "members:remove", { organisationId: orgId });
      await db.transaction(async (tx) => {
        await lockOrg(tx, orgId);
        const current = await roleOf(tx, orgId, userId);
        if (!current) throw notFoundMember();
        const actorRole = await roleOf(tx, orgId, actorId);
        if (!actorRole) throw new AppError("not_found", "That organisation was not found.");
        if (!mayRemoveMember(actorRole, current)) throw new AppError("forbidden", "Only an owner can remove an owner.");
        if (current === "owner" && (await ownerCount(tx, orgId)) <= 1) {
          throw lastOwner("This is the organisation's only owner. Make someone else an owner first.");
        }
        await tx.delete(membership).where(and(eq(membership.organisationId, orgId), eq(membership.userId, userId)));
        await recordAudit(tx, {
          organisationId: orgId,
          actor,
          action: "member.removed",
          targetType: "user",
          targetId: userId,
          details: { role: current },
          ipAddress: meta.ipAddress ?? null,
          requestId: meta.requestId ?? null,
        });
      });
    },

    leave,

    /**
     * Invites someone by email. A pending invitation for the same address is replaced (revoked).
     * Only the token's SHA-256 is stored; the token itself exists only in the email.
     */
    async invite(actor: Actor, orgId: string, raw: unknown, meta: RequestMeta = {}): Promise<InvitationView> {
      authorize(actor, "members:invite", { organisationId: orgId });
      const input = parse(InviteInput, raw);
      const actorRole = roleIn(actor, orgId)!;
      if (!mayAssignRole(actorRole, input.role, null)) {
        throw new AppError("forbidden", `Your role cannot invite someone as ${input.role}.`, [{ path: "role", message: "not allowed for your role" }]);
      }
      const token = newToken();
      const now = new Date();
      const { org, row } = await db.transaction(async (tx) => {
        const org = await lockOrg(tx, orgId);
        const [existing] = await tx
          .select({ userId: membership.userId })
          .from(membership)
          .innerJoin(user, eq(user.id, membership.userId))
          .where(and(eq(membership.organisationId, orgId), sql`lower(${user.email}) = ${input.email}`));
        if (existing) throw new AppError("conflict", "This person is already a member of the organisation.", [{ path: "email", message: "already a member" }]);
        const replaced = await tx
          .update(invitation)
          .set({ status: "revoked" })
          .where(and(eq(invitation.organisationId, orgId), eq(invitation.status, "pending"), sql`lower(${invitation.email}) = ${input.email}`))
          .returning({ id: invitation.id });
        const [row] = await tx
          .insert(invitation)
          .values({
            organisationId: orgId,
            email: input.email,
            role: input.role,
            tokenHash: hashToken(token),
            invitedByUserId: actor.userId,
            expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
          })
          .returning();
        await recordAudit(tx, {
          organisationId: orgId,
          actor,
          action: "invitation.created",
          targetType: "invitation",
          targetId: row!.id,
          details: { role: input.role, replaced: replaced.length },
          ipAddress: meta.ipAddress ?? null,
          requestId: meta.requestId ?? null,
        });
        return { org, row: row! };
      });
      const inviter = await actorName(actor);
      await sendInvitationMail(org, row, token, inviter);
      return invitationView(row, inviter);
    },

    async listInvitations(actor: Actor, orgId: string, rawQuery: InvitationQuery = {}): Promise<Page<InvitationView>> {
      authorize(actor, "invitations:read", { organisationId: orgId });
      const q = parse(InvitationQuery, rawQuery);
      const where: SQL[] = [eq(invitation.organisationId, orgId)];
      if (q.status !== "all") where.push(eq(invitation.status, q.status));
      const condition = and(...where);
      const [totalRow] = await db.select({ n: count() }).from(invitation).where(condition);
      const rows = await db
        .select({ inv: invitation, invitedBy: user.name })
        .from(invitation)
        .leftJoin(user, eq(user.id, invitation.invitedByUserId))
        .where(condition)
        .orderBy(desc(invitation.createdAt), desc(invitation.id))
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize);
      const now = new Date();
      return { items: rows.map((r) => invitationView(r.inv, r.invitedBy, now)), page: q.page, pageSize: q.pageSize, total: totalRow?.n ?? 0 };
    },

    async revokeInvitation(actor: Actor, orgId: string, invitationId: string, meta: RequestMeta = {}): Promise<InvitationView> {
      authorize(actor, "invitations:revoke", { organisationId: orgId });
      await findInvitation(orgId, invitationId);
      const row = await db.transaction(async (tx) => {
        const [inv] = await tx.select().from(invitation).where(and(eq(invitation.id, invitationId), eq(invitation.organisationId, orgId))).for("update");
        if (!inv) throw notFoundInvitation();
        if (!mayAssignRole(roleIn(actor, orgId)!, inv.role, null)) throw new AppError("forbidden", `Your role cannot withdraw an invitation as ${inv.role}.`);
        if (inv.status !== "pending") throw new AppError("conflict", inv.status === "accepted" ? "This invitation was already accepted." : "This invitation was already withdrawn.");
        const [updated] = await tx.update(invitation).set({ status: "revoked" }).where(eq(invitation.id, invitationId)).returning();
        await recordAudit(tx, {
          organisationId: orgId,
          actor,
          action: "invitation.revoked",
          targetType: "invitation",
          targetId: invitationId,
          details: { role: inv.role },
          ipAddress: meta.ipAddress ?? null,
          requestId: meta.requestId ?? null,
        });
        return updated!;
      });
      return invitationView(row, null);
    },

    /** Sends a pending (or expired) invitation again with a new link and a new expiry; the old link stops working. */
    async resendInvitation(actor: Actor, orgId: string, invitationId: string, meta: RequestMeta = {}): Promise<InvitationView> {
      authorize(actor, "members:invite", { organisationId: orgId });
      await findInvitation(orgId, invitationId);
      const token = newToken();
      const { org, row } = await db.transaction(async (tx) => {
        const org = await lockOrg(tx, orgId);
        const [inv] = await tx.select().from(invitation).where(and(eq(invitation.id, invitationId), eq(invitation.organisationId, orgId))).for("update");
        if (!inv) throw notFoundInvitation();
        if (!mayAssignRole(roleIn(actor, orgId)!, inv.role, null)) throw new AppError("forbidden", `Your role cannot invite someone as ${inv.role}.`);
        if (inv.status !== "pending") throw new AppError("conflict", inv.status === "accepted" ? "This invitation was already accepted." : "This invitation was withdrawn; send a new one instead.");
        const [updated] = await tx
          .update(invitation)
          .set({ tokenHash: hashToken(token), expiresAt: new Date(Date.now() + INVITATION_TTL_MS) })
          .where(eq(invitation.id, invitationId))
          .returning();
        await recordAudit(tx, {
          organisationId: orgId,
          actor,
          action: "invitation.resent",
          targetType: "invitation",
          targetId: invitationId,
          details: { role: inv.role },
          ipAddress: meta.ipAddress ?? null,
          requestId: meta.requestId ?? null,
        });
        return { org, row: updated! };
      });
      const inviter = await actorName(actor);
      await sendInvitationMail(org, row, token, inviter);
      return invitationView(row, inviter);
    },

    /**
     * Public: what an invitation link is for (organisation name, role, state). For a signed-in
     * person it also says whether they can accept it, without revealing the invited address.
     */
    async peekInvitation(token: string, actor?: Actor): Promise<InvitationPeek> {
      if (!INVITATION_TOKEN.test(token)) throw notFoundInvitation();
      const [row] = await db
        .select({ inv: invitation, organisationName: organisation.name })
        .from(invitation)
        .innerJoin(organisation, eq(organisation.id, invitation.organisationId))
        .where(eq(invitation.tokenHash, hashToken(token)));
      if (!row) throw notFoundInvitation();
      const peek: InvitationPeek = { organisationName: row.organisationName, role: row.inv.role, state: stateOf(row.inv) };
      if (actor?.userId && actor.kind === "user") {
        const [me] = await db.select({ email: user.email, emailVerified: user.emailVerified }).from(user).where(eq(user.id, actor.userId));
        if (me) {
          if (await roleOf(db, row.inv.organisationId, actor.userId)) peek.fit = "member";
          else if (me.email.toLowerCase() !== row.inv.email.toLowerCase()) peek.fit = "mismatch";
          else peek.fit = me.emailVerified ? "match" : "unverified";
        }
      }
      return peek;
    },

    /**
     * Accepts an invitation: the signed-in person's verified email must be the invited one.
     * The membership and the invitation's "accepted" mark are written in one transaction with
     * the invitation row locked, so two concurrent accepts yield exactly one membership.
     */
    async acceptInvitation(actor: Actor, token: string, meta: RequestMeta = {}): Promise<{ organisation: { id: string; slug: string; name: string }; role: Role }> {
      const userId = requireUser(actor);
      if (actor.kind !== "user") throw new AppError("forbidden", "Accept invitations while signed in, not with an API token.");
      if (!INVITATION_TOKEN.test(token)) throw notFoundInvitation();
      try {
        return await db.transaction(async (tx) => {
          const [inv] = await tx.select().from(invitation).where(eq(invitation.tokenHash, hashToken(token))).for("update");
          if (!inv) throw notFoundInvitation();
          if (inv.status === "accepted") throw new AppError("gone", "This invitation has already been used.");
          if (inv.status === "revoked") throw new AppError("gone", "This invitation was withdrawn.");
          if (inv.expiresAt.getTime() <= Date.now()) throw new AppError("gone", "This invitation has expired. Please ask the organisation for a new one.");
          const [me] = await tx.select({ email: user.email, emailVerified: user.emailVerified }).from(user).where(eq(user.id, userId));
          if (!me) throw new AppError("unauthenticated", "Please sign in.");
          if (me.email.toLowerCase() !== inv.email.toLowerCase()) {
            throw new AppError("forbidden", "This invitation was sent to a different email address. Sign in with the address it was sent to, or ask for an invitation to your own address.");
          }
          if (!me.emailVerified) throw new AppError("forbidden", "Please confirm your email address first; then you can accept the invitation.");
          const org = await lockOrg(tx, inv.organisationId);
          if (await roleOf(tx, inv.organisationId, userId)) throw new AppError("conflict", "You are already a member of this organisation.");
          await tx.insert(membership).values({ organisationId: inv.organisationId, userId, role: inv.role });
          await tx.update(invitation).set({ status: "accepted", acceptedByUserId: userId, acceptedAt: new Date() }).where(eq(invitation.id, inv.id));
          await recordAudit(tx, {
            organisationId: inv.organisationId,
            actor,
            action: "invitation.accepted",
            targetType: "invitation",
            targetId: inv.id,
            details: { role: inv.role },
            ipAddress: meta.ipAddress ?? null,
            requestId: meta.requestId ?? null,
          });
          return { organisation: { id: org.id, slug: org.slug, name: org.name }, role: inv.role };
        });
      } catch (error) {
        if (uniqueViolation(error) === "membership_organisation_id_user_id_pk") throw new AppError("conflict", "You are already a member of this organisation.");
        throw error;
      }
    },
  };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
export { ROLES };
