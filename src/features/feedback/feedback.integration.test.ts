import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { isAppError } from "../../platform/http/errors.ts";
import { createHttpApp, isAnonymousLogPath } from "../../platform/http/app.server.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { groupMembership } from "../groups/schema.ts";
import { sessionException } from "../sessions/schema.ts";
import { FEEDBACK_ANONYMOUS_PATHS } from "./api.server.ts";
import { feedbackAnswer, feedbackBin, feedbackNullifier } from "./schema.ts";
import { isIdentifierWarning } from "./service.server.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
const DAY = 86_400_000;
const HOUR = 3_600_000;

let app: TestApp;
let org: Awaited<ReturnType<typeof orgWithPerson>>["org"];
let owner: Person;
let leader: Person;
let members: Person[] = [];
let absentee: Person;
let otherOrgPerson: Person;
let otherOrgId: string;

const actorOf = (p: Person, role: "leader" | "member" | "owner" = "member", orgId = org.id): Actor => ({ kind: "user", userId: p.id, memberships: new Map([[orgId, role]]) });
const answer = (n = 4, extra: Record<string, unknown> = {}) => ({ safeToSpeak: n, feltHeard: n, seeDifferently: Math.max(1, n - 1), values: ["empathy", "reflection"], ...extra });

beforeAll(async () => {
  app = await createTestApp();
  ({ org, person: owner } = await orgWithPerson(app, "owner"));
  leader = await signUp(app, { verified: true, name: "Lorcan Leaderwright" });
  await addMember(app, org.id, leader.id, "leader");
  for (let i = 0; i < 12; i++) {
    const m = await signUp(app, { verified: true, name: `Quillon Answerer${String.fromCharCode(65 + i)}` });
    await addMember(app, org.id, m.id, "member");
    members.push(m);
  }
  absentee = await signUp(app, { verified: true, name: "Abel Absentwood" });
  await addMember(app, org.id, absentee.id, "member");
  const other = await orgWithPerson(app, "member");
  otherOrgPerson = other.person;
  otherOrgId = other.org.id;
}, 120_000);
afterAll(async () => app?.close());

