import type { Locale } from "./locales.ts";
import common from "./messages.ts";
import landing from "../../features/landing/messages.ts";
import accounts from "../../features/accounts/messages.ts";
import setup from "../../features/setup/messages.ts";
import profile from "../../features/profile/messages.ts";
import organisations from "../../features/organisations/messages.ts";
import apiTokens from "../../features/api-tokens/messages.ts";
import auditLog from "../../features/audit-log/messages.ts";
import outbox from "../../features/outbox/messages.ts";
import groups from "../../features/groups/messages.ts";
import sessions from "../../features/sessions/messages.ts";
import dashboard from "../../features/dashboard/messages.ts";
import feedback from "../../features/feedback/messages.ts";
import facilitation from "../../features/facilitation/messages.ts";
import debrief from "../../features/debrief/messages.ts";
import wellbeing from "../../features/wellbeing/messages.ts";
import wellbeingReports from "../../features/wellbeing/report-messages.ts";
import eventRoster from "../../features/events/roster-messages.ts";
import events from "../../features/events/messages.ts";
import eventObservations from "../../features/events/observation-messages.ts";
import library from "../../features/library/messages.ts";
import supervision from "../../features/accreditation/supervision-messages.ts";
import credentials from "../../features/accreditation/credential-messages.ts";
import accreditation from "../../features/accreditation/messages.ts";
import mail from "../mail/messages.ts";

/** One slice's messages: ICU MessageFormat strings, keyed `<slice>.<name>`, for every locale. */
export type SliceMessages = Record<Locale, Record<string, string>>;

const slices: SliceMessages[] = [common, landing, accounts, setup, profile, organisations, apiTokens, auditLog, outbox, groups, sessions, dashboard, feedback, facilitation, debrief, wellbeing, wellbeingReports, eventRoster, events, eventObservations, library, supervision, credentials, accreditation, mail];

function merge(locale: Locale): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slice of slices) Object.assign(out, slice[locale]);
  return out;
}

export const catalogs: Record<Locale, Record<string, string>> = { en: merge("en"), es: merge("es") };
