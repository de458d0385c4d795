// The check-in administration page /o/:slug/wellbeing (ui/admin.tsx) exercised through the app as a
// signed-in coordinator ("wellbeing:manage"), without JavaScript: the "New campaign" form and the
// "Import a questionnaire" form, each with good and bad input. Bad input is a 400 page naming the
// field, and nothing is stored.
// Needs the UI build (the test runner builds it when sources changed).
import { and, count, eq } from "drizzle-orm";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { addMember, orgWithPerson, signUp } from "../../../tests/support/factories.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { organisation } from "../../platform/tenancy/schema.ts";
import { ORDINAL_VALUE_URL, type Questionnaire } from "./fhir.ts";
import { wellbeingCampaign, wellbeingInstrument, wellbeingWave } from "./schema.ts";

type Person = Awaited<ReturnType<typeof signUp>>;
const TIME_ZONE = "America/New_York";

let app: TestApp;
let orgId: string;
let slug: string;
let owner: Person;
let coordinator: Person;
let member: Person;
let who5Id: string;

const db = () => app.services.kernel.db;
const page = () => `/o/${slug}/wellbeing`;
const get = (path: string, cookie?: string) => app.request(path, { ...(cookie ? { cookie } : {}), redirect: "manual" });
/** A form post as the browser sends it (urlencoded; repeated names for checkboxes). */
const post = (fields: [string, string][], cookie = coordinator.cookie) =>
  app.request(page(), { method: "POST", cookie, headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields), redirect: "manual" });
/** The import form is multipart (it has a file input). */
const postImport = (json: string, file?: { name: string; text: string }, cookie = coordinator.cookie) => {
  const body = new FormData();
  body.set("intent", "import");
  body.set("json", json);
  body.set("file", file ? new File([file.text], file.name, { type: "application/json" }) : new File([], "", { type: "application/octet-stream" }));
  return app.request(page(), { method: "POST", cookie, body, redirect: "manual" });
};

const campaignsOfOrg = async () => Number((await db().select({ n: count() }).from(wellbeingCampaign).where(eq(wellbeingCampaign.organisationId, orgId)))[0]!.n);
const instrumentsOfOrg = async () => Number((await db().select({ n: count() }).from(wellbeingInstrument).where(eq(wellbeingInstrument.organisationId, orgId)))[0]!.n);

/** A date-time as the datetime-local input holds it, in the organisation's time zone. */
const localIn = (zdt: Temporal.ZonedDateTime) => zdt.toPlainDateTime().toString({ smallestUnit: "minute" });

/** Every field the "New campaign" form submits, as a browser would send it, with overrides. */
function createFields(overrides: Record<string, string | string[]> = {}): [string, string][] {
  const opens = Temporal.Now.zonedDateTimeISO(TIME_ZONE).add({ days: 2 }).with({ hour: 9, minute: 30, second: 0, millisecond: 0, microsecond: 0, nanosecond: 0 });
  const base: Record<string, string | string[]> = {
    intent: "create",
    name: "Residents spring check-in",
    instrumentIds: [who5Id],
    mode: "confidential",
    cohortKind: "organisation",
    discipline: "physician",
    cohortLabel: "",
    scheduleKind: "once",
    opensAt: localIn(opens),
    everyMonths: "6",
    until: "",
    windowDays: "14",
    reminderDaysBefore: "3",
    ...overrides,
  };
  return Object.entries(base).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]));
}

function questionnaire(slugPart: string, version = "1"): Questionnaire {
  return {
    resourceType: "Questionnaire",
    url: `https://example.org/fhir/Questionnaire/${slugPart}`,
    version,
    title: `Team climate ${slugPart} v${version}`,
    status: "active",
    item: [
      { linkId: "q1", text: "My team supports me", type: "choice", required: true, answerOption: [0, 1, 2, 3].map((v) => ({ valueCoding: { code: `c${v}`, display: `${v}` }, extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: v }] })) },
      { linkId: "q2", text: "I can ask for help", type: "integer", required: true },
    ],
  };
}
const scoring = { scales: [{ id: "climate", items: ["q1", "q2"], method: "sum", range: [0, 10] }], bands: [{ scale: "climate", upTo: 3, labelKey: "local.low", severity: "elevated" }] };

