// The learning library: readings, videos, talk recordings, guides and links curated by an
// organisation, and each member's private reading log.
//
// Decisions:
// - Items belong to an organisation. Coordinators and above curate them ("library:manage").
//   `public` items are listed for everyone at /library (and its API); `members` items only for the
//   organisation's members. A members-only or archived item is 404 to anyone who may not see it.
// - Search: full-text over title, summary, authors and tags (to_tsvector('simple', …), word
//   prefixes like the groups directory) plus filters kind, language (the tag or its subtags:
//   "es" finds "es-AR"), tag and audience; ordered by title; paginated.
// - Reading log: any signed-in person (not an API token) who can see an item records a date and
//   minutes, and optionally a reflection. The reflection is PRIVATE: sealed with an organisation's
//   data key (ADR 014; the item's organisation when the reader belongs to it, else the reader's
//   oldest organisation), checked for identifiers on save (422 unless acknowledged: reflections
//   must not hold case content), shown only to its author, never audited, logged or exported to
//   anyone else. Nothing in the organisation's audit log says who read what.
// - learningRecord(userId) serves the accreditation work: items, minutes and dates, never the
//   reflection.
import { randomUUID } from "node:crypto";
import { and, arrayContains, asc, count, desc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { recordAudit } from "../../platform/audit/audit.server.ts";
import { EncryptionError, open, seal } from "../../platform/crypto/envelope.server.ts";
import { AppError, validationError } from "../../platform/http/errors.ts";
import type { Kernel } from "../../platform/kernel.server.ts";
import { authorize, can, requireUser, type Actor } from "../../platform/policy/policy.ts";
import { membership, organisation } from "../../platform/tenancy/schema.ts";
import { findIdentifiers, type IdentifierFinding } from "../debrief/identifier-check.ts";
import { createKeyStore, type KeyStore } from "../debrief/keys.server.ts";
import { searchQuery } from "../groups/service.server.ts";
import type { LibraryAudience, LibraryKind, LibraryVisibility } from "./constants.ts";
import { libraryItem, libraryLogEntry } from "./schema.ts";
import { CreateItemInput, ExportQuery, LogEntryInput, OrgItemsQuery, SearchQuery, UpdateItemInput } from "./schemas.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RequestMeta {
  ipAddress?: string | null;
  requestId?: string | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

type ItemRow = typeof libraryItem.$inferSelect;
type LogRow = typeof libraryLogEntry.$inferSelect;

export interface LibraryItemView {
  id: string;
  organisation: { id: string; slug: string; name: string };
  kind: LibraryKind;
  title: string;
  authors: string[];
  year: number | null;
  language: string;
  summary: string;
  url: string;
  tags: string[];
  audiences: LibraryAudience[];
  visibility: LibraryVisibility;
  estimatedMinutes: number | null;
  ceEligible: boolean;
  archivedAt: string | null;
  /** True when the viewer may edit it. */
  canManage: boolean;
}

export interface LogEntryView {
  id: string;
  item: { id: string; title: string; kind: LibraryKind; url: string; organisationSlug: string; organisationName: string; ceEligible: boolean };
  readOn: string;
  minutes: number;
  /** The reader's own reflection; null when none. */
  reflection: string | null;
  /** True when a stored reflection could not be opened. */
  reflectionUnreadable: boolean;
  createdAt: string;
}

export interface YearTotal {
  year: number;
  entries: number;
  minutes: number;
  hours: number;
}

export interface MyLearning {
  entries: LogEntryView[];
  totals: { entries: number; minutes: number; hours: number; ceEligibleMinutes: number };
  years: YearTotal[];
}

export type LogResult = { outcome: "saved"; entry: LogEntryView } | { outcome: "findings"; findings: IdentifierFinding[] };

/** For the accreditation work: facts only, never the reflection. */
export interface LearningRecord {
  entries: { entryId: string; itemId: string; title: string; kind: LibraryKind; organisationId: string; ceEligible: boolean; readOn: string; minutes: number }[];
  totalMinutes: number;
  ceEligibleMinutes: number;
  years: YearTotal[];
}

export function libraryReflectionAad(orgId: string, entryId: string): string {
  return `library-reflection:${orgId}:${entryId}`;
}

const notFoundItem = () => new AppError("not_found", "That library item was not found.");
const notFoundOrg = () => new AppError("not_found", "That organisation was not found.");

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } } }, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues);
  return parsed.data;
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

