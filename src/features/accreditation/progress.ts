// Requirement evaluation (pure): evaluate(pathway, history, now) → per requirement how much is done,
// what is required, whether it is met, what is left and a projected date at the current pace.
//
// History is typed records. Each record has an `id` naming the THING counted (a meeting is
// "session:<groupId>:<start>", an event "event:<eventId>"), so a meeting recorded by the platform
// and claimed again as evidence is counted once: records are de-duplicated by (type, id) first.
//
// Monotonicity (property-tested): adding records never lowers any requirement's `done`, nor turns a
// met requirement unmet — except supervisor reports, where by design the LATEST report decides.
// "After every led session" is read as: as many debriefed led sessions as the pathway's led sessions
// require (so a new led session never lowers progress; undebriefed ones are listed in `gaps`).
import type { PathwayDefinition, Requirement } from "./pathway.ts";

export type LeaderRole = "leader" | "co_leader";

export type HistoryRecord =
  | { type: "attended"; id: string; at: string }
  | { type: "led"; id: string; at: string; role: LeaderRole; supervised?: boolean }
  /** A led session marked supervised (id = the led session's id). */
  | { type: "supervised"; id: string; at: string }
  /** A debrief completed for a session (id = the session's id). */
  | { type: "debrief"; id: string; at: string }
  | { type: "event"; id: string; at: string; kind: string; final?: boolean; eventId?: string }
  | { type: "supervision_meeting"; id: string; at: string }
  | { type: "report"; id: string; at: string; ratings: Record<string, number> }
  /** A faculty observation of the candidate leading at an event (id = "observation:<id>"); levels only. */
  | { type: "observation"; id: string; at: string; eventId?: string; ratings: Record<string, number> }
  /** Membership of the organisation: `since` (ISO), in good standing or not. */
  | { type: "membership"; id: string; at: string; goodStanding: boolean }
  /** Verified evidence for ONE verified_item requirement (counts only there). */
  | { type: "verified"; id: string; at: string; requirementId: string };
export type HistoryType = HistoryRecord["type"];

export type LeftItem =
  | { what: "count"; count: number }
  | { what: "span_months"; count: number }
  | { what: "active_months"; count: number }
  | { what: "final_event" }
  | { what: "membership" }
  | { what: "membership_months"; count: number }
  | { what: "competency"; competency: string; level: number | null; minLevel: number };

export interface RequirementProgress {
  id: string;
  kind: Requirement["kind"];
  label: string;
  done: number;
  required: number;
  met: boolean;
  left: LeftItem[];
  /** When it would be met at the pace so far (ISO date); null when met or no pace yet. */
  projectedDate: string | null;
  /** Led sessions without a debrief (after-every requirement only). */
  gaps?: string[];
}

export interface Evaluation {
  requirements: RequirementProgress[];
  met: boolean;
  metCount: number;
  /** Σ min(done, required) / Σ required over all requirements, 0…1. */
  fraction: number;
  projectedDate: string | null;
}

const DAY = 86_400_000;

