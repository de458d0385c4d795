// The second half of issue 3's end-to-end proof: a member answers for a meeting on /sessions,
// the leader records attendance for a past meeting from the overdue nudge, the member's
// participation record shows it, and the member's calendar subscription (and one meeting's
// .ics) are read by an independent iCalendar parser (ical.js).
//
// The group is created through the UI with a first meeting three weeks ago (the groups service
// accepts a first meeting in the past), so that the member is on the roster of past meetings.
// Joining is groups.spec.ts's journey; here it is repeated briefly through the UI because the
// API would need several extra accounts' worth of setup.
//
// Leaders see answers, notes and the attendance history on the meeting's own page
// (/o/:slug/groups/:groupId/meetings/:start, linked from the group's management page); members
// see their record on /account/participation. The REST API is used only to read back what the
// UI saved.
import ICAL from "ical.js";
import { expect, test, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";
import { OWNER, PASSWORD, expectNoSeriousA11yViolations, readLatestMail, signInViaUi, signUpViaUi, uniqueEmail } from "./support.ts";

const GROUP_TZ = "America/New_York";
const DAY_MS = 86_400_000;

/** Today's date in a time zone, as YYYY-MM-DD, shifted by `days`. */
function localDate(timeZone: string, days: number): string {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

interface Meeting {
  occurrenceStart: string;
  start: string;
  status: "scheduled" | "cancelled" | "rescheduled";
}

/** Parses an iCalendar text and registers its VTIMEZONEs (ical.js needs them to resolve TZIDs). */
function parseCalendar(text: string): ICAL.Component {
  const vcal = new ICAL.Component(ICAL.parse(text));
  for (const vtz of vcal.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(vtz);
  return vcal;
}

const toIso = (t: ICAL.Time) => t.toJSDate().toISOString();

test.describe.serial("sessions: RSVP, attendance and calendar feeds", () => {
  let ownerContext: BrowserContext;
  let memberContext: BrowserContext;
  let owner: Page;
  let member: Page;
  const suffix = Date.now().toString(36);
  const groupName = `Riverside mixed ${suffix}`;
  const link = `https://meet.example.org/riverside-${suffix}`;
  const person = { name: "Tomasz Wieczorek", email: uniqueEmail("sessions"), password: PASSWORD };
  let orgId = "";
  let groupId = "";
  let meetings: Meeting[] = [];

  const api = (r: APIRequestContext) => ({
    get: (path: string) => r.get(`/api/v1${path}`),
    // Browser writes carry the app's Origin (the server's CSRF check); the cookie is the context's.
    post: (path: string, data: unknown) => r.post(`/api/v1${path}`, { data, headers: { Origin: new URL(owner.url()).origin } }),
    put: (path: string, data: unknown) => r.put(`/api/v1${path}`, { data, headers: { Origin: new URL(owner.url()).origin } }),
  });
  const groupPath = () => `/orgs/${orgId}/groups/${groupId}`;
  const past = () => meetings.filter((m) => Date.parse(m.start) < Date.now() && m.status !== "cancelled");
  const future = () => meetings.filter((m) => Date.parse(m.start) > Date.now() + 3_600_000 && m.status !== "cancelled");

  test.beforeAll(async ({ browser }) => {
    ownerContext = await browser.newContext();
    memberContext = await browser.newContext();
    owner = await ownerContext.newPage();
    member = await memberContext.newPage();
  });

  test.afterAll(async () => {
    await ownerContext?.close();
    await memberContext?.close();
  });

  test("a weekly group that began three weeks ago; a newcomer joins and accepts the agreement", async () => {
    test.setTimeout(120_000);
    const firstMeeting = localDate(GROUP_TZ, -21);

    await signInViaUi(owner, OWNER);
    await owner.goto(`/o/${OWNER.organisationSlug}/groups/new`);
    await owner.getByLabel("Name", { exact: true }).fill(groupName);
    await owner.getByLabel("Description").fill("A weekly mixed group for clinicians.");
    await owner.getByRole("radio", { name: "Online", exact: true }).check();
    await owner.getByLabel("Meeting link").fill(link);
    await owner.getByLabel("Time zone of the meetings").selectOption(GROUP_TZ);
    await owner.getByLabel("Date of the first meeting").fill(firstMeeting);
    await owner.getByLabel("Start time").fill("19:00");
    await owner.getByRole("radio", { name: "Every week", exact: true }).check();
    await owner.getByLabel("Number of meetings in the term").fill("10");
    await owner.getByLabel(OWNER.name).selectOption("leader");
    await owner.getByRole("button", { name: "Create the group" }).click();
    await expect(owner.getByText(`The group ${groupName} was created.`)).toBeVisible();
    groupId = /\/groups\/([0-9a-f-]{36})/.exec(owner.url())?.[1] ?? "";
    expect(groupId, "the management page's URL names the group").not.toBe("");
    const manageUrl = owner.url().replace(/\?.*$/, "");

    const orgs = (await (await api(owner.request).get("/orgs")).json()) as { items: { organisationId: string; slug: string }[] };
    orgId = orgs.items.find((o) => o.slug === OWNER.organisationSlug)?.organisationId ?? "";
    expect(orgId).not.toBe("");

    // The newcomer finds it in the directory, signs up and asks for a seat.
    await member.goto(`/groups?q=${encodeURIComponent(`Riverside ${suffix}`)}`);
    await member.getByRole("link", { name: groupName }).click();
    await expect(member.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
    const groupUrl = member.url();
    await signUpViaUi(member, person);
    await member.goto(groupUrl);
    await member.getByRole("button", { name: "Request a seat" }).click();
    await expect(member.getByText(`Your request to join ${groupName} was sent.`, { exact: false })).toBeVisible();

    await owner.goto(manageUrl);
    await owner.getByRole("button", { name: `Approve ${person.name}` }).click();
    await expect(owner.getByText(`${person.name} is now a member of ${groupName}.`)).toBeVisible();

    await member.goto(groupUrl);
    await member.getByRole("button", { name: "I agree" }).click();
    await expect(member.getByRole("link", { name: link })).toBeVisible();

    // The meetings as the leader's API sees them: three or four in the past, the rest ahead.
    const from = new Date(Date.now() - 30 * DAY_MS).toISOString();
    const to = new Date(Date.now() + 60 * DAY_MS).toISOString();
    const res = await api(owner.request).get(`${groupPath()}/sessions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(res.status()).toBe(200);
    meetings = ((await res.json()) as { items: Meeting[] }).items;
    expect(meetings).toHaveLength(10);
    expect(past().length).toBeGreaterThanOrEqual(3);
    expect(future().length).toBeGreaterThanOrEqual(4);
  });

  test("the member can't come to the next meeting, then changes it back; the leader sees each answer", async () => {
    test.setTimeout(90_000);
    const next = future()[0]!;
    await member.goto("/sessions");
    await expect(member.getByRole("heading", { level: 1, name: "My next sessions" })).toBeVisible();
    await expectNoSeriousA11yViolations(member, "/sessions (member)");

    // The answer control of that meeting: a labelled group in the row, with the meeting's start.
    const answer = member.getByRole("group", { name: new RegExp(`^Your answer for ${groupName} on `) }).filter({ has: member.locator(`input[name="start"][value="${next.occurrenceStart}"]`) });
    await expect(answer).toHaveCount(1);
    await expect(answer.getByText("Going", { exact: true })).toBeVisible();
    // Keyboard: focus the button and press Enter, as a keyboard user would.
    await answer.getByRole("button", { name: /^I can.t come$/ }).focus();
    await member.keyboard.press("Enter");
    await expect(member.getByRole("status").filter({ hasText: "Your answer is saved." })).toBeVisible();
    await expect(answer.getByText(/^Can.t come$/)).toBeVisible();
    await expect(answer.getByRole("button", { name: /^I.m going$/ })).toBeVisible();

    // The leader sees the answer on the meeting's page.
    const rsvps = async () => ((await (await api(owner.request).get(`${groupPath()}/sessions/${encodeURIComponent(next.occurrenceStart)}/rsvps`)).json()) as { items: { name: string; status: string; note: string | null }[] }).items;
    expect((await rsvps()).find((r) => r.name === person.name)).toMatchObject({ status: "not_going", note: null });
    await owner.goto(`/o/${OWNER.organisationSlug}/groups/${groupId}/meetings/${encodeURIComponent(next.occurrenceStart)}`);
    const coming = owner.getByRole("table", { name: "Who is coming" });
    await expect(coming.getByRole("row").filter({ hasText: person.name })).toContainText(/Can.t come/);

    // A short note for the leaders, added afterwards in the same row's field ("Save my note").
    const note = "On call that evening.";
    await answer.getByLabel("Note to the leaders (optional)").fill(note);
    await answer.getByRole("button", { name: "Save my note" }).click();
    await expect(member.getByRole("status").filter({ hasText: "Your answer is saved." })).toBeVisible();
    await expect(answer.getByLabel("Note to the leaders (optional)")).toHaveValue(note);
    expect((await rsvps()).find((r) => r.name === person.name)).toEqual(expect.objectContaining({ status: "not_going", note }));
    await owner.reload();
    await expect(coming.getByRole("row").filter({ hasText: person.name })).toContainText(note);

    // Back to going, with the mouse this time.
    await member.reload();
    await answer.getByRole("button", { name: /^I.m going$/ }).click();
    await expect(member.getByRole("status").filter({ hasText: "Your answer is saved." })).toBeVisible();
    await expect(answer.getByText("Going", { exact: true })).toBeVisible();
    // A new answer starts without the note.
    expect((await rsvps()).find((r) => r.name === person.name)).toMatchObject({ status: "going", note: null });

    // A meeting in the past takes no answer (the page does not offer one; the API refuses).
    const late = await api(member.request).put(`${groupPath()}/sessions/${encodeURIComponent(past()[0]!.occurrenceStart)}/rsvp`, { status: "not_going" });
    expect(late.status()).toBe(409);
  });

  test("the leader records attendance from the overdue nudge; the member's participation shows the meeting attended", async () => {
    test.setTimeout(120_000);
    const [first, second] = past();
    await owner.goto("/sessions");
    const nudge = owner.getByRole("region", { name: "Attendance to record" });
    await expect(nudge).toBeVisible();
    await expectNoSeriousA11yViolations(owner, "/sessions (leader, overdue nudge)");
    const links = nudge.getByRole("link", { name: new RegExp(`^Record attendance for ${groupName} on `) });
    await expect(links).toHaveCount(past().length);

    // The nudge lists the oldest meeting first.
    await links.first().click();
    await expect(owner).toHaveURL(new RegExp(`/sessions/${groupId}/${encodeURIComponent(first!.occurrenceStart).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/attendance$`));
    await expect(owner.getByRole("heading", { level: 1, name: "Attendance" })).toBeVisible();
    await expect(owner.getByText(groupName, { exact: false })).toBeVisible();
    await expectNoSeriousA11yViolations(owner, "/sessions/:groupId/:start/attendance");
    const row = owner.getByRole("group", { name: person.name });
    await expect(row.getByRole("radio")).toHaveCount(3);
    await expect(row.getByRole("radio", { checked: true })).toHaveCount(0);

    // First "excused" with the mouse, saved.
    await row.getByRole("radio", { name: "Excused" }).check();
    await owner.getByRole("button", { name: "Save attendance" }).click();
    await expect(owner.getByRole("status").filter({ hasText: "Attendance is saved." })).toBeVisible();
    await owner.reload();
    await expect(row.getByRole("radio", { name: "Excused" })).toBeChecked();

    // Then corrected with the keyboard: arrows move within the radio group, Enter submits.
    await row.getByRole("radio", { name: "Excused" }).focus();
    await owner.keyboard.press("ArrowUp");
    await expect(row.getByRole("radio", { name: "Absent" })).toBeChecked();
    await owner.keyboard.press("ArrowUp");
    await expect(row.getByRole("radio", { name: "Present" })).toBeChecked();
    await owner.keyboard.press("Enter");
    await expect(owner.getByRole("status").filter({ hasText: "Attendance is saved." })).toBeVisible();
    await owner.reload();
    await expect(row.getByRole("radio", { name: "Present" })).toBeChecked();

    // The second past meeting: absent (must not count as attended).
    await owner.goto(`/sessions/${groupId}/${encodeURIComponent(second!.occurrenceStart)}/attendance`);
    await owner.getByRole("group", { name: person.name }).getByRole("radio", { name: "Absent" }).check();
    await owner.getByRole("button", { name: "Save attendance" }).click();
    await expect(owner.getByRole("status").filter({ hasText: "Attendance is saved." })).toBeVisible();

    // Back on /sessions, the nudge no longer lists the two recorded meetings.
    await owner.getByRole("link", { name: "Back to my next sessions" }).click();
    await expect(owner.getByRole("heading", { level: 1, name: "My next sessions" })).toBeVisible();
    const remaining = past().length - 2;
    if (remaining > 0) await expect(owner.getByRole("region", { name: "Attendance to record" }).getByRole("link", { name: new RegExp(`^Record attendance for ${groupName} on `) })).toHaveCount(remaining);
    else await expect(owner.getByRole("link", { name: new RegExp(`^Record attendance for ${groupName} on `) })).toHaveCount(0);

    // The recorded attendance as the leader's API returns it.
    const sheet = async (m: Meeting) => ((await (await api(owner.request).get(`${groupPath()}/sessions/${encodeURIComponent(m.occurrenceStart)}/attendance`)).json()) as { items: { name: string; status: string | null }[] }).items;
    expect((await sheet(first!)).find((i) => i.name === person.name)?.status).toBe("present");
    expect((await sheet(second!)).find((i) => i.name === person.name)?.status).toBe("absent");

    // Each save is also in the organisation's audit log (the history itself: the last test).
    await owner.goto(`/o/${OWNER.organisationSlug}/audit?action=session.attendance_recorded`);
    expect(await owner.getByRole("main").locator("tbody tr").count()).toBeGreaterThanOrEqual(3);

    // The member's participation record as the API returns it (the page: the last test):
    // the first meeting (present) counts, the second (absent) does not.
    const mine = (await (await api(member.request).get("/me/participation")).json()) as { attended: { groupId: string; occurrenceStart: string }[]; attendedCount: number };
    const attendedHere = mine.attended.filter((a) => a.groupId === groupId).map((a) => a.occurrenceStart);
    expect(attendedHere).toEqual([first!.occurrenceStart]);
    // The leader's record counts both meetings as led (attendance recorded = the meeting took place).
    const led = (await (await api(owner.request).get("/me/participation")).json()) as { led: { groupId: string; occurrenceStart: string; kind: string }[] };
    expect(led.led.filter((l) => l.groupId === groupId).map((l) => l.occurrenceStart).sort()).toEqual([first!.occurrenceStart, second!.occurrenceStart].sort());
  });

  test("the member's calendar subscription and one meeting's .ics, read by ical.js; regenerating retires the old address", async ({ playwright }) => {
    test.setTimeout(120_000);
    // The leader cancels a future meeting on its page, reached from the group's list of next meetings.
    const cancelled = future()[1]!;
    const meetingUrl = `/o/${OWNER.organisationSlug}/groups/${groupId}/meetings/${encodeURIComponent(cancelled.occurrenceStart)}`;
    await owner.goto(`/o/${OWNER.organisationSlug}/groups/${groupId}`);
    await owner.getByRole("list", { name: "Next meetings" }).locator(`a[href="${meetingUrl}"]`).click();
    await expect(owner.getByRole("heading", { name: `Meeting of ${groupName}` })).toBeVisible();
    await expectNoSeriousA11yViolations(owner, "/o/:slug/groups/:groupId/meetings/:start");
    await owner.getByLabel("Reason").first().selectOption("holiday");
    await owner.getByRole("button", { name: "Cancel the meeting" }).click();
    await expect(owner.getByRole("status").filter({ hasText: "The meeting is cancelled" })).toBeVisible();
    await expect(owner.getByTestId("meeting-status")).toHaveText("Cancelled");
    await expect(owner.getByText("Reason: Holiday")).toBeVisible();
    const cancel = await api(owner.request).get(`${groupPath()}/sessions?from=${encodeURIComponent(new Date(Date.parse(cancelled.start) - 60_000).toISOString())}&to=${encodeURIComponent(new Date(Date.parse(cancelled.start) + 60_000).toISOString())}`);
    expect(((await cancel.json()) as { items: Meeting[] }).items.find((m) => m.occurrenceStart === cancelled.occurrenceStart)?.status).toBe("cancelled");
    meetings = meetings.map((m) => (m.occurrenceStart === cancelled.occurrenceStart ? { ...m, status: "cancelled" } : m));
    // The member's /sessions shows it as cancelled, with nothing to answer.
    await member.goto("/sessions");
    const cancelledRow = member.getByRole("row").filter({ hasText: groupName }).filter({ has: member.locator(`time[datetime="${cancelled.start}"]`) });
    await expect(cancelledRow.getByText("Cancelled", { exact: true })).toBeVisible();
    await expect(cancelledRow.getByRole("button")).toHaveCount(0);
    // …and the member is emailed (through the job queue; read in the development outbox).
    const notice = await readLatestMail(member, person.email, new RegExp(`A meeting of ${groupName} is cancelled`));
    expect(notice.text).toContain(groupName);

    await member.goto("/account/calendar");
    await expect(member.getByRole("heading", { level: 1, name: "Calendar and reminders" })).toBeVisible();
    await expect(member.getByText("You have no subscription address.")).toBeVisible();
    await expectNoSeriousA11yViolations(member, "/account/calendar");
    await member.getByRole("button", { name: "Create my subscription address" }).click();
    const httpsField = member.getByLabel("Web address (https)");
    await expect(httpsField).toBeVisible();
    const feedUrl = await httpsField.inputValue();
    const webcalUrl = await member.getByLabel("Calendar app address (webcal)").inputValue();
    expect(feedUrl).toMatch(/^https?:\/\/[^/]+\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(webcalUrl).toBe(feedUrl.replace(/^https?:/, "webcal:"));
    await expect(member.getByRole("link", { name: "Subscribe in your calendar" }).last()).toHaveAttribute("href", webcalUrl);
    await expectNoSeriousA11yViolations(member, "/account/calendar (new address shown)");

    // Fetched without any cookie, as a calendar app would: the secret in the address is the credential.
    const anonymous = await playwright.request.newContext();
    try {
      const response = await anonymous.get(feedUrl);
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toMatch(/^text\/calendar/);
      const etag = response.headers()["etag"];
      expect(etag, "the feed has an ETag").toBeTruthy();
      const text = await response.text();
      // Confidentiality: no member names in the feed.
      expect(text).not.toContain(person.name);
      expect(text).not.toContain(OWNER.name);

      const vcal = parseCalendar(text);
      const refresh = vcal.getFirstProperty("refresh-interval");
      expect(refresh, "REFRESH-INTERVAL (RFC 7986)").not.toBeNull();
      expect(String(refresh!.getFirstValue())).toBe("PT1H");
      const vtz = vcal.getAllSubcomponents("vtimezone").map((c) => c.getFirstPropertyValue("tzid"));
      expect(vtz).toContain(GROUP_TZ);

      const events = vcal.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
      const masters = events.filter((e) => !e.isRecurrenceException() && e.isRecurring());
      expect(masters).toHaveLength(1);
      const master = masters[0]!;
      expect(master.summary).toContain(groupName);
      expect(master.startDate.zone?.tzid).toBe(GROUP_TZ);
      expect(toIso(master.startDate)).toBe(meetings[0]!.occurrenceStart);
      expect(master.component.getFirstPropertyValue("rrule")).toBeTruthy();

      // The cancelled meeting: an EXDATE on the series, or an override with STATUS:CANCELLED.
      const exdates = master.component.getAllProperties("exdate").flatMap((p) => p.getValues() as ICAL.Time[]).map(toIso);
      const override = events.find((e) => e.isRecurrenceException() && toIso(e.recurrenceId) === cancelled.occurrenceStart);
      expect(exdates.includes(cancelled.occurrenceStart) || override?.component.getFirstPropertyValue("status") === "CANCELLED", "the cancelled meeting is an EXDATE or a cancelled override").toBe(true);

      // ical.js's own expansion of the rule (EXDATEs applied) gives the app's meetings, without the cancelled one.
      const expanded: string[] = [];
      const it = master.iterator();
      for (let next = it.next(); next && expanded.length < 20; next = it.next()) expanded.push(toIso(next));
      const expected = meetings.filter((m) => m.status !== "cancelled").map((m) => m.occurrenceStart);
      expect(expected).not.toContain(cancelled.occurrenceStart);
      expect(expanded).toEqual(expected);

      // A conditional request with the ETag: 304, no body.
      const again = await anonymous.get(feedUrl, { headers: { "If-None-Match": etag! } });
      expect(again.status()).toBe(304);
      expect((await again.body()).length).toBe(0);

      // One meeting as .ics: the row's "Download .ics" link on /sessions (the member's own session cookie).
      const one = future()[0]!;
      await member.goto("/sessions");
      const oneRow = member.getByRole("row").filter({ has: member.locator(`input[name="start"][value="${one.occurrenceStart}"]`) });
      const icsHref = await oneRow.getByRole("link", { name: "Download .ics" }).getAttribute("href");
      expect(icsHref).toBe(`/api/v1${groupPath()}/session-ics/${encodeURIComponent(one.occurrenceStart)}.ics`);
      const single = await member.request.get(icsHref!);
      expect(single.status()).toBe(200);
      const singleCal = parseCalendar(await single.text());
      const singleEvents = singleCal.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
      expect(singleEvents).toHaveLength(1);
      expect(toIso(singleEvents[0]!.startDate)).toBe(one.start);
      expect(singleEvents[0]!.summary).toContain(groupName);
      expect(singleCal.getAllSubcomponents("vtimezone").map((c) => c.getFirstPropertyValue("tzid"))).toContain(GROUP_TZ);

      // Regenerate: a new address; the old one stops working.
      await member.goto("/account/calendar");
      await expect(member.getByText(/You have an active subscription address/)).toBeVisible();
      await member.getByRole("button", { name: /^Regenerate/ }).click();
      await expect(member.getByLabel("Web address (https)")).toBeVisible();
      const newUrl = await member.getByLabel("Web address (https)").inputValue();
      expect(newUrl).not.toBe(feedUrl);
      expect([404, 410]).toContain((await anonymous.get(feedUrl)).status());
      expect((await anonymous.get(newUrl)).status()).toBe(200);
    } finally {
      await anonymous.dispose();
    }
  });

  test("the member writes a short note with \"can't come\" on /sessions, and the leader sees answer and note on the meeting's page", async () => {
    test.setTimeout(90_000);
    const next = future()[0]!;
    await member.goto("/sessions");
    const answer = member.getByRole("group", { name: new RegExp(`^Your answer for ${groupName} on `) }).filter({ has: member.locator(`input[name="start"][value="${next.occurrenceStart}"]`) });
    await answer.getByLabel(/note/i).fill("Away at a conference.");
    await answer.getByRole("button", { name: /^I can.t come$/ }).click();
    await expect(member.getByRole("status").filter({ hasText: "Your answer is saved." })).toBeVisible();
    await expect(answer.getByText(/^Can.t come$/)).toBeVisible();

    // The leader: group page → the meeting in "Next meetings" → who is coming, with the note.
    await owner.goto(`/o/${OWNER.organisationSlug}/groups/${groupId}`);
    await owner.getByRole("list", { name: "Next meetings" }).locator(`a[href="/o/${OWNER.organisationSlug}/groups/${groupId}/meetings/${encodeURIComponent(next.occurrenceStart)}"]`).click();
    await expect(owner.getByRole("heading", { name: `Meeting of ${groupName}` })).toBeVisible();
    const row = owner.getByRole("table", { name: "Who is coming" }).getByRole("row").filter({ hasText: person.name });
    await expect(row).toContainText(/Can.t come/);
    await expect(row).toContainText("Away at a conference.");
    await expect(owner.getByText("0 going, 1 can’t come")).toBeVisible();
  });

  test("the attendance page shows the history of changes, and the member sees the attended meeting on a page", async () => {
    test.setTimeout(90_000);
    const [first] = past();
    await owner.goto(`/sessions/${groupId}/${encodeURIComponent(first!.occurrenceStart)}/attendance`);
    await expect(owner.getByRole("heading", { name: /history/i })).toBeVisible();
    const history = owner.getByRole("table", { name: "Attendance history" });
    const rows = history.getByRole("row").filter({ hasText: person.name });
    // Recorded "excused", then corrected to "present" (the previous test), each by the leader.
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText("Excused");
    await expect(rows.nth(1)).toContainText("Excused → Present");
    await expect(rows.nth(1)).toContainText(OWNER.name);
    await expectNoSeriousA11yViolations(owner, "/sessions/:groupId/:start/attendance (history)");
    // The meeting's page shows the same history.
    await owner.getByRole("link", { name: "This meeting’s page" }).click();
    await expect(owner.getByRole("heading", { name: `Meeting of ${groupName}` })).toBeVisible();
    await expect(owner.getByRole("table", { name: "Attendance history" }).getByRole("row").filter({ hasText: person.name })).toHaveCount(2);

    // The member's record, from the account navigation.
    await member.goto("/account/calendar");
    await member.getByRole("link", { name: "My Balint record" }).click();
    await expect(member.getByRole("heading", { level: 1, name: "My Balint record" })).toBeVisible();
    await expect(member.getByText("Attended: 1 · Led: 0 · Co-led: 0")).toBeVisible();
    const group = member.getByRole("region", { name: new RegExp(groupName) });
    await expect(group.locator(`time[datetime="${first!.occurrenceStart}"]`)).toHaveCount(1);
    await expectNoSeriousA11yViolations(member, "/account/participation");
    // The leader's record: both recorded meetings led.
    await owner.goto("/account/participation");
    await expect(owner.getByRole("region", { name: new RegExp(groupName) }).locator("time")).toHaveCount(2);
  });
});
