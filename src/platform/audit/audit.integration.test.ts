import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { recordAudit } from "./audit.server.ts";
import { auditEvent } from "./schema.ts";

describe("audit log is append-only in the database", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app?.close());

  it("records an event, then refuses UPDATE, DELETE and TRUNCATE of it", async () => {
    const { db } = app.services.kernel;
    await recordAudit(db, { action: "member.role_changed", actorUserId: "user-1", targetType: "user", targetId: "user-2", details: { role: "leader" } });
    const [row] = await db.select().from(auditEvent).where(eq(auditEvent.targetId, "user-2"));
    expect(row).toMatchObject({ action: "member.role_changed", actorKind: "user", details: { role: "leader" } });

    await expect(db.update(auditEvent).set({ action: "member.removed" }).where(eq(auditEvent.id, row!.id))).rejects.toThrow();
    await expect(db.delete(auditEvent).where(eq(auditEvent.id, row!.id))).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_event`)).rejects.toThrow();

    const [after] = await db.select().from(auditEvent).where(eq(auditEvent.id, row!.id));
    expect(after?.action).toBe("member.role_changed");
  });

  it("refuses prose in details and badly named actions before writing anything", async () => {
    const { db } = app.services.kernel;
    const before = await db.select().from(auditEvent);
    await expect(recordAudit(db, { action: "member.role_changed", details: { note: "She told us about a difficult patient today" } })).rejects.toThrow(/free text/);
    await expect(recordAudit(db, { action: "Changed role" })).rejects.toThrow(/area\.verb_ed/);
    const after = await db.select().from(auditEvent);
    expect(after.length).toBe(before.length);
  });
});
