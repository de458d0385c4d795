import { useCallback, useEffect, useRef, useState } from "react";
import { FormattedMessage, useIntl } from "react-intl";
import { Link, data, redirect, useFetcher } from "react-router";
import type { Route } from "./+types/companion";
import { getRequestContext } from "../../../ui/request-context.ts";
import { isAppError } from "../../../platform/http/errors.ts";
import { FieldMessage, type ActionResult } from "../../../ui/forms.tsx";
import { estimateClockOffset, viewClock, type ClockView, type Phase } from "../meeting-clock.ts";
import { softToneDue, toneStepKey } from "../soft-tone.ts";
import type { CompanionState } from "../service.server.ts";
import stylesUrl from "./companion.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: stylesUrl }];

export function meta() {
  return [{ title: "Companion · Balint Commons" }];
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect(`/sign-in?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  try {
    const org = await ctx.services.facilitation.organisationOf(params.groupId);
    const state = await ctx.services.facilitation.state(ctx.actor, org.id, params.groupId, params.start);
    return { state, orgSlug: org.slug };
  } catch (error) {
    if (isAppError(error) && (error.code === "not_found" || error.code === "validation_failed" || error.code === "forbidden")) throw data(null, { status: 404 });
    throw error;
  }
}

type ActionData = ActionResult & { stale?: boolean; state?: CompanionState };

export async function action({ request, context, params }: Route.ActionArgs) {
  const ctx = getRequestContext(context);
  if (!ctx.user) throw redirect("/sign-in");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const meta = { ipAddress: ctx.ipAddress, requestId: ctx.requestId };
  const f = ctx.services.facilitation;
  const num = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" && v.trim() !== "" && /^\d+$/.test(v.trim()) ? Number(v) : v;
  };
  try {
    const org = await f.organisationOf(params.groupId);
    let state: CompanionState;
    if (intent === "open") state = await f.open(ctx.actor, org.id, params.groupId, params.start, meta);
    else if (intent === "command") {
      const body: Record<string, unknown> = { type: form.get("type"), expectedVersion: num("expectedVersion") };
      if (form.get("seconds")) body["seconds"] = num("seconds");
      state = await f.command(ctx.actor, org.id, params.groupId, params.start, body, meta);
    } else if (intent === "tap") state = await f.tap(ctx.actor, org.id, params.groupId, params.start, { userId: form.get("userId"), status: form.get("status") }, meta);
    else if (intent === "presenter") {
      const userId = form.get("userId");
      state = await f.recordPresenter(ctx.actor, org.id, params.groupId, params.start, { caseNumber: num("caseNumber"), userId: typeof userId === "string" && userId ? userId : null }, meta);
    } else if (intent === "end") state = await f.end(ctx.actor, org.id, params.groupId, params.start, {}, meta);
    else return data({ ok: false, message: "Unknown action.", fields: [{ path: "intent", message: "unknown" }] } satisfies ActionData, { status: 400 });
    return { ok: true, state } satisfies ActionData;
  } catch (error) {
    if (isAppError(error)) {
      if (error.code === "not_found") throw data(null, { status: 404 });
      const stale = "state" in error ? (error as { state: CompanionState }).state : undefined;
      return data({ ok: false, message: error.message, fields: error.fields ?? [], ...(stale ? { stale: true, state: stale } : {}) } satisfies ActionData, { status: error.status });
    }
    throw error;
  }
}

function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, "0")}`;
}

/** The newer of two states: the server's `serverNow` tells which was read later. */
function newer(a: CompanionState, b: CompanionState): CompanionState {
  const va = a.clock?.version ?? -1;
  const vb = b.clock?.version ?? -1;
  if (va !== vb) return va > vb ? a : b;
  return b.serverNow >= a.serverNow ? b : a;
}

function playSoftTone() {
  try {
    const Ctx = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctx) return;
    const audio = new Ctx();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.value = 432;
    gain.gain.setValueAtTime(0, audio.currentTime);
    gain.gain.linearRampToValueAtTime(0.06, audio.currentTime + 0.4);
    gain.gain.linearRampToValueAtTime(0, audio.currentTime + 1.8);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 2);
    osc.addEventListener("ended", () => void audio.close());
  } catch {
    // No sound is fine.
  }
}

type FetcherForm = ReturnType<typeof useFetcher>["Form"];

