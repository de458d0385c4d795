// The facilitation companion, end to end: a leader and a co-leader (two browser contexts) follow
// one meeting from opening to end, each seeing the other's changes live, through a restart of the
// server in the middle of the meeting.
//
// This spec runs its OWN server (scripts/start.ts) on another port with its own DATA_DIR, because
// it restarts it. Before the first start, a short Node script boots the app in-process on that
// directory (no HTTP listener) and seeds: an organisation, an owner, a leader and a co-leader, three
// members, and a daily group (UTC) whose meeting today began 20 minutes ago.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { expectNoSeriousA11yViolations, signInViaUi } from "./support.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PORT = Number(process.env.E2E_PORT ?? 3200) + 37;
const BASE = `http://localhost:${PORT}`;
const PASSWORD = "cedar-window-gently-73";

interface Seeded {
  orgId: string;
  groupId: string;
  start: string;
  leader: string;
  coLeader: string;
  members: { id: string; name: string }[];
}

const env = (dataDir: string) => ({
  ...process.env,
  DATA_DIR: dataDir,
  PORT: String(PORT),
  APP_URL: BASE,
  NODE_ENV: "production",
  DEV_OUTBOX: "1",
  AUTH_RATE_LIMIT: "1000",
  LOG_LEVEL: "warn",
});

/** Seeds the data directory through the app itself (sign-up through better-auth, group through the REST API). */
function seed(dataDir: string): Seeded {
  const url = (p: string) => pathToFileURL(path.join(ROOT, p)).href;
  const script = `
    import { startApp } from ${JSON.stringify(url("src/server.ts"))};
    import { loadConfig } from ${JSON.stringify(url("src/platform/config.server.ts"))};
    import { user } from ${JSON.stringify(url("src/platform/auth/schema.ts"))};
    import { membership, organisation } from ${JSON.stringify(url("src/platform/tenancy/schema.ts"))};
    import { groupMembership } from ${JSON.stringify(url("src/features/groups/schema.ts"))};
    import { inArray } from "drizzle-orm";
    const config = loadConfig(process.env);
    const app = await startApp(config, { listen: false, ui: false, work: false });
    const db = app.services.kernel.db;
    const req = (p, init = {}) => app.app.request(new URL(p, config.appUrl).toString(), { ...init, headers: { origin: config.appUrl, "content-type": "application/json", ...(init.headers ?? {}) } });
    const people = {};
    for (const [key, name, email] of [["owner", "Olu Owner", "owner"], ["leader", "Lena Leader", "leader"], ["coLeader", "Cora Coleader", "coleader"], ["ada", "Ada Member", "ada"], ["bo", "Bo Member", "bo"], ["cy", "Cy Member", "cy"]]) {
      const res = await req("/api/auth/sign-up/email", { method: "POST", body: JSON.stringify({ name, email: email + ".companion@example.org", password: ${JSON.stringify(PASSWORD)} }) });
      if (res.status !== 200) throw new Error("sign-up " + res.status + " " + await res.text());
      const body = await res.json();
      people[key] = { id: body.user.id, name, cookie: res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
    }
    await db.update(user).set({ emailVerified: true }).where(inArray(user.id, Object.values(people).map((p) => p.id)));
    const [org] = await db.insert(organisation).values({ name: "Companion Society", slug: "companion-society" }).returning();
    await db.insert(membership).values([
      { organisationId: org.id, userId: people.owner.id, role: "owner" },
      { organisationId: org.id, userId: people.leader.id, role: "leader" },
      { organisationId: org.id, userId: people.coLeader.id, role: "leader" },
      { organisationId: org.id, userId: people.ada.id, role: "member" },
      { organisationId: org.id, userId: people.bo.id, role: "member" },
      { organisationId: org.id, userId: people.cy.id, role: "member" },
    ]);
    const startMs = Math.floor((Date.now() - 20 * 60_000) / 60_000) * 60_000;
    const res = await req("/api/v1/orgs/" + org.id + "/groups", { method: "POST", headers: { cookie: people.owner.cookie }, body: JSON.stringify({
      name: "Evening circle", description: "A standing Balint group.", format: "online", meetingLink: "https://meet.example.org/evening-circle",
      languages: ["en"], timeZone: "UTC", schedule: { rrule: "FREQ=DAILY;COUNT=5", dtstartLocal: new Date(startMs - 86_400_000).toISOString().slice(0, 16), durationMinutes: 90 },
      capacity: 10, leaders: [{ userId: people.leader.id, kind: "leader" }, { userId: people.coLeader.id, kind: "co_leader" }],
    }) });
    if (res.status !== 201) throw new Error("group " + res.status + " " + await res.text());
    const group = await res.json();
    await db.insert(groupMembership).values(["ada", "bo", "cy"].map((k) => ({ groupId: group.id, userId: people[k].id, status: "active", term: 1, agreementAcceptedAt: new Date() })));
    await app.stop();
    console.log("SEEDED " + JSON.stringify({ orgId: org.id, groupId: group.id, start: new Date(startMs).toISOString(), leader: "leader.companion@example.org", coLeader: "coleader.companion@example.org",
      members: ["ada", "bo", "cy"].map((k) => ({ id: people[k].id, name: people[k].name })) }));
    process.exit(0);
  `;
  const out = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, env: env(dataDir), encoding: "utf8", timeout: 120_000 });
  const line = out.stdout.split("\n").find((l) => l.startsWith("SEEDED "));
  if (!line) throw new Error(`seeding failed (${out.status}): ${out.stderr}\n${out.stdout}`);
  return JSON.parse(line.slice("SEEDED ".length)) as Seeded;
}

