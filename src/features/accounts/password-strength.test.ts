import { describe, expect, it } from "vitest";
import { PASSWORD_MAX, PASSWORD_MIN, checkPassword } from "./password-strength.ts";

describe("checkPassword", () => {
  it("refuses common, guessable passwords", () => {
    for (const weak of ["password123", "qwertyuiop", "iloveyou2024", "aaaaaaaaaaaa"]) {
      const verdict = checkPassword(weak);
      expect(verdict.ok, weak).toBe(false);
      expect(verdict.reason).toBe("too_guessable");
    }
  });

  it("refuses passwords shorter than the minimum, even random ones", () => {
    const verdict = checkPassword("x7#Qp!2z");
    expect(verdict).toMatchObject({ ok: false, reason: "too_short" });
    expect(checkPassword("a".repeat(PASSWORD_MIN - 1)).reason).toBe("too_short");
  });

  it("refuses passwords longer than the maximum", () => {
    const long = "lantern-harbour-quietly-".repeat(6).slice(0, PASSWORD_MAX + 1);
    expect(checkPassword(long)).toMatchObject({ ok: false, reason: "too_long" });
    expect(checkPassword(long.slice(0, PASSWORD_MAX)).ok).toBe(true);
  });

  it("refuses a password built from the person's own name or email", () => {
    const personal = ["margarethamilton@example.org", "Margaret Hamilton"];
    expect(checkPassword("MargaretHamilton1", personal)).toMatchObject({ ok: false, reason: "too_guessable" });
    // The same password without that knowledge is judged on its own.
    expect(checkPassword("MargaretHamilton1", []).score).toBeGreaterThan(checkPassword("MargaretHamilton1", personal).score);
  });

  it("accepts a long passphrase of unrelated words", () => {
    const verdict = checkPassword("lantern-harbour-quietly-42", ["someone@example.org", "Some One"]);
    expect(verdict.ok).toBe(true);
    expect(verdict.score).toBeGreaterThanOrEqual(3);
  });
});
