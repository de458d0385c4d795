// Built-in instruments are owned by the code. On start the stored copy follows a new wording or
// translation (same structure, so stored answers score the same), but never a change of structure.
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { orgWithPerson } from "../../../tests/support/factories.ts";
import type { Actor } from "../../platform/policy/policy.ts";
import { type Questionnaire, questionnaireLanguages } from "./fhir.ts";
import { pss10, who5 } from "./instruments/index.ts";
import { wellbeingInstrument } from "./schema.ts";
import { createWellbeingService } from "./service.server.ts";

let app: TestApp;
let actor: Actor;
let orgId: string;
const db = () => app.services.kernel.db;
const stored = async (key: string) => (await db().select().from(wellbeingInstrument).where(and(isNull(wellbeingInstrument.organisationId), eq(wellbeingInstrument.builtInKey, key))))[0]!;
/** The questionnaire as an earlier release stored it: English only. */
const withoutTranslations = (q: Questionnaire): Questionnaire => JSON.parse(JSON.stringify(q, (k, v) => (k === "_text" || k === "_title" || k === "_display" ? undefined : v)));

beforeAll(async () => {
  app = await createTestApp();
  const { org, person } = await orgWithPerson(app, "owner");
  orgId = org.id;
  actor = { kind: "user", userId: person.id, memberships: new Map([[org.id, "owner"]]) };
  await app.services.wellbeing.listInstruments(actor, orgId);
}, 120_000);
afterAll(async () => app?.close());

describe("built-in instruments on start", () => {
  it("take a new translation into the stored copy, keeping its id", async () => {
    const before = await stored("who-5");
    expect(questionnaireLanguages(before.questionnaire)).toEqual(["en", "es"]);
    await db().update(wellbeingInstrument).set({ version: "1998-en", questionnaire: withoutTranslations(who5.questionnaire) }).where(eq(wellbeingInstrument.id, before.id));
    expect(questionnaireLanguages((await stored("who-5")).questionnaire)).toEqual(["en"]);

    await createWellbeingService(app.services.kernel).listInstruments(actor, orgId);
    const after = await stored("who-5");
    expect(after.id).toBe(before.id);
    expect(after.version).toBe("1998");
    expect(questionnaireLanguages(after.questionnaire)).toEqual(["en", "es"]);
  });

  it("keep the stored copy when the structure differs, because past answers would score differently", async () => {
    const row = await stored("pss-10");
    const old = structuredClone(pss10.questionnaire);
    old.item[1]!.answerOption![0]!.valueCoding!.code = "nunca"; // another code: a different instrument for stored answers
    await db().update(wellbeingInstrument).set({ questionnaire: old }).where(eq(wellbeingInstrument.id, row.id));

    await createWellbeingService(app.services.kernel).listInstruments(actor, orgId);
    expect((await stored("pss-10")).questionnaire.item[1]!.answerOption![0]!.valueCoding!.code).toBe("nunca");
  });
});
