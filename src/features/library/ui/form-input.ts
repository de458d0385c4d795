// Turns the item form into the API's input shape (no server imports). Numbers that are not
// numbers are passed through as text so that zod names the field.
export function itemInputFromForm(form: FormData, opts: { edit: boolean }): Record<string, unknown> {
  const str = (k: string) => (typeof form.get(k) === "string" ? String(form.get(k)) : "");
  const num = (k: string) => {
    const s = str(k).trim();
    if (s === "") return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : s;
  };
  const out: Record<string, unknown> = {
    kind: str("kind"),
    title: str("title"),
    authors: str("authors")
      .split(/\r?\n/)
      .map((a) => a.trim())
      .filter(Boolean),
    year: num("year"),
    language: str("language"),
    summary: str("summary"),
    url: str("url"),
    tags: str("tags")
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean),
    audiences: form.getAll("audiences").filter((a): a is string => typeof a === "string"),
    visibility: str("visibility"),
    estimatedMinutes: num("estimatedMinutes"),
    ceEligible: form.get("ceEligible") === "true",
  };
  if (opts.edit) out["archived"] = form.get("archived") === "true";
  return out;
}

/** Form values for re-filling the form after a failure. */
export function itemFormValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") out[k] = k in out ? `${out[k]}\n${v}` : v;
  out["audiences"] = form.getAll("audiences").filter((a) => typeof a === "string").join(",");
  return out;
}
