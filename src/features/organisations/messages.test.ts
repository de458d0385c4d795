import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { ROLE_NAMES } from "../../platform/tenancy/roles.ts";
import { INVITATION_STATUSES } from "./schemas.ts";
import messages from "./messages.ts";

const here = path.dirname(fileURLToPath(import.meta.url));

describe("organisations messages", () => {
  it("have the same keys in English and Spanish, all prefixed with the slice", () => {
    expect(Object.keys(messages.es).sort()).toEqual(Object.keys(messages.en).sort());
    for (const key of Object.keys(messages.en)) expect(key.startsWith("organisations.")).toBe(true);
  });

  it("are valid ICU messages", () => {
    for (const locale of ["en", "es"] as const) {
      for (const [key, text] of Object.entries(messages[locale])) {
        expect(() => new IntlMessageFormat(text, locale), `${locale} ${key}`).not.toThrow();
      }
    }
  });

  it("cover every message id the pages use, including the dynamic ones", () => {
    const ui = readdirSync(path.join(here, "ui")).filter((f) => f.endsWith(".tsx"));
    const used = new Set<string>();
    for (const file of ui) {
      for (const m of readFileSync(path.join(here, "ui", file), "utf8").matchAll(/"(organisations\.[A-Za-z.]+)"/g)) used.add(m[1]!);
    }
    for (const r of ROLE_NAMES) used.add(`organisations.role.${r}`).add(`organisations.roleLabel.${r}`);
    for (const s of INVITATION_STATUSES) used.add(`organisations.invitations.status.${s}`);
    for (const s of ["pending", "expired", "accepted", "revoked"]) used.add(`organisations.invitations.state.${s}`);
    for (const k of ["resent", "revoked"]) used.add(`organisations.invitations.${k}`);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !(k in messages.en));
    expect(missing).toEqual([]);
  });
});
