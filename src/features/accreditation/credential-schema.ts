import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { accreditationCandidate } from "./schema.ts";

// Verifiable credentials (Open Badges 3.0, ADR 018), the per-organisation signing keys and the
// opt-in directory of accredited leaders. No column holds case content: a credential says who was
// accredited for what, by whom and when; a revocation reason is a code, never prose.

export const CREDENTIAL_KEY_STATUSES = ["active", "retired"] as const;
export const REVOCATION_REASONS = ["issued_in_error", "requirements_not_met", "conduct", "holder_request", "superseded", "other"] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * An organisation's Ed25519 signing keys. The private key exists only sealed under the
 * organisation's data key (envelope encryption, ADR 014), AAD "credential-key:<org>:<kid>".
 * Rotation retires the active key; retired keys stay published (JWKS) so that what they signed still
 * verifies. One active key per organisation.
 */
export const credentialSigningKey = pgTable(
  "credential_signing_key",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    /** RFC 7638 thumbprint of the public key; the JWS `kid`. */
    kid: text("kid").notNull(),
    /** The public JWK (kty, crv, x, kid, alg, use). */
    publicJwk: jsonb("public_jwk").notNull(),
    /** The private JWK, sealed ("v1.<data key version>.…"); never in clear. */
    privateSealed: text("private_sealed").notNull(),
    status: text("status", { enum: CREDENTIAL_KEY_STATUSES }).notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("credential_signing_key_kid").on(t.organisationId, t.kid),
    uniqueIndex("credential_signing_key_active").on(t.organisationId).where(sql`${t.status} = 'active'`),
    check("credential_signing_key_status_check", sql`${t.status} in ('active','retired')`),
  ],
);

/**
 * An issued credential. `jwt` is exactly what was signed and handed out; the other columns are the
 * same facts for queries. (status_list, status_index) is the credential's bit in the organisation's
 * Bitstring Status List: set while `revoked_at` is not null.
 */
export const accreditationCredential = pgTable(
  "accreditation_credential",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    candidateId: uuid("candidate_id")
      .notNull()
      .references(() => accreditationCandidate.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    holderName: text("holder_name").notNull(),
    achievementName: text("achievement_name").notNull(),
    achievementDescription: text("achievement_description").notNull(),
    criteria: text("criteria").notNull(),
    validFrom: timestamp("valid_from", { withTimezone: true }).notNull(),
    validUntil: timestamp("valid_until", { withTimezone: true }),
    statusList: integer("status_list").notNull().default(1),
    statusIndex: integer("status_index").notNull(),
    kid: text("kid").notNull(),
    jwt: text("jwt").notNull(),
    /** A renewal points at the credential it renews. */
    renewsId: uuid("renews_id"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedReason: text("revoked_reason", { enum: REVOCATION_REASONS }),
    revokedByUserId: text("revoked_by_user_id").references(() => user.id, { onDelete: "set null" }),
    /** When the expiry reminder went out (claimed once by the periodic job). */
    reminderSentAt: timestamp("reminder_sent_at", { withTimezone: true }),
    issuedByUserId: text("issued_by_user_id").references(() => user.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("accreditation_credential_status_bit").on(t.organisationId, t.statusList, t.statusIndex),
    index("accreditation_credential_user_idx").on(t.userId),
    index("accreditation_credential_candidate_idx").on(t.candidateId),
    index("accreditation_credential_valid_until_idx").on(t.validUntil),
    check("accreditation_credential_index_check", sql`${t.statusIndex} >= 0 and ${t.statusIndex} < 131072 and ${t.statusList} >= 1`),
    check("accreditation_credential_revocation_check", sql`(${t.revokedAt} is null) = (${t.revokedReason} is null)`),
    check("accreditation_credential_name_length", sql`char_length(${t.achievementName}) between 1 and 200`),
  ],
);

/**
 * A person's listing in the public directory of accredited leaders, per organisation. Shown only
 * while `published` AND the person holds a valid credential of that organisation.
 */
export const leaderDirectoryListing = pgTable(
  "leader_directory_listing",
  {
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    /** BCP 47 language tags ("en", "es"). */
    languages: jsonb("languages").$type<string[]>().notNull().default([]),
    region: text("region").notNull().default(""),
    online: boolean("online").notNull().default(false),
    inPerson: boolean("in_person").notNull().default(false),
    openToCoLeading: boolean("open_to_co_leading").notNull().default(false),
    published: boolean("published").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("leader_directory_listing_pk").on(t.organisationId, t.userId),
    index("leader_directory_listing_user_idx").on(t.userId),
    check("leader_directory_listing_region_length", sql`char_length(${t.region}) <= 80`),
    check("leader_directory_listing_name_length", sql`char_length(${t.displayName}) between 1 and 120`),
  ],
);
