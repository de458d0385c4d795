import { describe, expect, it } from "vitest";
import { hasSeat, nextToOffer, reorder, seatsLeft, seatsToOffer, timeOfDayOf, timeOfDayRange, viewerSlot } from "./rules.ts";
import { searchQuery } from "./service.server.ts";

describe("seats", () => {
  it("counts free seats and never goes negative", () => {
    expect(seatsLeft(10, 3)).toBe(7);
    expect(seatsLeft(3, 3)).toBe(0);
    expect(seatsLeft(3, 5)).toBe(0);
  });
  it("has a seat only while active members are below capacity", () => {
    expect(hasSeat(3, 2)).toBe(true);
    expect(hasSeat(3, 3)).toBe(false);
    expect(hasSeat(3, 4)).toBe(false);
  });
  it("offers only seats that are free and not already offered", () => {
    expect(seatsToOffer(10, 8, 0)).toBe(2);
    expect(seatsToOffer(10, 8, 1)).toBe(1);
    expect(seatsToOffer(10, 9, 2)).toBe(0);
  });
});

describe("waitlist order", () => {
  const order = ["a", "b", "c", "d"];
  it("moves a person up, keeping the others' order", () => {
    expect(reorder(order, "d", 1)).toEqual(["d", "a", "b", "c"]);
  });
  it("moves a person down", () => {
    expect(reorder(order, "a", 3)).toEqual(["b", "c", "a", "d"]);
  });
  it("clamps positions to the list", () => {
    expect(reorder(order, "b", 99)).toEqual(["a", "c", "d", "b"]);
    expect(reorder(order, "c", 0)).toEqual(["c", "a", "b", "d"]);
  });
  it("refuses someone not on the list", () => {
    expect(() => reorder(order, "z", 1)).toThrow(RangeError);
  });
  it("offers to the first person by position without an open offer", () => {
    const rows = [
      { id: "x", position: 2, offerExpiresAt: null },
      { id: "y", position: 1, offerExpiresAt: new Date("2030-01-01T00:00:00Z") },
      { id: "z", position: 3, offerExpiresAt: null },
    ];
    expect(nextToOffer(rows)?.id).toBe("x");
    expect(nextToOffer([rows[1]!])).toBeNull();
  });
});

describe("time of day", () => {
  it("buckets minutes after midnight", () => {
    expect(timeOfDayOf(0)).toBe("morning");
    expect(timeOfDayOf(11 * 60 + 59)).toBe("morning");
    expect(timeOfDayOf(12 * 60)).toBe("afternoon");
    expect(timeOfDayOf(16 * 60 + 59)).toBe("afternoon");
    expect(timeOfDayOf(17 * 60)).toBe("evening");
    expect(timeOfDayRange("evening")).toEqual([17 * 60, 24 * 60]);
  });

  it("reads a New York evening meeting as the next morning in Tokyo, one weekday later", () => {
    // Wednesday 19:00 in New York in January (UTC-5) = Thursday 09:00 in Tokyo (UTC+9).
    const slot = viewerSlot([3], 19 * 60, "America/New_York", "Asia/Tokyo", new Date("2027-01-13T12:00:00Z"));
    expect(slot).toEqual({ weekdays: [4], minute: 9 * 60 });
    expect(timeOfDayOf(slot.minute)).toBe("morning");
  });

  it("moves a weekday back across the date line, wrapping Sunday to Saturday", () => {
    // Sunday 08:00 in Auckland in January (UTC+13) = Saturday 19:00 UTC.
    expect(viewerSlot([0], 8 * 60, "Pacific/Auckland", "UTC", new Date("2027-01-10T00:00:00Z"))).toEqual({ weekdays: [6], minute: 19 * 60 });
  });

  it("follows daylight-saving offsets of the date it is asked about", () => {
    // Europe/London 18:00 is 18:00 UTC in January and 17:00 UTC in July.
    expect(viewerSlot([1], 18 * 60, "Europe/London", "UTC", new Date("2027-01-11T12:00:00Z")).minute).toBe(18 * 60);
    expect(viewerSlot([1], 18 * 60, "Europe/London", "UTC", new Date("2027-07-12T12:00:00Z")).minute).toBe(17 * 60);
  });
});

describe("directory search words", () => {
  it("turns words into prefix terms and drops punctuation", () => {
    expect(searchQuery("Balint  resid")).toBe("balint:* & resid:*");
    expect(searchQuery("'; drop table --")).toBe("drop:* & table:*");
    expect(searchQuery("!!!")).toBeNull();
    expect(searchQuery("médicos")).toBe("médicos:*");
  });
});
