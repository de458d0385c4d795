import { describe, expect, it } from "vitest";
import * as constants from "./constants.ts";
import * as schema from "./schema.ts";

describe("debrief constants", () => {
  it("match the ones next to the tables", () => {
    expect(constants.DEBRIEF_TEXT_MAX).toBe(schema.DEBRIEF_TEXT_MAX);
    expect(constants.DEBRIEF_RETENTION_DAYS_DEFAULT).toBe(schema.DEBRIEF_RETENTION_DAYS_DEFAULT);
    expect(constants.DEBRIEF_RETENTION_DAYS_MIN).toBeLessThanOrEqual(constants.DEBRIEF_RETENTION_DAYS_DEFAULT);
    expect(constants.DEBRIEF_RETENTION_DAYS_MAX).toBeGreaterThanOrEqual(constants.DEBRIEF_RETENTION_DAYS_DEFAULT);
  });
});