function yearTotals(rows: { readOn: string; minutes: number }[]): YearTotal[] {
  const by = new Map<number, { entries: number; minutes: number }>();
  for (const r of rows) {
    const y = Number(r.readOn.slice(0, 4));
    const t = by.get(y) ?? { entries: 0, minutes: 0 };
    t.entries += 1;
    t.minutes += r.minutes;
    by.set(y, t);
  }
  return [...by.entries()].sort((a, b) => b[0] - a[0]).map(([year, t]) => ({ year, entries: t.entries, minutes: t.minutes, hours: hours(t.minutes) }));
}

/** A CSV cell: quoted, quotes doubled, and formula-looking text defused. */
function csvCell(value: string | number | boolean | null): string {
  let s = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

export function createLibraryService(kernel: Kernel, options: { keys?: KeyStore } = {}) {
  const { db, logger } = kernel;
  const keys = options.keys ?? createKeyStore({ db, masterKeys: kernel.config.encryptionKeys });

  function view(actor: Actor, row: ItemRow, org: { id: string; slug: string; name: string }): LibraryItemView {
    return {
      id: row.id,
      organisation: org,
      kind: row.kind,
      title: row.title,
      authors: row.authors,
      year: row.year,
      language: row.language,
      summary: row.summary,
      url: row.url,
      tags: row.tags,
      audiences: row.audiences as LibraryAudience[],
      visibility: row.visibility,
      estimatedMinutes: row.estimatedMinutes,
      ceEligible: row.ceEligible,
      archivedAt: row.archivedAt?.toISOString() ?? null,
      canManage: can(actor, "library:manage", { organisationId: row.organisationId }),
    };
  }

  /** May the actor see this item? Public and not archived: anyone; otherwise members (archived: curators). */
  function visibleTo(actor: Actor, row: ItemRow): boolean {
    const resource = { organisationId: row.organisationId };
    if (row.archivedAt) return can(actor, "library:manage", resource);
    if (row.visibility === "public") return true;
    return can(actor, "organisation:read", resource);
  }

  async function loadItem(itemId: string) {
    if (!UUID.test(itemId)) return undefined;
    const [r] = await db
      .select({ item: libraryItem, org: { id: organisation.id, slug: organisation.slug, name: organisation.name } })
      .from(libraryItem)
      .innerJoin(organisation, eq(organisation.id, libraryItem.organisationId))
      .where(eq(libraryItem.id, itemId));
    return r;
  }

  async function orgBySlug(slug: string) {
    const [row] = await db.select({ id: organisation.id, slug: organisation.slug, name: organisation.name }).from(organisation).where(eq(organisation.slug, slug.toLowerCase()));
    return row;
  }

  async function orgById(id: string) {
    const [row] = await db.select({ id: organisation.id, slug: organisation.slug, name: organisation.name }).from(organisation).where(eq(organisation.id, id));
    return row;
  }

  function filters(q: { q?: string | undefined; kind?: LibraryKind | undefined; language?: string | undefined; tag?: string | undefined; audience?: LibraryAudience | undefined }): SQL[] {
    const where: SQL[] = [];
    if (q.q) {
      const tsq = searchQuery(q.q);
      if (tsq) where.push(sql`${libraryItem.search} @@ to_tsquery('simple'::regconfig, ${tsq})`);
    }
    if (q.kind) where.push(eq(libraryItem.kind, q.kind));
    if (q.language) where.push(or(eq(libraryItem.language, q.language), sql`${libraryItem.language} like ${`${q.language}-%`}`)!);
    if (q.tag) where.push(arrayContains(libraryItem.tags, [q.tag]));
    if (q.audience) where.push(arrayContains(libraryItem.audiences, [q.audience]));
    return where;
  }

  async function page(actor: Actor, where: SQL | undefined, pageNo: number, pageSize: number): Promise<Page<LibraryItemView>> {
    const [total] = await db.select({ n: count() }).from(libraryItem).innerJoin(organisation, eq(organisation.id, libraryItem.organisationId)).where(where);
    const rows = await db
      .select({ item: libraryItem, org: { id: organisation.id, slug: organisation.slug, name: organisation.name } })
      .from(libraryItem)
      .innerJoin(organisation, eq(organisation.id, libraryItem.organisationId))
      .where(where)
      .orderBy(asc(sql`lower(${libraryItem.title})`), asc(libraryItem.id))
      .limit(pageSize)
      .offset((pageNo - 1) * pageSize);
    return { items: rows.map((r) => view(actor, r.item, r.org)), page: pageNo, pageSize, total: total?.n ?? 0 };
  }

  function indexText(input: { authors?: string[]; tags?: string[] }, row?: ItemRow): string {
    return [...(input.authors ?? row?.authors ?? []), ...(input.tags ?? row?.tags ?? []).map((t) => t.replace(/[-_]/g, " "))].join(" ");
  }

  async function audit(exec: Parameters<typeof recordAudit>[0], actor: Actor, meta: RequestMeta, orgId: string, action: string, itemId: string, details: Record<string, string | number | boolean | null>) {
    await recordAudit(exec, { organisationId: orgId, actor, action, targetType: "library_item", targetId: itemId, details, ipAddress: meta.ipAddress ?? null, requestId: meta.requestId ?? null });
  }

  /** The reader's person (not an API token: the log is private to the person). */
  function reader(actor: Actor): string {
    const userId = requireUser(actor);
    if (actor.kind !== "user") throw new AppError("forbidden", "The reading log is only available when signed in as yourself.");
    return userId;
  }

  async function openReflection(row: LogRow): Promise<{ text: string | null; unreadable: boolean }> {
    if (!row.reflectionSealed) return { text: null, unreadable: false };
    try {
      const resolve = await keys.resolver(row.organisationId);
      return { text: open(resolve, row.reflectionSealed, libraryReflectionAad(row.organisationId, row.id)), unreadable: false };
    } catch (error) {
      if (error instanceof EncryptionError) {
        logger.warn({ entryId: row.id, code: error.code }, "reading-log reflection could not be decrypted");
        return { text: null, unreadable: true };
      }
      throw error;
    }
  }

  async function entriesOf(userId: string, itemId?: string) {
    const where = itemId ? and(eq(libraryLogEntry.userId, userId), eq(libraryLogEntry.itemId, itemId)) : eq(libraryLogEntry.userId, userId);
    return db
      .select({ entry: libraryLogEntry, item: libraryItem, org: { slug: organisation.slug, name: organisation.name } })
      .from(libraryLogEntry)
      .innerJoin(libraryItem, eq(libraryItem.id, libraryLogEntry.itemId))
      .innerJoin(organisation, eq(organisation.id, libraryItem.organisationId))
      .where(where)
      .orderBy(desc(libraryLogEntry.readOn), desc(libraryLogEntry.createdAt));
  }

  async function entryView(r: Awaited<ReturnType<typeof entriesOf>>[number]): Promise<LogEntryView> {
    const reflection = await openReflection(r.entry);
    return {
      id: r.entry.id,
      item: { id: r.item.id, title: r.item.title, kind: r.item.kind, url: r.item.url, organisationSlug: r.org.slug, organisationName: r.org.name, ceEligible: r.item.ceEligible },
      readOn: r.entry.readOn,
      minutes: r.entry.minutes,
      reflection: reflection.text,
      reflectionUnreadable: reflection.unreadable,
      createdAt: r.entry.createdAt.toISOString(),
    };
  }

  async function myLearning(actor: Actor): Promise<MyLearning> {
    const userId = reader(actor);
    const rows = await entriesOf(userId);
    const entries = await Promise.all(rows.map(entryView));
    const minutes = entries.reduce((s, e) => s + e.minutes, 0);
    const ce = entries.filter((e) => e.item.ceEligible).reduce((s, e) => s + e.minutes, 0);
    return { entries, totals: { entries: entries.length, minutes, hours: hours(minutes), ceEligibleMinutes: ce }, years: yearTotals(entries) };
  }

  return {
    // ---- reading the library ----------------------------------------------------------------

    /** Public items of every organisation (optionally one organisation's, by slug). */
    async search(actor: Actor, raw: unknown): Promise<Page<LibraryItemView>> {
      const q = parse(SearchQuery, raw);
      const where = [eq(libraryItem.visibility, "public"), isNull(libraryItem.archivedAt), ...filters(q)];
      if (q.organisationSlug) where.push(eq(organisation.slug, q.organisationSlug));
      return page(actor, and(...where), q.page, q.pageSize);
    },

    /**
     * One organisation's library by slug, for its page: public items for everyone, members-only
     * items for its members too, archived ones for curators when asked. Unknown slug: 404.
     */
    async organisationLibrary(actor: Actor, orgSlug: string, raw: unknown): Promise<{ organisation: { id: string; slug: string; name: string }; isMember: boolean; canManage: boolean; results: Page<LibraryItemView> }> {
      const org = await orgBySlug(orgSlug);
      if (!org) throw notFoundOrg();
      const q = parse(OrgItemsQuery, raw);
      const isMember = can(actor, "organisation:read", { organisationId: org.id });
      const canManage = can(actor, "library:manage", { organisationId: org.id });
      const where = [eq(libraryItem.organisationId, org.id), ...filters(q)];
      if (!isMember) where.push(eq(libraryItem.visibility, "public"));
      if (!(canManage && q.includeArchived === "true")) where.push(isNull(libraryItem.archivedAt));
      return { organisation: org, isMember, canManage, results: await page(actor, and(...where), q.page, q.pageSize) };
    },

    /** The organisation's items through the API (members; archived for curators when asked). */
    async list(actor: Actor, orgId: string, raw: unknown): Promise<Page<LibraryItemView>> {
      authorize(actor, "organisation:read", { organisationId: orgId });
      const q = parse(OrgItemsQuery, raw);
      const where = [eq(libraryItem.organisationId, orgId), ...filters(q)];
      if (!(can(actor, "library:manage", { organisationId: orgId }) && q.includeArchived === "true")) where.push(isNull(libraryItem.archivedAt));
      return page(actor, and(...where), q.page, q.pageSize);
    },

    /** One item, if the actor may see it (404 otherwise). */
    async get(actor: Actor, itemId: string): Promise<LibraryItemView> {
      const r = await loadItem(itemId);
      if (!r || !visibleTo(actor, r.item)) throw notFoundItem();
      return view(actor, r.item, r.org);
    },

    /** One item on its organisation's page (the slug must match). */
    async getBySlug(actor: Actor, orgSlug: string, itemId: string): Promise<LibraryItemView> {
      const r = await loadItem(itemId);
      if (!r || r.org.slug !== orgSlug.toLowerCase() || !visibleTo(actor, r.item)) throw notFoundItem();
      return view(actor, r.item, r.org);
    },

    /** An organisation by slug (for pages that need its id), 404 when unknown. */
    async organisationBySlug(orgSlug: string) {
      const org = await orgBySlug(orgSlug);
      if (!org) throw notFoundOrg();
      return org;
    },

    // ---- curating ----------------------------------------------------------------------------

    async create(actor: Actor, orgId: string, raw: unknown, meta: RequestMeta = {}): Promise<LibraryItemView> {
      authorize(actor, "library:manage", { organisationId: orgId });
      const input = parse(CreateItemInput, raw);
      const org = await orgById(orgId);
      if (!org) throw notFoundOrg();
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(libraryItem)
          .values({
            organisationId: orgId,
            kind: input.kind,
            title: input.title,
            authors: input.authors,
            year: input.year ?? null,
            language: input.language,
            summary: input.summary,
            url: input.url,
            tags: [...new Set(input.tags)],
            audiences: [...new Set(input.audiences)],
            visibility: input.visibility,
            estimatedMinutes: input.estimatedMinutes ?? null,
            ceEligible: input.ceEligible,
            indexText: indexText(input),
            createdByUserId: actor.userId,
          })
          .returning();
        await audit(tx, actor, meta, orgId, "library.item_created", row!.id, { kind: row!.kind, visibility: row!.visibility });
        return view(actor, row!, org);
      });
    },

    async update(actor: Actor, orgId: string, itemId: string, raw: unknown, meta: RequestMeta = {}, now = new Date()): Promise<LibraryItemView> {
      authorize(actor, "library:manage", { organisationId: orgId });
      if (!UUID.test(itemId)) throw notFoundItem();
      const input = parse(UpdateItemInput, raw);
      const org = await orgById(orgId);
      if (!org) throw notFoundOrg();
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(libraryItem).where(and(eq(libraryItem.id, itemId), eq(libraryItem.organisationId, orgId))).for("update");
        if (!current) throw notFoundItem();
        const { archived, ...fields } = input;
        const set: Partial<typeof libraryItem.$inferInsert> = { ...fields, updatedAt: now };
        if (fields.tags) set.tags = [...new Set(fields.tags)];
        if (fields.audiences) set.audiences = [...new Set(fields.audiences)];
        if (fields.authors || fields.tags) set.indexText = indexText(fields, current);
        if (archived !== undefined) set.archivedAt = archived ? (current.archivedAt ?? now) : null;
        const [row] = await tx.update(libraryItem).set(set).where(eq(libraryItem.id, itemId)).returning();
        const action = archived === true && !current.archivedAt ? "library.item_archived" : archived === false && current.archivedAt ? "library.item_restored" : "library.item_updated";
        await audit(tx, actor, meta, orgId, action, itemId, { fields: Object.keys(fields).sort().join("+") || null, visibility: row!.visibility });
        return view(actor, row!, org);
      });
    },

    // ---- the reading log ---------------------------------------------------------------------

    /** Records that I read or watched an item. Reflection: sealed, identifier-checked (see the header). */
    async logReading(actor: Actor, raw: unknown, now = new Date()): Promise<LogResult> {
      const userId = reader(actor);
      const input = parse(LogEntryInput, raw);
      const r = await loadItem(input.itemId);
      if (!r || !visibleTo(actor, r.item)) throw new AppError("not_found", "That library item was not found.", [{ path: "itemId", message: "No such item." }]);
      const today = now.toISOString().slice(0, 10);
      if (input.readOn > today) throw validationError([{ path: ["readOn"], message: "Use today or a date in the past." }]);
      const reflection = input.reflection ? input.reflection : undefined;
      if (reflection) {
        const findings = findIdentifiers(reflection);
        if (findings.length > 0 && input.acknowledgeFindings !== true) return { outcome: "findings", findings };
      }
      // The organisation whose key seals the reflection: the item's when I belong to it, else my oldest.
      let homeOrg = r.item.organisationId;
      if (!actor.memberships.has(homeOrg)) {
        const [m] = await db.select({ organisationId: membership.organisationId }).from(membership).where(eq(membership.userId, userId)).orderBy(asc(membership.createdAt)).limit(1);
        if (!m) throw new AppError("forbidden", "Join an organisation to keep a reading log.");
        homeOrg = m.organisationId;
      }
      const id = randomUUID();
      await db.transaction(async (tx) => {
        let sealed: string | null = null;
        let version: number | null = null;
        if (reflection) {
          const key = await keys.currentKey(homeOrg, tx);
          sealed = seal(key, reflection, libraryReflectionAad(homeOrg, id));
          version = key.version;
        }
        await tx.insert(libraryLogEntry).values({ id, organisationId: homeOrg, itemId: r.item.id, userId, readOn: input.readOn, minutes: input.minutes, reflectionSealed: sealed, keyVersion: version, createdAt: now });
      });
      const [row] = (await entriesOf(userId, r.item.id)).filter((e) => e.entry.id === id);
      return { outcome: "saved", entry: await entryView(row!) };
    },

    /** My entries for one item (for the item page). */
    async myEntriesFor(actor: Actor, itemId: string): Promise<LogEntryView[]> {
      const userId = reader(actor);
      if (!UUID.test(itemId)) return [];
      return Promise.all((await entriesOf(userId, itemId)).map(entryView));
    },

    myLearning,

    /** Deletes one of my entries; anyone else's is 404. */
    async deleteEntry(actor: Actor, entryId: string): Promise<void> {
      const userId = reader(actor);
      if (!UUID.test(entryId)) throw new AppError("not_found", "That reading-log entry was not found.");
      const deleted = await db.delete(libraryLogEntry).where(and(eq(libraryLogEntry.id, entryId), eq(libraryLogEntry.userId, userId))).returning({ id: libraryLogEntry.id });
      if (deleted.length === 0) throw new AppError("not_found", "That reading-log entry was not found.");
    },

    /** My log as CSV (reflections only when I ask for them). */
    async exportMyCsv(actor: Actor, raw: unknown = {}): Promise<string> {
      const q = parse(ExportQuery, raw ?? {});
      const withReflections = q.includeReflections === "true";
      const mine = await myLearning(actor);
      const header = ["date", "title", "kind", "organisation", "minutes", "ce_eligible", "url", ...(withReflections ? ["reflection"] : [])];
      const lines = [header.map(csvCell).join(",")];
      for (const e of mine.entries) {
        lines.push([e.readOn, e.item.title, e.item.kind, e.item.organisationName, e.minutes, e.item.ceEligible, e.item.url, ...(withReflections ? [e.reflection] : [])].map(csvCell).join(","));
      }
      return `${lines.join("\r\n")}\r\n`;
    },

    /** Lifelong-learning record for accreditation: items, minutes, dates — never the reflection. */
    async learningRecord(userId: string): Promise<LearningRecord> {
      const rows = await db
        .select({ entryId: libraryLogEntry.id, itemId: libraryItem.id, title: libraryItem.title, kind: libraryItem.kind, organisationId: libraryItem.organisationId, ceEligible: libraryItem.ceEligible, readOn: libraryLogEntry.readOn, minutes: libraryLogEntry.minutes })
        .from(libraryLogEntry)
        .innerJoin(libraryItem, eq(libraryItem.id, libraryLogEntry.itemId))
        .where(eq(libraryLogEntry.userId, userId))
        .orderBy(desc(libraryLogEntry.readOn), desc(libraryLogEntry.createdAt));
      return {
        entries: rows,
        totalMinutes: rows.reduce((s, r) => s + r.minutes, 0),
        ceEligibleMinutes: rows.filter((r) => r.ceEligible).reduce((s, r) => s + r.minutes, 0),
        years: yearTotals(rows),
      };
    },

    /** Ids of items by title in an organisation (demo seeding). */
    async itemIdsByTitle(orgId: string, titles: string[]): Promise<Map<string, string>> {
      if (titles.length === 0) return new Map();
      const rows = await db.select({ id: libraryItem.id, title: libraryItem.title }).from(libraryItem).where(and(eq(libraryItem.organisationId, orgId), inArray(libraryItem.title, titles)));
      return new Map(rows.map((r) => [r.title, r.id]));
    },
  };
}

export type LibraryService = ReturnType<typeof createLibraryService>;
