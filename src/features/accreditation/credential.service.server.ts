// Verifiable credentials (Open Badges 3.0 as VC-JOSE, ADR 018), the Bitstring Status List, expiry
// reminders and the public directory of accredited leaders.
//
// Decisions:
// - Each organisation signs with its own Ed25519 key (credential_signing_key). The private JWK is
//   sealed under the organisation's data key (envelope encryption, ADR 014; the debrief key store).
//   Rotation retires the active key; retired keys stay in the published JWKS so what they signed
//   still verifies. A key is created on first use, race-safe (one-active partial unique index).
// - URLs (all public, under /api/v1/issuers/:orgId): the issuer Profile (= issuer.id), jwks.json,
//   status/1 (the signed BitstringStatusListCredential, vc+jwt) and status/1.json (the same, unsigned,
//   for people). Verification here never fetches a URL: it resolves issuers, keys and status lists
//   that this application publishes, and reports any other issuer as unknown.
// - Status bits are allocated at random in a 131,072-bit list (herd privacy), unique per
//   (organisation, list, index) in the database; the list is computed from the revoked rows.
// - Issuing: `issueCredential(orgId, candidateId, input)` is the internal entry point (the committee
//   review calls it on approval; no actor check there, the caller has decided). `issue(actor, …)`
//   is the same for coordinators and above (REST / UI), authorised and audited.
// - Revoke with a reason CODE (audited), renew (a new credential pointing at the old one), daily
//   expiry reminders 60 days ahead, claimed once per credential (reminder_sent_at).
// - Directory: a person with a valid credential of an organisation may publish a listing there;
//   /leaders shows published listings whose holder still has a valid credential.
import { randomInt, randomUUID } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { JWK } from "jose";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { open, seal } from "../../platform/crypto/envelope.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { AppError, validationError } from "../../platform/http/errors.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import { definePeriodicJob } from "../../platform/jobs/periodic.server.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import type { Permission } from "../../platform/policy/permissions.ts";
import { authorize, can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { createKeyStore, type KeyStore } from "../debrief/keys.server.ts";
import { profile } from "../profile/schema.ts";
import {
  buildCredential,
  credentialState,
  generateSigningKey,
  isoSeconds,
  signCredential,
  unverifiedPayload,
  verifyCredentialJwt,
  VC_CONTEXT,
  type KeyResolver,
  type OpenBadgeCredential,
  type VerifyFailure,
} from "./credential.ts";
import { accreditationCredential, credentialSigningKey, leaderDirectoryListing, type RevocationReason } from "./credential-schema.ts";
import { DirectoryListingInput, DirectorySearchInput, IssueCredentialInput, RenewCredentialInput, RevokeCredentialInput, VerifyCredentialInput } from "./credential-schemas.ts";
import { bitstringFromIndexes, decodeList, encodeList, getBit, pickFreeIndex, STATUS_LIST_MIN_BITS } from "./status-list.ts";
import { accreditationCandidate, accreditationPathway, accreditationPathwayVersion } from "./schema.ts";

/** Who issues, revokes and renews credentials by hand, and reads the organisation's list. */
const MANAGE: Permission = "groups:manage";
const STATUS_LIST = 1;
const REMINDER_DAYS = 60;
/** Validity of a credential issued on approval (renewal then issues a new one). */
export const DEFAULT_VALIDITY_YEARS = 5;
const DAY_MS = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const CREDENTIAL_REMINDER_QUEUE = "credential.expiry-reminders";

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

export type VerificationStatus = "valid" | "expired" | "not_yet_valid" | "revoked" | "tampered" | "unknown_issuer" | "malformed";

export interface VerificationView {
  status: VerificationStatus;
  /** Why it failed, for tampered / unknown / malformed (a code). */
  failure: VerifyFailure | null;
  credentialId: string | null;
  holderName: string | null;
  achievementName: string | null;
  achievementDescription: string | null;
  issuerName: string | null;
  issuerId: string | null;
  validFrom: string | null;
  validUntil: string | null;
  revokedAt: string | null;
  /** True when the claims come from a credential that did NOT verify (show them as claims only). */
  unverifiedClaims: boolean;
}

export interface CredentialSummary {
  id: string;
  organisationId: string;
  organisationName: string;
  holderName: string;
  achievementName: string;
  validFrom: string;
  validUntil: string | null;
  revokedAt: string | null;
  revokedReason: RevocationReason | null;
  state: "valid" | "expired" | "not_yet_valid" | "revoked";
  renewsId: string | null;
}

export interface DirectoryEntry {
  organisationId: string;
  organisationName: string;
  displayName: string;
  languages: string[];
  region: string;
  online: boolean;
  inPerson: boolean;
  openToCoLeading: boolean;
  achievements: Array<{ name: string; credentialId: string; validUntil: string | null }>;
}

export interface MyListing {
  organisationId: string;
  organisationName: string;
  eligible: boolean;
  listing: (Omit<DirectoryListingInput, never> & { updatedAt: string }) | null;
}

const notFound = () => new AppError("not_found", "That credential was not found.");

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

function toDate(value: string | null | undefined, field: string, now: Date): Date | null {
  if (!value) return null;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value);
  if (Number.isNaN(d.getTime())) throw new AppError("validation_failed", "Invalid date.", [{ path: field, message: "Must be a date." }]);
  if (d.getTime() <= now.getTime()) throw new AppError("validation_failed", "The credential would already be expired.", [{ path: field, message: "Must be in the future." }]);
  if (d.getTime() > now.getTime() + 30 * 366 * DAY_MS) throw new AppError("validation_failed", "Too far in the future.", [{ path: field, message: "Must be within 30 years." }]);
  return d;
}