let seq = 0;
async function createGroup(schedule: Record<string, unknown>) {
  seq += 1;
  const res = await app.request(`/api/v1/orgs/${org.id}/groups`, {
    method: "POST",
    cookie: owner.cookie,
    json: { name: `Feedback group ${seq}`, description: "A standing Balint group.", format: "online", meetingLink: `https://meet.example.org/fb-${seq}`, languages: ["en"], timeZone: "UTC", schedule, capacity: 15, leaders: [{ userId: leader.id, kind: "leader" }] },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const g = (await res.json()) as { id: string };
  await app.services.kernel.db.insert(groupMembership).values([...members, absentee].map((m) => ({ groupId: g.id, userId: m.id, status: "active" as const, term: 1, agreementAcceptedAt: new Date() })));
  return g.id;
}

async function present(groupId: string, start: Date, who: Person[], absent: Person[] = [absentee]) {
  const entries = [...who.map((p) => ({ userId: p.id, status: "present" })), ...absent.map((p) => ({ userId: p.id, status: "absent" }))];
  await app.services.sessions.recordAttendance(actorOf(leader, "leader"), org.id, groupId, start.toISOString(), { entries }, {}, new Date(start.getTime() + HOUR));
}

const svc = () => app.services.feedback;
const submitAt = (p: Person, groupId: string, start: Date, body: unknown, now: Date) => svc().submit(actorOf(p), org.id, groupId, start.toISOString(), body, now);

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("feedback over HTTP (a meeting yesterday, window open)", () => {
  let groupId: string;
  let yesterday: Date;
  const url = (start: Date, gid = groupId, orgId = org.id) => `/api/v1/orgs/${orgId}/groups/${gid}/meetings/${encodeURIComponent(start.toISOString())}/feedback`;

  beforeAll(async () => {
    const today = new Date();
    const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 14, 9, 0));
    groupId = await createGroup({ rrule: "FREQ=DAILY;COUNT=40", dtstartLocal: first.toISOString().slice(0, 16), durationMinutes: 90 });
    yesterday = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 1, 9, 0));
    await app.services.sessions.recordAttendance(actorOf(leader, "leader"), org.id, groupId, yesterday.toISOString(), { entries: [...members.slice(0, 6).map((p) => ({ userId: p.id, status: "present" })), { userId: absentee.id, status: "absent" }] }, {});
  });

  it("answers once, leaves nothing that links the answer to the person, and refuses a second answer (409)", async () => {
    const tables = async () => {
      const db = app.services.kernel.db;
      const list = (await db.execute(sql`select table_schema, table_name from information_schema.tables where table_schema in ('public','pgboss') and table_type = 'BASE TABLE'`)) as unknown as { rows: { table_schema: string; table_name: string }[] };
      const out = new Map<string, Set<string>>();
      for (const t of list.rows) {
        const rows = (await db.execute(sql.raw(`select row_to_json(t)::text as j from "${t.table_schema}"."${t.table_name}" t`))) as unknown as { rows: { j: string }[] };
        out.set(`${t.table_schema}.${t.table_name}`, new Set(rows.rows.map((r) => r.j)));
      }
      return out;
    };
    const answerers = members.slice(0, 5);
    const before = await tables();
    for (const [i, m] of answerers.entries()) {
      const res = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: answer(1 + (i % 5), i === 0 ? { comment: "The pushback phase felt unhurried today." } : {}) });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const after = await tables();
    const needles = answerers.flatMap((m) => [m.id, m.email, m.email.toLowerCase()]);
    for (const m of answerers) needles.push(`Quillon Answerer${String.fromCharCode(65 + members.indexOf(m))}`);
    const changed: string[] = [];
    for (const [table, rows] of after) {
      const old = before.get(table) ?? new Set<string>();
      for (const row of rows) {
        if (old.has(row)) continue;
        changed.push(table);
        for (const needle of needles) expect(row.includes(needle), `${table} holds ${needle}: ${row}`).toBe(false);
      }
    }
    // The needles are real: each is found somewhere in the database (the user table, attendance…).
    const everything = [...after.values()].flatMap((rows) => [...rows]).join("\n");
    for (const needle of needles) expect(everything.includes(needle), needle).toBe(true);
    // The answers and their nullifiers are what changed (the scan did look at them).
    expect(changed.filter((t) => t === "public.feedback_answer")).toHaveLength(5);
    expect(changed.filter((t) => t === "public.feedback_nullifier")).toHaveLength(5);
    expect(changed.some((t) => t === "public.audit_event")).toBe(false);

    const second = await app.request(url(yesterday), { method: "POST", cookie: answerers[0]!.cookie, json: answer(3) });
    expect(second.status).toBe(409);
    const elig = await app.request(url(yesterday), { cookie: answerers[0]!.cookie });
    expect(((await elig.json()) as { status: string }).status).toBe("answered");
    const pending = await app.request("/api/v1/me/feedback/pending", { cookie: members[5]!.cookie });
    const items = ((await pending.json()) as { items: { groupId: string; occurrenceStart: string }[] }).items;
    expect(items.some((i) => i.groupId === groupId && i.occurrenceStart === yesterday.toISOString())).toBe(true);
    const none = await app.request("/api/v1/me/feedback/pending", { cookie: answerers[1]!.cookie });
    expect(((await none.json()) as { items: { groupId: string }[] }).items.some((i) => i.groupId === groupId)).toBe(false);
  });

  it("has no timestamp column on feedback_answer and no user column anywhere in the feedback tables", async () => {
    const cols = (await app.services.kernel.db.execute(sql`select table_name, column_name, data_type from information_schema.columns where table_name in ('feedback_answer','feedback_nullifier')`)) as unknown as { rows: { table_name: string; column_name: string; data_type: string }[] };
    const answerCols = cols.rows.filter((c) => c.table_name === "feedback_answer");
    expect(answerCols.length).toBeGreaterThan(5);
    // The only time is the meeting's own start (the meeting, not the answer).
    expect(answerCols.filter((c) => c.data_type.startsWith("timestamp") || c.data_type === "date").map((c) => c.column_name)).toEqual(["occurrence_start"]);
    expect(cols.rows.some((c) => /user|email|name|created|updated|answered/.test(c.column_name))).toBe(false);
  });

  it("refuses unknown fields (400 naming the field), bad scores and values, storing nothing", async () => {
    const m = members[5]!;
    const count = async () => (await app.services.kernel.db.select().from(feedbackAnswer)).length;
    const n = await count();
    const unknown = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: { ...answer(4), caseNotes: "The patient, a 54-year-old…" } });
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as { error: { fields: { path: string }[] } };
    expect(body.error.fields.map((f) => f.path)).toContain("caseNotes");
    const badScore = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: answer(6) });
    expect(badScore.status).toBe(400);
    expect(((await badScore.json()) as { error: { fields: { path: string }[] } }).error.fields[0]!.path).toBe("safeToSpeak");
    const badValue = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: answer(4, { values: ["bravery"] }) });
    expect(badValue.status).toBe(400);
    expect(((await badValue.json()) as { error: { fields: { path: string }[] } }).error.fields[0]!.path).toBe("values.0");
    const missing = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: { feltHeard: 3, seeDifferently: 3 } });
    expect(missing.status).toBe(400);
    const long = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: answer(4, { comment: "x".repeat(501) }) });
    expect(long.status).toBe(400);
    expect(await count()).toBe(n);
  });

  it("warns about identifiers in a comment (422 with findings) until confirmed", async () => {
    const m = members[5]!;
    const res = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: answer(4, { comment: "We talked about Mrs Delacroix, born 14 March 1961." }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { findings: { kind: string }[] };
    expect(body.findings.length).toBeGreaterThan(0);
    expect((await app.request(url(yesterday), { cookie: m.cookie }).then((r) => r.json()) as { status: string }).status).toBe("open");
    const ok = await app.request(url(yesterday), { method: "POST", cookie: m.cookie, json: answer(4, { comment: "We talked about Mrs Delacroix, born 14 March 1961.", confirmComment: true }) });
    expect(ok.status).toBe(201);
  });

  it("refuses people not recorded present (403), leaders (403), and other organisations (404)", async () => {
    const absent = await app.request(url(yesterday), { method: "POST", cookie: absentee.cookie, json: answer(4) });
    expect(absent.status).toBe(403);
    const notRecorded = await app.request(url(yesterday), { method: "POST", cookie: members[8]!.cookie, json: answer(4) });
    expect(notRecorded.status).toBe(403);
    const lead = await app.request(url(yesterday), { method: "POST", cookie: leader.cookie, json: answer(4) });
    expect(lead.status).toBe(403);
    const outsider = await app.request(url(yesterday), { method: "POST", cookie: otherOrgPerson.cookie, json: answer(4) });
    expect(outsider.status).toBe(404);
    const wrongOrg = await app.request(url(yesterday, groupId, otherOrgId), { method: "POST", cookie: otherOrgPerson.cookie, json: answer(4) });
    expect(wrongOrg.status).toBe(404);
    const view = await app.request(`/api/v1/orgs/${org.id}/groups/${groupId}/feedback`, { cookie: members[0]!.cookie });
    expect(view.status).toBe(404);
    const otherView = await app.request(`/api/v1/orgs/${org.id}/groups/${groupId}/feedback`, { cookie: otherOrgPerson.cookie });
    expect(otherView.status).toBe(404);
    const leaderView = await app.request(`/api/v1/orgs/${org.id}/groups/${groupId}/feedback`, { cookie: leader.cookie });
    expect(leaderView.status).toBe(200);
    // The window of yesterday's meeting is open: nothing is shown, and no count of waiting answers.
    const v = (await leaderView.json()) as { scoreBins: unknown[]; commentBins: unknown[] };
    expect(v.scoreBins).toEqual([]);
    expect(JSON.stringify(v)).not.toMatch(/waiting|pending/i);
  });

  it("writes request log lines for the answer route with nothing but method and status", async () => {
    const lines: unknown[] = [];
    const capture = (obj: unknown) => void lines.push(obj);
    const logger = { ...app.services.kernel.logger, info: capture, warn: capture, error: capture, debug: capture } as unknown as typeof app.services.kernel.logger;
    const http = createHttpApp({ ...app.services, kernel: { ...app.services.kernel, logger } }, { uiBuild: null });
    const m = members[6]!;
    await app.services.sessions.recordAttendance(actorOf(leader, "leader"), org.id, groupId, yesterday.toISOString(), { entries: [{ userId: m.id, status: "present" }] }, {});
    const res = await http.request(`http://localhost:3000${url(yesterday)}`, { method: "POST", headers: { origin: "http://localhost:3000", cookie: m.cookie, "content-type": "application/json" }, body: JSON.stringify(answer(3)) });
    expect(res.status).toBe(201);
    await http.request(`http://localhost:3000/api/v1/orgs/${org.id}/groups`, { headers: { origin: "http://localhost:3000", cookie: m.cookie } });
    const text = JSON.stringify(lines);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines).toContainEqual({ method: "POST", status: 201, anonymous: true });
    expect(text).not.toContain("/feedback");
    expect(text).not.toContain(m.id);
    expect(text).toContain(`/api/v1/orgs/${org.id}/groups`); // other routes keep their usual line
  });

  it("logs the answer routes without path, request id or identity", () => {
    expect(FEEDBACK_ANONYMOUS_PATHS.length).toBeGreaterThan(0);
    expect(isAnonymousLogPath(`/api/v1/orgs/${org.id}/groups/${groupId}/meetings/${encodeURIComponent(yesterday.toISOString())}/feedback`)).toBe(true);
    expect(isAnonymousLogPath(`/feedback/${groupId}/${encodeURIComponent(yesterday.toISOString())}`)).toBe(true);
    expect(isAnonymousLogPath(`/api/v1/orgs/${org.id}/groups/${groupId}/feedback`)).toBe(false);
    expect(isAnonymousLogPath(`/api/v1/orgs/${org.id}/groups`)).toBe(false);
  });
});

