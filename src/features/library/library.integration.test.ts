// The learning library through the REST API: curation and its permissions, search with filters,
// visibility (members-only items never public), other organisations 404, the reading log with
// its sealed reflection (read from the raw row), identifier warnings, totals, CSV and the
// accreditation record. Runs on PGlite and on PostgreSQL (TEST_DB=postgres).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import { auditEvent } from "../../platform/audit/schema.ts";
import { libraryLogEntry } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
interface ItemBody {
  id: string;
  title: string;
  visibility: string;
  archivedAt: string | null;
  canManage: boolean;
  language: string;
  tags: string[];
}
interface PageBody {
  items: ItemBody[];
  total: number;
  page: number;
  pageSize: number;
}

let app: TestApp;
let org: { id: string; slug: string };
let other: { id: string; slug: string };
let owner: Person;
let coordinator: Person;
let leader: Person;
let member: Person;
let outsider: Person; // signed in, in no organisation
let otherOwner: Person;
const ids: Record<string, string> = {};

const base = {
  kind: "reading",
  authors: ["Michael Balint"],
  language: "en",
  summary: "",
  url: "https://example.org/library/item",
  tags: [],
  audiences: [],
  visibility: "public",
};

async function create(p: Person, orgId: string, body: Record<string, unknown>) {
  return app.request(`/api/v1/orgs/${orgId}/library/items`, { method: "POST", cookie: p.cookie, json: { ...base, ...body } });
}
async function createOk(body: Record<string, unknown>): Promise<ItemBody> {
  const res = await create(owner, org.id, body);
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as ItemBody;
}
async function search(query: string, p?: Person): Promise<PageBody> {
  const res = await app.request(`/api/v1/library/items?${query}`, p ? { cookie: p.cookie } : {});
  expect(res.status).toBe(200);
  return (await res.json()) as PageBody;
}
const titles = (page: PageBody) => page.items.map((i) => i.title).sort();
const log = (p: Person, json: unknown) => app.request("/api/v1/me/learning", { method: "POST", cookie: p.cookie, json });

beforeAll(async () => {
  app = await createTestApp();
  const a = await orgWithPerson(app, "owner");
  org = a.org;
  owner = a.person;
  const b = await orgWithPerson(app, "owner");
  other = b.org;
  otherOwner = b.person;
  coordinator = await signUp(app, { verified: true });
  leader = await signUp(app, { verified: true });
  member = await signUp(app, { verified: true });
  outsider = await signUp(app, { verified: true });
  await addMember(app, org.id, coordinator.id, "coordinator");
  await addMember(app, org.id, leader.id, "leader");
  await addMember(app, org.id, member.id, "member");

  ids["doctor"] = (await createOk({ title: "The Doctor, His Patient and the Illness", year: 1957, tags: ["classic", "doctor-patient"], audiences: ["members", "new_leaders"], estimatedMinutes: 600, ceEligible: true, summary: "Balint's account of the training-cum-research seminars." })).id;
  ids["guia"] = (await createOk({ title: "Guía para coordinar un grupo Balint", kind: "guide", language: "es-AR", authors: ["Equipo de ejemplo"], tags: ["leadership"], audiences: ["new_leaders"], estimatedMinutes: 45 })).id;
  ids["talk"] = (await createOk({ title: "Public talk: the group as a mirror", kind: "recording", tags: ["leadership", "group-process"], audiences: ["supervisors"], estimatedMinutes: 60 })).id;
  ids["internal"] = (await createOk({ title: "Internal leader handbook", kind: "guide", visibility: "members", tags: ["leadership"], audiences: ["new_leaders"], summary: "Only for our members." })).id;
  ids["otherPublic"] = ((await (await create(otherOwner, other.id, { title: "Other society reading list", kind: "link" })).json()) as ItemBody).id;
  ids["otherPrivate"] = ((await (await create(otherOwner, other.id, { title: "Other society members pack", kind: "guide", visibility: "members" })).json()) as ItemBody).id;
});
afterAll(async () => app?.close());