/** Keeps the first record of each (type, id); drops records dated after `now`. */
export function dedupe(history: readonly HistoryRecord[], now: Date): HistoryRecord[] {
  // The same record (type + id) counts once: the first one given is kept, so adding records can
  // never replace one already counted (progress never goes down).
  const seen = new Set<string>();
  const out: HistoryRecord[] = [];
  for (const r of history) {
    const t = Date.parse(r.at);
    if (!Number.isFinite(t) || t > now.getTime()) continue;
    const key = `${r.type}\u0000${r.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

const monthKey = (iso: string) => iso.slice(0, 7);
const monthsBetween = (a: Date, b: Date) => (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) - (b.getUTCDate() < a.getUTCDate() ? 1 : 0);
const addMonths = (d: Date, n: number) => {
  const x = new Date(d.getTime());
  x.setUTCMonth(x.getUTCMonth() + n);
  return x;
};
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Projection for a count: remaining at the pace since the first record (null without a pace). */
function projectCount(times: number[], done: number, required: number, now: Date): Date | null {
  if (done >= required) return null;
  if (done === 0 || times.length === 0) return null;
  const first = Math.min(...times);
  const elapsed = Math.max(now.getTime() - first, 30 * DAY);
  const perMs = done / elapsed;
  return new Date(now.getTime() + (required - done) / perMs);
}

function latest(dates: (Date | null)[]): Date | null {
  let out: Date | null = null;
  for (const d of dates) {
    if (d === null) return null;
    if (!out || d > out) out = d;
  }
  return out;
}

function ledFor(req: { roles: LeaderRole[] }, records: HistoryRecord[]) {
  return records.filter((r): r is Extract<HistoryRecord, { type: "led" }> => r.type === "led" && req.roles.includes(r.role));
}

function evaluateOne(req: Requirement, all: HistoryRecord[], pathway: PathwayDefinition, now: Date): RequirementProgress {
  const base = { id: req.id, kind: req.kind, label: req.label };
  const countReq = (items: { at: string }[], required: number): RequirementProgress => {
    const done = items.length;
    const met = done >= required;
    return { ...base, done, required, met, left: met ? [] : [{ what: "count", count: required - done }], projectedDate: proj(projectCount(items.map((i) => Date.parse(i.at)), done, required, now)) };
  };
  const proj = (d: Date | null) => (d ? isoDate(d) : null);

  switch (req.kind) {
    case "sessions_attended":
      return countReq(all.filter((r) => r.type === "attended"), req.minCount);
    case "sessions_led": {
      const led = ledFor(req, all).sort((a, b) => a.at.localeCompare(b.at));
      const done = led.length;
      const left: LeftItem[] = [];
      const projections: (Date | null)[] = [];
      let met = done >= req.minCount;
      if (!met) left.push({ what: "count", count: req.minCount - done });
      projections.push(done >= req.minCount ? now : projectCount(led.map((l) => Date.parse(l.at)), done, req.minCount, now));
      if (req.minSpanMonths !== undefined) {
        const first = led[0] ? new Date(led[0].at) : null;
        const last = led.at(-1) ? new Date(led.at(-1)!.at) : null;
        const span = first && last ? monthsBetween(first, last) : 0;
        if (span < req.minSpanMonths) {
          met = false;
          left.push({ what: "span_months", count: req.minSpanMonths - span });
          projections.push(first ? addMonths(first, req.minSpanMonths) : null);
        }
      }
      if (req.minActiveMonths !== undefined) {
        const months = new Set(led.map((l) => monthKey(l.at))).size;
        if (months < req.minActiveMonths) {
          met = false;
          left.push({ what: "active_months", count: req.minActiveMonths - months });
          const first = led[0] ? new Date(led[0].at) : null;
          if (first && months > 0) {
            const elapsedMonths = Math.max(1, monthsBetween(first, now) + 1);
            const pace = months / elapsedMonths;
            projections.push(addMonths(now, Math.ceil((req.minActiveMonths - months) / pace)));
          } else projections.push(null);
        }
      }
      return { ...base, done, required: req.minCount, met, left, projectedDate: met ? null : proj(latest(projections)) };
    }
    case "supervised_sessions": {
      // One session counts once, however it is recorded (a led session marked supervised, a
      // supervisor's confirmation, or both), at its earliest date: the result never depends on order.
      const earliest = new Map<string, string>();
      for (const r of all) {
        if ((r.type === "led" && r.supervised) || r.type === "supervised") {
          const prev = earliest.get(r.id);
          if (prev === undefined || Date.parse(r.at) < Date.parse(prev)) earliest.set(r.id, r.at);
        }
      }
      return countReq([...earliest.values()].map((at) => ({ at })), req.minCount);
    }
    case "supervision_meetings": {
      const from = addMonths(now, -12 * req.years).getTime();
      const items = all.filter((r) => r.type === "supervision_meeting" && Date.parse(r.at) >= from);
      return countReq(items, req.perYear * req.years);
    }
    case "events_attended": {
      const events = all.filter((r): r is Extract<HistoryRecord, { type: "event" }> => r.type === "event" && (req.kinds as readonly string[]).includes(r.kind));
      const done = events.length;
      const isFinal = (e: Extract<HistoryRecord, { type: "event" }>) => e.final === true || (e.eventId !== undefined && req.finalEventIds.includes(e.eventId));
      const hasFinal = !req.requireFinal || events.some(isFinal);
      const left: LeftItem[] = [];
      if (done < req.minCount) left.push({ what: "count", count: req.minCount - done });
      if (!hasFinal) left.push({ what: "final_event" });
      const met = done >= req.minCount && hasFinal;
      return { ...base, done, required: req.minCount, met, left, projectedDate: met || !hasFinal ? null : proj(projectCount(events.map((e) => Date.parse(e.at)), done, req.minCount, now)) };
    }
    case "debriefs_completed": {
      const debriefed = new Set(all.filter((r) => r.type === "debrief").map((r) => r.id));
      if (req.afterEveryLedSession) {
        const ledReqs = pathway.requirements.filter((r): r is Extract<Requirement, { kind: "sessions_led" }> => r.kind === "sessions_led");
        const roles: LeaderRole[] = ledReqs.length ? [...new Set(ledReqs.flatMap((r) => r.roles))] : ["leader", "co_leader"];
        const led = ledFor({ roles }, all);
        const required = Math.max(req.minCount ?? 0, ...ledReqs.map((r) => r.minCount), 1);
        const withDebrief = led.filter((l) => debriefed.has(l.id));
        const out = countReq(withDebrief, required);
        return { ...out, gaps: led.filter((l) => !debriefed.has(l.id)).sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id)).map((l) => l.id) };
      }
      return countReq(all.filter((r) => r.type === "debrief"), req.minCount ?? 1);
    }
    case "membership_in_good_standing": {
      const good = all.filter((r) => r.type === "membership" && r.goodStanding);
      const earliest = good.map((r) => new Date(r.at)).sort((a, b) => a.getTime() - b.getTime())[0];
      if (!earliest) return { ...base, done: 0, required: 1, met: false, left: [{ what: "membership" }], projectedDate: null };
      const months = monthsBetween(earliest, now);
      if (months >= req.minMonths) return { ...base, done: 1, required: 1, met: true, left: [], projectedDate: null };
      return { ...base, done: 0, required: 1, met: false, left: [{ what: "membership_months", count: req.minMonths - months }], projectedDate: isoDate(addMonths(earliest, req.minMonths)) };
    }
    case "supervisor_report_competencies": {
      const reports = all.filter((r): r is Extract<HistoryRecord, { type: "report" }> => r.type === "report").sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
      const last = reports.at(-1);
      const left: LeftItem[] = [];
      let done = 0;
      for (const c of req.competencies) {
        const level = last?.ratings[c] ?? null;
        if (level !== null && level >= req.minLevel) done += 1;
        else left.push({ what: "competency", competency: c, level, minLevel: req.minLevel });
      }
      return { ...base, done, required: req.competencies.length, met: left.length === 0, left, projectedDate: null };
    }
    case "faculty_observations": {
      const { competencies, minLevel } = req;
      const qualifies = (o: Extract<HistoryRecord, { type: "observation" }>) =>
        !competencies || minLevel === undefined || competencies.every((c) => (o.ratings[c] ?? 0) >= minLevel);
      return countReq(all.filter((r): r is Extract<HistoryRecord, { type: "observation" }> => r.type === "observation" && qualifies(r)), req.minCount);
    }
    case "verified_item":
      return countReq(all.filter((r) => r.type === "verified" && r.requirementId === req.id), req.minCount);
  }
}

export function evaluate(pathway: PathwayDefinition, history: readonly HistoryRecord[], now: Date): Evaluation {
  const all = dedupe(history, now);
  const requirements = pathway.requirements.map((req) => evaluateOne(req, all, pathway, now));
  const required = requirements.reduce((s, r) => s + r.required, 0);
  const done = requirements.reduce((s, r) => s + Math.min(r.done, r.required), 0);
  const metCount = requirements.filter((r) => r.met).length;
  const met = metCount === requirements.length;
  const unmet = requirements.filter((r) => !r.met);
  const projected = met ? null : unmet.every((r) => r.projectedDate !== null) ? unmet.map((r) => r.projectedDate!).sort().at(-1)! : null;
  return { requirements, met, metCount, fraction: required ? done / required : 1, projectedDate: projected };
}

/**
 * Which version a candidate is evaluated under: the one they enrolled on, then each recorded move
 * in order. Publishing a newer version changes nothing until a move is recorded.
 */
export function candidateVersion(enrolledVersionId: string, moves: readonly { toVersionId: string; movedAt: string }[]): string {
  const sorted = [...moves].sort((a, b) => a.movedAt.localeCompare(b.movedAt));
  return sorted.at(-1)?.toVersionId ?? enrolledVersionId;
}
