// The well-being slice: instruments, check-in campaigns and waves, invitations, answers, the
// respondent's own results, and frozen atoms for program reports. Design: ADR 015 (instruments,
// report privacy) and ADR 017 (check-ins: tokens, nullifiers, pseudonyms); pure core in this folder.
//
// FOR THE PROGRAM REPORTS (built on top of this): call
//     services.wellbeing.campaignAtoms(orgId, campaignId)
// It returns the campaign, its waves (closed ones have `frozenAt`), its instruments (questionnaire,
// scoring rule and `reportSpecFor(rule)`), the frozen atoms per instrument (`Atom[]` exactly as
// report-privacy.ts expects them: `wave` = wave id) and the pairings with their pair atoms
// (`PairAtom[]`). It does NOT authorise (the report service must `authorize()` first) and it never
// reads raw responses: every figure must come from these through buildReport / pairedChangeReport /
// unpairedChangeReport with the organisation's `settings.minimumCellSize`.
//
// What is where:
// - Instruments: built-ins are seeded from code (instruments/*.ts) into `wellbeing_instrument` on
//   first use; organisations import FHIR R4 Questionnaires with a scoring rule (validated by
//   validateQuestionnaire and checkRule; 400 names the FHIR path) and retire them (never deleted:
//   answers and atoms keep pointing at them).
// - Campaigns: mode (anonymous | confidential) fixed at creation; cohort = chosen groups / a
//   discipline / everyone; schedule once / term (start and end) / every N months → waves. The
//   periodic job (hourly, deduplicated across instances) opens due waves (creating one invitation
//   per person and mailing it), sends one reminder, and closes due waves (freezing atoms).
// - Tokens: token = base64url(HMAC(tokenKey, invitationId|salt)) with a random salt per invitation,
//   stored only as SHA-256(token): recomputable for the reminder, useless from the database alone.
// - Answers: by token (no sign-in needed) or signed in by wave. "Answered" is a nullifier
//   HMAC(nullifierKey, wave|instrument|user) inserted in the answer's transaction; the invitation is
//   never marked. Anonymous responses hold no person, no pseudonym and no time; confidential ones a
//   pseudonym HMAC(pseudonymKey, org|user) and the answer time. Drafts are keyed by
//   HMAC(draftKey, invitation|instrument), never by user id.
// - Close (freezeWave): under a row lock on the wave — atoms from complete responses, pairings for
//   confidential campaigns (first and last wave: the term's start and end, or the first and last of
//   an "every"/ended campaign; each wave in at most one pairing by a primary key), nullifiers and
//   drafts deleted, anonymous responses re-stamped with new ids (ADR 013 §6).
// - My results (confidential only): scores, bands and distressFlag computed on the fly; the flag is
//   never stored or reported. Download (FHIR Bundle, CSV) and delete. Anonymous answers cannot be
//   found again, by design.
// - Audit: admin actions only (import, retire, campaign created/ended, wave changed/closed); never
//   per answer.
import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { and, asc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import { user } from "../../platform/auth/schema.ts";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import type { Executor } from "../../platform/db/client.server.ts";
import { AppError, type FieldError } from "../../platform/http/errors.ts";
import { isLocale, type Locale } from "../../platform/i18n/locales.ts";
import { definePeriodicJob } from "../../platform/jobs/periodic.server.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { membership } from "../../platform/tenancy/schema.ts";
import { balintGroup, groupMembership } from "../groups/schema.ts";
import { DISCIPLINES } from "../profile/disciplines.ts";
import { profile } from "../profile/schema.ts";
import { type Questionnaire, type QuestionnaireItem, type QuestionnaireResponse, type ResponseAnswer, type ResponseItem, questionnaireStructure } from "./fhir.ts";
import { BUILT_IN_INSTRUMENTS } from "./instruments/index.ts";
import { acceptsAnswers, type Atom, type Cell, effectiveMinCell, freezePairs, freezeWave, type PairAtom, primaryGroup, type ReportableResponse, reportSpecFor, type ReportSpec, toReportable } from "./report-privacy.ts";
import { checkRule, score, type ScoringRule, type Severity } from "./scoring.ts";
import { AnswerInput, CreateCampaignInput, DraftInput, ImportInstrumentInput, UpdateWaveInput } from "./schemas.ts";
import {
  wellbeingAtom,
  wellbeingCampaign,
  wellbeingCampaignInstrument,
  wellbeingDraft,
  wellbeingInstrument,
  wellbeingInvitation,
  wellbeingNullifier,
  wellbeingPairAtom,
  wellbeingPairing,
  wellbeingPairingWave,
  wellbeingResponse,
  wellbeingWave,
} from "./schema.ts";
import { validateQuestionnaire, validateResponse } from "./validate.ts";
import type { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MAX_WAVES = 60;
export const WELLBEING_WAVES_QUEUE = "wellbeing-waves";

type CampaignRow = typeof wellbeingCampaign.$inferSelect;
type WaveRow = typeof wellbeingWave.$inferSelect;
type InstrumentRow = typeof wellbeingInstrument.$inferSelect;
type InvitationRow = typeof wellbeingInvitation.$inferSelect;

export interface InstrumentSummary {
  id: string;
  builtInKey: string | null;
  url: string;
  version: string;
  title: string;
  language: string | null;
  retired: boolean;
  organisationId: string | null;
}

export interface WaveSummary {
  id: string;
  seq: number;
  label: string | null;
  opensAt: string;
  closesAt: string;
  status: "scheduled" | "open" | "closing" | "closed";
  invited: number | null;
}

export interface CampaignSummary {
  id: string;
  organisationId: string;
  name: string;
  mode: "anonymous" | "confidential";
  cohortKind: "groups" | "discipline" | "organisation";
  cohortGroupIds: string[];
  cohortDiscipline: string | null;
  cohortLabel: string;
  scheduleKind: "once" | "term" | "every";
  everyMonths: number | null;
  windowDays: number;
  reminderDaysBefore: number;
  endedAt: string | null;
  instruments: InstrumentSummary[];
  waves: WaveSummary[];
}

export interface ScaleResult {
  id: string;
  score: number | null;
  range: [number, number];
  band: { labelKey: string; severity: Severity } | null;
}

export interface SupportResources {
  supportUrl: string | null;
  contactEmail: string | null;
}

export interface AnswerOutcome {
  instrumentId: string;
  scales: ScaleResult[];
  complete: boolean;
  /** For the respondent's own screen only: never stored, never reported. */
  distressFlag: boolean;
  support: SupportResources;
  /** Instruments of this wave still to answer. */
  remaining: string[];
}

export interface CheckInForm {
  organisationId: string;
  organisationName: string;
  campaignName: string;
  mode: "anonymous" | "confidential";
  waveId: string;
  opensAt: string;
  closesAt: string;
  status: "open" | "not_yet" | "closed";
  instruments: { id: string; title: string; language: string | null; questionnaire: Questionnaire; answered: boolean; draft: Record<string, string | number | boolean> | null }[];
  support: SupportResources;
}

export interface MyInvitation {
  organisationId: string;
  organisationName: string;
  campaignName: string;
  mode: "anonymous" | "confidential";
  waveId: string;
  closesAt: string;
  remaining: number;
}

export interface MyResult {
  organisationId: string;
  campaignName: string;
  waveId: string;
  waveClosesAt: string;
  answeredAt: string;
  instrumentId: string;
  instrumentTitle: string;
  scales: ScaleResult[];
  distressFlag: boolean;
}

export interface CampaignAtoms {
  campaign: CampaignSummary;
  waves: (WaveSummary & { frozenAt: string | null; minCellAtClose: number | null })[];
  instruments: { id: string; title: string; scoring: ScoringRule; spec: ReportSpec }[];
  /** Frozen atoms per instrument id (closed waves only). */
  atoms: Record<string, Atom[]>;
  pairings: { id: string; waveFrom: string; waveTo: string; minCellAtClose: number; pairAtoms: Record<string, PairAtom[]> }[];
}

const notFound = (what = "That check-in") => new AppError("not_found", `${what} was not found.`);

/** zod issues → a 400 naming each field (an unknown field by its own path). */
export function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields: FieldError[] = [];
  for (const issue of parsed.error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") for (const key of issue.keys) fields.push({ path: base ? `${base}.${key}` : key, message: "is not a field of this form" });
    else fields.push({ path: base || "(body)", message: issue.message });
  }
  const first = fields[0]!;
  throw new AppError("validation_failed", `Invalid ${first.path}: ${first.message}`, fields);
}

function issuesError(prefix: string, issues: { path: string; message: string }[]): AppError {
  const fields = issues.slice(0, 50).map((i) => ({ path: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));
  return new AppError("validation_failed", `Invalid ${fields[0]!.path}: ${fields[0]!.message}`, fields);
}

function addMonths(d: Date, months: number): Date {
  const out = new Date(d.getTime());
  const day = out.getUTCDate();
  out.setUTCDate(1);
  out.setUTCMonth(out.getUTCMonth() + months);
  const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
  out.setUTCDate(Math.min(day, last));
  return out;
}

/** Keeps only linkIds and answer values: nothing else a client sent (author, subject, notes) is stored. */
export function sanitizeResponse(r: QuestionnaireResponse, canonical: string): QuestionnaireResponse {
  const answer = (a: ResponseAnswer): ResponseAnswer => {
    if (a.valueCoding) return { valueCoding: { ...(a.valueCoding.system ? { system: a.valueCoding.system } : {}), code: a.valueCoding.code } };
    if (a.valueBoolean !== undefined) return { valueBoolean: a.valueBoolean };
    if (a.valueInteger !== undefined) return { valueInteger: a.valueInteger };
    if (a.valueDecimal !== undefined) return { valueDecimal: a.valueDecimal };
    return { valueString: a.valueString ?? "" };
  };
  const items = (xs: readonly ResponseItem[] | undefined): ResponseItem[] =>
    (xs ?? []).map((it) => ({ linkId: it.linkId, ...(it.answer?.length ? { answer: it.answer.map(answer) } : {}), ...(it.item?.length ? { item: items(it.item) } : {}) }));
  return { resourceType: "QuestionnaireResponse", questionnaire: canonical, status: "completed", item: items(r.item) };
}

const canonicalOf = (i: Pick<InstrumentRow, "url" | "version">) => (i.version ? `${i.url}|${i.version}` : i.url);

function waveStatus(w: Pick<WaveRow, "opensAt" | "closesAt" | "frozenAt">, now: Date): WaveSummary["status"] {
  if (w.frozenAt) return "closed";
  if (now < w.opensAt) return "scheduled";
  if (now < w.closesAt) return "open";
  return "closing";
}

function firstDiscipline(list: readonly string[] | null | undefined): string {
  for (const d of DISCIPLINES) if (list?.includes(d)) return d;
  return "unspecified";
}

export function createWellbeingService(kernel: Kernel) {
  const { db, config, jobs, logger, mailer } = kernel;
  const derive = (info: string) => Buffer.from(hkdfSync("sha256", Buffer.from(config.authSecret, "utf8"), Buffer.alloc(0), Buffer.from(`balint-commons wellbeing ${info} v1`, "utf8"), 32));
  const keys = { nullifier: derive("nullifier"), pseudonym: derive("pseudonym"), token: derive("token"), draft: derive("draft") };
  const hmac = (key: Buffer, data: string) => createHmac("sha256", key).update(data, "utf8").digest("base64url");

  const nullifierOf = (waveId: string, instrumentId: string, userId: string) => hmac(keys.nullifier, `${waveId}|${instrumentId}|${userId}`);
  const pseudonymOf = (orgId: string, userId: string) => hmac(keys.pseudonym, `${orgId}|${userId}`);
  const tokenOf = (invitationId: string, salt: string) => hmac(keys.token, `${invitationId}|${salt}`);
  const draftKeyOf = (invitationId: string, instrumentId: string) => hmac(keys.draft, `${invitationId}|${instrumentId}`);
  const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

  // ---- instruments ----------------------------------------------------------------------------
  let seeded: Promise<void> | null = null;
  function ensureBuiltIns(): Promise<void> {
    // Built-ins are owned by the code: a new wording or translation (same structure, so every stored
    // answer scores the same) replaces the stored copy; a change of structure or scoring never does
    // silently, because it would re-score past answers: it needs a new instrument key.
    seeded ??= (async () => {
      for (const i of BUILT_IN_INSTRUMENTS) {
        const values = { organisationId: null, builtInKey: i.key, url: i.questionnaire.url!, version: i.questionnaire.version ?? "", title: i.questionnaire.title ?? i.key, questionnaire: i.questionnaire, scoring: i.scoring };
        const inserted = await db.insert(wellbeingInstrument).values(values).onConflictDoNothing().returning({ id: wellbeingInstrument.id });
        if (inserted.length) continue;
        const [stored] = await db.select().from(wellbeingInstrument).where(and(isNull(wellbeingInstrument.organisationId), eq(wellbeingInstrument.builtInKey, i.key)));
        // jsonb does not keep key order: compare values, not text.
        const same = (a: unknown, b: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
        if (!stored || (same(stored.questionnaire, i.questionnaire) && stored.version === values.version && stored.title === values.title)) continue;
        if (questionnaireStructure(stored.questionnaire) !== questionnaireStructure(i.questionnaire) || !same(stored.scoring, i.scoring)) {
          logger.error({ instrument: i.key }, "built-in instrument changed its structure or scoring; the stored version is kept (give the new one a new key)");
          continue;
        }
        await db.update(wellbeingInstrument).set({ version: values.version, title: values.title, questionnaire: i.questionnaire }).where(eq(wellbeingInstrument.id, stored.id));
      }
    })().catch((error) => {
      seeded = null;
      throw error;
    });
    return seeded;
  }

  const toInstrument = (r: InstrumentRow): InstrumentSummary => ({ id: r.id, builtInKey: r.builtInKey, url: r.url, version: r.version, title: r.title, language: r.questionnaire.language ?? null, retired: r.retiredAt !== null, organisationId: r.organisationId });

  async function supportOf(tx: Executor, orgId: string): Promise<SupportResources & { minCell: number; name: string; defaultLocale: string; timeZone: string }> {
    const [org] = await tx.select().from(organisation).where(eq(organisation.id, orgId));
    const s = org?.settings ?? {};
    return { supportUrl: s.supportUrl ?? null, contactEmail: s.contactEmail ?? null, minCell: effectiveMinCell(s.minimumCellSize), name: org?.name ?? "", defaultLocale: org?.defaultLocale ?? "en", timeZone: org?.timeZone ?? "UTC" };
  }

  async function instrumentsOfCampaign(tx: Executor, campaignId: string): Promise<InstrumentRow[]> {
    const rows = await tx
      .select({ i: wellbeingInstrument, position: wellbeingCampaignInstrument.position })
      .from(wellbeingCampaignInstrument)
      .innerJoin(wellbeingInstrument, eq(wellbeingInstrument.id, wellbeingCampaignInstrument.instrumentId))
      .where(eq(wellbeingCampaignInstrument.campaignId, campaignId))
      .orderBy(asc(wellbeingCampaignInstrument.position));
    return rows.map((r) => r.i);
  }

  async function summaryOf(c: CampaignRow, now: Date, withCounts = true): Promise<CampaignSummary> {
    const instruments = (await instrumentsOfCampaign(db, c.id)).map(toInstrument);
    const waves = await db.select().from(wellbeingWave).where(eq(wellbeingWave.campaignId, c.id)).orderBy(asc(wellbeingWave.seq));
    const counts = waves.length && withCounts
      ? await db.select({ waveId: wellbeingInvitation.waveId, n: sql<number>`count(*)::int` }).from(wellbeingInvitation).where(inArray(wellbeingInvitation.waveId, waves.map((w) => w.id))).groupBy(wellbeingInvitation.waveId)
      : [];
    const invited = new Map(counts.map((r) => [r.waveId, Number(r.n)]));
    return {
      id: c.id,
      organisationId: c.organisationId,
      name: c.name,
      mode: c.mode,
      cohortKind: c.cohortKind,
      cohortGroupIds: c.cohortGroupIds,
      cohortDiscipline: c.cohortDiscipline,
      cohortLabel: c.cohortLabel,
      scheduleKind: c.scheduleKind,
      everyMonths: c.everyMonths,
      windowDays: c.windowDays,
      reminderDaysBefore: c.reminderDaysBefore,
      endedAt: c.endedAt?.toISOString() ?? null,
      instruments,
      waves: waves.map((w) => ({ id: w.id, seq: w.seq, label: w.label, opensAt: w.opensAt.toISOString(), closesAt: w.closesAt.toISOString(), status: waveStatus(w, now), invited: w.invitedAt ? (invited.get(w.id) ?? 0) : null })),
    };
  }

  async function loadCampaign(actor: Actor, orgId: string, campaignId: string, permission: "wellbeing:manage" | "organisation:read" = "wellbeing:manage"): Promise<CampaignRow> {
    authorize(actor, permission, { organisationId: orgId });
    if (!UUID.test(campaignId)) throw notFound("That campaign");
    const [c] = await db.select().from(wellbeingCampaign).where(and(eq(wellbeingCampaign.id, campaignId), eq(wellbeingCampaign.organisationId, orgId)));
    if (!c) throw notFound("That campaign");
    return c;
  }

  async function loadWave(actor: Actor, orgId: string, waveId: string): Promise<{ wave: WaveRow; campaign: CampaignRow }> {
    authorize(actor, "wellbeing:manage", { organisationId: orgId });
    if (!UUID.test(waveId)) throw notFound("That wave");
    const [row] = await db.select({ wave: wellbeingWave, campaign: wellbeingCampaign }).from(wellbeingWave).innerJoin(wellbeingCampaign, eq(wellbeingCampaign.id, wellbeingWave.campaignId)).where(and(eq(wellbeingWave.id, waveId), eq(wellbeingWave.organisationId, orgId)));
    if (!row) throw notFound("That wave");
    return row;
  }

  // ---- cohort and invitations -------------------------------------------------------------------

  /** Who a wave invites now: person → the group they are counted in (null outside groups). */
  async function resolveCohort(tx: Executor, c: CampaignRow): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    const orgMembers = (await tx.select({ userId: membership.userId }).from(membership).where(eq(membership.organisationId, c.organisationId))).map((r) => r.userId);
    if (orgMembers.length === 0) return out;
    const active = await tx
      .select({ userId: groupMembership.userId, groupId: groupMembership.groupId, joinedAt: groupMembership.createdAt })
      .from(groupMembership)
      .innerJoin(balintGroup, eq(balintGroup.id, groupMembership.groupId))
      .where(and(eq(balintGroup.organisationId, c.organisationId), eq(groupMembership.status, "active"), inArray(groupMembership.userId, orgMembers), ...(c.cohortKind === "groups" ? [inArray(groupMembership.groupId, c.cohortGroupIds)] : [])));
    const byUser = new Map<string, { groupId: string; joinedAt: Date }[]>();
    for (const m of active) byUser.set(m.userId, [...(byUser.get(m.userId) ?? []), { groupId: m.groupId, joinedAt: m.joinedAt }]);
    if (c.cohortKind === "groups") {
      for (const [userId, ms] of byUser) out.set(userId, primaryGroup(ms));
      return out;
    }
    let people = orgMembers;
    if (c.cohortKind === "discipline") {
      const profiles = await tx.select({ userId: profile.userId, disciplines: profile.disciplines }).from(profile).where(inArray(profile.userId, orgMembers));
      people = profiles.filter((p) => p.disciplines.includes(c.cohortDiscipline as (typeof DISCIPLINES)[number])).map((p) => p.userId);
    }
    for (const userId of people) out.set(userId, primaryGroup(byUser.get(userId) ?? []));
    return out;
  }

  async function mailInvitation(inv: InvitationRow, kind: "wellbeingInvitation" | "wellbeingReminder", c: CampaignRow, w: WaveRow) {
    const [to] = await db.select({ email: user.email, name: user.name, locale: profile.locale, timeZone: profile.timeZone }).from(user).leftJoin(profile, eq(profile.userId, user.id)).where(eq(user.id, inv.userId));
    if (!to) return;
    const org = await supportOf(db, c.organisationId);
    const locale: Locale = isLocale(to.locale) ? to.locale : isLocale(org.defaultLocale) ? org.defaultLocale : "en";
    const closes = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeStyle: "short", timeZone: to.timeZone ?? org.timeZone }).format(w.closesAt);
    const mode = locale === "es" ? (c.mode === "anonymous" ? "anónimo" : "confidencial") : c.mode;
    const token = tokenOf(inv.id, inv.tokenSalt);
    await mailer.send(to.email, { template: kind, locale, recipientName: to.name, values: { organisation: org.name, closes, mode }, actionUrl: `${config.appUrl}/wellbeing/answer/${token}` }, { organisationId: c.organisationId });
  }

  /** Opens a wave: one invitation per person of the cohort (idempotent), then mails them. */
  async function inviteWave(waveId: string, now = new Date()): Promise<number> {
    const created = await db.transaction(async (tx) => {
      const [w] = await tx.select().from(wellbeingWave).where(eq(wellbeingWave.id, waveId)).for("update");
      if (!w || w.invitedAt || w.frozenAt || now >= w.closesAt) return [];
      const [c] = await tx.select().from(wellbeingCampaign).where(eq(wellbeingCampaign.id, w.campaignId));
      if (!c) return [];
      const cohort = await resolveCohort(tx, c);
      const rows: InvitationRow[] = [];
      for (const [userId, groupId] of cohort) {
        const salt = randomBytes(16).toString("base64url");
        const id = crypto.randomUUID();
        const [inv] = await tx.insert(wellbeingInvitation).values({ id, organisationId: c.organisationId, waveId: w.id, userId, groupId, tokenSalt: salt, tokenHash: hashToken(tokenOf(id, salt)) }).onConflictDoNothing().returning();
        if (inv) rows.push(inv);
      }
      await tx.update(wellbeingWave).set({ invitedAt: now }).where(eq(wellbeingWave.id, w.id));
      await recordAudit(tx, { organisationId: c.organisationId, action: "wellbeing.wave_opened", targetType: "wellbeing_wave", targetId: w.id, details: { invited: rows.length } });
      return rows.map((inv) => ({ inv, c, w }));
    });
    for (const { inv, c, w } of created) await mailInvitation(inv, "wellbeingInvitation", c, w);
    return created.length;
  }

  /**
   * One reminder per wave. Confidential: to those who have not finished. Anonymous: to everyone
   * invited (otherwise the list of reminded people would record who answered).
   */
  async function remindWave(waveId: string, now = new Date()): Promise<number> {
    const claimed = await db.update(wellbeingWave).set({ remindedAt: now }).where(and(eq(wellbeingWave.id, waveId), isNull(wellbeingWave.remindedAt), isNull(wellbeingWave.frozenAt))).returning();
    const w = claimed[0];
    if (!w || now >= w.closesAt) return 0;
    const [c] = await db.select().from(wellbeingCampaign).where(eq(wellbeingCampaign.id, w.campaignId));
    if (!c) return 0;
    const invs = await db.select().from(wellbeingInvitation).where(eq(wellbeingInvitation.waveId, w.id));
    const instruments = await instrumentsOfCampaign(db, c.id);
    let sent = 0;
    for (const inv of invs) {
      if (c.mode === "confidential") {
        const marks = instruments.map((i) => nullifierOf(w.id, i.id, inv.userId));
        const done = await db.select({ n: wellbeingNullifier.nullifier }).from(wellbeingNullifier).where(inArray(wellbeingNullifier.nullifier, marks));
        if (done.length === instruments.length) continue;
      }
      await db.update(wellbeingInvitation).set({ remindedAt: now }).where(eq(wellbeingInvitation.id, inv.id));
      await mailInvitation(inv, "wellbeingReminder", c, w);
      sent += 1;
    }
    return sent;
  }

  // ---- closing: atoms and pairings -------------------------------------------------------------

  function reportableOf(rows: { scores: Record<string, number | null>; complete: boolean; cellCohort: string; cellGroup: string; cellDiscipline: string; pseudonym: string | null }[], rule: ScoringRule): ReportableResponse[] {
    const out: ReportableResponse[] = [];
    for (const r of rows) {
      if (!r.complete) continue;
      const cell: Cell = { cohort: r.cellCohort, group: r.cellGroup, discipline: r.cellDiscipline };
      const result = { complete: true, distressFlag: false, scales: rule.scales.map((s) => ({ id: s.id, score: r.scores[s.id] ?? null, answered: 0, items: s.items.length, band: null })) };
      if (result.scales.some((s) => s.score === null)) continue;
      const rep = toReportable(result, cell, r.pseudonym, false);
      if (rep) out.push(rep);
    }
    return out;
  }

  /** Freezes a wave whose end has passed (idempotent; one transaction under a row lock on the wave). */
  async function freeze(waveId: string, now = new Date()): Promise<{ atoms: number; pairings: number } | null> {
    return db.transaction(async (tx) => {
      const [w] = await tx.select().from(wellbeingWave).where(eq(wellbeingWave.id, waveId)).for("update");
      if (!w || w.frozenAt || now < w.closesAt) return null;
      const [c] = await tx.select().from(wellbeingCampaign).where(eq(wellbeingCampaign.id, w.campaignId));
      if (!c) return null;
      const org = await supportOf(tx, c.organisationId);
      const instruments = await instrumentsOfCampaign(tx, c.id);
      let atomCount = 0;
      const waveRef = { id: w.id, opensAt: w.opensAt, closesAt: w.closesAt };
      for (const i of instruments) {
        const rows = await tx.select().from(wellbeingResponse).where(and(eq(wellbeingResponse.waveId, w.id), eq(wellbeingResponse.instrumentId, i.id)));
        const atoms = freezeWave(waveRef, reportableOf(rows, i.scoring), reportSpecFor(i.scoring), org.minCell, now);
        if (atoms.length) await tx.insert(wellbeingAtom).values(atoms.map((a) => ({ waveId: w.id, instrumentId: i.id, key: a.key, cell: a.cell, respondents: a.respondents, comments: a.comments, scales: a.scales, minCellAtClose: a.minCellAtClose })));
        atomCount += atoms.length;
      }
      await tx.update(wellbeingWave).set({ frozenAt: now, minCellAtClose: org.minCell }).where(eq(wellbeingWave.id, w.id));
      await tx.delete(wellbeingNullifier).where(eq(wellbeingNullifier.waveId, w.id));
      await tx.delete(wellbeingDraft).where(eq(wellbeingDraft.waveId, w.id));
      // New ids, new row versions: nothing about the write of an anonymous answer survives (ADR 013 §6).
      if (c.mode === "anonymous") await tx.update(wellbeingResponse).set({ id: sql`gen_random_uuid()` }).where(eq(wellbeingResponse.waveId, w.id));

      // Pairing (confidential only): the first and the last wave, once the last one closes.
      let pairings = 0;
      if (c.mode === "confidential") {
        const waves = await tx.select().from(wellbeingWave).where(eq(wellbeingWave.campaignId, c.id)).orderBy(asc(wellbeingWave.seq));
        const first = waves[0]!;
        const last = waves[waves.length - 1]!;
        if (waves.length >= 2 && last.id === w.id && first.frozenAt) {
          const used = await tx.select({ waveId: wellbeingPairingWave.waveId }).from(wellbeingPairingWave).where(inArray(wellbeingPairingWave.waveId, [first.id, last.id]));
          if (used.length === 0) {
            const [p] = await tx.insert(wellbeingPairing).values({ campaignId: c.id, waveFrom: first.id, waveTo: last.id, minCellAtClose: org.minCell }).returning();
            await tx.insert(wellbeingPairingWave).values([{ waveId: first.id, pairingId: p!.id }, { waveId: last.id, pairingId: p!.id }]);
            for (const i of instruments) {
              const load = async (id: string) => reportableOf(await tx.select().from(wellbeingResponse).where(and(eq(wellbeingResponse.waveId, id), eq(wellbeingResponse.instrumentId, i.id))), i.scoring);
              const pairs = freezePairs({ id: first.id, opensAt: first.opensAt, closesAt: first.closesAt }, waveRef, await load(first.id), await load(w.id), reportSpecFor(i.scoring), org.minCell, now);
              if (pairs.length) await tx.insert(wellbeingPairAtom).values(pairs.map((a) => ({ pairingId: p!.id, instrumentId: i.id, key: a.key, cell: a.cell, pairs: a.pairs, scales: a.scales, minCellAtClose: a.minCellAtClose })));
            }
            pairings = 1;
          }
        }
      }
      await recordAudit(tx, { organisationId: c.organisationId, action: "wellbeing.wave_closed", targetType: "wellbeing_wave", targetId: w.id, details: { atoms: atomCount, pairings } });
      return { atoms: atomCount, pairings };
    });
  }

  /** The periodic work: open due waves, send due reminders, close due waves. */
  async function tick(now = new Date()): Promise<{ opened: number; reminded: number; closed: number }> {
    let opened = 0;
    let reminded = 0;
    let closed = 0;
    const toOpen = await db.select({ id: wellbeingWave.id }).from(wellbeingWave).where(and(isNull(wellbeingWave.invitedAt), isNull(wellbeingWave.frozenAt), lte(wellbeingWave.opensAt, now), gt(wellbeingWave.closesAt, now)));
    for (const w of toOpen) {
      await inviteWave(w.id, now);
      opened += 1;
    }
    const toRemind = await db
      .select({ id: wellbeingWave.id, closesAt: wellbeingWave.closesAt, days: wellbeingCampaign.reminderDaysBefore })
      .from(wellbeingWave)
      .innerJoin(wellbeingCampaign, eq(wellbeingCampaign.id, wellbeingWave.campaignId))
      .where(and(isNull(wellbeingWave.remindedAt), isNull(wellbeingWave.frozenAt), sql`${wellbeingWave.invitedAt} is not null`, gt(wellbeingWave.closesAt, now), gt(wellbeingCampaign.reminderDaysBefore, 0)));
    for (const w of toRemind) {
      if (now.getTime() < w.closesAt.getTime() - w.days * DAY_MS) continue;
      await remindWave(w.id, now);
      reminded += 1;
    }
    const toClose = await db.select({ id: wellbeingWave.id }).from(wellbeingWave).where(and(isNull(wellbeingWave.frozenAt), lte(wellbeingWave.closesAt, now))).orderBy(asc(wellbeingWave.closesAt), asc(wellbeingWave.seq));
    for (const w of toClose) if (await freeze(w.id, now)) closed += 1;
    return { opened, reminded, closed };
  }

  const hourly = definePeriodicJob(
    { jobs, db, logger },
    {
      name: WELLBEING_WAVES_QUEUE,
      periodMs: HOUR_MS,
      run: async (now) => {
        const outcome = await tick(now);
        logger.debug(outcome, "wellbeing waves");
      },
    },
  );

  // ---- answering ----------------------------------------------------------------------------------

  interface Target {
    inv: InvitationRow;
    wave: WaveRow;
    campaign: CampaignRow;
  }

  async function targetByToken(token: string): Promise<Target> {
    if (typeof token !== "string" || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound("That check-in link");
    const [row] = await db
      .select({ inv: wellbeingInvitation, wave: wellbeingWave, campaign: wellbeingCampaign })
      .from(wellbeingInvitation)
      .innerJoin(wellbeingWave, eq(wellbeingWave.id, wellbeingInvitation.waveId))
      .innerJoin(wellbeingCampaign, eq(wellbeingCampaign.id, wellbeingWave.campaignId))
      .where(eq(wellbeingInvitation.tokenHash, hashToken(token)));
    if (!row) throw notFound("That check-in link");
    return row;
  }

  async function targetByWave(actor: Actor, orgId: string, waveId: string): Promise<Target> {
    const userId = requireUser(actor);
    authorize(actor, "organisation:read", { organisationId: orgId });
    if (!UUID.test(waveId)) throw notFound();
    const [row] = await db
      .select({ inv: wellbeingInvitation, wave: wellbeingWave, campaign: wellbeingCampaign })
      .from(wellbeingInvitation)
      .innerJoin(wellbeingWave, eq(wellbeingWave.id, wellbeingInvitation.waveId))
      .innerJoin(wellbeingCampaign, eq(wellbeingCampaign.id, wellbeingWave.campaignId))
      .where(and(eq(wellbeingInvitation.waveId, waveId), eq(wellbeingInvitation.userId, userId), eq(wellbeingInvitation.organisationId, orgId)));
    if (!row) throw notFound();
    return row;
  }

  /** A token sent to someone else, used while signed in as another person: refused. */
  function checkHolder(actor: Actor, t: Target) {
    if (actor.userId && actor.userId !== t.inv.userId) throw new AppError("forbidden", "This check-in link was sent to someone else. Open it while signed out, or signed in as the person it was sent to.");
  }

  function checkOpen(t: Target, now: Date) {
    if (t.wave.frozenAt || now >= t.wave.closesAt) throw new AppError("conflict", "This check-in has closed.", [{ path: "wave", message: "the check-in has closed" }]);
    if (!acceptsAnswers({ id: t.wave.id, opensAt: t.wave.opensAt, closesAt: t.wave.closesAt }, now)) throw new AppError("conflict", "This check-in has not opened yet.", [{ path: "wave", message: "the check-in has not opened yet" }]);
  }

  async function answeredSet(t: Target, instruments: InstrumentRow[]): Promise<Set<string>> {
    const marks = instruments.map((i) => nullifierOf(t.wave.id, i.id, t.inv.userId));
    if (!marks.length) return new Set();
    const done = new Set((await db.select({ n: wellbeingNullifier.nullifier }).from(wellbeingNullifier).where(inArray(wellbeingNullifier.nullifier, marks))).map((r) => r.n));
    return new Set(instruments.filter((_, i) => done.has(marks[i]!)).map((i) => i.id));
  }

  async function formOf(actor: Actor, t: Target, now: Date): Promise<CheckInForm> {
    checkHolder(actor, t);
    const instruments = await instrumentsOfCampaign(db, t.campaign.id);
    const answered = await answeredSet(t, instruments);
    const drafts = new Map<string, Record<string, string | number | boolean>>();
    const draftKeys = instruments.map((i) => draftKeyOf(t.inv.id, i.id));
    if (draftKeys.length) for (const d of await db.select().from(wellbeingDraft).where(inArray(wellbeingDraft.key, draftKeys))) drafts.set(d.key, d.answers);
    const org = await supportOf(db, t.campaign.organisationId);
    const status = t.wave.frozenAt || now >= t.wave.closesAt ? "closed" : now < t.wave.opensAt ? "not_yet" : "open";
    return {
      organisationId: t.campaign.organisationId,
      organisationName: org.name,
      campaignName: t.campaign.name,
      mode: t.campaign.mode,
      waveId: t.wave.id,
      opensAt: t.wave.opensAt.toISOString(),
      closesAt: t.wave.closesAt.toISOString(),
      status,
      instruments: instruments.map((i) => ({ id: i.id, title: i.title, language: i.questionnaire.language ?? null, questionnaire: i.questionnaire, answered: answered.has(i.id), draft: drafts.get(draftKeyOf(t.inv.id, i.id)) ?? null })),
      support: { supportUrl: org.supportUrl, contactEmail: org.contactEmail },
    };
  }

  function scaleResults(i: InstrumentRow, result: ReturnType<typeof score>): ScaleResult[] {
    return result.scales.map((s) => ({ id: s.id, score: s.score, band: s.band, range: i.scoring.scales.find((x) => x.id === s.id)?.range ?? [0, 100] }));
  }

  async function answer(actor: Actor, t: Target, raw: unknown, now: Date): Promise<AnswerOutcome> {
    checkHolder(actor, t);
    const input = parseInput(AnswerInput, raw);
    const instruments = await instrumentsOfCampaign(db, t.campaign.id);
    const instrument = instruments.find((i) => i.id === input.instrumentId);
    if (!instrument) throw new AppError("validation_failed", "Invalid instrumentId: not an instrument of this check-in.", [{ path: "instrumentId", message: "is not an instrument of this check-in" }]);
    checkOpen(t, now);
    const issues = validateResponse(instrument.questionnaire, input.response);
    if (issues.length) throw issuesError("response", issues);
    const response = input.response as unknown as QuestionnaireResponse;
    if (response.status !== "completed") throw new AppError("validation_failed", 'Invalid response.status: must be "completed" (save progress as a draft instead).', [{ path: "response.status", message: 'must be "completed"' }]);
    const result = score(instrument.questionnaire, instrument.scoring, response);
    const [p] = await db.select({ disciplines: profile.disciplines }).from(profile).where(eq(profile.userId, t.inv.userId));
    const confidential = t.campaign.mode === "confidential";
    const nullifier = nullifierOf(t.wave.id, instrument.id, t.inv.userId);
    await db.transaction(async (tx) => {
      const claimed = await tx.insert(wellbeingNullifier).values({ nullifier, waveId: t.wave.id }).onConflictDoNothing().returning({ n: wellbeingNullifier.nullifier });
      if (claimed.length === 0) throw new AppError("conflict", "You have already answered this questionnaire in this check-in.");
      // The wave may have been closed between the check and this transaction.
      const [w] = await tx.select({ frozenAt: wellbeingWave.frozenAt }).from(wellbeingWave).where(eq(wellbeingWave.id, t.wave.id)).for("share");
      if (!w || w.frozenAt) throw new AppError("conflict", "This check-in has closed.", [{ path: "wave", message: "the check-in has closed" }]);
      await tx.insert(wellbeingResponse).values({
        organisationId: t.campaign.organisationId,
        waveId: t.wave.id,
        instrumentId: instrument.id,
        response: sanitizeResponse(response, canonicalOf(instrument)),
        scores: Object.fromEntries(result.scales.map((s) => [s.id, s.score])),
        complete: result.complete,
        cellCohort: t.campaign.cohortLabel,
        cellGroup: t.inv.groupId ?? "none",
        cellDiscipline: firstDiscipline(p?.disciplines),
        pseudonym: confidential ? pseudonymOf(t.campaign.organisationId, t.inv.userId) : null,
        answeredAt: confidential ? now : null,
      });
      await tx.delete(wellbeingDraft).where(eq(wellbeingDraft.key, draftKeyOf(t.inv.id, instrument.id)));
    });
    const answered = await answeredSet(t, instruments);
    const org = await supportOf(db, t.campaign.organisationId);
    return {
      instrumentId: instrument.id,
      scales: scaleResults(instrument, result),
      complete: result.complete,
      distressFlag: result.distressFlag,
      support: { supportUrl: org.supportUrl, contactEmail: org.contactEmail },
      remaining: instruments.filter((i) => !answered.has(i.id)).map((i) => i.id),
    };
  }

  async function saveDraft(actor: Actor, t: Target, raw: unknown, now: Date): Promise<{ saved: true }> {
    checkHolder(actor, t);
    const input = parseInput(DraftInput, raw);
    const instruments = await instrumentsOfCampaign(db, t.campaign.id);
    if (!instruments.some((i) => i.id === input.instrumentId)) throw new AppError("validation_failed", "Invalid instrumentId: not an instrument of this check-in.", [{ path: "instrumentId", message: "is not an instrument of this check-in" }]);
    checkOpen(t, now);
    const answered = await answeredSet(t, instruments);
    if (answered.has(input.instrumentId)) throw new AppError("conflict", "You have already answered this questionnaire in this check-in.");
    const key = draftKeyOf(t.inv.id, input.instrumentId);
    await db.insert(wellbeingDraft).values({ key, waveId: t.wave.id, answers: input.answers }).onConflictDoUpdate({ target: wellbeingDraft.key, set: { answers: input.answers } });
    return { saved: true };
  }

  // ---- my results ----------------------------------------------------------------------------------

  async function myResponses(actor: Actor) {
    const userId = requireUser(actor);
    const orgIds = [...actor.memberships.keys()].filter((o) => !actor.tokenScope || actor.tokenScope.organisationId === o);
    if (!orgIds.length) return [];
    const pseudonyms = orgIds.map((o) => pseudonymOf(o, userId));
    return db
      .select({ r: wellbeingResponse, wave: wellbeingWave, campaign: wellbeingCampaign, instrument: wellbeingInstrument })
      .from(wellbeingResponse)
      .innerJoin(wellbeingWave, eq(wellbeingWave.id, wellbeingResponse.waveId))
      .innerJoin(wellbeingCampaign, eq(wellbeingCampaign.id, wellbeingWave.campaignId))
      .innerJoin(wellbeingInstrument, eq(wellbeingInstrument.id, wellbeingResponse.instrumentId))
      .where(and(inArray(wellbeingResponse.pseudonym, pseudonyms), inArray(wellbeingResponse.organisationId, orgIds)))
      .orderBy(asc(wellbeingResponse.answeredAt));
  }

  function resultOf(row: Awaited<ReturnType<typeof myResponses>>[number]): MyResult {
    const result = score(row.instrument.questionnaire, row.instrument.scoring, row.r.response);
    return {
      organisationId: row.campaign.organisationId,
      campaignName: row.campaign.name,
      waveId: row.wave.id,
      waveClosesAt: row.wave.closesAt.toISOString(),
      answeredAt: row.r.answeredAt!.toISOString(),
      instrumentId: row.instrument.id,
      instrumentTitle: row.instrument.title,
      scales: scaleResults(row.instrument, result),
      distressFlag: result.distressFlag,
    };
  }

  // Text cells a spreadsheet would run as a formula get an apostrophe (as in the audit-log export).
  const csvCell = (v: string | number | null) => {
    let s = v === null ? "" : String(v);
    if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };

  // Frozen atoms and pair atoms never change once their wave is frozen (ADR 015): reports cache
  // them in memory per (wave, instrument) and (pairing, instrument), so a report over a large
  // programme does not re-read and re-parse hundreds of thousands of rows each time. A wave's
  // atoms and its frozenAt are written in one transaction, so a wave seen frozen has all its atoms.
  // Bounded (oldest entries dropped); each instance keeps its own copy (nothing to invalidate).
  const ATOM_CACHE_MAX = 400_000;
  const atomCache = new Map<string, Atom[]>();
  const pairCache = new Map<string, PairAtom[]>();
  let cachedAtoms = 0;
  function remember<T>(cache: Map<string, T[]>, key: string, list: T[]) {
    cache.set(key, list);
    cachedAtoms += list.length;
    for (const [k, v] of cache) {
      if (cachedAtoms <= ATOM_CACHE_MAX || k === key) break;
      cache.delete(k);
      cachedAtoms -= v.length;
    }
  }

  async function frozenAtoms(waveIds: readonly string[], instrumentIds: readonly string[]): Promise<Map<string, Atom[]>> {
    const out = new Map<string, Atom[]>();
    const missing = new Set<string>();
    for (const w of waveIds) for (const i of instrumentIds) {
      const hit = atomCache.get(`${w}|${i}`);
      if (hit) out.set(`${w}|${i}`, hit);
      else missing.add(w);
    }
    if (missing.size && instrumentIds.length) {
      const loaded = new Map<string, Atom[]>();
      for (const w of missing) for (const i of instrumentIds) loaded.set(`${w}|${i}`, []);
      for (const a of await db.select().from(wellbeingAtom).where(and(inArray(wellbeingAtom.waveId, [...missing]), inArray(wellbeingAtom.instrumentId, [...instrumentIds])))) {
        loaded.get(`${a.waveId}|${a.instrumentId}`)?.push({ wave: a.waveId, cell: a.cell, key: a.key, respondents: a.respondents, comments: a.comments, scales: a.scales, minCellAtClose: a.minCellAtClose });
      }
      for (const [k, list] of loaded) {
        remember(atomCache, k, list);
        out.set(k, list);
      }
    }
    return out;
  }

  async function frozenPairAtoms(p: typeof wellbeingPairing.$inferSelect, instrumentIds: readonly string[]): Promise<Record<string, PairAtom[]>> {
    const out: Record<string, PairAtom[]> = {};
    const missing = instrumentIds.filter((i) => !pairCache.has(`${p.id}|${i}`));
    if (missing.length) {
      const loaded = new Map<string, PairAtom[]>(missing.map((i) => [i, []]));
      for (const a of await db.select().from(wellbeingPairAtom).where(and(eq(wellbeingPairAtom.pairingId, p.id), inArray(wellbeingPairAtom.instrumentId, missing)))) {
        loaded.get(a.instrumentId)?.push({ waveFrom: p.waveFrom, waveTo: p.waveTo, cell: a.cell, key: a.key, pairs: a.pairs, scales: a.scales, minCellAtClose: a.minCellAtClose });
      }
      for (const [i, list] of loaded) {
        remember(pairCache, `${p.id}|${i}`, list);
        if (list.length) out[i] = list;
      }
    }
    for (const i of instrumentIds) {
      const list = out[i] ?? pairCache.get(`${p.id}|${i}`);
      if (list?.length) out[i] = list;
    }
    return out;
  }

  return {
    nullifierOf,
    pseudonymOf,
    tokenOf,
    ensureBuiltIns,
    inviteWave,
    remindWave,
    freeze,
    tick,
    /** Runs the hourly work for one slot if no instance has yet (tests). */
    runHourly: (slot: number, now = new Date()) => hourly.runSlot(slot, now),
    async startScheduler(now = new Date()) {
      await hourly.start(now);
    },

    // -- instruments (owners, admins and coordinators: wellbeing:manage) --
    async listInstruments(actor: Actor, orgId: string): Promise<{ items: InstrumentSummary[] }> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      await ensureBuiltIns();
      const rows = await db.select().from(wellbeingInstrument).where(sql`${wellbeingInstrument.organisationId} is null or ${wellbeingInstrument.organisationId} = ${orgId}`).orderBy(asc(wellbeingInstrument.createdAt), asc(wellbeingInstrument.title));
      return { items: rows.map(toInstrument) };
    },

    async importInstrument(actor: Actor, orgId: string, raw: unknown): Promise<InstrumentSummary> {
      authorize(actor, "wellbeing:manage", { organisationId: orgId });
      const input = parseInput(ImportInstrumentInput, raw);
      const qIssues = validateQuestionnaire(input.questionnaire);
      if (qIssues.length) throw issuesError("questionnaire", qIssues);
      const q = input.questionnaire as unknown as Questionnaire;
      if (!q.url) throw new AppError("validation_failed", "Invalid questionnaire.url: an imported Questionnaire needs a canonical url.", [{ path: "questionnaire.url", message: "is required" }]);
      const rule = parseScoring(input.scoring);
      const problems = checkRule(q, { ...rule, questionnaire: q.url });
      if (problems.length) throw issuesError("scoring", problems.map((p) => ({ path: p.split(":")[0]!, message: p.slice(p.indexOf(":") + 1).trim() || p })));
      const copy: Questionnaire = { ...q, status: "active" };
      const [row] = await db.transaction(async (tx) => {
        const inserted = await tx.insert(wellbeingInstrument).values({ organisationId: orgId, builtInKey: null, url: q.url!, version: q.version ?? "", title: (q.title ?? q.name ?? q.url!).slice(0, 200), questionnaire: copy, scoring: { ...rule, questionnaire: q.url! } }).onConflictDoNothing().returning();
        if (!inserted.length) throw new AppError("conflict", "An instrument with this url and version was already imported.", [{ path: "questionnaire.url", message: "already imported with this version" }]);
        await recordAudit(tx, { organisationId: orgId, actor, action: "wellbeing.instrument_imported", targetType: "wellbeing_instrument", targetId: inserted[0]!.id });
        return inserted;
      });
      return toInstrument(row!);
    },

    async retireInstrument(actor: Actor, orgId: string, instrumentId: string): Promise<InstrumentSummary> {
      authorize(actor, "wellbeing:manage", { organisationId: orgId });
      if (!UUID.test(instrumentId)) throw notFound("That instrument");
      return db.transaction(async (tx) => {
        const [row] = await tx.select().from(wellbeingInstrument).where(and(eq(wellbeingInstrument.id, instrumentId), eq(wellbeingInstrument.organisationId, orgId)));
        if (!row) throw notFound("That instrument");
        if (row.retiredAt) return toInstrument(row);
        const [updated] = await tx.update(wellbeingInstrument).set({ retiredAt: new Date(), questionnaire: { ...row.questionnaire, status: "retired" } }).where(eq(wellbeingInstrument.id, row.id)).returning();
        await recordAudit(tx, { organisationId: orgId, actor, action: "wellbeing.instrument_retired", targetType: "wellbeing_instrument", targetId: row.id });
        return toInstrument(updated!);
      });
    },

    // -- campaigns and waves (wellbeing:manage) --
    async createCampaign(actor: Actor, orgId: string, raw: unknown, now = new Date()): Promise<CampaignSummary> {
      authorize(actor, "wellbeing:manage", { organisationId: orgId });
      const input = parseInput(CreateCampaignInput, raw);
      await ensureBuiltIns();
      const ids = [...new Set(input.instrumentIds)];
      const found = await db.select().from(wellbeingInstrument).where(and(inArray(wellbeingInstrument.id, ids), sql`(${wellbeingInstrument.organisationId} is null or ${wellbeingInstrument.organisationId} = ${orgId})`, isNull(wellbeingInstrument.retiredAt)));
      input.instrumentIds.forEach((id, i) => {
        if (!found.some((f) => f.id === id)) throw new AppError("validation_failed", `Invalid instrumentIds.${i}: no such instrument (or it is retired).`, [{ path: `instrumentIds.${i}`, message: "no such instrument, or it is retired" }]);
      });
      let groups: { id: string; lastMeetingEndsAt: Date }[] = [];
      if (input.cohort.kind === "groups") {
        const gids = [...new Set(input.cohort.groupIds)];
        groups = await db.select({ id: balintGroup.id, lastMeetingEndsAt: balintGroup.lastMeetingEndsAt }).from(balintGroup).where(and(inArray(balintGroup.id, gids), eq(balintGroup.organisationId, orgId)));
        input.cohort.groupIds.forEach((id, i) => {
          if (!groups.some((g) => g.id === id)) throw new AppError("validation_failed", `Invalid cohort.groupIds.${i}: no such group.`, [{ path: `cohort.groupIds.${i}`, message: "no such group in this organisation" }]);
        });
      }
      const window = input.windowDays * DAY_MS;
      const opensAt = new Date(input.schedule.opensAt);
      const waves: { seq: number; label: string | null; opensAt: Date; closesAt: Date }[] = [];
      if (input.schedule.kind === "once") waves.push({ seq: 1, label: null, opensAt, closesAt: new Date(opensAt.getTime() + window) });
      else if (input.schedule.kind === "term") {
        if (input.cohort.kind !== "groups") throw new AppError("validation_failed", "Invalid schedule.kind: a term schedule needs a cohort of groups.", [{ path: "schedule.kind", message: "a term schedule needs a cohort of groups" }]);
        const end = new Date(Math.max(...groups.map((g) => g.lastMeetingEndsAt.getTime())));
        if (end.getTime() < opensAt.getTime() + window) throw new AppError("validation_failed", "Invalid schedule.opensAt: the groups' term ends before the first check-in would close.", [{ path: "schedule.opensAt", message: "the groups' term ends before the first check-in would close" }]);
        waves.push({ seq: 1, label: "start", opensAt, closesAt: new Date(opensAt.getTime() + window) }, { seq: 2, label: "end", opensAt: end, closesAt: new Date(end.getTime() + window) });
      } else {
        const until = new Date(input.schedule.until);
        const months = input.schedule.everyMonths;
        if (input.windowDays > months * 28) throw new AppError("validation_failed", "Invalid windowDays: a wave must close before the next one opens.", [{ path: "windowDays", message: `must be at most ${months * 28} for a wave every ${months} months` }]);
        for (let i = 0; ; i++) {
          const o = addMonths(opensAt, i * months);
          if (o > until) break;
          if (waves.length >= MAX_WAVES) throw new AppError("validation_failed", `Invalid schedule.until: at most ${MAX_WAVES} waves.`, [{ path: "schedule.until", message: `gives more than ${MAX_WAVES} waves` }]);
          waves.push({ seq: i + 1, label: null, opensAt: o, closesAt: new Date(o.getTime() + window) });
        }
        if (!waves.length) throw new AppError("validation_failed", "Invalid schedule.until: must not be before opensAt.", [{ path: "schedule.until", message: "must not be before opensAt" }]);
      }
      if (waves[waves.length - 1]!.closesAt <= now) throw new AppError("validation_failed", "Invalid schedule.opensAt: every check-in of this schedule would already be over.", [{ path: "schedule.opensAt", message: "the schedule is already over" }]);
      const c = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(wellbeingCampaign)
          .values({
            organisationId: orgId,
            name: input.name,
            mode: input.mode,
            cohortKind: input.cohort.kind,
            cohortGroupIds: input.cohort.kind === "groups" ? [...new Set(input.cohort.groupIds)] : [],
            cohortDiscipline: input.cohort.kind === "discipline" ? input.cohort.discipline : null,
            cohortLabel: input.cohortLabel ?? "all",
            scheduleKind: input.schedule.kind,
            everyMonths: input.schedule.kind === "every" ? input.schedule.everyMonths : null,
            windowDays: input.windowDays,
            reminderDaysBefore: input.reminderDaysBefore,
          })
          .returning();
        await tx.insert(wellbeingCampaignInstrument).values(ids.map((instrumentId, position) => ({ campaignId: row!.id, instrumentId, position })));
        await tx.insert(wellbeingWave).values(waves.map((w) => ({ ...w, organisationId: orgId, campaignId: row!.id })));
        await recordAudit(tx, { organisationId: orgId, actor, action: "wellbeing.campaign_created", targetType: "wellbeing_campaign", targetId: row!.id, details: { mode: input.mode, waves: waves.length } });
        return row!;
      });
      return summaryOf(c, now);
    },

    async listCampaigns(actor: Actor, orgId: string, now = new Date()): Promise<{ items: CampaignSummary[] }> {
      authorize(actor, "wellbeing:manage", { organisationId: orgId });
      const rows = await db.select().from(wellbeingCampaign).where(eq(wellbeingCampaign.organisationId, orgId)).orderBy(asc(wellbeingCampaign.createdAt));
      const items: CampaignSummary[] = [];
      for (const r of rows) items.push(await summaryOf(r, now));
      return { items };
    },

    async getCampaign(actor: Actor, orgId: string, campaignId: string, now = new Date()): Promise<CampaignSummary> {
      return summaryOf(await loadCampaign(actor, orgId, campaignId), now);
    },

    /** Moves a wave's dates: opening only before invitations went out; never after it closed. */
    async updateWave(actor: Actor, orgId: string, waveId: string, raw: unknown, now = new Date()): Promise<WaveSummary> {
      const { wave } = await loadWave(actor, orgId, waveId);
      const input = parseInput(UpdateWaveInput, raw);
      if (wave.frozenAt || now >= wave.closesAt) throw new AppError("conflict", "This wave has closed and cannot change.", [{ path: "closesAt", message: "the wave has closed" }]);
      if (input.opensAt && wave.invitedAt) throw new AppError("conflict", "This wave is open: its opening cannot move.", [{ path: "opensAt", message: "the wave has opened" }]);
      const opensAt = input.opensAt ? new Date(input.opensAt) : wave.opensAt;
      const closesAt = input.closesAt ? new Date(input.closesAt) : wave.closesAt;
      if (closesAt <= opensAt) throw new AppError("validation_failed", "Invalid closesAt: must be after opensAt.", [{ path: "closesAt", message: "must be after opensAt" }]);
      if (closesAt <= now) throw new AppError("validation_failed", "Invalid closesAt: must be in the future (close the wave instead).", [{ path: "closesAt", message: "must be in the future" }]);
      const updated = await db.transaction(async (tx) => {
        const [u] = await tx.update(wellbeingWave).set({ opensAt, closesAt }).where(and(eq(wellbeingWave.id, wave.id), isNull(wellbeingWave.frozenAt))).returning();
        await recordAudit(tx, { organisationId: orgId, actor, action: "wellbeing.wave_changed", targetType: "wellbeing_wave", targetId: wave.id });
        return u!;
      });
      return { id: updated.id, seq: updated.seq, label: updated.label, opensAt: updated.opensAt.toISOString(), closesAt: updated.closesAt.toISOString(), status: waveStatus(updated, now), invited: null };
    },

    /** Closes a wave now (if open) and freezes its atoms. */
    async closeWave(actor: Actor, orgId: string, waveId: string, now = new Date()): Promise<WaveSummary> {
      const { wave } = await loadWave(actor, orgId, waveId);
      if (!wave.frozenAt) {
        if (wave.closesAt > now) {
          const opensAt = wave.opensAt > now ? new Date(now.getTime() - 1) : wave.opensAt;
          await db.update(wellbeingWave).set({ opensAt, closesAt: now }).where(and(eq(wellbeingWave.id, wave.id), isNull(wellbeingWave.frozenAt)));
        }
        await recordAudit(db, { organisationId: orgId, actor, action: "wellbeing.wave_closed_early", targetType: "wellbeing_wave", targetId: wave.id });
        await freeze(wave.id, now);
      }
      const [w] = await db.select().from(wellbeingWave).where(eq(wellbeingWave.id, wave.id));
      return { id: w!.id, seq: w!.seq, label: w!.label, opensAt: w!.opensAt.toISOString(), closesAt: w!.closesAt.toISOString(), status: waveStatus(w!, now), invited: null };
    },

    /** Ends a campaign: waves not yet opened are dropped, open ones close now and freeze. */
    async endCampaign(actor: Actor, orgId: string, campaignId: string, now = new Date()): Promise<CampaignSummary> {
      const c = await loadCampaign(actor, orgId, campaignId);
      if (!c.endedAt) {
        await db.transaction(async (tx) => {
          await tx.delete(wellbeingWave).where(and(eq(wellbeingWave.campaignId, c.id), isNull(wellbeingWave.invitedAt), gt(wellbeingWave.opensAt, now)));
          await tx.update(wellbeingWave).set({ closesAt: now }).where(and(eq(wellbeingWave.campaignId, c.id), isNull(wellbeingWave.frozenAt), gt(wellbeingWave.closesAt, now), lte(wellbeingWave.opensAt, now)));
          await tx.update(wellbeingCampaign).set({ endedAt: now }).where(eq(wellbeingCampaign.id, c.id));
          await recordAudit(tx, { organisationId: orgId, actor, action: "wellbeing.campaign_ended", targetType: "wellbeing_campaign", targetId: c.id });
        });
        const due = await db.select({ id: wellbeingWave.id }).from(wellbeingWave).where(and(eq(wellbeingWave.campaignId, c.id), isNull(wellbeingWave.frozenAt))).orderBy(asc(wellbeingWave.seq));
        for (const w of due) await freeze(w.id, now);
      }
      const [row] = await db.select().from(wellbeingCampaign).where(eq(wellbeingCampaign.id, c.id));
      return summaryOf(row!, now);
    },

    /** Sends the invitations of an open wave now (instead of waiting for the hourly job). */
    async sendInvitations(actor: Actor, orgId: string, waveId: string, now = new Date()): Promise<{ invited: number }> {
      const { wave } = await loadWave(actor, orgId, waveId);
      if (wave.frozenAt || now >= wave.closesAt) throw new AppError("conflict", "This wave has closed.", [{ path: "wave", message: "the wave has closed" }]);
      if (now < wave.opensAt) throw new AppError("conflict", "This wave has not opened yet.", [{ path: "wave", message: "the wave has not opened yet" }]);
      return { invited: await inviteWave(wave.id, now) };
    },

    // -- answering --
    formByToken: async (actor: Actor, token: string, now = new Date()) => formOf(actor, await targetByToken(token), now),
    formByWave: async (actor: Actor, orgId: string, waveId: string, now = new Date()) => formOf(actor, await targetByWave(actor, orgId, waveId), now),
    answerByToken: async (actor: Actor, token: string, raw: unknown, now = new Date()) => answer(actor, await targetByToken(token), raw, now),
    answerByWave: async (actor: Actor, orgId: string, waveId: string, raw: unknown, now = new Date()) => answer(actor, await targetByWave(actor, orgId, waveId), raw, now),
    draftByToken: async (actor: Actor, token: string, raw: unknown, now = new Date()) => saveDraft(actor, await targetByToken(token), raw, now),
    draftByWave: async (actor: Actor, orgId: string, waveId: string, raw: unknown, now = new Date()) => saveDraft(actor, await targetByWave(actor, orgId, waveId), raw, now),

    /** Open check-ins I have not finished (any organisation I belong to). */
    async myInvitations(actor: Actor, now = new Date()): Promise<{ items: MyInvitation[] }> {
      const userId = requireUser(actor);
      const rows = await db
        .select({ inv: wellbeingInvitation, wave: wellbeingWave, campaign: wellbeingCampaign, orgName: organisation.name })
        .from(wellbeingInvitation)
        .innerJoin(wellbeingWave, eq(wellbeingWave.id, wellbeingInvitation.waveId))
        .innerJoin(wellbeingCampaign, eq(wellbeingCampaign.id, wellbeingWave.campaignId))
        .innerJoin(organisation, eq(organisation.id, wellbeingCampaign.organisationId))
        .where(and(eq(wellbeingInvitation.userId, userId), isNull(wellbeingWave.frozenAt), lte(wellbeingWave.opensAt, now), gt(wellbeingWave.closesAt, now)))
        .orderBy(asc(wellbeingWave.closesAt));
      const items: MyInvitation[] = [];
      for (const r of rows) {
        if (!actor.memberships.has(r.campaign.organisationId) || (actor.tokenScope && actor.tokenScope.organisationId !== r.campaign.organisationId)) continue;
        const instruments = await instrumentsOfCampaign(db, r.campaign.id);
        const done = await answeredSet(r, instruments);
        const remaining = instruments.length - done.size;
        if (remaining > 0) items.push({ organisationId: r.campaign.organisationId, organisationName: r.orgName, campaignName: r.campaign.name, mode: r.campaign.mode, waveId: r.wave.id, closesAt: r.wave.closesAt.toISOString(), remaining });
      }
      return { items };
    },

    /** My confidential-mode results over time, with bands and distressFlag computed now (never stored). */
    async myResults(actor: Actor): Promise<{ items: MyResult[]; support: Record<string, SupportResources> }> {
      const rows = await myResponses(actor);
      const support: Record<string, SupportResources> = {};
      for (const orgId of new Set(rows.map((r) => r.campaign.organisationId))) {
        const s = await supportOf(db, orgId);
        support[orgId] = { supportUrl: s.supportUrl, contactEmail: s.contactEmail };
      }
      return { items: rows.map(resultOf), support };
    },

    /** My confidential-mode responses as a FHIR R4 Bundle (collection). */
    async exportMyBundle(actor: Actor): Promise<{ resourceType: "Bundle"; type: "collection"; timestamp: string; entry: { resource: unknown }[] }> {
      const rows = await myResponses(actor);
      return {
        resourceType: "Bundle" as const,
        type: "collection" as const,
        timestamp: new Date().toISOString(),
        entry: rows.map((row) => ({ resource: { ...row.r.response, id: row.r.id, authored: row.r.answeredAt!.toISOString(), questionnaire: canonicalOf(row.instrument) } })),
      };
    },

    /** My confidential-mode scores as CSV (one row per scale). */
    async exportMyCsv(actor: Actor): Promise<string> {
      const rows = (await myResponses(actor)).map(resultOf);
      const lines = [["campaign", "wave_closes_at", "answered_at", "instrument", "scale", "score", "band"].join(",")];
      for (const r of rows) for (const s of r.scales) lines.push([r.campaignName, r.waveClosesAt, r.answeredAt, r.instrumentTitle, s.id, s.score, s.band?.labelKey ?? null].map(csvCell).join(","));
      return `${lines.join("\r\n")}\r\n`;
    },

    /**
     * Deletes my confidential-mode responses and my saved drafts. Atoms frozen at closed waves keep
     * my contribution as part of their totals (de-identified, ≥ k): removing it would let a later
     * report minus an earlier one reveal exactly my answers (ADR 015). Anonymous answers cannot be
     * found again, so they cannot be deleted individually.
     */
    async deleteMyData(actor: Actor): Promise<{ deletedResponses: number; deletedDrafts: number }> {
      const userId = requireUser(actor);
      const orgIds = [...actor.memberships.keys()].filter((o) => !actor.tokenScope || actor.tokenScope.organisationId === o);
      if (!orgIds.length) return { deletedResponses: 0, deletedDrafts: 0 };
      return db.transaction(async (tx) => {
        const deleted = await tx.delete(wellbeingResponse).where(and(inArray(wellbeingResponse.pseudonym, orgIds.map((o) => pseudonymOf(o, userId))), inArray(wellbeingResponse.organisationId, orgIds))).returning({ id: wellbeingResponse.id });
        const invs = await tx.select({ id: wellbeingInvitation.id, waveId: wellbeingInvitation.waveId }).from(wellbeingInvitation).where(and(eq(wellbeingInvitation.userId, userId), inArray(wellbeingInvitation.organisationId, orgIds)));
        let drafts = 0;
        for (const inv of invs) {
          const instruments = await tx.select({ id: wellbeingCampaignInstrument.instrumentId }).from(wellbeingCampaignInstrument).innerJoin(wellbeingWave, eq(wellbeingWave.campaignId, wellbeingCampaignInstrument.campaignId)).where(eq(wellbeingWave.id, inv.waveId));
          const keysOf = instruments.map((i) => draftKeyOf(inv.id, i.id));
          if (keysOf.length) drafts += (await tx.delete(wellbeingDraft).where(inArray(wellbeingDraft.key, keysOf)).returning({ k: wellbeingDraft.key })).length;
        }
        return { deletedResponses: deleted.length, deletedDrafts: drafts };
      });
    },

    /**
     * FOR THE PROGRAM REPORTS (see the header): frozen atoms and pairings of a campaign. No
     * authorisation here — the caller authorises; never exposes raw responses.
     */
    async campaignAtoms(orgId: string, campaignId: string, now = new Date(), only: { instrumentId?: string | "first" | undefined; waveIds?: readonly string[] | undefined; minRespondents?: number | undefined; withoutInvitationCounts?: boolean } = {}): Promise<CampaignAtoms> {
      if (!UUID.test(campaignId)) throw notFound("That campaign");
      const [c] = await db.select().from(wellbeingCampaign).where(and(eq(wellbeingCampaign.id, campaignId), eq(wellbeingCampaign.organisationId, orgId)));
      if (!c) throw notFound("That campaign");
      const campaign = await summaryOf(c, now, !only.withoutInvitationCounts);
      const waveRows = await db.select().from(wellbeingWave).where(eq(wellbeingWave.campaignId, c.id)).orderBy(asc(wellbeingWave.seq));
      const instruments = await instrumentsOfCampaign(db, c.id);
      const atoms: Record<string, Atom[]> = Object.fromEntries(instruments.map((i) => [i.id, [] as Atom[]]));
      // `only` (reports): the atoms of one instrument and of some waves only (large programmes),
      // without atoms below `minRespondents` (the organisation's effective k: such atoms are never
      // visible, and pair atoms need both their cell atoms visible, so nothing usable is lost).
      const onlyInstrument = only.instrumentId === "first" ? instruments[0]?.id : only.instrumentId;
      const instrumentIds = instruments.map((i) => i.id).filter((id) => !onlyInstrument || id === onlyInstrument);
      const frozen = waveRows.filter((w) => w.frozenAt && (!only.waveIds || only.waveIds.includes(w.id))).map((w) => w.id);
      const keep = (a: { respondents: number }) => !only.minRespondents || a.respondents >= only.minRespondents;
      for (const [key, list] of await frozenAtoms(frozen, instrumentIds)) atoms[key.split("|")[1]!]!.push(...list.filter(keep));
      const pairingRows = await db.select().from(wellbeingPairing).where(eq(wellbeingPairing.campaignId, c.id));
      const pairings: CampaignAtoms["pairings"] = [];
      for (const p of pairingRows) pairings.push({ id: p.id, waveFrom: p.waveFrom, waveTo: p.waveTo, minCellAtClose: p.minCellAtClose, pairAtoms: await frozenPairAtoms(p, instrumentIds) });
      return {
        campaign,
        waves: waveRows.map((w) => ({ ...campaign.waves.find((x) => x.id === w.id)!, frozenAt: w.frozenAt?.toISOString() ?? null, minCellAtClose: w.minCellAtClose })),
        instruments: instruments.map((i) => ({ id: i.id, title: i.title, scoring: i.scoring, spec: reportSpecFor(i.scoring) })),
        atoms,
        pairings,
      };
    },
  };
}