/** One clock command as a real button in a form (works as a plain form post without JavaScript). */
function CommandButton({ Form, version, disabled, type, label, seconds }: { Form: FetcherForm; version: string; disabled: boolean; type: string; label: string; seconds?: number }) {
  const primary = type === "start" || type === "pause" || type === "resume";
  return (
    <Form method="post" className="companion__inline-form">
      <input type="hidden" name="intent" value="command" />
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="expectedVersion" value={version} />
      {seconds !== undefined && <input type="hidden" name="seconds" value={seconds} />}
      <button type="submit" className={`companion__button${primary ? " companion__button--primary" : ""}`} disabled={disabled}>
        {label}
      </button>
    </Form>
  );
}

export default function Companion({ loaderData, actionData }: Route.ComponentProps) {
  const intl = useIntl();
  const fetcher = useFetcher<ActionData>();
  const [live, setLive] = useState<CompanionState | null>(null);
  const [connection, setConnection] = useState<"static" | "live" | "reconnecting" | "closed">("static");
  // Null until the first client tick: the server-rendered page shows the time at `serverNow`.
  const [now, setNow] = useState<number | null>(null);
  const [soundOn, setSoundOn] = useState(false);
  const hydrated = now !== null;
  const samples = useRef<{ serverNow: number; receivedAt: number }[]>([]);
  const offset = useRef(0);
  const result = (fetcher.data ?? actionData) as ActionData | undefined;
  // The newest of what the loader, the last action and the live stream said.
  const state = [loaderData.state, result?.state, live].reduce<CompanionState>((a, b) => (b ? newer(a, b) : a), loaderData.state);

  const sample = useCallback((next: CompanionState) => {
    samples.current = [...samples.current.slice(-8), { serverNow: next.serverNow, receivedAt: Date.now() }];
    offset.current = estimateClockOffset(samples.current);
  }, []);
  const accept = useCallback(
    (next: CompanionState) => {
      sample(next);
      setLive((current) => (current ? newer(current, next) : next));
    },
    [sample],
  );
  useEffect(() => sample(loaderData.state), [loaderData.state, sample]);
  useEffect(() => {
    if (result?.state) sample(result.state);
  }, [result, sample]);

  // The live stream: full state on connect and after every change. EventSource reconnects by
  // itself after a dropped connection; after a refused one (say, the server restarting) we open a
  // new one with a calm backoff.
  useEffect(() => {
    const url = `/api/v1/orgs/${state.organisationId}/groups/${state.groupId}/meetings/${encodeURIComponent(state.occurrenceStart)}/events`;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let stopped = false;
    const connect = () => {
      if (stopped) return;
      source = new EventSource(url);
      source.addEventListener("state", (e) => {
        attempt = 0;
        setConnection("live");
        accept(JSON.parse((e as MessageEvent<string>).data) as CompanionState);
      });
      // The server's last word when this person may no longer see the meeting: do not reconnect.
      source.addEventListener("end", () => {
        stopped = true;
        source?.close();
        setConnection("closed");
      });
      source.addEventListener("error", () => {
        if (stopped) return;
        setConnection("reconnecting");
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          attempt += 1;
          retry = setTimeout(connect, Math.min(10_000, 1000 * 2 ** Math.min(attempt, 4)));
        }
      });
    };
    connect();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      source?.close();
    };
  }, [state.organisationId, state.groupId, state.occurrenceStart, accept]);

  // The client-side tick, on the server's clock.
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now() + offset.current), 250);
    return () => clearInterval(id);
  }, []);

  const clock = state.clock;
  const view: ClockView | null = clock ? viewClock(clock, now ?? state.serverNow) : null;

  const submit = useCallback(
    (fields: Record<string, string>) => {
      fetcher.submit(fields, { method: "post" });
    },
    [fetcher],
  );

  // Keyboard shortcuts (not while typing or on a focused control that Space would press).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!clock || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.closest("input, select, textarea, button, summary, a, [contenteditable]") !== null)) return;
      const v = String(clock.version);
      let type: string | null = null;
      if (e.key === " " || e.code === "Space") type = clock.status === "running" ? "pause" : clock.status === "paused" ? "resume" : clock.status === "ready" ? "start" : null;
      else if (e.key === "ArrowRight") type = "next";
      else if (e.key === "ArrowLeft") type = "back";
      else if (e.key === "e" || e.key === "E") type = "extend";
      if (!type) return;
      e.preventDefault();
      submit({ intent: "command", type, expectedVersion: v, ...(type === "extend" ? { seconds: "300" } : {}) });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [clock, submit]);

  // Announce phase changes only (never the ticking time).
  const phaseLabel = (phase: Phase, caseNumber: number | null) => {
    const name = intl.formatMessage({ id: `facilitation.phase.${phase}` });
    return caseNumber !== null && (view?.cases ?? 1) > 1 ? intl.formatMessage({ id: "facilitation.phaseWithCase" }, { phase: name, n: caseNumber }) : name;
  };
  const stepKey = toneStepKey(clock);
  const [firstStep] = useState(stepKey);
  const announcement =
    !clock || !view || stepKey === firstStep ? "" : clock.status === "ended" ? intl.formatMessage({ id: "facilitation.announceEnded" }) : intl.formatMessage({ id: "facilitation.announce" }, { phase: phaseLabel(view.phase, view.caseNumber) });

  // The soft tone: once per phase, when the gentle cue begins (offered by the group, switched on here).
  const toned = useRef<string | null>(null);
  const offered = state.settings.softSound;
  const nearEnd = view?.nearEnd ?? false;
  useEffect(() => {
    const due = softToneDue({ offered, on: soundOn, view: { nearEnd }, stepKey, lastToned: toned.current });
    if (!due) return;
    toned.current = due;
    playSoftTone();
  }, [offered, soundOn, nearEnd, stepKey, toned]);

  const when = intl.formatDate(state.start, { weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit" });
  const version = clock ? String(clock.version) : "0";
  const ended = clock?.status === "ended";
  const cases = view?.cases ?? 1;
  const presenterOf = (n: number) => state.presenters.find((p) => p.caseNumber === n) ?? null;
  const firstOpenCase = Array.from({ length: cases }, (_, i) => i + 1).find((n) => !presenterOf(n)) ?? null;

  return (
    <div className={`companion${view?.nearEnd ? " companion--near-end" : ""}${view?.overtime ? " companion--overtime" : ""}`} id="companion">
      <header className="companion__header">
        <div>
          <h1>
            <FormattedMessage id="facilitation.title" /> · {state.groupName}
          </h1>
          <p className="companion__meta">
            <FormattedMessage id="facilitation.intro" values={{ group: state.groupName, when }} />
          </p>
        </div>
        <div className="companion__header-actions">
          <span className={`companion__connection companion__connection--${connection}`} role="status">
            {connection === "live" && <FormattedMessage id="facilitation.live" />}
            {connection === "reconnecting" && <FormattedMessage id="facilitation.reconnecting" />}
            {connection === "closed" && <FormattedMessage id="facilitation.accessEnded" />}
          </span>
          {hydrated && (
            <button type="button" className="companion__button" onClick={() => void document.getElementById("companion")?.requestFullscreen?.().catch(() => {})}>
              <FormattedMessage id="facilitation.fullScreen" />
            </button>
          )}
          <Link to={`/o/${loaderData.orgSlug}/groups/${state.groupId}/companion-settings`}>
            <FormattedMessage id="facilitation.settingsLink" />
          </Link>
        </div>
      </header>
      <noscript>
        <p className="companion__notice">
          <FormattedMessage id="facilitation.noScript" />
        </p>
      </noscript>

      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </div>

      {result && !result.ok && (
        <div className="companion__notice" role="alert">
          {result.stale ? <FormattedMessage id="facilitation.stale" /> : <FieldMessage message={result.message} />}
        </div>
      )}

      {!clock && (
        <section className="companion__card">
          <p>
            <FormattedMessage id="facilitation.notOpen" />
          </p>
          {state.canOpen ? (
            <fetcher.Form method="post">
              <input type="hidden" name="intent" value="open" />
              <button type="submit" className="companion__button companion__button--primary">
                <FormattedMessage id="facilitation.open" />
              </button>
            </fetcher.Form>
          ) : (
            <p>
              <FormattedMessage id="facilitation.cannotOpen" />
            </p>
          )}
        </section>
      )}

      {clock && view && (
        <div className="companion__grid">
          <section className="companion__timer" aria-labelledby="companion-phase">
            <p className="companion__status">
              <FormattedMessage id={`facilitation.status.${view.status}`} /> · <FormattedMessage id="facilitation.step" values={{ n: view.stepNumber, count: view.stepCount }} />
            </p>
            <h2 id="companion-phase" className="companion__phase">
              {phaseLabel(view.phase, view.caseNumber)}
            </h2>
            <p className="companion__time" data-testid="companion-time">
              {view.overtime ? <FormattedMessage id="facilitation.overtime" values={{ time: formatDuration(view.remainingMs) }} /> : <FormattedMessage id="facilitation.remaining" values={{ time: formatDuration(view.remainingMs) }} />}
            </p>
            <progress className="companion__progress" max={Math.max(1, view.plannedMs)} value={Math.min(view.elapsedMs, view.plannedMs)} aria-label={phaseLabel(view.phase, view.caseNumber)} />
            {view.nearEnd && (
              <p className="companion__cue">
                <FormattedMessage id="facilitation.nearEnd" />
              </p>
            )}
            {ended ? (
              <p className="companion__notice" role="status">
                <FormattedMessage id="facilitation.ended" />
              </p>
            ) : (
              <div className="companion__controls" role="group" aria-label={intl.formatMessage({ id: "facilitation.controls" })}>
                {clock.status === "ready" && <CommandButton Form={fetcher.Form} version={version} disabled={ended} type="start" label={intl.formatMessage({ id: "facilitation.cmd.start" })} />}
                {clock.status === "running" && <CommandButton Form={fetcher.Form} version={version} disabled={ended} type="pause" label={intl.formatMessage({ id: "facilitation.cmd.pause" })} />}
                {clock.status === "paused" && <CommandButton Form={fetcher.Form} version={version} disabled={ended} type="resume" label={intl.formatMessage({ id: "facilitation.cmd.resume" })} />}
                <CommandButton Form={fetcher.Form} version={version} disabled={ended} type="back" label={intl.formatMessage({ id: "facilitation.cmd.back" })} />
                <CommandButton Form={fetcher.Form} version={version} disabled={ended} type="next" label={intl.formatMessage({ id: "facilitation.cmd.next" })} />
                <CommandButton Form={fetcher.Form} version={version} disabled={ended} type="extend" seconds={300} label={intl.formatMessage({ id: "facilitation.cmd.extend" })} />
                {cases < 3 && <CommandButton Form={fetcher.Form} version={version} disabled={ended} type="add_case" label={intl.formatMessage({ id: "facilitation.cmd.add_case" })} />}
              </div>
            )}
            <p className="companion__hint">
              <FormattedMessage id="facilitation.shortcuts" />
            </p>
            {/* Offered when the group's settings allow it; off on each device until switched on (browsers need a gesture for sound anyway). */}
            {hydrated && state.settings.softSound && (
              <label className="companion__sound">
                <input type="checkbox" checked={soundOn} onChange={(e) => setSoundOn(e.currentTarget.checked)} /> <FormattedMessage id="facilitation.sound" />
              </label>
            )}
          </section>

          <section className="companion__card" aria-labelledby="companion-phases">
            <h2 id="companion-phases">
              <FormattedMessage id="facilitation.phases" />
            </h2>
            <ol className="companion__phases">
              {clock.steps.map((step, i) => (
                <li key={`${step.phase}-${step.caseNumber ?? 0}-${i}`} aria-current={i === clock.index ? "step" : undefined} className={i === clock.index ? "is-current" : i < clock.index ? "is-done" : undefined}>
                  <span>{phaseLabel(step.phase, step.caseNumber)}</span>
                  <span className="companion__phase-minutes">
                    <FormattedMessage id="facilitation.minutes" values={{ n: Math.round((step.plannedSeconds + step.extendedSeconds) / 60) }} />
                    {i === clock.index && (
                      <>
                        {" · "}
                        <FormattedMessage id="facilitation.current" />
                      </>
                    )}
                  </span>
                </li>
              ))}
            </ol>
          </section>

          <section className="companion__card" aria-labelledby="companion-rules">
            <h2 id="companion-rules">
              <FormattedMessage id="facilitation.groundRules" />
            </h2>
            <p className="companion__rules">{state.settings.groundRules ?? intl.formatMessage({ id: "facilitation.groundRules.standard" })}</p>
            {state.meetingLink && (
              <p>
                <FormattedMessage id="facilitation.meetingLink" />:{" "}
                <a href={state.meetingLink} rel="noreferrer noopener" target="_blank">
                  {state.meetingLink}
                </a>
              </p>
            )}
          </section>

          <section className="companion__card" aria-labelledby="companion-roster">
            <h2 id="companion-roster">
              <FormattedMessage id="facilitation.roster" />
            </h2>
            <p className="companion__hint">
              <FormattedMessage id="facilitation.rosterHint" />
            </p>
            {state.roster.length === 0 && (
              <p>
                <FormattedMessage id="facilitation.noMembers" />
              </p>
            )}
            <ul className="companion__roster">
              {state.roster.map((m) => (
                <li key={m.userId}>
                  <span className="companion__name">
                    {m.name} <span className="companion__tag">{intl.formatMessage({ id: m.attendance ? `facilitation.att.${m.attendance}` : "facilitation.att.none" })}</span>
                  </span>
                  <span className="companion__taps">
                    {(["present", "absent", "excused"] as const).map((status) => (
                      <fetcher.Form method="post" key={status} className="companion__inline-form">
                        <input type="hidden" name="intent" value="tap" />
                        <input type="hidden" name="userId" value={m.userId} />
                        <input type="hidden" name="status" value={status} />
                        <button
                          type="submit"
                          className="companion__tap"
                          aria-pressed={m.attendance === status}
                          aria-label={intl.formatMessage({ id: "facilitation.markAs" }, { name: m.name, status: intl.formatMessage({ id: `facilitation.att.${status}` }) })}
                         
                        >
                          <FormattedMessage id={`facilitation.att.${status}`} />
                        </button>
                      </fetcher.Form>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          </section>

          <section className="companion__card" aria-labelledby="companion-presenter">
            <h2 id="companion-presenter">
              <FormattedMessage id="facilitation.presenters" />
            </h2>
            <p className="companion__hint">
              <FormattedMessage id="facilitation.presentersHint" />
            </p>
            {Array.from({ length: cases }, (_, i) => i + 1).map((n) => {
              const p = presenterOf(n);
              return (
                <div key={n} className="companion__case">
                  <h3>
                    <FormattedMessage id="facilitation.case" values={{ n }} />: {p ? p.name : <FormattedMessage id="facilitation.noPresenter" />}
                  </h3>
                  {!ended && (
                    <fetcher.Form method="post" className="companion__presenter-form">
                      <input type="hidden" name="intent" value="presenter" />
                      <input type="hidden" name="caseNumber" value={n} />
                      <label htmlFor={`presenter-${n}`}>
                        <FormattedMessage id="facilitation.chooseVolunteer" values={{ n }} />
                      </label>
                      <select id={`presenter-${n}`} name="userId" defaultValue={p?.userId ?? ""} key={p?.userId ?? "none"}>
                        <option value="">—</option>
                        {state.roster.map((m) => (
                          <option key={m.userId} value={m.userId}>
                            {m.name}
                          </option>
                        ))}
                      </select>
                      <button type="submit" className="companion__button">
                        <FormattedMessage id="facilitation.record" />
                      </button>
                    </fetcher.Form>
                  )}
                </div>
              );
            })}
            {!ended && firstOpenCase !== null && state.suggestions.length > 0 && (
              <div className="companion__suggestions">
                <h3>
                  <FormattedMessage id="facilitation.suggestions" />
                </h3>
                <ul>
                  {state.suggestions.map((s) => (
                    <li key={s.userId}>
                      <fetcher.Form method="post" className="companion__inline-form">
                        <input type="hidden" name="intent" value="presenter" />
                        <input type="hidden" name="caseNumber" value={firstOpenCase} />
                        <input type="hidden" name="userId" value={s.userId} />
                        <button type="submit" className="companion__tap" aria-label={intl.formatMessage({ id: "facilitation.choose" }, { name: s.name, n: firstOpenCase })}>
                          {s.name}
                        </button>
                      </fetcher.Form>{" "}
                      <span className="companion__tag">
                        {s.lastPresentedAt ? (
                          <FormattedMessage id="facilitation.lastPresented" values={{ when: intl.formatDate(s.lastPresentedAt, { day: "numeric", month: "short", year: "numeric" }) }} />
                        ) : (
                          <FormattedMessage id="facilitation.neverPresented" />
                        )}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>

          {!ended && (
            <section className="companion__card companion__end">
              <details>
                <summary>
                  <FormattedMessage id="facilitation.end" />
                </summary>
                <p>
                  <FormattedMessage id="facilitation.endConfirm" />
                </p>
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="end" />
                  <button type="submit" className="companion__button companion__button--end">
                    <FormattedMessage id="facilitation.endNow" />
                  </button>
                </fetcher.Form>
              </details>
            </section>
          )}
        </div>
      )}
    </div>
  );
}
