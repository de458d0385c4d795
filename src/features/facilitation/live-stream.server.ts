// The companion's event stream, apart from HTTP so that its timing can be tested with fake timers.
//
// - The full state goes out on connect (with a `retry:` hint) and after every change notice.
// - Every change AND every heartbeat first re-resolves who the reader is now (`recheck`: one query
//   for their current role in the organisation, their leadership of the group and their sign-in),
//   and reads the state as that person. Access is never taken from the moment they connected: a
//   leader removed from the group, or from the organisation, mid-meeting stops receiving it.
// - When access is gone (recheck says so, or the read is refused), a final `event: end` with
//   `{"reason":"access"}` is sent and the stream closes; nothing is sent after it. Clients stop
//   reconnecting on it.
// - A comment heartbeat every `heartbeatMs` keeps proxies from dropping a quiet connection.
// - Reads are serialised and coalesced: a burst of notices costs one or two reads.
import { isAppError } from "../../platform/http/errors.ts";

/** Milliseconds between heartbeat comments (and access re-checks) on the event stream. */
export const HEARTBEAT_MS = 15_000;
/** The reconnection delay suggested to EventSource clients. */
export const RETRY_MS = 2_000;

export interface StreamEvent {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

/** Where the events go (Hono's SSE stream in the API; a recorder in tests). */
export interface StreamSink {
  send(event: StreamEvent): Promise<void>;
  /** Writes `: text` (an SSE comment). */
  comment(text: string): Promise<void>;
  /** True once the client has gone. */
  readonly gone: boolean;
  onAbort(listener: () => void): void;
}

export interface CompanionStreamOptions<A, S> {
  sink: StreamSink;
  /** The state already read (and authorised) before the stream started. */
  first: S;
  /** The reader as they are NOW (current roles), or null when they may no longer see the meeting. */
  recheck(): Promise<A | null>;
  /** The state as `actor` may see it; throws an AppError when they may not (or it is gone). */
  read(actor: A): Promise<S>;
  /** Change notices of this meeting; `onClose` when the live bus shuts down. Returns unsubscribe. */
  subscribe(onChange: () => void, onClose: () => void): () => void;
  heartbeatMs?: number;
  retryMs?: number;
  /** Unexpected failures of a re-read (the stream carries on). */
  onError?(error: unknown): void;
}

export const END_EVENT = "end";

/** Runs one companion stream until the client leaves, the bus closes, or access is gone. */
export async function runCompanionStream<A, S>(options: CompanionStreamOptions<A, S>): Promise<void> {
  const { sink, recheck, read } = options;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let done = false;
  const stop = () => {
    done = true;
    finish();
  };
  let eventId = 0;
  const state = (s: S, extra: { retry?: number } = {}) => sink.send({ event: "state", id: String(++eventId), data: JSON.stringify(s), ...extra });

  /** The final event: access is gone. Nothing is sent after it. */
  const end = async () => {
    if (done) return;
    done = true;
    try {
      await sink.send({ event: END_EVENT, data: JSON.stringify({ reason: "access" }) });
    } catch {
      // the client is gone already
    }
    finish();
  };

  // One worker: a change asks for a re-check and a read, a heartbeat for a re-check only.
  let wantRead = false;
  let wantCheck = false;
  let busy = false;
  let working: Promise<void> = Promise.resolve();
  const work = async () => {
    try {
      // (`done` and the wishes change while the loop awaits.)
      const more = () => !done && !sink.gone && (wantRead || wantCheck);
      while (more()) {
        const withRead = wantRead;
        wantRead = false;
        wantCheck = false;
        try {
          const actor = await recheck();
          if (done) return;
          if (actor === null) return await end();
          if (!withRead) continue;
          const next = await read(actor);
          if (done) return;
          await state(next);
        } catch (error) {
          // No longer allowed (or the meeting is gone): end the stream.
          if (isAppError(error)) return await end();
          options.onError?.(error);
        }
      }
    } finally {
      busy = false;
    }
  };
  const kick = (kind: "read" | "check") => {
    if (done || sink.gone) return;
    if (kind === "read") wantRead = true;
    else wantCheck = true;
    if (busy) return;
    busy = true;
    working = work();
  };

  const unsubscribe = options.subscribe(() => kick("read"), stop);
  sink.onAbort(stop);
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  try {
    await state(options.first, { retry: options.retryMs ?? RETRY_MS });
    heartbeat = setInterval(() => {
      if (done) return;
      sink.comment("heartbeat").then(() => kick("check"), stop);
    }, heartbeatMs);
    await finished;
  } catch {
    // The first write failed: the client is gone.
    done = true;
  } finally {
    if (heartbeat) clearInterval(heartbeat);
    unsubscribe();
    await working;
  }
}
