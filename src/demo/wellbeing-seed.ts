// Demo data for well-being check-ins (issue 5): two years of them in every demo organisation, so
// that program reports have data the moment the demo opens.
// - "Well-being check-in" — confidential, WHO-5, every 6 months (4 waves over the last two years);
//   the first and last wave are paired, so the paired change shows.
// - "Stress and burnout, term start and end" — anonymous, PSS-10 and CBI, at the start and the end
//   of the last nine-month term (2 waves: an "every 9 months" schedule, since the demo groups' own
//   terms are still running and a "term" schedule needs a term that has ended).
// - A check-in open now (WHO-5 and PSS-10, confidential), so a newcomer can answer one: in English,
//   or in Spanish in the Spanish-speaking hospital. About a third of the people have answered it; the
//   showcase people have not.
// Everything goes through the well-being service with past `now`s: waves open (invitations),
// people answer by their invitation token, waves close (atoms frozen, pairing made). Deterministic
// given `now` and the seed. Invitation emails are not sent for these past check-ins (a quiet
// mailer; nobody should find two-year-old invitations in the demo outbox).
// Call after organisations, people and groups are seeded: `seedWellbeing(services, { now })`.
import { eq } from "drizzle-orm";
import { buildResponse, type Questionnaire, walkItems } from "../features/wellbeing/fhir.ts";
import { createWellbeingService } from "../features/wellbeing/service.server.ts";
import { wellbeingInvitation } from "../features/wellbeing/schema.ts";
import { user } from "../platform/auth/schema.ts";
import type { Kernel } from "../platform/kernel.server.ts";
import type { Actor } from "../platform/policy/policy.ts";
import type { AppServices } from "../platform/services.server.ts";
import { DEMO_SHOWCASE } from "./seed.ts";
import { membership, organisation } from "../platform/tenancy/schema.ts";

const DAY = 86_400_000;

export interface WellbeingSeedResult {
  campaigns: number;
  waves: number;
  answers: number;
  durationMs: number;
}

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  d.setUTCHours(9, 0, 0, 0);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** Answers at a "level" (0 = best, 1 = worst) with some noise; reversed items are handled by scoring. */
function answersFor(q: Questionnaire, level: number, rand: () => number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { item } of walkItems(q.item)) {
    if (item.type !== "choice" || !item.answerOption?.length) continue;
    const n = item.answerOption.length;
    const x = Math.min(0.999, Math.max(0, level + (rand() - 0.5) * 0.5));
    out[item.linkId] = item.answerOption[Math.floor(x * n)]!.valueCoding!.code;
  }
  return out;
}