beforeAll(async () => {
  app = await createTestApp({ ui: true });
  const o = await orgWithPerson(app, "owner");
  orgId = o.org.id;
  slug = o.org.slug;
  owner = o.person;
  await db().update(organisation).set({ timeZone: TIME_ZONE }).where(eq(organisation.id, orgId));
  coordinator = await signUp(app, { verified: true, name: "Cora Coordinator" });
  await addMember(app, orgId, coordinator.id, "coordinator");
  member = await signUp(app, { verified: true, name: "Mara Member" });
  await addMember(app, orgId, member.id, "member");
  const ownerActor: Actor = { kind: "user", userId: owner.id, memberships: new Map([[orgId, "owner"]]) };
  who5Id = (await app.services.wellbeing.listInstruments(ownerActor, orgId)).items.find((i) => i.builtInKey === "who-5")!.id;
}, 120_000);
afterAll(async () => app?.close());

describe("the well-being administration page", () => {
  it("is linked and open to coordinators (without the settings link), closed to members", async () => {
    const res = await get(page(), coordinator.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`href="/o/${slug}/wellbeing"`); // the organisation navigation
    expect(html).toContain("Support resources shown to people");
    expect(html).not.toContain(`href="/o/${slug}/settings"`); // coordinators cannot change settings
    const ownerHtml = await (await get(page(), owner.cookie)).text();
    expect(ownerHtml).toContain(`href="/o/${slug}/settings"`);
    expect((await get(page(), member.cookie)).status).toBe(403);
    const memberOverview = await get(`/o/${slug}`, member.cookie);
    expect(memberOverview.status).toBe(200);
    expect(await memberOverview.text()).not.toContain(`href="/o/${slug}/wellbeing"`);
  });
});

describe("the New campaign form", () => {
  it("creates the campaign and lists it, reading the opening time in the organisation's time zone", async () => {
    const fields = createFields({ name: "Coordinator spring check-in", cohortLabel: "residents-2027" });
    const res = await post(fields);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("The campaign was created.");
    expect(html).toContain("Coordinator spring check-in");
    const [c] = await db().select().from(wellbeingCampaign).where(and(eq(wellbeingCampaign.organisationId, orgId), eq(wellbeingCampaign.name, "Coordinator spring check-in")));
    expect(c).toMatchObject({ mode: "confidential", cohortKind: "organisation", cohortLabel: "residents-2027", scheduleKind: "once", windowDays: 14, reminderDaysBefore: 3 });
    const waves = await db().select().from(wellbeingWave).where(eq(wellbeingWave.campaignId, c!.id));
    expect(waves).toHaveLength(1);
    const typed = Object.fromEntries(fields)["opensAt"]!;
    const expected = Temporal.PlainDateTime.from(typed).toZonedDateTime(TIME_ZONE).toInstant().epochMilliseconds;
    expect(waves[0]!.opensAt.getTime()).toBe(expected);
    expect(waves[0]!.closesAt.getTime() - waves[0]!.opensAt.getTime()).toBe(14 * 86_400_000);
    // And it is there on a fresh visit.
    expect(await (await get(page(), coordinator.cookie)).text()).toContain("Coordinator spring check-in");
  });

  const bad: Array<[string, Record<string, string | string[]>, string]> = [
    ["no questionnaire chosen", { instrumentIds: [] }, "instrumentIds"],
    ["an instrument that does not exist", { instrumentIds: ["00000000-0000-4000-8000-000000000000"] }, "instrumentIds.0"],
    ["no name", { name: "  " }, "name"],
    ["no opening time", { opensAt: "" }, "schedule.opensAt"],
    ["an opening time that is not a date", { opensAt: "next tuesday" }, "schedule.opensAt"],
    ["a repeating schedule that ends before it opens", { scheduleKind: "every", until: "2020-01-01T09:00" }, "schedule.until"],
    ["a window of zero days", { windowDays: "0" }, "windowDays"],
    ["a cohort code with spaces", { cohortLabel: "Residents 2027" }, "cohortLabel"],
    ["an unknown mode", { mode: "open" }, "mode"],
  ];
  for (const [what, overrides, field] of bad) {
    it(`refuses ${what}: 400 naming ${field}, nothing stored`, async () => {
      const before = await campaignsOfOrg();
      const name = `Refused: ${what}`;
      const res = await post(createFields({ name, ...overrides }));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('class="error-summary"');
      expect(html).toContain(`href="#field-${field}"`);
      if (overrides.name === undefined) expect(html).toContain(`value="${name}"`); // the form keeps what was typed
      expect(await campaignsOfOrg()).toBe(before);
    });
  }

  it("members cannot post it (403), and nothing is stored", async () => {
    const before = await campaignsOfOrg();
    const res = await post(createFields({ name: "By a member" }), member.cookie);
    expect(res.status).toBe(403);
    expect(await campaignsOfOrg()).toBe(before);
  });
});

