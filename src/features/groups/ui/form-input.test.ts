import { describe, expect, it } from "vitest";
import { CUSTOM_FREQUENCY, buildRrule, formValuesOfGroup, friendlyFields, groupInputFromForm, nthOfDate, parseFriendlyRrule, scheduleFromForm, weekdayOfDate, type GroupLike } from "./form-input.ts";
import { scheduleShape } from "./shared.tsx";

describe("friendly schedule fields", () => {
  it("reads the weekday and its place in the month from the first date", () => {
    expect(weekdayOfDate("2030-01-09")).toBe(3); // a Wednesday
    expect(weekdayOfDate("2030-02-30")).toBeNull();
    expect(nthOfDate("2030-01-09")).toBe(2);
    expect(nthOfDate("2030-01-30")).toBe(-1);
  });

  it("builds the RRULE for weekly, fortnightly and monthly groups", () => {
    expect(buildRrule("weekly", "2030-01-09", 8)).toBe("FREQ=WEEKLY;BYDAY=WE;COUNT=8");
    expect(buildRrule("fortnightly", "2030-01-09", 6)).toBe("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=6");
    expect(buildRrule("monthly", "2030-01-09", 10)).toBe("FREQ=MONTHLY;BYDAY=2WE;COUNT=10");
    expect(buildRrule("monthly", "2030-01-30", 10)).toBe("FREQ=MONTHLY;BYDAY=-1WE;COUNT=10");
    expect(buildRrule("weekly", "", 8)).toBeNull();
  });

  it("reads its own rules back, and refuses others", () => {
    expect(parseFriendlyRrule("FREQ=MONTHLY;BYDAY=2WE;COUNT=10")).toEqual({ frequency: "monthly", meetings: 10 });
    expect(parseFriendlyRrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=6")).toEqual({ frequency: "fortnightly", meetings: 6 });
    expect(parseFriendlyRrule("FREQ=WEEKLY;BYDAY=WE;UNTIL=20300101T000000Z")).toBeNull();
    expect(parseFriendlyRrule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6")).toBeNull();
    expect(scheduleShape("FREQ=MONTHLY;BYDAY=2WE;COUNT=10")).toEqual({ kind: "monthly", weekday: 3, nth: 2, count: 10 });
    expect(scheduleShape("FREQ=DAILY;COUNT=3")).toEqual({ kind: "other", count: 3 });
  });
});

describe("the group form", () => {
  it("turns posted fields into the service's input, leaders included", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ name: "Circle", format: "online", meetingLink: "https://x.example/y", address: "ignored for online", startDate: "2030-01-09", startTime: "19:00", frequency: "weekly", meetings: "8", duration: "90", firstDuration: "", capacity: "8", timeZone: "UTC", disciplines: "nursing, residents", "leader:u1": "leader", "leader:u2": "", "leader:u3": "co_leader" })) form.append(k, v);
    form.append("languages", "en");
    form.append("languages", "es");
    const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
    const input = groupInputFromForm(values, form);
    expect(input).toMatchObject({
      name: "Circle",
      address: null,
      meetingLink: "https://x.example/y",
      disciplines: ["nursing", "residents"],
      languages: ["en", "es"],
      capacity: 8,
      schedule: { rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=8", dtstartLocal: "2030-01-09T19:00", durationMinutes: 90, firstDurationMinutes: null },
      leaders: [
        { userId: "u1", kind: "leader" },
        { userId: "u3", kind: "co_leader" },
      ],
    });
    // Non-numbers stay text so that validation names the field.
    form.set("capacity", "lots");
    expect(groupInputFromForm({ ...values, capacity: "lots" }, form)["capacity"]).toBe("lots");
  });

  it("maps service paths onto the friendly fields, once per field", () => {
    expect(
      friendlyFields([
        { path: "schedule.durationMinutes", message: "too short" },
        { path: "schedule.rrule", message: "bad" },
        { path: "leaders.0.userId", message: "not a leader" },
        { path: "leaders", message: "again" },
        { path: "capacity", message: "too many" },
      ]),
    ).toEqual([
      { path: "duration", message: "too short" },
      { path: "frequency", message: "bad" },
      { path: "leaders", message: "not a leader" },
      { path: "capacity", message: "too many" },
    ]);
  });

  it("fills the edit form from a group", () => {
    const values = formValuesOfGroup({
      slug: "c",
      name: "C",
      description: "",
      format: "online",
      languages: ["en"],
      disciplines: ["nursing"],
      timeZone: "UTC",
      schedule: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=6", dtstartLocal: "2030-01-09T19:00", durationMinutes: 90, firstDurationMinutes: 120 },
      capacity: 9,
      ceCredit: null,
      visibility: "listed",
      joinPolicy: "request",
      leaders: [{ userId: "u1", kind: "leader" }],
      meetingDetails: { meetingLink: "https://x.example/y", address: null },
    });
    expect(values).toMatchObject({ frequency: "fortnightly", meetings: "6", startDate: "2030-01-09", startTime: "19:00", firstDuration: "120", "leader:u1": "leader", meetingLink: "https://x.example/y" });
  });

  const groupWith = (rrule: string): GroupLike => ({
    slug: "c",
    name: "C",
    description: "",
    format: "online",
    languages: ["en"],
    disciplines: [],
    timeZone: "UTC",
    schedule: { rrule, dtstartLocal: "2030-01-08T19:00", durationMinutes: 90, firstDurationMinutes: null },
    capacity: 9,
    ceCredit: null,
    visibility: "listed",
    joinPolicy: "request",
    leaders: [{ userId: "u1", kind: "leader" }],
    meetingDetails: null,
  });

  it("shows a rule it did not create as it is, in the advanced field, and keeps it when saved unchanged", () => {
    for (const rrule of ["FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1;UNTIL=20301231T235959Z", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20300601T000000Z", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6", "FREQ=DAILY;COUNT=3"]) {
      const values = formValuesOfGroup(groupWith(rrule));
      expect(values).toMatchObject({ frequency: CUSTOM_FREQUENCY, rrule, meetings: "", startDate: "2030-01-08", startTime: "19:00" });
      // Posting the form back unchanged sends the very same rule (not a rebuilt weekly one).
      expect(scheduleFromForm(values)).toEqual({ rrule, dtstartLocal: "2030-01-08T19:00", durationMinutes: 90, firstDurationMinutes: null });
    }
  });

  it("keeps simple rules on the friendly fields (the advanced field only prefilled)", () => {
    const values = formValuesOfGroup(groupWith("FREQ=MONTHLY;BYDAY=2TU;COUNT=10"));
    expect(values).toMatchObject({ frequency: "monthly", meetings: "10", rrule: "FREQ=MONTHLY;BYDAY=2TU;COUNT=10" });
    // A changed number of meetings is what counts for a friendly choice, not the advanced field.
    expect(scheduleFromForm({ ...values, meetings: "12", rrule: "FREQ=DAILY;COUNT=2" }).rrule).toBe("FREQ=MONTHLY;BYDAY=2TU;COUNT=12");
  });

  it("sends the advanced rule as typed (trimmed, without an RRULE: prefix), ignoring the meetings field", () => {
    const base = { startDate: "2030-01-08", startTime: "19:00", duration: "90", frequency: CUSTOM_FREQUENCY, meetings: "8" };
    expect(scheduleFromForm({ ...base, rrule: "  RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1;COUNT=5 " }).rrule).toBe("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1;COUNT=5");
    // Empty stays empty so that the service names the field (no made-up rule).
    expect(scheduleFromForm({ ...base, rrule: "" }).rrule).toBe("");
    // Switching an unusual rule to a simple choice replaces it with the friendly one.
    expect(scheduleFromForm({ ...base, frequency: "weekly", rrule: "FREQ=DAILY;COUNT=3" }).rrule).toBe("FREQ=WEEKLY;BYDAY=TU;COUNT=8");
  });

  it("puts the service's rule errors on the advanced field when it is in use", () => {
    const fields = [
      { path: "schedule.rrule", message: "BYSETPOS needs a BYxxx part" },
      { path: "schedule.durationMinutes", message: "too short" },
    ];
    expect(friendlyFields(fields, { frequency: CUSTOM_FREQUENCY })).toEqual([
      { path: "rrule", message: "BYSETPOS needs a BYxxx part" },
      { path: "duration", message: "too short" },
    ]);
    expect(friendlyFields(fields, { frequency: "weekly" })[0]).toEqual({ path: "frequency", message: "BYSETPOS needs a BYxxx part" });
  });
});
