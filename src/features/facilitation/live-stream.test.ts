import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../../platform/http/errors.ts";
import { END_EVENT, HEARTBEAT_MS, runCompanionStream, type StreamEvent } from "./live-stream.server.ts";

interface Who {
  name: string;
}

/** A recording sink and a controllable bus around one `runCompanionStream`. */
function harness(options: { heartbeatMs?: number; recheck?: () => Promise<Who | null>; read?: (who: Who) => Promise<{ v: number; who: string }> } = {}) {
  const written: ({ kind: "event" } & StreamEvent | { kind: "comment"; text: string })[] = [];
  let abortListener: (() => void) | null = null;
  let gone = false;
  let onChange: () => void = () => {};
  let onClose: () => void = () => {};
  let unsubscribed = 0;
  let version = 0;
  const recheck = vi.fn(options.recheck ?? (async () => ({ name: "cora" })));
  const read = vi.fn(options.read ?? (async (who: Who) => ({ v: ++version, who: who.name })));
  let ended = false;
  const run = runCompanionStream({
    sink: {
      send: async (event) => {
        if (gone) throw new Error("gone");
        written.push({ kind: "event", ...event });
      },
      comment: async (text) => {
        if (gone) throw new Error("gone");
        written.push({ kind: "comment", text });
      },
      get gone() {
        return gone;
      },
      onAbort: (listener) => (abortListener = listener),
    },
    first: { v: 0, who: "cora" },
    recheck,
    read,
    subscribe: (change, close) => {
      onChange = change;
      onClose = close;
      return () => (unsubscribed += 1);
    },
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
    retryMs: 1234,
  }).then(() => {
    ended = true;
  });
  return {
    written,
    recheck,
    read,
    run,
    get ended() {
      return ended;
    },
    get unsubscribed() {
      return unsubscribed;
    },
    change: () => onChange(),
    closeBus: () => onClose(),
    abort: () => {
      gone = true;
      abortListener?.();
    },
    events: () => written.filter((w): w is { kind: "event" } & StreamEvent => w.kind === "event"),
    comments: () => written.filter((w) => w.kind === "comment").length,
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the companion stream's heartbeat", () => {
  it("writes a comment every heartbeatMs (the configured interval), and none before", async () => {
    const h = harness({ heartbeatMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.events().map((e) => [e.event, e.retry])).toEqual([["state", 1234]]);
    await vi.advanceTimersByTimeAsync(999);
    expect(h.comments()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.comments()).toBe(1);
    expect(h.written.at(-1)).toEqual({ kind: "comment", text: "heartbeat" });
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.comments()).toBe(4);
    // A heartbeat re-checks access but sends no state.
    expect(h.recheck).toHaveBeenCalledTimes(4);
    expect(h.read).not.toHaveBeenCalled();
    expect(h.events()).toHaveLength(1);
    h.abort();
    await h.run;
    expect(h.unsubscribed).toBe(1);
    // Stopped: no heartbeat after the end.
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.comments()).toBe(4);
  });

  it("defaults to 15 seconds", async () => {
    expect(HEARTBEAT_MS).toBe(15_000);
    const h = harness();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(h.comments()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.comments()).toBe(1);
    h.abort();
    await h.run;
  });

  it("ends with a final event at the first heartbeat after access is gone, without a notice", async () => {
    let allowed = true;
    const h = harness({ heartbeatMs: 1000, recheck: async () => (allowed ? { name: "cora" } : null) });
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.ended).toBe(false);
    allowed = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.ended).toBe(true);
    expect(h.events().map((e) => e.event)).toEqual(["state", END_EVENT]);
    expect(JSON.parse(h.events().at(-1)!.data)).toEqual({ reason: "access" });
    expect(h.unsubscribed).toBe(1);
    // After the end: notices and heartbeats send nothing more.
    h.change();
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.events().map((e) => e.event)).toEqual(["state", END_EVENT]);
    expect(h.comments()).toBe(2);
  });

  it("stops when a heartbeat cannot be written (the client is gone)", async () => {
    const h = harness({ heartbeatMs: 1000 });
    await vi.advanceTimersByTimeAsync(0);
    h.abort();
    await vi.advanceTimersByTimeAsync(1000);
    await h.run;
    expect(h.ended).toBe(true);
  });
});

