// Enumerations of the groups slice, shared by the database schema, the input schemas and the UI.
// No imports: the database schema loads this before anything else.
export const GROUP_FORMATS = ["in_person", "online", "hybrid"] as const;
export const GROUP_VISIBILITIES = ["listed", "unlisted", "private"] as const;
export const JOIN_POLICIES = ["request", "invitation"] as const;
export const LEADER_KINDS = ["leader", "co_leader"] as const;
export const MEMBERSHIP_STATUSES = ["pending", "active", "declined", "left", "removed"] as const;
export const WAITLIST_REORDER_REASONS = ["schedule_fit", "discipline_balance", "returning_member", "order_correction", "other"] as const;
