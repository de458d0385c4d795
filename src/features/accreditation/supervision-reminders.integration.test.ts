// Supervisor report reminders (daily job): the supervisor is emailed once when a report falls due
// and once more 14 days later, never twice for the same report cycle, whoever runs the job how
// often; other organisations' supervisions (and their settings) stay apart. Supervisions and
// reports are inserted directly (supervision.integration.test.ts covers how they are made).
// Dates are relative to today and in the future: the job the test app starts runs with the real
// clock, and must find nothing due, so only the runs below (with their own `now`) send.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, createOrganisation, signUp } from "../../../tests/support/factories.ts";
import { mailMessage } from "../../platform/mail/schema.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { addMonths } from "./supervision.ts";
import { reportReminder, supervision, supervisionSettings, supervisorReport } from "./supervision-schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
let app: TestApp;
let orgA: { id: string; slug: string; name: string };
let orgB: { id: string; slug: string; name: string };
let supA: Person; // A: every 6 months, first due 6 months after START
let supR: Person; // A: a report 5 months after START, so due 11 months after START
let supE: Person; // A: ended, never due
let supB: Person; // B: every 12 months; B writes in Spanish
let supervisionA: string;
const DAY = 86_400_000;
const today = new Date();
today.setUTCHours(12, 0, 0, 0);
const START = new Date(today.getTime() - 20 * DAY);
const DUE_A = addMonths(START, 6);
const DUE_B = addMonths(START, 12);
const at = (base: Date, days: number, hours = 0) => new Date(base.getTime() + days * DAY + hours * 3_600_000);

const TEMPLATES = ["supervisorReportDue", "supervisorReportOverdue"];
/** Every reminder queued so far, as "<to> <template>", oldest first. */
async function queued(): Promise<string[]> {
  const rows = await app.services.kernel.db.select().from(mailMessage).where(inArray(mailMessage.template, TEMPLATES)).orderBy(asc(mailMessage.createdAt));
  return rows.map((r) => `${r.toAddress} ${r.template}`);
}
async function queuedAfter(count: number): Promise<string[]> {
  return (await queued()).slice(count).sort();
}
const run = (now: Date) => app.services.supervision.sendReportReminders(now);