/** Resolves when /healthz answers; rejects if the process exits first. */
async function waitForHealth(child: ChildProcess, deadlineMs = 90_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the companion spec's server exited (${child.exitCode})`);
    try {
      const r = await fetch(`${BASE}/healthz`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("the companion spec's server did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
}

function spawnServer(dataDir: string): ChildProcess {
  const child = spawn(process.execPath, ["scripts/start.ts"], { cwd: ROOT, env: env(dataDir), stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.resume();
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[companion server] ${d.toString()}`));
  return child;
}

/**
 * Starts the server and waits until it is healthy. The UI build in the checkout is shared: if
 * another build replaces it while this server loads it, the server exits; then wait for the build
 * lock (scripts build under /tmp/bc-build.lock) and try again.
 */
async function startServer(dataDir: string): Promise<ChildProcess> {
  for (let attempt = 1; ; attempt++) {
    spawnSync("flock", ["/tmp/bc-build.lock", "true"], { timeout: 120_000 });
    const child = spawnServer(dataDir);
    try {
      await waitForHealth(child);
      return child;
    } catch (error) {
      await stopServer(child);
      if (attempt >= 3) throw error;
    }
  }
}

async function stopServer(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
}

test.describe.serial("facilitation companion: leader and co-leader, live, through a restart", () => {
  let dataDir = "";
  let server: ChildProcess | null = null;
  let seeded: Seeded;
  let leaderContext: BrowserContext;
  let coContext: BrowserContext;
  let leader: Page;
  let co: Page;
  const companionUrl = () => `/companion/${seeded.groupId}/${encodeURIComponent(seeded.start)}`;
  const timer = (p: Page) => p.locator("section.companion__timer");

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    dataDir = mkdtempSync(path.join(os.tmpdir(), "bc-e2e-companion-"));
    seeded = seed(dataDir);
    server = await startServer(dataDir);
    leaderContext = await browser.newContext({ baseURL: BASE });
    coContext = await browser.newContext({ baseURL: BASE });
    leader = await leaderContext.newPage();
    co = await coContext.newPage();
    await signInViaUi(leader, { email: seeded.leader, password: PASSWORD });
    await signInViaUi(co, { email: seeded.coLeader, password: PASSWORD });
  });

  test.afterAll(async () => {
    await leaderContext?.close();
    await coContext?.close();
    await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test("both leaders find the meeting and the leader opens the companion", async () => {
    await leader.goto("/companion");
    await leader.getByRole("link", { name: /Companion: Evening circle/ }).click();
    await expect(leader.getByRole("heading", { level: 1 })).toContainText("Evening circle");
    await expectNoSeriousA11yViolations(leader, "companion (not open)");
    await co.goto(companionUrl());
    await expect(co.getByText("Live", { exact: true })).toBeVisible();
    await leader.getByRole("button", { name: "Open the companion" }).click();
    // The co-leader's page follows without a reload: the ground rules card and the roster appear.
    await expect(co.getByRole("heading", { name: "Ground rules" })).toBeVisible({ timeout: 3000 });
    await expect(co.getByRole("link", { name: "https://meet.example.org/evening-circle" })).toBeVisible();
    await expect(timer(co).getByRole("heading", { level: 2 })).toHaveText("Opening");
    await expect(co.getByText("Keyboard: Space pause or resume")).toBeVisible();
  });

  test("start on one device shows on the other within a second; the timer ticks; keys work", async () => {
    await leader.getByRole("button", { name: "Start", exact: true }).click();
    await expect(timer(co).getByText(/^Running/)).toBeVisible({ timeout: 1500 });
    const first = await co.getByTestId("companion-time").innerText();
    await expect.poll(async () => co.getByTestId("companion-time").innerText(), { timeout: 4000 }).not.toBe(first);
    // The co-leader moves on with the keyboard (→); the leader sees it, and the list marks it.
    await co.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await co.keyboard.press("ArrowRight");
    await expect(timer(leader).getByRole("heading", { level: 2 })).toHaveText("Presentation", { timeout: 1500 });
    await expect(leader.locator("li[aria-current='step']")).toContainText("Presentation");
    await expect(leader.locator("[aria-live='polite']")).toHaveText("Now: Presentation");
    // E extends the phase by five minutes: 10 → 15 minutes.
    await leader.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await leader.keyboard.press("e");
    await expect(co.locator("li[aria-current='step']")).toContainText("15 min", { timeout: 1500 });
  });

  test("taps and the presenter are shared", async () => {
    const ada = seeded.members[0]!;
    await leader.getByRole("button", { name: `Mark ${ada.name} Present` }).click();
    await expect(co.getByRole("button", { name: `Mark ${ada.name} Present` })).toHaveAttribute("aria-pressed", "true", { timeout: 1500 });
    await co.getByLabel("Volunteer for case 1").selectOption({ label: "Bo Member" });
    await co.getByRole("button", { name: "Record presenter" }).click();
    await expect(leader.getByRole("heading", { name: "Case 1: Bo Member" })).toBeVisible({ timeout: 1500 });
    // The private suggestions leave Bo out now.
    await expect(leader.getByRole("button", { name: /Choose Bo Member/ })).toHaveCount(0);
    await expectNoSeriousA11yViolations(co, "companion (running)");
  });

  test("the server restarts mid-meeting: both devices reconnect and carry on", async () => {
    test.setTimeout(120_000);
    await stopServer(server);
    await expect(co.getByText(/Reconnecting/)).toBeVisible({ timeout: 10_000 });
    server = await startServer(dataDir);
    await expect(co.getByText("Live", { exact: true })).toBeVisible({ timeout: 20_000 });
    await expect(leader.getByText("Live", { exact: true })).toBeVisible({ timeout: 20_000 });
    // The state survived: still the presentation of case 1, Bo presenting, Ada present.
    await expect(timer(co).getByRole("heading", { level: 2 })).toHaveText("Presentation");
    await expect(co.getByRole("heading", { name: "Case 1: Bo Member" })).toBeVisible();
    // Taps still work after the restart.
    await co.getByRole("button", { name: "Mark Bo Member Present" }).click();
    await expect(leader.getByRole("button", { name: "Mark Bo Member Present" })).toHaveAttribute("aria-pressed", "true", { timeout: 1500 });
    await co.getByRole("button", { name: "Pause", exact: true }).click();
    await expect(timer(leader).getByText(/^Paused/)).toBeVisible({ timeout: 1500 });
    await leader.getByRole("button", { name: "Resume", exact: true }).click();
    await expect(timer(co).getByText(/^Running/)).toBeVisible({ timeout: 1500 });
  });

  test("without JavaScript the page shows the state and the buttons work as form posts", async ({ browser }) => {
    const plain = await browser.newContext({ baseURL: BASE, javaScriptEnabled: false, storageState: await leaderContext.storageState() });
    try {
      const page = await plain.newPage();
      await page.goto(companionUrl());
      await expect(timer(page).getByText(/^Running/)).toBeVisible();
      await expect(timer(page).getByRole("heading", { level: 2 })).toHaveText("Presentation");
      await page.getByRole("button", { name: "Pause", exact: true }).click();
      await expect(timer(page).getByText(/^Paused/)).toBeVisible();
      // The JavaScript devices follow live.
      await expect(timer(co).getByText(/^Paused/)).toBeVisible({ timeout: 1500 });
      await page.getByRole("button", { name: "Resume", exact: true }).click();
      await expect(timer(page).getByText(/^Running/)).toBeVisible();
      await expect(timer(leader).getByText(/^Running/)).toBeVisible({ timeout: 1500 });
    } finally {
      await plain.close();
    }
  });

  test("a second case, then ending the meeting completes attendance", async () => {
    await leader.getByRole("button", { name: "Add a case" }).click();
    await expect(co.getByRole("heading", { name: /Case 2:/ })).toBeVisible({ timeout: 1500 });
    await leader.getByText("End meeting…").click();
    await leader.getByRole("button", { name: "End the meeting now" }).click();
    await expect(co.getByText("The meeting has ended. Attendance is complete and the leaders are credited.")).toBeVisible({ timeout: 1500 });
    await expect(timer(leader).getByText(/^Ended/)).toBeVisible();
    const res = await leader.request.get(`/api/v1/orgs/${seeded.orgId}/groups/${seeded.groupId}/sessions/${encodeURIComponent(seeded.start)}/attendance`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { items: { name: string; status: string | null }[] };
    expect(Object.fromEntries(body.items.map((i) => [i.name, i.status]))).toEqual({ "Ada Member": "present", "Bo Member": "present", "Cy Member": "absent" });
    await expectNoSeriousA11yViolations(leader, "companion (ended)");
  });

  test("the leader changes the group's companion settings from the companion's link", async () => {
    await leader.getByRole("link", { name: "Companion settings for this group" }).click();
    await expect(leader.getByRole("heading", { level: 1, name: "Companion settings" })).toBeVisible();
    await expectNoSeriousA11yViolations(leader, "companion settings");
    await leader.getByLabel("Pushback: the presenter listens").fill("25");
    await leader.getByRole("button", { name: "Save settings" }).click();
    await expect(leader.getByText("Settings saved.")).toBeVisible();
    await expect(leader.getByLabel("Pushback: the presenter listens")).toHaveValue("25");
  });
});
