// zod input schemas for credentials and the leaders directory (shared by REST and forms; no server code).
import { z } from "zod";
import { REVOCATION_REASONS } from "./credential-schema.ts";

const label = (max: number) => z.string().trim().min(1).max(max).refine((s) => ![...s].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127), { message: "Must not contain control characters." });

export const AchievementInput = z.object({
  name: label(200),
  description: label(1000),
  criteria: label(2000),
});

export const IssueCredentialInput = z.object({
  achievement: AchievementInput,
  /** ISO date-time; omit for a credential without expiry. */
  validUntil: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().nullable(),
});
export type IssueCredentialInput = z.infer<typeof IssueCredentialInput>;

export const RevokeCredentialInput = z.object({
  reason: z.enum(REVOCATION_REASONS),
});

export const RenewCredentialInput = z.object({
  validUntil: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().nullable(),
});

/** Paste: a compact JWS, or the JSON of an EnvelopedVerifiableCredential holding one. */
export const VerifyCredentialInput = z.object({
  credential: z.string().trim().min(1).max(64_000),
});

const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export const DirectoryListingInput = z.object({
  displayName: label(120),
  languages: z.array(z.string().trim().regex(LANGUAGE_TAG, { message: "Must be a language tag such as en or es." })).max(10).default([]),
  region: z.string().trim().max(80).default(""),
  online: z.boolean().default(false),
  inPerson: z.boolean().default(false),
  openToCoLeading: z.boolean().default(false),
  published: z.boolean().default(false),
});
export type DirectoryListingInput = z.infer<typeof DirectoryListingInput>;

/** A query-string flag: "1" / "true" / "on" means yes; anything else means "no filter". */
const flag = z.preprocess((v) => (v === true || v === "1" || v === "true" || v === "on" ? true : undefined), z.literal(true).optional());

export const DirectorySearchInput = z.object({
  q: z.string().trim().max(80).optional(),
  language: z.string().trim().regex(LANGUAGE_TAG).optional(),
  region: z.string().trim().max(80).optional(),
  online: flag,
  inPerson: flag,
  coLeading: flag,
});
export type DirectorySearchInput = z.infer<typeof DirectorySearchInput>;
