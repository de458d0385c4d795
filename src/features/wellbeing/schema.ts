import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { user } from "../../platform/auth/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import type { Questionnaire, QuestionnaireResponse } from "./fhir.ts";
import type { Cell, ScaleAggregate } from "./report-privacy.ts";
import type { ScoringRule } from "./scoring.ts";

// Well-being check-ins (issue 5, ADR 015/017). Nothing here may hold case content or patient details.
//
// ANONYMOUS MODE (ADR 017): a response row has no person, no pseudonym and no answer time (only its
// wave). "Already answered" is a NULLIFIER — HMAC(server secret, wave|instrument|user) — inserted with
// the response in one transaction; the invitation row is never marked. Nullifiers and drafts of a
// wave are deleted when the wave closes, and the wave's responses are re-stamped (new ids, new row
// versions) in the same transaction. CONFIDENTIAL MODE: responses carry a per-organisation pseudonym
// (HMAC under the server secret of org|user), so the person sees their own trend and pre/post pairs
// can be made; administrators never see individuals (reports read frozen atoms only).

/** Built-in instruments (organisationId null, seeded from code) and organisation imports. Retired, never deleted. */
export const wellbeingInstrument = pgTable(
  "wellbeing_instrument",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id").references(() => organisation.id, { onDelete: "cascade" }),
    /** Built-ins: their key ("who-5"); imports: null. */
    builtInKey: text("built_in_key"),
    url: text("url").notNull(),
    version: text("version").notNull().default(""),
    title: text("title").notNull(),
    questionnaire: jsonb("questionnaire").$type<Questionnaire>().notNull(),
    scoring: jsonb("scoring").$type<ScoringRule>().notNull(),
    retiredAt: timestamp("retired_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("wellbeing_instrument_builtin_key").on(t.builtInKey).where(sql`${t.organisationId} is null`),
    uniqueIndex("wellbeing_instrument_org_url_key").on(t.organisationId, t.url, t.version).where(sql`${t.organisationId} is not null`),
    check("wellbeing_instrument_kind_check", sql`(${t.organisationId} is null) = (${t.builtInKey} is not null)`),
  ],
);

export const WELLBEING_MODES = ["anonymous", "confidential"] as const;
export const COHORT_KINDS = ["groups", "discipline", "organisation"] as const;
export const SCHEDULE_KINDS = ["once", "term", "every"] as const;

export const wellbeingCampaign = pgTable(
  "wellbeing_campaign",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    /** An administrative label (e.g. "Residents 2027"), at most 120 characters. */
    name: text("name").notNull(),
    /** Fixed at creation and shown to respondents before they start. */
    mode: text("mode", { enum: WELLBEING_MODES }).notNull(),
    cohortKind: text("cohort_kind", { enum: COHORT_KINDS }).notNull(),
    cohortGroupIds: uuid("cohort_group_ids").array().notNull().default(sql`'{}'::uuid[]`),
    cohortDiscipline: text("cohort_discipline"),
    /** The value of the report dimension "cohort" for this campaign's responses (a short code). */
    cohortLabel: text("cohort_label").notNull(),
    scheduleKind: text("schedule_kind", { enum: SCHEDULE_KINDS }).notNull(),
    everyMonths: integer("every_months"),
    windowDays: integer("window_days").notNull(),
    /** Days before a wave closes that one reminder goes to those who have not answered. 0 = none. */
    reminderDaysBefore: integer("reminder_days_before").notNull().default(3),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [
    index("wellbeing_campaign_org_idx").on(t.organisationId),
    check("wellbeing_campaign_mode_check", sql`${t.mode} in ('anonymous','confidential')`),
    check("wellbeing_campaign_cohort_check", sql`${t.cohortKind} in ('groups','discipline','organisation')`),
    check("wellbeing_campaign_schedule_check", sql`${t.scheduleKind} in ('once','term','every') and (${t.scheduleKind} <> 'every' or ${t.everyMonths} between 1 and 24)`),
    check("wellbeing_campaign_window_check", sql`${t.windowDays} between 1 and 90 and ${t.reminderDaysBefore} between 0 and 90`),
  ],
);

export const wellbeingCampaignInstrument = pgTable(
  "wellbeing_campaign_instrument",
  {
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => wellbeingCampaign.id, { onDelete: "cascade" }),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => wellbeingInstrument.id, { onDelete: "restrict" }),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.instrumentId] })],
);

export const wellbeingWave = pgTable(
  "wellbeing_wave",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => wellbeingCampaign.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    /** "start" / "end" for a term schedule; null otherwise. */
    label: text("label"),
    opensAt: timestamp("opens_at", { withTimezone: true }).notNull(),
    closesAt: timestamp("closes_at", { withTimezone: true }).notNull(),
    /** Invitations created and queued. */
    invitedAt: timestamp("invited_at", { withTimezone: true }),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
    /** Atoms frozen; nothing about the wave changes afterwards. */
    frozenAt: timestamp("frozen_at", { withTimezone: true }),
    minCellAtClose: integer("min_cell_at_close"),
  },
  (t) => [
    uniqueIndex("wellbeing_wave_campaign_seq_key").on(t.campaignId, t.seq),
    index("wellbeing_wave_due_idx").on(t.closesAt).where(sql`${t.frozenAt} is null`),
    check("wellbeing_wave_dates_check", sql`${t.opensAt} < ${t.closesAt}`),
  ],
);