beforeAll(async () => {
  app = await createTestApp();
  const db = app.services.kernel.db;
  orgA = await createOrganisation(app, { name: "Sociedad Alfa" });
  orgB = await createOrganisation(app, { name: "Beta Society" });
  await db.update(organisation).set({ defaultLocale: "es" }).where(eq(organisation.id, orgB.id));
  await db.insert(supervisionSettings).values({ organisationId: orgB.id, competencies: [{ key: "safety", label: "Safety" }], reportIntervalMonths: 12 });
  const person = async (org: string, role: "supervisor" | "member", name: string) => {
    const p = await signUp(app, { verified: true, name });
    await addMember(app, org, p.id, role);
    return p;
  };
  supA = await person(orgA.id, "supervisor", "Sara Super");
  supR = await person(orgA.id, "supervisor", "Rae Reported");
  supE = await person(orgA.id, "supervisor", "Eve Ended");
  supB = await person(orgB.id, "supervisor", "Beto Supervisor");
  const candA = await person(orgA.id, "member", "Cam Candidate");
  const candR = await person(orgA.id, "member", "Ria Candidate");
  const candE = await person(orgA.id, "member", "Eli Candidate");
  const candB = await person(orgB.id, "member", "Bruno Candidato");
  const row = (organisationId: string, supervisorUserId: string, candidateUserId: string, status: "active" | "ended" = "active") => ({
    organisationId,
    supervisorUserId,
    candidateUserId,
    status,
    startedAt: START,
    ...(status === "ended" ? { endedAt: at(START, 10) } : {}),
  });
  const [a] = await db.insert(supervision).values(row(orgA.id, supA.id, candA.id)).returning();
  supervisionA = a!.id;
  const [r] = await db.insert(supervision).values(row(orgA.id, supR.id, candR.id)).returning();
  await db.insert(supervisorReport).values({ supervisionId: r!.id, organisationId: orgA.id, candidateUserId: candR.id, supervisorUserId: supR.id, periodStart: "2026-01-01", periodEnd: "2026-01-31", ratings: {}, maxLevel: 4, narrative: "Steady.", submittedAt: addMonths(START, 5) });
  await db.insert(supervision).values(row(orgA.id, supE.id, candE.id, "ended"));
  await db.insert(supervision).values(row(orgB.id, supB.id, candB.id));
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe("supervisor report reminders", () => {
  it("sends nothing before a report is due", async () => {
    expect(await run(today)).toBe(0);
    expect(await run(at(DUE_A, 0, -1))).toBe(0);
    expect(await queued()).toEqual([]);
  });

  it("emails the supervisor once when the report falls due, even when two instances run at once", async () => {
    const [one, two] = await Promise.all([run(at(DUE_A, 5)), run(at(DUE_A, 5))]);
    expect(one + two).toBe(1);
    expect(await queued()).toEqual([`${supA.email} supervisorReportDue`]);
    const mail = await app.waitForMail(supA.email, /supervisor report/i);
    expect(mail.subject).toBe("A supervisor report on Cam Candidate is due");
    expect(mail.text).toContain("Sociedad Alfa");
    expect(mail.text).toContain(new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" }).format(DUE_A));
    expect(mail.text).toContain(`/accreditation/supervision?org=${orgA.slug}`);
    // Nothing of the other organisation, nothing to its people.
    expect(mail.text).not.toContain("Beta Society");
    expect(app.mail.sent.some((m) => [supB.email, supR.email, supE.email].includes(m.to) && /report|informe/i.test(m.subject))).toBe(false);
  });

  it("sends nothing more when the job runs again the same day or the next", async () => {
    expect(await run(at(DUE_A, 5))).toBe(0);
    expect(await run(at(DUE_A, 6))).toBe(0);
    expect(await queued()).toEqual([`${supA.email} supervisorReportDue`]);
  });

  it("runs one daily slot once, however often the queue hands it out", async () => {
    const now = at(DUE_A, 7);
    const slot = Math.floor((now.getTime() - 8 * 3_600_000) / DAY);
    expect(await app.services.supervision.reportReminderJob.runSlot(slot, now)).toBe(true);
    expect(await app.services.supervision.reportReminderJob.runSlot(slot, now)).toBe(false);
    expect(await queued()).toHaveLength(1);
  });

  it("reminds once more when the report is 14 days overdue, then never again for that report", async () => {
    expect(await run(at(DUE_A, 13, 23))).toBe(0);
    expect(await run(at(DUE_A, 14, 1))).toBe(1);
    expect(await run(at(DUE_A, 60))).toBe(0);
    expect(await queued()).toEqual([`${supA.email} supervisorReportDue`, `${supA.email} supervisorReportOverdue`]);
    const overdue = await app.waitForMail(supA.email, /overdue/i);
    expect(overdue.text).toContain("14 days ago");
    const claims = await app.services.kernel.db.select().from(reportReminder).where(eq(reportReminder.supervisionId, supervisionA));
    const dueOn = DUE_A.toISOString().slice(0, 10);
    expect(claims.map((c) => [c.cycle, c.kind, c.dueOn]).sort()).toEqual([
      ["start", "due", dueOn],
      ["start", "overdue", dueOn],
    ]);
  });

  it("keeps organisations apart: each is due on its own interval, in its own language", async () => {
    const before = (await queued()).length;
    // B (12 months) falls due; R (6 months after its report) is long overdue: one email, the
    // overdue one; A is not asked again.
    expect(await run(at(DUE_B, 1))).toBe(2);
    expect(await queuedAfter(before)).toEqual([`${supB.email} supervisorReportDue`, `${supR.email} supervisorReportOverdue`].sort());
    const es = await app.waitForMail(supB.email, /informe/i);
    expect(es.subject).toBe("Hay un informe de supervisión pendiente sobre Bruno Candidato");
    expect(es.text).toContain("Beta Society");
    expect(es.text).not.toContain("Sociedad Alfa");
    const rows = await app.services.kernel.db.select().from(mailMessage).where(and(inArray(mailMessage.template, TEMPLATES), eq(mailMessage.toAddress, supB.email)));
    expect(rows.map((r) => r.organisationId)).toEqual([orgB.id]);
    expect((await queued()).some((m) => m.startsWith(supE.email))).toBe(false);
  });

  it("starts a new cycle after a report: due again an interval later", async () => {
    const db = app.services.kernel.db;
    const [a] = await db.select().from(supervision).where(eq(supervision.id, supervisionA));
    const reportAt = at(DUE_A, 40);
    await db.insert(supervisorReport).values({ supervisionId: a!.id, organisationId: orgA.id, candidateUserId: a!.candidateUserId, supervisorUserId: supA.id, periodStart: "2026-01-01", periodEnd: "2026-01-31", ratings: {}, maxLevel: 4, narrative: "Good.", submittedAt: reportAt });
    const newDue = addMonths(reportAt, 6);
    expect(await run(at(DUE_B, 20))).toBe(1); // B's overdue reminder
    const before = (await queued()).length;
    expect(await run(at(newDue, -2))).toBe(0);
    expect(await run(at(newDue, 0, 1))).toBe(1);
    expect(await queuedAfter(before)).toEqual([`${supA.email} supervisorReportDue`]);
    const claims = await db.select().from(reportReminder).where(eq(reportReminder.supervisionId, supervisionA));
    expect(claims.filter((c) => c.cycle.startsWith("report:")).map((c) => c.kind)).toEqual(["due"]);
  });
});