describe("curating", () => {
  it("lets coordinators and above add items, and refuses leaders and members (403) and other organisations (404)", async () => {
    expect((await create(coordinator, org.id, { title: "Coordinator's pick" })).status).toBe(201);
    expect((await create(leader, org.id, { title: "Leader's pick" })).status).toBe(403);
    expect((await create(member, org.id, { title: "Member's pick" })).status).toBe(403);
    expect((await create(otherOwner, org.id, { title: "Stranger's pick" })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${org.id}/library/items`, { method: "POST", json: { ...base, title: "Anon" } })).status).toBe(401);
  });

  it("answers bad input with 400 naming the field and writes nothing", async () => {
    const before = (await search("q=Broken")).total;
    const cases: [Record<string, unknown>, string][] = [
      [{ title: "Broken http", url: "http://example.org/x" }, "url"],
      [{ title: "Broken js", url: "javascript:alert(1)" }, "url"],
      [{ title: "Broken kind", kind: "podcast" }, "kind"],
      [{ title: "Broken lang", language: "english!" }, "language"],
      [{ title: "Broken minutes", estimatedMinutes: 0 }, "estimatedMinutes"],
      [{ title: "Broken audience", audiences: ["patients"] }, "audiences.0"],
      [{ title: "Broken tag", tags: ["Two Words"] }, "tags.0"],
      [{ title: "" }, "title"],
      [{ title: "Broken extra", patientName: "x" }, ""],
    ];
    for (const [body, field] of cases) {
      const res = await create(owner, org.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = (await res.json()) as { error: { fields?: { path: string }[]; message: string } };
      if (field) expect(err.error.fields?.map((f) => f.path)).toContain(field);
    }
    expect((await search("q=Broken")).total).toBe(before);
  });

  it("updates, archives and restores, auditing identifiers only", async () => {
    const item = await createOk({ title: "To be archived", tags: ["temporary"] });
    const patch = (json: unknown, p: Person = owner) => app.request(`/api/v1/orgs/${org.id}/library/items/${item.id}`, { method: "PATCH", cookie: p.cookie, json });
    expect((await patch({ title: "To be archived soon" })).status).toBe(200);
    expect((await patch({ title: "x" }, member)).status).toBe(403);
    expect((await patch({})).status).toBe(400);
    const archived = (await (await patch({ archived: true })).json()) as ItemBody;
    expect(archived.archivedAt).not.toBeNull();
    expect(titles(await search("q=archived"))).not.toContain("To be archived soon");
    expect((await app.request(`/api/v1/library/items/${item.id}`, { cookie: member.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/library/items/${item.id}`, { cookie: owner.cookie })).status).toBe(200);
    const all = (await (await app.request(`/api/v1/orgs/${org.id}/library/items?includeArchived=true&q=archived`, { cookie: owner.cookie })).json()) as PageBody;
    expect(titles(all)).toContain("To be archived soon");
    await patch({ archived: false });
    expect(titles(await search("q=archived"))).toContain("To be archived soon");
    // An item of another organisation through this organisation's path: 404.
    expect((await app.request(`/api/v1/orgs/${org.id}/library/items/${ids["otherPublic"]}`, { method: "PATCH", cookie: owner.cookie, json: { title: "Hijack" } })).status).toBe(404);
    const audits = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.targetId, item.id));
    expect(audits.map((a) => a.action).sort()).toEqual(["library.item_archived", "library.item_created", "library.item_restored", "library.item_updated"]);
    expect(JSON.stringify(audits.map((a) => a.details))).not.toContain("To be archived");
  });
});

