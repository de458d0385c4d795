// Every table in Balint Commons, gathered for Drizzle and drizzle-kit. Each slice owns its own
// schema.ts; add a line here when a slice adds one, then run `npm run db:generate`.
export * from "../auth/schema.ts";
export * from "../tenancy/schema.ts";
export * from "../audit/schema.ts";
export * from "../mail/schema.ts";
export * from "../jobs/schema.ts";
export * from "../../features/profile/schema.ts";
export * from "../../features/organisations/schema.ts";
export * from "../../features/api-tokens/schema.ts";
export * from "../../features/groups/schema.ts";
export * from "../../features/sessions/schema.ts";
export * from "../../features/facilitation/schema.ts";
export * from "../../features/feedback/schema.ts";
export * from "../../features/debrief/schema.ts";
export * from "../../features/events/schema.ts";
export * from "../../features/wellbeing/schema.ts";
export * from "../../features/events/roster-schema.ts";
export * from "../../features/accreditation/schema.ts";
export * from "../../features/events/observation-schema.ts";
export * from "../../features/accreditation/credential-schema.ts";
export * from "../../features/library/schema.ts";
export * from "../../features/accreditation/supervision-schema.ts";