/** A quiet copy of the kernel: no emails for past invitations, no second periodic job definition. */
function quietKernel(kernel: Kernel): Kernel {
  const jobs = new Proxy(kernel.jobs, {
    get(target, prop, receiver) {
      if (prop === "define") return () => {};
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { ...kernel, jobs, mailer: { send: async () => "", transportKind: kernel.mailer.transportKind } };
}

export async function seedWellbeing(services: AppServices, options: { now: Date; seed?: number }): Promise<WellbeingSeedResult> {
  const started = performance.now();
  const { db } = services.kernel;
  const svc = createWellbeingService(quietKernel(services.kernel));
  const rand = prng(options.seed ?? 515);
  const now = options.now;
  const anonymousActor: Actor = { kind: "anonymous", userId: null, memberships: new Map() };
  let campaigns = 0;
  let waves = 0;
  let answers = 0;

  await svc.ensureBuiltIns();
  const orgs = await db.select({ id: organisation.id, slug: organisation.slug, defaultLocale: organisation.defaultLocale }).from(organisation);
  for (const org of orgs) {
    const [owner] = await db.select({ userId: membership.userId }).from(membership).where(eq(membership.organisationId, org.id)).orderBy(membership.createdAt);
    const admins = await db.select({ userId: membership.userId, role: membership.role }).from(membership).where(eq(membership.organisationId, org.id));
    const admin = admins.find((m) => m.role === "owner") ?? admins.find((m) => m.role === "admin") ?? owner;
    if (!admin || admins.length < 10) continue;
    const actor: Actor = { kind: "user", userId: admin.userId, memberships: new Map([[org.id, "owner"]]) };
    const instruments = (await svc.listInstruments(actor, org.id)).items;
    const byKey = (k: string) => instruments.find((i) => i.builtInKey === k)!;
    const questionnaires = new Map<string, Questionnaire>();
    // Each person's baseline (0 best … 1 worst) and a gentle improvement over the two years.
    const baseline = new Map<string, number>();
    const levelOf = (userId: string, t: number) => {
      if (!baseline.has(userId)) baseline.set(userId, 0.2 + rand() * 0.5);
      return Math.max(0, baseline.get(userId)! - 0.12 * t);
    };

    // Confidential: a steady 70 % take part every time (so most cells pair with no remainder);
    // anonymous: about half, drawn afresh at each wave.
    const regular = new Map<string, boolean>();
    const plans = [
      { name: "Well-being check-in", mode: "confidential" as const, keys: ["who-5"], cohortLabel: "everyone", firstMonthsAgo: 24, everyMonths: 6, waves: 4, take: (userId: string) => (regular.has(userId) ? regular.get(userId)! : (regular.set(userId, rand() < 0.7), regular.get(userId)!)) },
      { name: "Stress and burnout, term start and end", mode: "anonymous" as const, keys: ["pss-10", "cbi"], cohortLabel: "term", firstMonthsAgo: 11, everyMonths: 9, waves: 2, take: () => rand() < 0.55 },
    ];
    for (const plan of plans) {
      const ids = plan.keys.map((k) => byKey(k)?.id).filter((x): x is string => !!x);
      if (!ids.length) continue;
      const opensAt = monthsBefore(now, plan.firstMonthsAgo);
      const until = new Date(opensAt.getTime() + ((plan.waves - 1) * plan.everyMonths * 31 - 5) * DAY);
      const c = await svc.createCampaign(actor, org.id, { name: plan.name, mode: plan.mode, instrumentIds: ids, cohort: { kind: "organisation" }, cohortLabel: plan.cohortLabel, schedule: { kind: "every", opensAt: opensAt.toISOString(), everyMonths: plan.everyMonths, until: until.toISOString() }, windowDays: 14, reminderDaysBefore: 0 }, new Date(opensAt.getTime() - DAY));
      campaigns += 1;
      for (const [wi, w] of c.waves.entries()) {
        const open = new Date(w.opensAt);
        const close = new Date(w.closesAt);
        if (close > now) continue;
        await svc.inviteWave(w.id, new Date(open.getTime() + 1000));
        const invitations = await db.select().from(wellbeingInvitation).where(eq(wellbeingInvitation.waveId, w.id)).orderBy(wellbeingInvitation.userId);
        for (const inv of invitations) {
          if (!plan.take(inv.userId)) continue;
          const token = svc.tokenOf(inv.id, inv.tokenSalt);
          const at = new Date(open.getTime() + (1 + Math.floor(rand() * 12)) * DAY);
          const level = levelOf(inv.userId, wi / Math.max(1, c.waves.length - 1)) + (wi % 2 && plan.mode === "anonymous" ? 0.08 : 0);
          for (const instrumentId of ids) {
            let q = questionnaires.get(instrumentId);
            if (!q) {
              const form = await svc.formByToken(anonymousActor, token, at);
              for (const f of form.instruments) questionnaires.set(f.id, f.questionnaire);
              q = questionnaires.get(instrumentId)!;
            }
            await svc.answerByToken(anonymousActor, token, { instrumentId, response: buildResponse(q, answersFor(q, level, rand)) }, at);
            answers += 1;
          }
        }
        await svc.freeze(w.id, close);
        waves += 1;
      }
    }

    // The check-in open now.
    const current = ["who-5", "pss-10"].map((k) => byKey(k)?.id).filter((x): x is string => !!x);
    const opened = new Date(now.getTime() - 3 * DAY);
    const name = org.defaultLocale === "es" ? "Cuestionario de invierno" : "Winter check-in";
    const c = await svc.createCampaign(actor, org.id, { name, mode: "confidential", instrumentIds: current, cohort: { kind: "organisation" }, cohortLabel: "everyone", schedule: { kind: "once", opensAt: opened.toISOString() }, windowDays: 21, reminderDaysBefore: 0 }, new Date(opened.getTime() - DAY));
    campaigns += 1;
    const wave = c.waves[0]!;
    await svc.inviteWave(wave.id, new Date(opened.getTime() + 1000));
    const showcase = new Set(DEMO_SHOWCASE.map((p) => p.handle));
    const invited = await db.select({ inv: wellbeingInvitation, email: user.email }).from(wellbeingInvitation).innerJoin(user, eq(user.id, wellbeingInvitation.userId)).where(eq(wellbeingInvitation.waveId, wave.id)).orderBy(wellbeingInvitation.userId);
    for (const { inv, email } of invited) {
      if (showcase.has(email.split("@")[0]!) || rand() >= 0.35) continue;
      const token = svc.tokenOf(inv.id, inv.tokenSalt);
      const at = new Date(opened.getTime() + (1 + Math.floor(rand() * 40)) * 3_600_000);
      for (const instrumentId of current) {
        let q = questionnaires.get(instrumentId);
        if (!q) {
          const form = await svc.formByToken(anonymousActor, token, at);
          for (const f of form.instruments) questionnaires.set(f.id, f.questionnaire);
          q = questionnaires.get(instrumentId)!;
        }
        await svc.answerByToken(anonymousActor, token, { instrumentId, response: buildResponse(q, answersFor(q, levelOf(inv.userId, 1), rand)) }, at);
        answers += 1;
      }
    }
  }
  return { campaigns, waves, answers, durationMs: Math.round(performance.now() - started) };
}
