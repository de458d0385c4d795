import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../../tests/support/test-app.ts";
import { isAppError } from "../../platform/http/errors.ts";

async function errorCode(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return "none";
  } catch (error) {
    return isAppError(error) ? error.code : "other";
  }
}

describe("development outbox", () => {
  describe("enabled (no SMTP_URL, not production)", () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp({ mailTransport: "config", ui: true });
    });
    afterAll(async () => app?.close());

    it("lists messages newest first and shows one with its bodies", async () => {
      expect(app.config.devOutbox).toBe(true);
      const mailer = app.services.kernel.mailer;
      const first = await mailer.send("first@example.org", { template: "verifyEmail", locale: "en", recipientName: "First", actionUrl: "http://localhost:3000/x?token=1" });
      await new Promise((r) => setTimeout(r, 20));
      const second = await mailer.send("second@example.org", { template: "verifyEmail", locale: "es", recipientName: "Second", actionUrl: "http://localhost:3000/x?token=2" });
      const page = await app.services.outbox.list(1);
      expect(page.total).toBe(2);
      expect(page.items.map((m) => m.id)).toEqual([second, first]);
      const message = await app.services.outbox.get(first);
      expect(message.toAddress).toBe("first@example.org");
      expect(message.textBody).toContain("http://localhost:3000/x?token=1");
      expect(message.htmlBody).toMatch(/<html|<p|<a/i);
      expect(await errorCode(app.services.outbox.get("00000000-0000-4000-8000-000000000000"))).toBe("not_found");
      expect(await errorCode(app.services.outbox.get("not-a-uuid"))).toBe("not_found");

      // The pages: the list, and one message with clickable links and a fully sandboxed HTML frame.
      await expect.poll(async () => (await app.services.outbox.get(first)).status, { timeout: 15_000 }).toBe("outbox");
      const list = await app.request("/dev/outbox");
      expect(list.status).toBe(200);
      const listHtml = await list.text();
      expect(listHtml).toContain(`href="/dev/outbox/${first}"`);
      expect(listHtml.indexOf(`/dev/outbox/${second}`)).toBeLessThan(listHtml.indexOf(`/dev/outbox/${first}`));
      const detail = await app.request(`/dev/outbox/${first}`);
      expect(detail.status).toBe(200);
      const html = await detail.text();
      expect(html).toContain('<a href="http://localhost:3000/x?token=1">');
      expect(html).toMatch(/<iframe[^>]*sandbox=""[^>]*srcDoc="/);
      expect((await app.request("/dev/outbox/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    });
  });

  describe("disabled", () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp({ env: { DEV_OUTBOX: "false" }, ui: true });
    });
    afterAll(async () => app?.close());

    it("404s everything", async () => {
      expect(app.config.devOutbox).toBe(false);
      expect(app.services.outbox.enabled()).toBe(false);
      expect(await errorCode(app.services.outbox.list(1))).toBe("not_found");
      expect(await errorCode(app.services.outbox.get("00000000-0000-4000-8000-000000000000"))).toBe("not_found");
      expect((await app.request("/dev/outbox")).status).toBe(404);
      expect((await app.request("/dev/outbox/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    });
  });
});