/** A scoring rule from JSON: shape checked here, fit to the questionnaire by checkRule. */
function parseScoring(raw: unknown): ScoringRule {
  const bad = (path: string, message: string) => new AppError("validation_failed", `Invalid scoring${path ? `.${path}` : ""}: ${message}`, [{ path: path ? `scoring.${path}` : "scoring", message }]);
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  if (!isObj(raw)) throw bad("", "must be a scoring rule object");
  if (!Array.isArray(raw.scales) || raw.scales.length === 0 || raw.scales.length > 20) throw bad("scales", "must list 1 to 20 scales");
  const scales = raw.scales.map((s: unknown, i: number) => {
    if (!isObj(s)) throw bad(`scales[${i}]`, "must be an object");
    if (typeof s.id !== "string" || !/^[A-Za-z0-9._-]{1,40}$/.test(s.id)) throw bad(`scales[${i}].id`, "must be a short identifier");
    if (!Array.isArray(s.items) || !s.items.every((x) => typeof x === "string")) throw bad(`scales[${i}].items`, "must be a list of linkIds");
    if (s.reverse !== undefined && !(Array.isArray(s.reverse) && s.reverse.every((x) => typeof x === "string"))) throw bad(`scales[${i}].reverse`, "must be a list of linkIds");
    if (s.method !== "sum" && s.method !== "mean") throw bad(`scales[${i}].method`, 'must be "sum" or "mean"');
    if (!Array.isArray(s.range) || s.range.length !== 2 || !s.range.every(isNum)) throw bad(`scales[${i}].range`, "must be [lowest, highest]");
    if (s.minAnswered !== undefined && !isNum(s.minAnswered)) throw bad(`scales[${i}].minAnswered`, "must be a number");
    if (s.transform !== undefined && !(isObj(s.transform) && (s.transform.multiply === undefined || isNum(s.transform.multiply)) && (s.transform.add === undefined || isNum(s.transform.add)))) throw bad(`scales[${i}].transform`, "must be { multiply?, add? }");
    if (s.decimals !== undefined && !(isNum(s.decimals) && Number.isInteger(s.decimals) && s.decimals >= 0 && s.decimals <= 4)) throw bad(`scales[${i}].decimals`, "must be 0 to 4");
    return {
      id: s.id,
      items: s.items as string[],
      ...(s.reverse ? { reverse: s.reverse as string[] } : {}),
      method: s.method as "sum" | "mean",
      ...(s.transform ? { transform: s.transform as { multiply?: number; add?: number } } : {}),
      ...(s.minAnswered !== undefined ? { minAnswered: s.minAnswered as number } : {}),
      ...(s.prorate !== undefined ? { prorate: s.prorate === true } : {}),
      range: s.range as [number, number],
      ...(s.decimals !== undefined ? { decimals: s.decimals as number } : {}),
    };
  });
  const bandsRaw = raw.bands ?? [];
  if (!Array.isArray(bandsRaw) || bandsRaw.length > 50) throw bad("bands", "must be a list of at most 50 bands");
  const bands = bandsRaw.map((b: unknown, i: number) => {
    if (!isObj(b)) throw bad(`bands[${i}]`, "must be an object");
    if (typeof b.scale !== "string") throw bad(`bands[${i}].scale`, "must name a scale");
    for (const k of ["from", "upTo", "below"] as const) if (b[k] !== undefined && !isNum(b[k])) throw bad(`bands[${i}].${k}`, "must be a number");
    if (typeof b.labelKey !== "string" || !/^[A-Za-z0-9._-]{1,80}$/.test(b.labelKey)) throw bad(`bands[${i}].labelKey`, "must be a short message id");
    if (!["ok", "info", "elevated", "alert"].includes(b.severity as string)) throw bad(`bands[${i}].severity`, "must be ok, info, elevated or alert");
    return { scale: b.scale, ...(b.from !== undefined ? { from: b.from as number } : {}), ...(b.upTo !== undefined ? { upTo: b.upTo as number } : {}), ...(b.below !== undefined ? { below: b.below as number } : {}), labelKey: b.labelKey, severity: b.severity as Severity };
  });
  let distress: ScoringRule["distress"];
  if (raw.distress !== undefined) {
    const d = raw.distress;
    if (!isObj(d) || typeof d.scale !== "string" || (d.atOrBelow !== undefined && !isNum(d.atOrBelow)) || (d.atOrAbove !== undefined && !isNum(d.atOrAbove))) throw bad("distress", "must be { scale, atOrBelow?, atOrAbove? }");
    distress = { scale: d.scale, ...(d.atOrBelow !== undefined ? { atOrBelow: d.atOrBelow as number } : {}), ...(d.atOrAbove !== undefined ? { atOrAbove: d.atOrAbove as number } : {}) };
  }
  return { questionnaire: "", scales, bands, ...(distress ? { distress } : {}) };
}

export type WellbeingService = ReturnType<typeof createWellbeingService>;
export type { QuestionnaireItem };