/** One per person per wave. The token is stored only as a SHA-256 hash (see the service). */
export const wellbeingInvitation = pgTable(
  "wellbeing_invitation",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    waveId: uuid("wave_id")
      .notNull()
      .references(() => wellbeingWave.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    /** The group the invitation came through (a person is counted in one group only); null outside groups. */
    groupId: uuid("group_id"),
    tokenHash: text("token_hash").notNull(),
    /** Random per invitation; the token is HMAC(server secret, id|salt), recomputable for reminders. */
    tokenSalt: text("token_salt").notNull(),
    remindedAt: timestamp("reminded_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("wellbeing_invitation_wave_user_key").on(t.waveId, t.userId), uniqueIndex("wellbeing_invitation_token_key").on(t.tokenHash), index("wellbeing_invitation_user_idx").on(t.userId)],
);

/** "Answered" marks: HMAC(secret, wave|instrument|user). No link to the response; deleted when the wave closes. */
export const wellbeingNullifier = pgTable("wellbeing_nullifier", {
  nullifier: text("nullifier").primaryKey(),
  waveId: uuid("wave_id")
    .notNull()
    .references(() => wellbeingWave.id, { onDelete: "cascade" }),
});

export const wellbeingResponse = pgTable(
  "wellbeing_response",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisation.id, { onDelete: "cascade" }),
    waveId: uuid("wave_id")
      .notNull()
      .references(() => wellbeingWave.id, { onDelete: "cascade" }),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => wellbeingInstrument.id, { onDelete: "restrict" }),
    response: jsonb("response").$type<QuestionnaireResponse>().notNull(),
    /** Scale id → score (null when too few items were answered). */
    scores: jsonb("scores").$type<Record<string, number | null>>().notNull(),
    complete: boolean("complete").notNull(),
    cellCohort: text("cell_cohort").notNull(),
    cellGroup: text("cell_group").notNull(),
    cellDiscipline: text("cell_discipline").notNull(),
    /** Confidential mode only. */
    pseudonym: text("pseudonym"),
    /** Confidential mode only (anonymous responses carry their wave, nothing finer). */
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  (t) => [
    index("wellbeing_response_wave_idx").on(t.waveId, t.instrumentId),
    index("wellbeing_response_pseudonym_idx").on(t.pseudonym).where(sql`${t.pseudonym} is not null`),
    uniqueIndex("wellbeing_response_once_key").on(t.waveId, t.instrumentId, t.pseudonym).where(sql`${t.pseudonym} is not null`),
    check("wellbeing_response_mode_check", sql`(${t.pseudonym} is null) = (${t.answeredAt} is null)`),
  ],
);

/** Saved progress, keyed by HMAC(secret, draft|invitation|instrument): never by user id. Deleted on answer and at close. */
export const wellbeingDraft = pgTable("wellbeing_draft", {
  key: text("key").primaryKey(),
  waveId: uuid("wave_id")
    .notNull()
    .references(() => wellbeingWave.id, { onDelete: "cascade" }),
  answers: jsonb("answers").$type<Record<string, string | number | boolean>>().notNull(),
});

/** Frozen at wave close (ADR 015): every report figure is a union of these, never raw rows. */
export const wellbeingAtom = pgTable(
  "wellbeing_atom",
  {
    waveId: uuid("wave_id")
      .notNull()
      .references(() => wellbeingWave.id, { onDelete: "cascade" }),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => wellbeingInstrument.id, { onDelete: "restrict" }),
    key: text("key").notNull(),
    cell: jsonb("cell").$type<Cell>().notNull(),
    respondents: integer("respondents").notNull(),
    comments: integer("comments").notNull().default(0),
    scales: jsonb("scales").$type<Record<string, ScaleAggregate>>().notNull(),
    minCellAtClose: integer("min_cell_at_close").notNull(),
  },
  (t) => [primaryKey({ columns: [t.waveId, t.instrumentId, t.key] }), check("wellbeing_atom_check", sql`${t.respondents} >= 1 and ${t.minCellAtClose} >= 5`)],
);

export const wellbeingPairing = pgTable(
  "wellbeing_pairing",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => wellbeingCampaign.id, { onDelete: "cascade" }),
    waveFrom: uuid("wave_from")
      .notNull()
      .references(() => wellbeingWave.id, { onDelete: "cascade" }),
    waveTo: uuid("wave_to")
      .notNull()
      .references(() => wellbeingWave.id, { onDelete: "cascade" }),
    minCellAtClose: integer("min_cell_at_close").notNull(),
  },
  (t) => [check("wellbeing_pairing_waves_check", sql`${t.waveFrom} <> ${t.waveTo}`)],
);

/** A wave is in at most one pairing: its id is the primary key here (ADR 015 §5). */
export const wellbeingPairingWave = pgTable("wellbeing_pairing_wave", {
  waveId: uuid("wave_id")
    .primaryKey()
    .references(() => wellbeingWave.id, { onDelete: "cascade" }),
  pairingId: uuid("pairing_id")
    .notNull()
    .references(() => wellbeingPairing.id, { onDelete: "cascade" }),
});

export const wellbeingPairAtom = pgTable(
  "wellbeing_pair_atom",
  {
    pairingId: uuid("pairing_id")
      .notNull()
      .references(() => wellbeingPairing.id, { onDelete: "cascade" }),
    instrumentId: uuid("instrument_id")
      .notNull()
      .references(() => wellbeingInstrument.id, { onDelete: "restrict" }),
    key: text("key").notNull(),
    cell: jsonb("cell").$type<Cell>().notNull(),
    pairs: integer("pairs").notNull(),
    scales: jsonb("scales").$type<Record<string, { before: { n: number; sum: number; sumSq: number }; after: { n: number; sum: number; sumSq: number }; diff: { n: number; sum: number; sumSq: number } }>>().notNull(),
    minCellAtClose: integer("min_cell_at_close").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pairingId, t.instrumentId, t.key] })],
);