describe("the Import a questionnaire form", () => {
  it("imports a pasted Questionnaire with its scoring rule and lists it", async () => {
    const before = await instrumentsOfOrg();
    const res = await postImport(JSON.stringify({ questionnaire: questionnaire("pasted"), scoring }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("The questionnaire was imported.");
    expect(html).toContain("Team climate pasted v1");
    expect(await instrumentsOfOrg()).toBe(before + 1);
    const [row] = await db().select().from(wellbeingInstrument).where(eq(wellbeingInstrument.url, "https://example.org/fhir/Questionnaire/pasted"));
    expect(row).toMatchObject({ organisationId: orgId, version: "1", retiredAt: null });
    expect(row!.scoring.scales[0]!.id).toBe("climate");
    // It can be chosen for a new campaign straight away.
    expect(html).toContain(`name="instrumentIds" value="${row!.id}"`);
  });

  it("imports one from a chosen file", async () => {
    const before = await instrumentsOfOrg();
    const res = await postImport("", { name: "climate.json", text: JSON.stringify({ questionnaire: questionnaire("from-file", "2"), scoring }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Team climate from-file v2");
    expect(await instrumentsOfOrg()).toBe(before + 1);
  });

  const bad: Array<[string, () => Parameters<typeof postImport>, string]> = [
    ["text that is not JSON", () => ["{ questionnaire: oops", undefined], "json"],
    ["nothing at all", () => ["", undefined], "json"],
    ["a file that is not JSON", () => ["", { name: "climate.json", text: "<Questionnaire/>" }], "json"],
    ["a FHIR resource that is not a Questionnaire", () => [JSON.stringify({ questionnaire: { resourceType: "Patient", id: "p1" }, scoring }), undefined], "questionnaire.resourceType"],
    ["a Questionnaire without its scoring rule", () => [JSON.stringify({ questionnaire: questionnaire("no-rule") }), undefined], "scoring"],
    ["a bare Questionnaire (not wrapped with its rule)", () => [JSON.stringify(questionnaire("bare")), undefined], "questionnaire"],
    ["a JSON array", () => ["[1, 2, 3]", undefined], "json"],
    ["a JSON string", () => [JSON.stringify("Questionnaire"), undefined], "json"],
    ["a rule that scores an item the Questionnaire lacks", () => [JSON.stringify({ questionnaire: questionnaire("bad-rule"), scoring: { ...scoring, scales: [{ ...scoring.scales[0], items: ["q1", "q9"] }] } }), undefined], "scoring.scales[0].items[1]"],
    ["a Questionnaire without a canonical url", () => [JSON.stringify({ questionnaire: { ...questionnaire("no-url"), url: undefined }, scoring }), undefined], "questionnaire.url"],
  ];
  for (const [what, args, field] of bad) {
    it(`refuses ${what}: 400 naming ${field}, nothing stored`, async () => {
      const before = await instrumentsOfOrg();
      const res = await postImport(...args());
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('class="error-summary"');
      expect(html).toContain(`href="#field-${field}"`);
      expect(await instrumentsOfOrg()).toBe(before);
    });
  }

  it("refuses the same url and version twice (409 naming questionnaire.url), nothing stored", async () => {
    const before = await instrumentsOfOrg();
    const res = await postImport(JSON.stringify({ questionnaire: questionnaire("pasted"), scoring }));
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('href="#field-questionnaire.url"');
    expect(await instrumentsOfOrg()).toBe(before);
  });

  it("members cannot import (403), and nothing is stored", async () => {
    const before = await instrumentsOfOrg();
    const res = await postImport(JSON.stringify({ questionnaire: questionnaire("by-member"), scoring }), undefined, member.cookie);
    expect(res.status).toBe(403);
    expect(await instrumentsOfOrg()).toBe(before);
  });
});
