import { useIntl } from "react-intl";

/** A price in minor units, in the viewer's language. */
export function Price({ amountMinor, currency }: { amountMinor: number; currency: string }) {
  const intl = useIntl();
  return <>{intl.formatNumber(amountMinor / 100, { style: "currency", currency })}</>;
}

/** An instant in a time zone: "16 April 2031, 09:00". */
export function When({ iso, timeZone, dateOnly = false }: { iso: string | null; timeZone?: string; dateOnly?: boolean }) {
  const intl = useIntl();
  if (!iso) return null;
  const opts: Intl.DateTimeFormatOptions = dateOnly ? { dateStyle: "long" } : { dateStyle: "long", timeStyle: "short" };
  if (timeZone) opts.timeZone = timeZone;
  return <time dateTime={iso}>{intl.formatDate(iso, opts)}</time>;
}

/** Reads "answers.<id>" style fields of a form into a record. */
export function prefixed(values: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (k.startsWith(prefix) && v.trim() !== "") out[k.slice(prefix.length)] = v;
  return out;
}