describe("the companion stream on changes", () => {
  it("re-checks access and reads as the person they are now on every change", async () => {
    const h = harness({ heartbeatMs: 60_000, recheck: async () => ({ name: "cora-now" }) });
    await vi.advanceTimersByTimeAsync(0);
    h.change();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.recheck).toHaveBeenCalledTimes(1);
    expect(h.read).toHaveBeenCalledWith({ name: "cora-now" });
    expect(h.events().map((e) => JSON.parse(e.data) as unknown)).toEqual([
      { v: 0, who: "cora" },
      { v: 1, who: "cora-now" },
    ]);
    expect(h.events().map((e) => e.id)).toEqual(["1", "2"]);
    h.abort();
    await h.run;
  });

  it("ends with a final event, and no state, when a change finds access gone", async () => {
    let allowed = true;
    const h = harness({ heartbeatMs: 60_000, recheck: async () => (allowed ? { name: "cora" } : null) });
    await vi.advanceTimersByTimeAsync(0);
    allowed = false;
    h.change();
    await h.run;
    expect(h.read).not.toHaveBeenCalled();
    expect(h.events().map((e) => e.event)).toEqual(["state", END_EVENT]);
  });

  it("ends when the read is refused (an AppError: the meeting is gone or not theirs)", async () => {
    const h = harness({
      heartbeatMs: 60_000,
      read: async () => {
        throw new AppError("not_found", "That meeting was not found.");
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    h.change();
    await h.run;
    expect(h.events().map((e) => e.event)).toEqual(["state", END_EVENT]);
  });

  it("a read in flight when access goes finishes first; the end then comes last, once", async () => {
    // One worker: the heartbeat's re-check waits behind the read, so no state can follow the end.
    let release: () => void = () => {};
    let allowed = true;
    const h = harness({
      heartbeatMs: 1000,
      recheck: async () => (allowed ? { name: "cora" } : null),
      read: async () => {
        await new Promise<void>((r) => (release = r));
        return { v: 9, who: "cora" };
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    h.change();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.read).toHaveBeenCalledTimes(1);
    allowed = false;
    // The heartbeat's check waits behind the read (one worker); meanwhile the read finishes.
    await vi.advanceTimersByTimeAsync(1000);
    release();
    await vi.advanceTimersByTimeAsync(0);
    await h.run;
    expect(h.events().map((e) => e.event)).toEqual(["state", "state", END_EVENT]);
    h.change();
    await vi.advanceTimersByTimeAsync(2000);
    expect(h.read).toHaveBeenCalledTimes(1);
    expect(h.events().map((e) => e.event)).toEqual(["state", "state", END_EVENT]);
  });

  it("coalesces a burst of notices into few reads", async () => {
    const h = harness({ heartbeatMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    for (let i = 0; i < 10; i++) h.change();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.read.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(h.read.mock.calls.length).toBeLessThanOrEqual(2);
    h.abort();
    await h.run;
  });

  it("carries on after an unexpected read failure", async () => {
    let fail = true;
    const h = harness({
      heartbeatMs: 60_000,
      read: async (who) => {
        if (fail) throw new Error("connection reset");
        return { v: 2, who: who.name };
      },
    });
    await vi.advanceTimersByTimeAsync(0);
    h.change();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.ended).toBe(false);
    fail = false;
    h.change();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.events().map((e) => e.event)).toEqual(["state", "state"]);
    h.abort();
    await h.run;
  });

  it("ends without a final event when the live bus closes (shutdown: clients reconnect)", async () => {
    const h = harness({ heartbeatMs: 60_000 });
    await vi.advanceTimersByTimeAsync(0);
    h.closeBus();
    await h.run;
    expect(h.events().map((e) => e.event)).toEqual(["state"]);
    expect(h.unsubscribed).toBe(1);
  });
});