describe("feedback bins (service, with `now`)", () => {
  // Weekly meetings, Sundays 19:00 UTC from 4 March 2029.
  const meeting = (i: number) => new Date(Date.UTC(2029, 2, 4 + 7 * i, 19, 0));
  let groupId: string;

  beforeAll(async () => {
    groupId = await createGroup({ rrule: "FREQ=WEEKLY;COUNT=12", dtstartLocal: "2029-03-04T19:00", durationMinutes: 90 });
    for (const i of [0, 1, 2, 3, 4]) await present(groupId, meeting(i), members);
  });

  it("refuses a closed window, a cancelled meeting and a meeting not yet held", async () => {
    const closed = await failure(submitAt(members[0]!, groupId, meeting(0), answer(3), new Date(meeting(0).getTime() + 7 * DAY)));
    expect(isAppError(closed) && closed.status).toBe(409);
    await app.services.kernel.db.insert(sessionException).values({ groupId, occurrenceStart: meeting(4), kind: "cancelled", reason: "other" });
    const cancelled = await failure(submitAt(members[0]!, groupId, meeting(4), answer(3), new Date(meeting(4).getTime() + DAY)));
    expect(isAppError(cancelled) && cancelled.status).toBe(409);
    const early = await failure(submitAt(members[0]!, groupId, meeting(5), answer(3), new Date(meeting(5).getTime() - DAY)));
    expect(isAppError(early) && early.status).toBe(403); // no attendance can be recorded before a meeting
    expect(await app.services.kernel.db.select().from(feedbackAnswer).where(sql`group_id = ${groupId}`)).toHaveLength(0);
  });

  it("shows nothing below 5, a bin at 5+, comments only at 10+, and purges nullifiers after the window", async () => {
    const view = (now: Date) => svc().leaderView(actorOf(leader, "leader"), org.id, groupId, now);
    // Meeting 0: 4 answers, no comments.
    for (const m of members.slice(0, 4)) await submitAt(m, groupId, meeting(0), answer(4), new Date(meeting(0).getTime() + HOUR * 2));
    const v0 = await view(new Date(meeting(0).getTime() + 8 * DAY));
    expect(v0.scoreBins).toEqual([]);
    expect(v0.commentBins).toEqual([]);
    const nullifiers = async () => (await app.services.kernel.db.select().from(feedbackNullifier).where(sql`group_id = ${groupId}`)).length;
    expect(await nullifiers()).toBe(0); // meeting 0's window closed: its nullifiers are gone
    // Meeting 1: 1 answer → 5 in all → one bin covering meetings 0 and 1.
    await submitAt(members[4]!, groupId, meeting(1), answer(2, { comment: "Calm and kind." }), new Date(meeting(1).getTime() + HOUR));
    expect(await nullifiers()).toBe(1);
    const early = await view(new Date(meeting(1).getTime() + 3 * DAY));
    expect(early.scoreBins).toEqual([]); // window still open
    expect(await nullifiers()).toBe(1);
    const v1 = await view(new Date(meeting(1).getTime() + 7 * DAY));
    expect(v1.scoreBins).toHaveLength(1);
    expect(v1.scoreBins[0]!.responses).toBe(5);
    expect(v1.scoreBins[0]!.fromOccurrence).toBe(meeting(0).toISOString());
    expect(v1.scoreBins[0]!.toOccurrence).toBe(meeting(1).toISOString());
    expect(v1.scoreBins[0]!.summary.items[0]!.distribution).toEqual([0, 1, 0, 4, 0]);
    expect(v1.commentBins).toEqual([]); // 1 comment < 10
    expect(await nullifiers()).toBe(0);
    // Meeting 2: 9 answers with comments → scores bin 2 (9), comments still 10 in all → comment bin.
    for (const [i, m] of members.slice(0, 9).entries()) await submitAt(m, groupId, meeting(2), answer(5, { comment: `The closing round helped (${i}).` }), new Date(meeting(2).getTime() + HOUR));
    const v2 = await view(new Date(meeting(2).getTime() + 7 * DAY + 1));
    expect(v2.scoreBins.map((b) => b.responses)).toEqual([9, 5]);
    expect(v2.commentBins).toHaveLength(1);
    expect(v2.commentBins[0]!.comments).toHaveLength(10);
    expect(v2.commentBins[0]!.comments).toContain("Calm and kind.");
    // Bins are final: the first bin is unchanged.
    expect(v2.scoreBins[1]).toEqual(v1.scoreBins[0]);
    // An audit entry per bin closure (no person), none per answer.
    const audits = (await app.services.kernel.db.execute(sql`select action, actor_user_id from audit_event where target_id = ${groupId}`)) as unknown as { rows: { action: string; actor_user_id: string | null }[] };
    expect(audits.rows.filter((r) => r.action === "feedback.bin_closed")).toHaveLength(3);
    expect(audits.rows.every((r) => r.action !== "feedback.bin_closed" || r.actor_user_id === null)).toBe(true);
    expect(audits.rows.some((r) => r.action.startsWith("feedback.answer"))).toBe(false);
  });

  it("closes each bin once when two closers run at the same time", async () => {
    const now = new Date(meeting(3).getTime() + 8 * DAY);
    const results = await Promise.all([svc().closeBins(groupId, now), svc().closeBins(groupId, now), svc().closeAllBins(now)]);
    expect(results).toBeDefined();
    const bins = await app.services.kernel.db.select().from(feedbackBin).where(sql`group_id = ${groupId}`);
    const keys = bins.map((b) => `${b.kind}:${b.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("applies a raised organisation threshold to new bins only", async () => {
    await app.services.kernel.db.update(organisation).set({ settings: { minimumCellSize: 7 } }).where(sql`id = ${org.id}`);
    try {
      const view = await svc().leaderView(actorOf(leader, "leader"), org.id, groupId, new Date(meeting(3).getTime() + 8 * DAY));
      expect(view.minCell).toBe(7);
      expect(view.commentMinCell).toBe(10);
      expect(view.scoreBins.every((b) => b.responses >= b.minCell && b.minCell >= 5)).toBe(true);
    } finally {
      await app.services.kernel.db.update(organisation).set({ settings: {} }).where(sql`id = ${org.id}`);
    }
  });

  it("leaves an identifier warning (422) unsaved", async () => {
    const g = await createGroup({ rrule: "FREQ=WEEKLY;COUNT=3", dtstartLocal: "2029-06-03T19:00", durationMinutes: 90 });
    const start = new Date(Date.UTC(2029, 5, 3, 19, 0));
    await present(g, start, members.slice(0, 1));
    const error = await failure(submitAt(members[0]!, g, start, answer(3, { comment: "Call me on 555 214 7788" }), new Date(start.getTime() + HOUR)));
    expect(isIdentifierWarning(error)).toBe(true);
    expect(await app.services.kernel.db.select().from(feedbackNullifier).where(sql`group_id = ${g}`)).toHaveLength(0);
  });
});

describe("the daily job", () => {
  it("runs once per day however many instances start it, and a failed run can be retried", async () => {
    const now = new Date(Date.UTC(2031, 0, 1, 12));
    await svc().startScheduler(now);
    await svc().startScheduler(now);
    const day = Math.floor((now.getTime() - 3 * HOUR) / DAY);
    expect(await svc().runDailyClose(day + 5, now)).toBe(true);
    expect(await svc().runDailyClose(day + 5, now)).toBe(false);
    const claims = (await app.services.kernel.db.execute(sql`select slot from job_slot where name = 'feedback-close-bins' and slot = ${day + 5}`)) as unknown as { rows: unknown[] };
    expect(claims.rows).toHaveLength(1);
  });
});

describe("no sequence of leader views differs by fewer than 5 answers (generated data)", () => {
  it("holds for random answer counts and view times", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 3, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 2, maxLength: 6 }),
        async (perMeeting, viewDays) => {
          const g = await createGroup({ rrule: "FREQ=WEEKLY;COUNT=8", dtstartLocal: "2030-01-06T19:00", durationMinutes: 90 });
          const start = (i: number) => new Date(Date.UTC(2030, 0, 6 + 7 * i, 19, 0));
          for (const [i, n] of perMeeting.entries()) {
            await present(g, start(i), members.slice(0, 7), []);
            for (const m of members.slice(0, n)) await submitAt(m, g, start(i), answer(1 + ((i + members.indexOf(m)) % 5)), new Date(start(i).getTime() + HOUR));
          }
          const totals: number[] = [];
          for (const d of [...viewDays].sort((a, b) => a - b)) {
            const v = await svc().leaderView(actorOf(leader, "leader"), org.id, g, new Date(start(0).getTime() + d * DAY));
            for (const b of v.scoreBins) expect(b.responses).toBeGreaterThanOrEqual(5);
            totals.push(v.scoreBins.reduce((s, b) => s + b.responses, 0));
          }
          for (const a of totals) for (const b of totals) expect(a === b || Math.abs(a - b) >= 5).toBe(true);
        },
      ),
      { numRuns: 4 },
    );
  }, 180_000);
});