describe("search and visibility", () => {
  it("lists public items of every organisation, never members-only ones, to anyone", async () => {
    for (const who of [undefined, owner, member]) {
      const all = titles(await search("pageSize=100", who));
      expect(all).toContain("The Doctor, His Patient and the Illness");
      expect(all).toContain("Other society reading list");
      expect(all).not.toContain("Internal leader handbook");
      expect(all).not.toContain("Other society members pack");
    }
    expect(titles(await search("q=handbook"))).toEqual([]);
  });

  it("searches words by prefix over title, summary, authors and tags, and filters by kind, language, tag and audience", async () => {
    expect(titles(await search("q=docto%20illn"))).toEqual(["The Doctor, His Patient and the Illness"]);
    expect(titles(await search("q=seminars"))).toEqual(["The Doctor, His Patient and the Illness"]);
    expect(titles(await search(`q=balint&organisationSlug=${org.slug}`))).toContain("The Doctor, His Patient and the Illness");
    expect(titles(await search("kind=recording"))).toEqual(["Public talk: the group as a mirror"]);
    expect(titles(await search(`language=es&organisationSlug=${org.slug}`))).toEqual(["Guía para coordinar un grupo Balint"]);
    expect(titles(await search(`tag=leadership&organisationSlug=${org.slug}`))).toEqual(["Guía para coordinar un grupo Balint", "Public talk: the group as a mirror"]);
    expect(titles(await search(`audience=new_leaders&organisationSlug=${org.slug}`))).toEqual(["Guía para coordinar un grupo Balint", "The Doctor, His Patient and the Illness"]);
    expect(titles(await search(`tag=leadership&audience=supervisors&kind=recording&organisationSlug=${org.slug}`))).toEqual(["Public talk: the group as a mirror"]);
    expect((await search("q=zzzznothing")).total).toBe(0);
  });

  it("paginates", async () => {
    const p1 = await search(`organisationSlug=${org.slug}&pageSize=2&page=1`);
    const p2 = await search(`organisationSlug=${org.slug}&pageSize=2&page=2`);
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBeGreaterThan(2);
    expect(p2.items.map((i) => i.id)).not.toContain(p1.items[0]!.id);
  });

  it("answers bad filters with 400 naming the field", async () => {
    for (const [q, field] of [["kind=podcast", "kind"], ["audience=patients", "audience"], ["page=0", "page"], ["language=%25%25", "language"], ["nope=1", ""]] as const) {
      const res = await app.request(`/api/v1/library/items?${q}`);
      expect(res.status, q).toBe(400);
      if (field) expect(((await res.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toContain(field);
    }
  });

  it("shows members-only items to the organisation's members only; other organisations and strangers get 404", async () => {
    expect((await app.request(`/api/v1/library/items/${ids["internal"]}`, { cookie: member.cookie })).status).toBe(200);
    expect((await app.request(`/api/v1/library/items/${ids["internal"]}`, { cookie: otherOwner.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/library/items/${ids["internal"]}`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/library/items/${ids["internal"]}`)).status).toBe(404);
    expect((await app.request(`/api/v1/library/items/${ids["otherPrivate"]}`, { cookie: owner.cookie })).status).toBe(404);
    const mine = (await (await app.request(`/api/v1/orgs/${org.id}/library/items?pageSize=100`, { cookie: member.cookie })).json()) as PageBody;
    expect(titles(mine)).toContain("Internal leader handbook");
    expect(titles(mine)).not.toContain("Other society members pack");
    expect((await app.request(`/api/v1/orgs/${other.id}/library/items`, { cookie: owner.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/orgs/${org.id}/library/items`)).status).toBe(401);
  });

  it("the organisation page service: public for strangers, members-only too for members, 404 for an unknown slug", async () => {
    const { anonymousActor } = await import("../../platform/policy/policy.ts");
    const lib = app.services.library;
    const stranger = await lib.organisationLibrary(anonymousActor, org.slug, { pageSize: 100 });
    expect(stranger.results.items.map((i) => i.title)).not.toContain("Internal leader handbook");
    const asMember = await lib.organisationLibrary({ kind: "user", userId: member.id, memberships: new Map([[org.id, "member"]]) }, org.slug, { pageSize: 100 });
    expect(asMember.results.items.map((i) => i.title)).toContain("Internal leader handbook");
    await expect(lib.organisationLibrary(anonymousActor, "no-such-org-here", {})).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("the reading log", () => {
  const today = new Date().toISOString().slice(0, 10);
  const reflection = "The idea of the doctor as a drug changed how I think about my own consultations.";

  it("records an entry with a reflection that is sealed at rest and shown only to its author", async () => {
    const res = await log(member, { itemId: ids["doctor"], readOn: today, minutes: 90, reflection });
    expect(res.status).toBe(201);
    const { entry } = (await res.json()) as { entry: { id: string; reflection: string; minutes: number } };
    expect(entry.reflection).toBe(reflection);
    const raw = (await app.services.kernel.db.execute(sql`select * from library_log_entry where id = ${entry.id}`)) as unknown as { rows: Record<string, unknown>[] };
    const row = raw.rows[0]!;
    expect(JSON.stringify(row)).not.toContain("doctor as a drug");
    expect(String(row["reflection_sealed"])).not.toContain("drug");
    expect(row["organisation_id"]).toBe(org.id);
    expect(row["key_version"]).toBe(1);
    // Other people's logs never include it.
    const theirs = (await (await app.request("/api/v1/me/learning", { cookie: owner.cookie })).json()) as { entries: unknown[] };
    expect(JSON.stringify(theirs)).not.toContain("doctor as a drug");
    // Nothing about it in the audit log.
    const audits = await app.services.kernel.db.select().from(auditEvent).where(eq(auditEvent.targetId, entry.id));
    expect(audits).toEqual([]);
    // Moving the sealed value to another row does not open (bound to its row).
    const second = (await (await log(member, { itemId: ids["talk"], readOn: today, minutes: 30, reflection: "Short and useful." })).json()) as { entry: { id: string } };
    await app.services.kernel.db.update(libraryLogEntry).set({ reflectionSealed: String(row["reflection_sealed"]) }).where(eq(libraryLogEntry.id, second.entry.id));
    const mine = (await (await app.request("/api/v1/me/learning", { cookie: member.cookie })).json()) as { entries: { id: string; reflection: string | null; reflectionUnreadable: boolean }[] };
    const moved = mine.entries.find((e) => e.id === second.entry.id)!;
    expect(moved.reflection).toBeNull();
    expect(moved.reflectionUnreadable).toBe(true);
    expect((await app.request(`/api/v1/me/learning/${second.entry.id}`, { method: "DELETE", cookie: member.cookie })).status).toBe(204);
  });

  it("warns with the identifier check (422) unless acknowledged", async () => {
    const text = "Discussed Mrs Johnson, born 12/03/1961, MRN 4482913.";
    const res = await log(leader, { itemId: ids["doctor"], readOn: today, minutes: 30, reflection: text });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string }; findings: { kind: string }[] };
    expect(body.error.code).toBe("identifiers_found");
    expect(body.findings.length).toBeGreaterThan(0);
    expect((await app.services.kernel.db.select().from(libraryLogEntry).where(eq(libraryLogEntry.userId, leader.id))).length).toBe(0);
    expect((await log(leader, { itemId: ids["doctor"], readOn: today, minutes: 30, reflection: text, acknowledgeFindings: true })).status).toBe(201);
  });

  it("refuses bad input with 400 naming the field, items one may not see with 404, and API tokens with 403", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ itemId: ids["doctor"], readOn: "2024-02-30", minutes: 10 }, "readOn"],
      [{ itemId: ids["doctor"], readOn: "2999-01-01", minutes: 10 }, "readOn"],
      [{ itemId: ids["doctor"], readOn: today, minutes: 0 }, "minutes"],
      [{ itemId: ids["doctor"], readOn: today, minutes: 10, reflection: "x".repeat(2001) }, "reflection"],
      [{ itemId: "nope", readOn: today, minutes: 10 }, "itemId"],
    ];
    for (const [json, field] of cases) {
      const res = await log(member, json);
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      expect(((await res.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toContain(field);
    }
    expect((await log(member, { itemId: ids["otherPrivate"], readOn: today, minutes: 10 })).status).toBe(404);
    expect((await log(otherOwner, { itemId: ids["internal"], readOn: today, minutes: 10 })).status).toBe(404);
    expect((await log({ ...member, cookie: "" }, { itemId: ids["doctor"], readOn: today, minutes: 10 })).status).toBe(401);
    // Somebody in no organisation has no key to seal with.
    expect((await log(outsider, { itemId: ids["doctor"], readOn: today, minutes: 10 })).status).toBe(403);
  });

  it("files a public item of another organisation under the reader's own organisation", async () => {
    const res = await log(member, { itemId: ids["otherPublic"], readOn: "2024-06-01", minutes: 15, reflection: "Good list." });
    expect(res.status).toBe(201);
    const { entry } = (await res.json()) as { entry: { id: string } };
    const [row] = await app.services.kernel.db.select().from(libraryLogEntry).where(eq(libraryLogEntry.id, entry.id));
    expect(row!.organisationId).toBe(org.id);
  });

  it("totals minutes and hours per year, exports CSV (reflections only when asked), and deletes only my own entries", async () => {
    const year = Number(today.slice(0, 4));
    expect((await log(member, { itemId: ids["guia"], readOn: "2023-05-10", minutes: 45 })).status).toBe(201);
    const res = await app.request("/api/v1/me/learning", { cookie: member.cookie });
    const mine = (await res.json()) as { entries: { id: string; minutes: number }[]; totals: { entries: number; minutes: number; hours: number; ceEligibleMinutes: number }; years: { year: number; minutes: number; hours: number; entries: number }[] };
    expect(mine.totals).toEqual({ entries: 3, minutes: 150, hours: 2.5, ceEligibleMinutes: 90 });
    const byYear = Object.fromEntries(mine.years.map((y) => [y.year, y]));
    expect(byYear[year]).toMatchObject({ minutes: 90, entries: 1, hours: 1.5 });
    expect(byYear[2024]).toMatchObject({ minutes: 15, entries: 1 });
    expect(byYear[2023]).toMatchObject({ minutes: 45, entries: 1, hours: 0.75 });

    const csv = await (await app.request("/api/v1/me/learning/export.csv", { cookie: member.cookie })).text();
    expect(csv.split("\r\n")[0]).toBe('"date","title","kind","organisation","minutes","ce_eligible","url"');
    expect(csv).toContain('"The Doctor, His Patient and the Illness"');
    expect(csv).not.toContain("doctor as a drug");
    const withReflections = await (await app.request("/api/v1/me/learning/export.csv?includeReflections=true", { cookie: member.cookie })).text();
    expect(withReflections).toContain("doctor as a drug");
    expect((await app.request("/api/v1/me/learning/export.csv?includeReflections=maybe", { cookie: member.cookie })).status).toBe(400);

    const target = mine.entries[0]!.id;
    expect((await app.request(`/api/v1/me/learning/${target}`, { method: "DELETE", cookie: owner.cookie })).status).toBe(404);
    expect((await app.request(`/api/v1/me/learning/${target}`, { method: "DELETE", cookie: member.cookie })).status).toBe(204);
    expect((await app.request(`/api/v1/me/learning/${target}`, { method: "DELETE", cookie: member.cookie })).status).toBe(404);
  });

  it("learningRecord gives facts for accreditation and never the reflection", async () => {
    const record = await app.services.library.learningRecord(leader.id);
    expect(record.entries).toHaveLength(1);
    expect(record.entries[0]).toMatchObject({ itemId: ids["doctor"], minutes: 30, ceEligible: true });
    expect(record.totalMinutes).toBe(30);
    expect(record.ceEligibleMinutes).toBe(30);
    expect(JSON.stringify(record)).not.toMatch(/Johnson|reflection/i);
  });
});

describe("demo data", () => {
  it("seedLibrary adds English and Spanish items and reading logs through the service", async () => {
    const { seedLibrary } = await import("../../demo/library-seed.ts");
    const { createOrganisation } = await import("../../../tests/support/factories.ts");
    const society = await createOrganisation(app, { slug: "northlake-balint-society", name: "Northlake Balint Society" });
    const hospital = await createOrganisation(app, { slug: "san-rafael-bienestar", name: "Hospital Clínico San Rafael" });
    for (const o of [society, hospital]) {
      await addMember(app, o.id, (await signUp(app, { verified: true })).id, "coordinator");
      for (let i = 0; i < 3; i++) await addMember(app, o.id, (await signUp(app, { verified: true })).id, "member");
    }
    const result = await seedLibrary(app.services, { now: new Date() });
    expect(result.items).toBeGreaterThanOrEqual(24);
    expect(result.logEntries).toBeGreaterThanOrEqual(20);
    expect(titles(await search("language=es&organisationSlug=san-rafael-bienestar&pageSize=100")).length).toBeGreaterThanOrEqual(5);
    expect(titles(await search("q=doctor%20patient%20illness&organisationSlug=northlake-balint-society"))).toEqual(["The Doctor, His Patient and the Illness"]);
  });
});
