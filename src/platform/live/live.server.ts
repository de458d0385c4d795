import pg from "pg";
import type { Logger } from "../logging/logger.server.ts";

/**
 * The live bus: tells every subscriber in every app instance that something changed, so they
 * re-read the state from the database. Payloads are small notices (ids and versions), never the
 * state itself and never anything personal.
 *
 * - In memory (PGlite, one process): listeners are called on the next tick.
 * - PostgreSQL: `NOTIFY` on publish; one dedicated `pg` client per instance `LISTEN`s on the
 *   channels that have local subscribers, reconnects with backoff after a dropped connection and
 *   re-LISTENs. A notice sent while an instance was disconnected is lost: subscribers therefore
 *   re-read state on reconnect (the SSE stream sends full state on every connect anyway).
 */
export type LiveListener = (payload: unknown) => void;

export interface LiveBus {
  readonly kind: "memory" | "postgres";
  publish(channel: string, payload: unknown): Promise<void>;
  /** `onClose` runs if the bus closes (shutdown) while subscribed, so streams can end. */
  subscribe(channel: string, listener: LiveListener, onClose?: () => void): () => void;
  close(): Promise<void>;
}

/** Channel names are PostgreSQL identifiers: lower case letters, digits and underscores, at most 63. */
export function liveChannel(prefix: string, id: string): string {
  const name = `${prefix}_${id}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return name.slice(0, 63);
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
function checkChannel(channel: string) {
  if (!CHANNEL.test(channel)) throw new Error(`invalid live channel: ${channel}`);
}
/** NOTIFY payloads must stay well under PostgreSQL's 8000-byte limit. */
const MAX_PAYLOAD = 1000;

class Listeners {
  private readonly map = new Map<string, Set<LiveListener>>();
  readonly closers = new Map<LiveListener, () => void>();
  add(channel: string, listener: LiveListener): boolean {
    let set = this.map.get(channel);
    const first = !set;
    if (!set) this.map.set(channel, (set = new Set()));
    set.add(listener);
    return first;
  }
  remove(channel: string, listener: LiveListener): boolean {
    const set = this.map.get(channel);
    if (!set) return false;
    set.delete(listener);
    if (set.size === 0) {
      this.map.delete(channel);
      return true;
    }
    return false;
  }
  emit(channel: string, payload: unknown, logger?: Logger) {
    // A copy: a listener may unsubscribe while we iterate.
    for (const l of Array.from(this.map.get(channel) ?? [])) {
      try {
        l(payload);
      } catch (error) {
        logger?.error({ err: error, channel }, "live listener failed");
      }
    }
  }
  channels(): string[] {
    return [...this.map.keys()];
  }
  clear() {
    this.map.clear();
    const closers = [...this.closers.values()];
    this.closers.clear();
    for (const c of closers) {
      try {
        c();
      } catch {
        // a stream that is already gone
      }
    }
  }
}

export function createMemoryLiveBus(logger?: Logger): LiveBus {
  const listeners = new Listeners();
  return {
    kind: "memory",
    async publish(channel, payload) {
      checkChannel(channel);
      const copy = JSON.parse(JSON.stringify(payload ?? null)) as unknown;
      queueMicrotask(() => listeners.emit(channel, copy, logger));
    },
    subscribe(channel, listener, onClose) {
      checkChannel(channel);
      listeners.add(channel, listener);
      if (onClose) listeners.closers.set(listener, onClose);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        listeners.closers.delete(listener);
        listeners.remove(channel, listener);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}

export interface PostgresLiveBusOptions {
  url: string;
  /** Used for NOTIFY (any pool on the same database). */
  pool?: pg.Pool;
  logger: Logger;
  /** Backoff after a dropped connection: min and max delay in ms. */
  backoffMs?: { min: number; max: number };
}

export function createPostgresLiveBus(options: PostgresLiveBusOptions): LiveBus & { /** test hook */ dropConnection(): Promise<void>; ready(): Promise<void> } {
  const { url, logger } = options;
  const backoff = options.backoffMs ?? { min: 200, max: 10_000 };
  const listeners = new Listeners();
  const ownPool = options.pool ? null : new pg.Pool({ connectionString: url, max: 2, application_name: "balint-commons-live" });
  const pool = options.pool ?? ownPool!;
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  const quote = (c: string) => `"${c}"`;

  async function connect(): Promise<void> {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, application_name: "balint-commons-live" });
    c.on("notification", (msg) => {
      let payload: unknown = null;
      try {
        payload = msg.payload ? (JSON.parse(msg.payload) as unknown) : null;
      } catch {
        payload = null;
      }
      listeners.emit(msg.channel, payload, logger);
    });
    c.on("error", (error) => {
      logger.warn({ err: error }, "live bus connection error");
      lost(c);
    });
    c.on("end", () => lost(c));
    await c.connect();
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    for (const ch of listeners.channels()) await c.query(`LISTEN ${quote(ch)}`);
    if (attempt > 0) {
      logger.info({ attempt }, "live bus reconnected");
      // Notices may have been missed while disconnected: every subscriber re-reads.
      for (const ch of listeners.channels()) listeners.emit(ch, { reconnected: true }, logger);
    }
    attempt = 0;
  }

  function lost(c: pg.Client) {
    if (client !== c && client !== null) return;
    client = null;
    if (closed) return;
    scheduleReconnect();
  }

  function scheduleReconnect() {
    if (timer || closed) return;
    attempt += 1;
    const delay = Math.min(backoff.max, backoff.min * 2 ** Math.min(attempt - 1, 10));
    timer = setTimeout(() => {
      timer = null;
      ensure().catch((error: unknown) => {
        logger.warn({ err: error, attempt }, "live bus reconnect failed");
        scheduleReconnect();
      });
    }, delay);
    timer.unref?.();
  }

  function ensure(): Promise<void> {
    if (client || closed) return Promise.resolve();
    if (!connecting) {
      connecting = connect().finally(() => {
        connecting = null;
      });
    }
    return connecting;
  }

  const first = ensure().catch((error: unknown) => {
    logger.warn({ err: error }, "live bus could not connect; retrying");
    scheduleReconnect();
  });

  return {
    kind: "postgres",
    async publish(channel, payload) {
      checkChannel(channel);
      const text = JSON.stringify(payload ?? null);
      if (text.length > MAX_PAYLOAD) throw new Error("live payload too large");
      await pool.query("select pg_notify($1, $2)", [channel, text]);
    },
    subscribe(channel, listener, onClose) {
      checkChannel(channel);
      if (onClose) listeners.closers.set(listener, onClose);
      if (listeners.add(channel, listener) && client) {
        client.query(`LISTEN ${quote(channel)}`).catch((error: unknown) => logger.warn({ err: error, channel }, "LISTEN failed"));
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        listeners.closers.delete(listener);
        if (listeners.remove(channel, listener) && client) {
          client.query(`UNLISTEN ${quote(channel)}`).catch(() => {});
        }
      };
    },
    /** Resolves once the LISTEN connection is up (and every current channel is listened to). */
    async ready() {
      await first;
      await ensure();
      const c = client;
      if (c) for (const ch of listeners.channels()) await c.query(`LISTEN ${quote(ch)}`);
    },
    async dropConnection() {
      const c = client;
      if (!c) return;
      await c.end().catch(() => {});
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      listeners.clear();
      const c = client;
      client = null;
      await connecting?.catch(() => {});
      if (c) await c.end().catch(() => {});
      if (ownPool) await ownPool.end().catch(() => {});
    },
  };
}

/** The bus the database implies: LISTEN/NOTIFY on PostgreSQL, in memory on PGlite (one process). */
export function createLiveBus(database: { kind: "pglite" | "postgres"; url?: string; pool?: pg.Pool }, logger: Logger): LiveBus {
  if (database.kind === "postgres" && database.url) return createPostgresLiveBus({ url: database.url, logger, ...(database.pool ? { pool: database.pool } : {}) });
  return createMemoryLiveBus(logger);
}
