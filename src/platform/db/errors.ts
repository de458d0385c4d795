/** The name of the violated unique constraint when `error` (or its cause) is one, else null. */
export function uniqueViolation(error: unknown): string | null {
  let e: unknown = error;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: string }).code;
    if (code === "23505") return (e as { constraint?: string }).constraint ?? "unique";
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