const credentialKeyAad = (orgId: string, kid: string) => `credential-key:${orgId}:${kid}`;

export function createCredentialService(kernel: Kernel, options: { keys?: KeyStore; random?: () => number } = {}) {
  const { db, jobs, logger, mailer, config } = kernel;
  const keys = options.keys ?? createKeyStore({ db, masterKeys: config.encryptionKeys });
  const random = options.random ?? (() => randomInt(0, 2 ** 47) / 2 ** 47);

  const issuerUrl = (orgId: string) => `${config.appUrl}/api/v1/issuers/${orgId}`;
  const statusListUrl = (orgId: string, list = STATUS_LIST) => `${issuerUrl(orgId)}/status/${list}`;
  const verifyUrl = (id: string) => `${config.appUrl}/verify/credential/${id}`;
  const ISSUER_PREFIX = `${config.appUrl}/api/v1/issuers/`;

  const audit = (tx: Executor, actor: Actor | null, meta: RequestMeta, entry: { organisationId: string; action: string; targetId: string; details?: Record<string, string | number | boolean | null> }) =>
    recordAudit(tx, { ...entry, ...(actor ? { actor } : {}), targetType: "credential", ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });

  // ---- keys ----------------------------------------------------------------------------------

  async function createKeyRow(exec: Executor, orgId: string) {
    const generated = await generateSigningKey();
    const dataKey = await keys.currentKey(orgId, exec === db ? undefined : exec);
    const privateSealed = seal(dataKey, JSON.stringify(generated.privateJwk), credentialKeyAad(orgId, generated.kid));
    return { organisationId: orgId, kid: generated.kid, publicJwk: generated.publicJwk, privateSealed, status: "active" as const };
  }

  async function activeKey(exec: Executor, orgId: string): Promise<{ kid: string; privateJwk: JWK }> {
    const select = () => exec.select().from(credentialSigningKey).where(and(eq(credentialSigningKey.organisationId, orgId), eq(credentialSigningKey.status, "active")));
    let [row] = await select();
    if (!row) {
      await exec.insert(credentialSigningKey).values(await createKeyRow(exec, orgId)).onConflictDoNothing();
      [row] = await select();
      if (!row) throw new Error("credential signing key: no active key after create");
    }
    const resolve = await keys.resolver(orgId, exec === db ? undefined : exec);
    const privateJwk = JSON.parse(open(resolve, row.privateSealed, credentialKeyAad(orgId, row.kid))) as JWK;
    return { kid: row.kid, privateJwk };
  }

  /** Public keys of an organisation (active and retired), as a JWKS. */
  async function publishedKeys(orgId: string): Promise<JWK[]> {
    const rows = await db.select({ publicJwk: credentialSigningKey.publicJwk }).from(credentialSigningKey).where(eq(credentialSigningKey.organisationId, orgId)).orderBy(asc(credentialSigningKey.createdAt));
    return rows.map((r) => r.publicJwk as JWK);
  }

  function orgIdOfIssuer(issuerId: string): string | null {
    if (!issuerId.startsWith(ISSUER_PREFIX)) return null;
    const rest = issuerId.slice(ISSUER_PREFIX.length);
    return UUID.test(rest) ? rest : null;
  }

  const resolveKey: KeyResolver = async (issuerId, kid) => {
    const orgId = orgIdOfIssuer(issuerId);
    if (!orgId) return undefined;
    const [org] = await db.select({ id: organisation.id }).from(organisation).where(eq(organisation.id, orgId));
    if (!org) return undefined;
    const [row] = await db.select({ publicJwk: credentialSigningKey.publicJwk }).from(credentialSigningKey).where(and(eq(credentialSigningKey.organisationId, orgId), eq(credentialSigningKey.kid, kid)));
    return row ? (row.publicJwk as JWK) : null;
  };

  async function orgRow(orgId: string) {
    if (!UUID.test(orgId)) return null;
    const [row] = await db.select({ id: organisation.id, name: organisation.name, slug: organisation.slug }).from(organisation).where(eq(organisation.id, orgId));
    return row ?? null;
  }

  // ---- status list -----------------------------------------------------------------------------

  async function revokedIndexes(orgId: string, list: number): Promise<number[]> {
    const rows = await db
      .select({ index: accreditationCredential.statusIndex })
      .from(accreditationCredential)
      .where(and(eq(accreditationCredential.organisationId, orgId), eq(accreditationCredential.statusList, list), isNotNull(accreditationCredential.revokedAt)));
    return rows.map((r) => r.index);
  }

  async function statusListCredentialJson(orgId: string, list: number, now: Date) {
    const encodedList = encodeList(bitstringFromIndexes(await revokedIndexes(orgId, list)));
    const url = statusListUrl(orgId, list);
    return {
      "@context": [VC_CONTEXT],
      id: url,
      type: ["VerifiableCredential", "BitstringStatusListCredential"],
      issuer: issuerUrl(orgId),
      validFrom: isoSeconds(now),
      // Verifiers should not cache it for long: a revocation must show within minutes.
      validUntil: isoSeconds(new Date(now.getTime() + DAY_MS)),
      credentialSubject: { id: `${url}#list`, type: "BitstringStatusList", statusPurpose: "revocation", encodedList, ttl: 300_000 },
    };
  }

  // ---- issuing ---------------------------------------------------------------------------------

  async function holderOf(candidateId: string, orgId: string) {
    if (!UUID.test(candidateId)) return null;
    const [row] = await db
      .select({ candidateId: accreditationCandidate.id, userId: accreditationCandidate.userId, name: user.name, email: user.email, locale: profile.locale, pathwayKey: accreditationPathway.key, orgName: organisation.name, orgLocale: organisation.defaultLocale })
      .from(accreditationCandidate)
      .innerJoin(user, eq(user.id, accreditationCandidate.userId))
      .innerJoin(organisation, eq(organisation.id, accreditationCandidate.organisationId))
      .innerJoin(accreditationPathway, eq(accreditationPathway.id, accreditationCandidate.pathwayId))
      .leftJoin(profile, eq(profile.userId, accreditationCandidate.userId))
      .where(and(eq(accreditationCandidate.id, candidateId), eq(accreditationCandidate.organisationId, orgId)));
    if (!row) return null;
    const locale: Locale = isLocale(row.locale) ? row.locale : isLocale(row.orgLocale) ? row.orgLocale : "en";
    return { ...row, locale };
  }

  async function issueInternal(orgId: string, candidateId: string, raw: unknown, opts: { actor?: Actor | null; meta?: RequestMeta; renewsId?: string | null; now?: Date }) {
    const now = opts.now ?? new Date();
    const input = parse(IssueCredentialInput, raw);
    const validUntil = toDate(input.validUntil ?? null, "validUntil", now);
    const holder = await holderOf(candidateId, orgId);
    if (!holder) throw new AppError("not_found", "That candidate was not found.");
    const id = randomUUID();
    const result = await db.transaction(async (tx) => {
      const key = await activeKey(tx, orgId);
      const taken = new Set(
        (await tx.select({ i: accreditationCredential.statusIndex }).from(accreditationCredential).where(and(eq(accreditationCredential.organisationId, orgId), eq(accreditationCredential.statusList, STATUS_LIST)))).map((r) => r.i),
      );
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const index = pickFreeIndex(taken, random);
        const credential = buildCredential({
          id: `urn:uuid:${id}`,
          issuer: { id: issuerUrl(orgId), name: holder.orgName, url: `${config.appUrl}/leaders?organisation=${orgId}` },
          holderName: holder.name,
          achievement: { id: `${issuerUrl(orgId)}/achievements/${holder.pathwayKey}`, name: input.achievement.name, description: input.achievement.description, criteria: input.achievement.criteria },
          validFrom: now,
          validUntil,
          status: { listUrl: statusListUrl(orgId), index },
        });
        const jwt = await signCredential(credential, key.privateJwk, key.kid);
        const inserted = await tx
          .insert(accreditationCredential)
          .values({
            id,
            organisationId: orgId,
            candidateId,
            userId: holder.userId,
            holderName: holder.name,
            achievementName: input.achievement.name,
            achievementDescription: input.achievement.description,
            criteria: input.achievement.criteria,
            validFrom: new Date(credential.validFrom),
            validUntil: credential.validUntil ? new Date(credential.validUntil) : null,
            statusList: STATUS_LIST,
            statusIndex: index,
            kid: key.kid,
            jwt,
            renewsId: opts.renewsId ?? null,
            issuedByUserId: opts.actor?.userId ?? null,
          })
          .onConflictDoNothing()
          .returning({ id: accreditationCredential.id });
        if (inserted.length === 0) {
          taken.add(index);
          continue;
        }
        await audit(tx, opts.actor ?? null, opts.meta ?? {}, { organisationId: orgId, action: opts.renewsId ? "credential.renewed" : "credential.issued", targetId: id, details: { candidateId, statusIndex: index, kid: key.kid, renews: opts.renewsId ?? null } });
        return { id, jwt, credential };
      }
      throw new AppError("conflict", "Could not allocate a status list entry; please try again.");
    });
    await mailer.send(
      holder.email,
      { template: "credentialIssued", locale: holder.locale, recipientName: holder.name, values: { achievement: input.achievement.name, organisation: holder.orgName }, actionUrl: `${config.appUrl}/account/credentials` },
      { organisationId: orgId },
    );
    return result;
  }

  async function credentialRow(id: string) {
    if (!UUID.test(id)) return null;
    const [row] = await db.select().from(accreditationCredential).where(eq(accreditationCredential.id, id));
    return row ?? null;
  }

  // ---- verification ------------------------------------------------------------------------------

  function extractJwt(text: string): string | null {
    const trimmed = text.trim();
    if (!trimmed.startsWith("{")) return trimmed;
    try {
      const json = JSON.parse(trimmed) as Record<string, unknown>;
      // VCDM 2.0 EnvelopedVerifiableCredential: id = "data:application/vc+jwt,<jws>".
      if (typeof json.id === "string" && json.id.startsWith("data:application/vc+jwt,")) return json.id.slice("data:application/vc+jwt,".length);
      if (typeof json.jwt === "string") return json.jwt;
      return null;
    } catch {
      return null;
    }
  }

  function claimsView(claimed: unknown): Pick<VerificationView, "credentialId" | "holderName" | "achievementName" | "achievementDescription" | "issuerName" | "issuerId" | "validFrom" | "validUntil"> {
    const c = (typeof claimed === "object" && claimed ? claimed : {}) as Partial<OpenBadgeCredential> & Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v.slice(0, 300) : null);
    const id = str(c.id);
    return {
      credentialId: id && id.startsWith("urn:uuid:") ? id.slice(9) : id,
      holderName: str(c.credentialSubject?.identifier?.[0]?.identityHash),
      achievementName: str(c.credentialSubject?.achievement?.name),
      achievementDescription: str(c.credentialSubject?.achievement?.description),
      issuerName: str(c.issuer?.name),
      issuerId: str(c.issuer?.id),
      validFrom: str(c.validFrom),
      validUntil: str(c.validUntil),
    };
  }

  async function verifyText(text: string, now: Date): Promise<VerificationView> {
    const jwt = extractJwt(text);
    const empty: VerificationView = { status: "malformed", failure: "malformed", credentialId: null, holderName: null, achievementName: null, achievementDescription: null, issuerName: null, issuerId: null, validFrom: null, validUntil: null, revokedAt: null, unverifiedClaims: false };
    if (!jwt) return empty;
    const result = await verifyCredentialJwt(jwt, resolveKey);
    if (!result.ok) {
      const claims = claimsView(result.credential ?? unverifiedPayload(jwt));
      const status: VerificationStatus = result.reason === "malformed" ? "malformed" : result.reason === "unknown_issuer" ? "unknown_issuer" : "tampered";
      return { ...empty, ...claims, status, failure: result.reason, unverifiedClaims: true };
    }
    const c = result.credential;
    const orgId = orgIdOfIssuer(c.issuer.id)!;
    // The status entry must point at this issuer's list; read the bit from the list as published.
    const listMatch = /\/status\/([1-9][0-9]{0,5})$/.exec(c.credentialStatus.statusListCredential);
    const list = listMatch ? Number(listMatch[1]) : NaN;
    const index = Number(c.credentialStatus.statusListIndex);
    if (c.credentialStatus.statusListCredential !== statusListUrl(orgId, list) || !Number.isInteger(index) || index >= STATUS_LIST_MIN_BITS) {
      return { ...empty, ...claimsView(c), status: "tampered", failure: "claims_mismatch", unverifiedClaims: true };
    }
    const published = await statusListCredentialJson(orgId, list, now);
    const revoked = getBit(decodeList(published.credentialSubject.encodedList), index);
    let revokedAt: string | null = null;
    if (revoked) {
      const [row] = await db.select({ revokedAt: accreditationCredential.revokedAt }).from(accreditationCredential).where(and(eq(accreditationCredential.organisationId, orgId), eq(accreditationCredential.statusList, list), eq(accreditationCredential.statusIndex, index)));
      revokedAt = row?.revokedAt?.toISOString() ?? null;
    }
    return { ...claimsView(c), status: credentialState(c, revoked, now), failure: null, revokedAt, unverifiedClaims: false };
  }

  // ---- reminders -----------------------------------------------------------------------------

  async function sendExpiryReminders(now = new Date()): Promise<number> {
    const horizon = new Date(now.getTime() + REMINDER_DAYS * DAY_MS);
    const due = await db
      .select({ id: accreditationCredential.id })
      .from(accreditationCredential)
      .where(and(isNull(accreditationCredential.revokedAt), isNull(accreditationCredential.reminderSentAt), isNotNull(accreditationCredential.validUntil), gt(accreditationCredential.validUntil, now), lte(accreditationCredential.validUntil, horizon)))
      .limit(500);
    let sent = 0;
    for (const { id } of due) {
      // A renewal already issued makes the reminder pointless.
      const [renewed] = await db.select({ id: accreditationCredential.id }).from(accreditationCredential).where(and(eq(accreditationCredential.renewsId, id), isNull(accreditationCredential.revokedAt)));
      const [claimed] = await db
        .update(accreditationCredential)
        .set({ reminderSentAt: now })
        .where(and(eq(accreditationCredential.id, id), isNull(accreditationCredential.reminderSentAt)))
        .returning();
      if (!claimed || renewed) continue;
      const [to] = await db
        .select({ email: user.email, name: user.name, locale: profile.locale, orgName: organisation.name, orgLocale: organisation.defaultLocale })
        .from(user)
        .innerJoin(organisation, eq(organisation.id, claimed.organisationId))
        .leftJoin(profile, eq(profile.userId, user.id))
        .where(eq(user.id, claimed.userId));
      if (!to) continue;
      const locale: Locale = isLocale(to.locale) ? to.locale : isLocale(to.orgLocale) ? to.orgLocale : "en";
      await mailer.send(
        to.email,
        { template: "credentialExpiring", locale, recipientName: to.name, values: { achievement: claimed.achievementName, organisation: to.orgName, date: claimed.validUntil!.toISOString().slice(0, 10) }, actionUrl: `${config.appUrl}/account/credentials` },
        { organisationId: claimed.organisationId },
      );
      sent += 1;
    }
    return sent;
  }

  const dailyReminders = definePeriodicJob(
    { jobs, db, logger },
    {
      name: CREDENTIAL_REMINDER_QUEUE,
      periodMs: DAY_MS,
      offsetMs: 7 * 3_600_000,
      run: async (now) => {
        const sent = await sendExpiryReminders(now);
        if (sent) logger.info({ sent }, "credential expiry reminders sent");
      },
    },
  );

  function summary(row: typeof accreditationCredential.$inferSelect, orgName: string, now: Date): CredentialSummary {
    const validFrom = row.validFrom.toISOString();
    const validUntil = row.validUntil?.toISOString() ?? null;
    return {
      id: row.id,
      organisationId: row.organisationId,
      organisationName: orgName,
      holderName: row.holderName,
      achievementName: row.achievementName,
      validFrom,
      validUntil,
      revokedAt: row.revokedAt?.toISOString() ?? null,
      revokedReason: row.revokedReason ?? null,
      state: credentialState({ validFrom, ...(validUntil ? { validUntil } : {}) }, row.revokedAt !== null, now),
      renewsId: row.renewsId,
    };
  }

  function isValidNow(now: Date) {
    return and(isNull(accreditationCredential.revokedAt), lte(accreditationCredential.validFrom, now), or(isNull(accreditationCredential.validUntil), gt(accreditationCredential.validUntil, now)));
  }

  return {
    issuerUrl,
    statusListUrl,
    sendExpiryReminders,

    /** Starts the daily expiry-reminder job (safe on every instance). */
    async startScheduler(now = new Date()) {
      await dailyReminders.start(now);
    },

    /** Internal: issue on approval (the committee review calls this; no actor check here). */
    async issueCredential(orgId: string, candidateId: string, input: IssueCredentialInput, opts: { actor?: Actor | null; meta?: RequestMeta; now?: Date } = {}) {
      return issueInternal(orgId, candidateId, input, opts);
    },

    /**
     * The committee-review hook (`issueCredentialOnApproval` of review.service.server.ts): issues the
     * credential of an approved application, the achievement described from the pathway version the
     * candidate was assessed on, valid for DEFAULT_VALIDITY_YEARS.
     */
    async issueOnApproval(input: { organisationId: string; candidateId: string; pathwayVersionId: string; decidedByUserId: string; applicationId?: string }) {
      const [pv] = await db
        .select({ name: accreditationPathway.name, version: accreditationPathwayVersion.version, definition: accreditationPathwayVersion.definition, orgName: organisation.name })
        .from(accreditationPathwayVersion)
        .innerJoin(accreditationPathway, eq(accreditationPathway.id, accreditationPathwayVersion.pathwayId))
        .innerJoin(organisation, eq(organisation.id, accreditationPathwayVersion.organisationId))
        .where(and(eq(accreditationPathwayVersion.id, input.pathwayVersionId), eq(accreditationPathwayVersion.organisationId, input.organisationId)));
      if (!pv) return null;
      const def = (pv.definition ?? {}) as { title?: unknown; summary?: unknown };
      const title = typeof def.title === "string" && def.title ? def.title : pv.name;
      const summaryText = typeof def.summary === "string" && def.summary ? def.summary : `${pv.orgName}: ${title}`;
      const now = new Date();
      const until = new Date(now);
      until.setUTCFullYear(until.getUTCFullYear() + DEFAULT_VALIDITY_YEARS);
      const issued = await issueInternal(
        input.organisationId,
        input.candidateId,
        {
          achievement: { name: title.slice(0, 200), description: summaryText.slice(0, 1000), criteria: `Met the requirements of ${title} (version ${pv.version}) and was approved by the accreditation committee of ${pv.orgName}.`.slice(0, 2000) },
          validUntil: until.toISOString(),
        },
        { actor: { kind: "user", userId: input.decidedByUserId, memberships: new Map() }, now },
      );
      return { credentialId: issued.id };
    },

    /** Coordinators and above issue by hand. */
    async issue(actor: Actor, orgId: string, candidateId: string, raw: unknown, meta: RequestMeta = {}, now = new Date()) {
      authorize(actor, MANAGE, { organisationId: orgId });
      return issueInternal(orgId, candidateId, raw, { actor, meta, now });
    },

    async listForOrganisation(actor: Actor, orgId: string, now = new Date()): Promise<CredentialSummary[]> {
      authorize(actor, MANAGE, { organisationId: orgId });
      const org = await orgRow(orgId);
      if (!org) throw notFound();
      const rows = await db.select().from(accreditationCredential).where(eq(accreditationCredential.organisationId, orgId)).orderBy(desc(accreditationCredential.createdAt));
      return rows.map((r) => summary(r, org.name, now));
    },

    async listMine(actor: Actor, now = new Date()): Promise<CredentialSummary[]> {
      const userId = requireUser(actor);
      const rows = await db
        .select({ c: accreditationCredential, orgName: organisation.name })
        .from(accreditationCredential)
        .innerJoin(organisation, eq(organisation.id, accreditationCredential.organisationId))
        .where(eq(accreditationCredential.userId, userId))
        .orderBy(desc(accreditationCredential.createdAt));
      return rows.map((r) => summary(r.c, r.orgName, now));
    },

    /** The signed credential for its holder or the organisation's coordinators (404 otherwise). */
    async download(actor: Actor, credentialId: string): Promise<{ jwt: string; enveloped: Record<string, unknown>; credential: unknown; filename: string }> {
      const userId = requireUser(actor);
      const row = await credentialRow(credentialId);
      if (!row || (row.userId !== userId && !can(actor, MANAGE, { organisationId: row.organisationId }))) throw notFound();
      return {
        jwt: row.jwt,
        enveloped: { "@context": [VC_CONTEXT], id: `data:application/vc+jwt,${row.jwt}`, type: "EnvelopedVerifiableCredential" },
        credential: unverifiedPayload(row.jwt),
        filename: `credential-${row.id}`,
      };
    },

    async revoke(actor: Actor, orgId: string, credentialId: string, raw: unknown, meta: RequestMeta = {}, now = new Date()) {
      authorize(actor, MANAGE, { organisationId: orgId });
      const { reason } = parse(RevokeCredentialInput, raw);
      const row = await db.transaction(async (tx) => {
        if (!UUID.test(credentialId)) throw notFound();
        const [current] = await tx.select().from(accreditationCredential).where(and(eq(accreditationCredential.id, credentialId), eq(accreditationCredential.organisationId, orgId))).for("update");
        if (!current) throw notFound();
        if (current.revokedAt) throw new AppError("conflict", "That credential is already revoked.");
        const [updated] = await tx.update(accreditationCredential).set({ revokedAt: now, revokedReason: reason, revokedByUserId: actor.userId }).where(eq(accreditationCredential.id, credentialId)).returning();
        await audit(tx, actor, meta, { organisationId: orgId, action: "credential.revoked", targetId: credentialId, details: { reason, statusIndex: current.statusIndex } });
        return updated!;
      });
      const [to] = await db.select({ email: user.email, name: user.name, locale: profile.locale, orgName: organisation.name }).from(user).innerJoin(organisation, eq(organisation.id, orgId)).leftJoin(profile, eq(profile.userId, user.id)).where(eq(user.id, row.userId));
      if (to) {
        await mailer.send(to.email, { template: "credentialRevoked", locale: isLocale(to.locale) ? to.locale : "en", recipientName: to.name, values: { achievement: row.achievementName, organisation: to.orgName }, actionUrl: `${config.appUrl}/account/credentials` }, { organisationId: orgId });
      }
      return { id: row.id, revokedAt: row.revokedAt!.toISOString(), reason: row.revokedReason! };
    },

    /** A new credential for the same achievement and holder, pointing at the one it renews. */
    async renew(actor: Actor, orgId: string, credentialId: string, raw: unknown, meta: RequestMeta = {}, now = new Date()) {
      authorize(actor, MANAGE, { organisationId: orgId });
      const input = parse(RenewCredentialInput, raw);
      const row = await credentialRow(credentialId);
      if (!row || row.organisationId !== orgId) throw notFound();
      if (row.revokedAt) throw new AppError("conflict", "A revoked credential cannot be renewed.");
      return issueInternal(orgId, row.candidateId, { achievement: { name: row.achievementName, description: row.achievementDescription, criteria: row.criteria }, validUntil: input.validUntil ?? null }, { actor, meta, renewsId: row.id, now });
    },

    async rotateSigningKey(actor: Actor, orgId: string, meta: RequestMeta = {}) {
      authorize(actor, "organisation:update", { organisationId: orgId });
      return db.transaction(async (tx) => {
        const [old] = await tx.select().from(credentialSigningKey).where(and(eq(credentialSigningKey.organisationId, orgId), eq(credentialSigningKey.status, "active"))).for("update");
        if (old) await tx.update(credentialSigningKey).set({ status: "retired", retiredAt: new Date() }).where(eq(credentialSigningKey.id, old.id));
        const row = await createKeyRow(tx, orgId);
        await tx.insert(credentialSigningKey).values(row);
        await recordAudit(tx, { organisationId: orgId, actor, action: "credential.key_rotated", targetType: "credential_key", targetId: row.kid, details: { retired: old?.kid ?? null }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
        return { kid: row.kid, retired: old?.kid ?? null };
      });
    },

    // ---- public documents (no actor) ----------------------------------------------------------

    async issuerProfile(orgId: string) {
      const org = await orgRow(orgId);
      if (!org) throw new AppError("not_found", "Unknown issuer.");
      return { "@context": [VC_CONTEXT, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], id: issuerUrl(orgId), type: ["Profile"], name: org.name, url: `${config.appUrl}/leaders?organisation=${orgId}` };
    },

    async jwks(orgId: string) {
      const org = await orgRow(orgId);
      if (!org) throw new AppError("not_found", "Unknown issuer.");
      // An organisation that has never issued has no key yet; publish an empty set rather than minting one on a GET.
      return { keys: await publishedKeys(orgId) };
    },

    /** The Bitstring Status List credential: `json` unsigned, `jwt` signed with the active key. */
    async statusList(orgId: string, list: number, now = new Date()) {
      const org = await orgRow(orgId);
      if (!org || list !== STATUS_LIST) throw new AppError("not_found", "Unknown status list.");
      // No key is minted on a public GET: an organisation that never issued has no list to publish.
      const [hasKey] = await db.select({ id: credentialSigningKey.id }).from(credentialSigningKey).where(eq(credentialSigningKey.organisationId, orgId)).limit(1);
      if (!hasKey) throw new AppError("not_found", "Unknown status list.");
      const json = await statusListCredentialJson(orgId, list, now);
      const key = await activeKey(db, orgId);
      const jwt = await signCredential(json as never, key.privateJwk, key.kid);
      return { json, jwt };
    },

    /** Public: verify a pasted credential (compact JWS or EnvelopedVerifiableCredential JSON). */
    async verify(raw: unknown, now = new Date()): Promise<VerificationView> {
      const { credential } = parse(VerifyCredentialInput, raw);
      return verifyText(credential, now);
    },

    /** Public: verify an issued credential by its id (the link printed on it). */
    async verifyIssued(credentialId: string, now = new Date()): Promise<VerificationView | null> {
      const row = await credentialRow(credentialId);
      if (!row) return null;
      return verifyText(row.jwt, now);
    },

    verifyUrl,

    // ---- directory ----------------------------------------------------------------------------

    async myListings(actor: Actor, now = new Date()): Promise<MyListing[]> {
      const userId = requireUser(actor);
      const orgs = await db
        .selectDistinct({ organisationId: accreditationCredential.organisationId, organisationName: organisation.name })
        .from(accreditationCredential)
        .innerJoin(organisation, eq(organisation.id, accreditationCredential.organisationId))
        .where(and(eq(accreditationCredential.userId, userId), isValidNow(now)));
      const listings = await db.select().from(leaderDirectoryListing).where(eq(leaderDirectoryListing.userId, userId));
      const byOrg = new Map(listings.map((l) => [l.organisationId, l]));
      const out: MyListing[] = orgs.map((o) => {
        const l = byOrg.get(o.organisationId);
        byOrg.delete(o.organisationId);
        return { ...o, eligible: true, listing: l ? { displayName: l.displayName, languages: l.languages, region: l.region, online: l.online, inPerson: l.inPerson, openToCoLeading: l.openToCoLeading, published: l.published, updatedAt: l.updatedAt.toISOString() } : null };
      });
      // Listings whose credential lapsed stay visible to their owner (hidden from the public).
      for (const l of byOrg.values()) {
        const [org] = await db.select({ name: organisation.name }).from(organisation).where(eq(organisation.id, l.organisationId));
        out.push({ organisationId: l.organisationId, organisationName: org?.name ?? "", eligible: false, listing: { displayName: l.displayName, languages: l.languages, region: l.region, online: l.online, inPerson: l.inPerson, openToCoLeading: l.openToCoLeading, published: l.published, updatedAt: l.updatedAt.toISOString() } });
      }
      return out;
    },

    /** Create or update my listing for an organisation whose valid credential I hold (404 otherwise). */
    async saveListing(actor: Actor, orgId: string, raw: unknown, meta: RequestMeta = {}, now = new Date()) {
      const userId = requireUser(actor);
      const input = parse(DirectoryListingInput, raw);
      if (!UUID.test(orgId)) throw new AppError("not_found", "No credential of that organisation.");
      const [holds] = await db.select({ id: accreditationCredential.id }).from(accreditationCredential).where(and(eq(accreditationCredential.userId, userId), eq(accreditationCredential.organisationId, orgId), isValidNow(now))).limit(1);
      if (!holds) throw new AppError("not_found", "No valid credential of that organisation.");
      const languages = [...new Set(input.languages.map((l) => l.toLowerCase()))];
      const values = { ...input, languages, updatedAt: now };
      await db.transaction(async (tx) => {
        await tx.insert(leaderDirectoryListing).values({ organisationId: orgId, userId, ...values }).onConflictDoUpdate({ target: [leaderDirectoryListing.organisationId, leaderDirectoryListing.userId], set: values });
        await recordAudit(tx, { organisationId: orgId, actor, action: "directory.listing_saved", targetType: "directory_listing", targetId: userId, details: { published: input.published }, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
      });
      return { ...values, updatedAt: now.toISOString() };
    },

    async removeListing(actor: Actor, orgId: string, meta: RequestMeta = {}) {
      const userId = requireUser(actor);
      if (!UUID.test(orgId)) throw new AppError("not_found", "No listing.");
      await db.transaction(async (tx) => {
        const removed = await tx.delete(leaderDirectoryListing).where(and(eq(leaderDirectoryListing.organisationId, orgId), eq(leaderDirectoryListing.userId, userId))).returning();
        if (removed.length === 0) throw new AppError("not_found", "No listing.");
        await recordAudit(tx, { organisationId: orgId, actor, action: "directory.listing_removed", targetType: "directory_listing", targetId: userId, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
      });
    },

    /** Public search: published listings whose person holds a valid credential of that organisation. */
    async searchDirectory(raw: unknown, now = new Date()): Promise<DirectoryEntry[]> {
      const filters: DirectorySearchInput = parse(DirectorySearchInput, raw ?? {});
      const conds = [eq(leaderDirectoryListing.published, true)];
      if (filters.q) {
        const like = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conds.push(or(sql`${leaderDirectoryListing.displayName} ilike ${like}`, sql`${leaderDirectoryListing.region} ilike ${like}`, sql`${organisation.name} ilike ${like}`)!);
      }
      if (filters.region) conds.push(sql`${leaderDirectoryListing.region} ilike ${`%${filters.region.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
      if (filters.language) conds.push(sql`${leaderDirectoryListing.languages} @> ${JSON.stringify([filters.language.toLowerCase()])}::jsonb`);
      if (filters.online) conds.push(eq(leaderDirectoryListing.online, true));
      if (filters.inPerson) conds.push(eq(leaderDirectoryListing.inPerson, true));
      if (filters.coLeading) conds.push(eq(leaderDirectoryListing.openToCoLeading, true));
      const listings = await db
        .select({ l: leaderDirectoryListing, organisationName: organisation.name })
        .from(leaderDirectoryListing)
        .innerJoin(organisation, eq(organisation.id, leaderDirectoryListing.organisationId))
        .where(and(...conds))
        .orderBy(asc(leaderDirectoryListing.displayName))
        .limit(200);
      if (listings.length === 0) return [];
      const creds = await db
        .select({ id: accreditationCredential.id, userId: accreditationCredential.userId, organisationId: accreditationCredential.organisationId, name: accreditationCredential.achievementName, validUntil: accreditationCredential.validUntil })
        .from(accreditationCredential)
        .where(and(inArray(accreditationCredential.userId, listings.map((l) => l.l.userId)), isValidNow(now)));
      const out: DirectoryEntry[] = [];
      for (const { l, organisationName } of listings) {
        const mine = creds.filter((c) => c.userId === l.userId && c.organisationId === l.organisationId);
        if (mine.length === 0) continue;
        out.push({
          organisationId: l.organisationId,
          organisationName,
          displayName: l.displayName,
          languages: l.languages,
          region: l.region,
          online: l.online,
          inPerson: l.inPerson,
          openToCoLeading: l.openToCoLeading,
          achievements: mine.map((c) => ({ name: c.name, credentialId: c.id, validUntil: c.validUntil?.toISOString() ?? null })),
        });
      }
      return out;
    },
  };
}

export type CredentialService = ReturnType<typeof createCredentialService>;
