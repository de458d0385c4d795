// Enumerations of the events slice, shared by the database schema, the input schemas and the UI.
// No imports: the database schema loads this before anything else.
export const EVENT_KINDS = ["intensive", "workshop", "conference", "webinar", "fellowship_cohort"] as const;
export const EVENT_STATUSES = ["draft", "published", "cancelled"] as const;
export const EVENT_FORMATS = ["in_person", "online", "hybrid"] as const;
export const SESSION_KINDS = ["experiential_group", "small_group", "faculty_panel", "debrief", "other"] as const;
export const FACULTY_ROLES = ["faculty", "supervisor"] as const;
export const TIER_ELIGIBILITIES = ["member", "anyone", "trainee"] as const;
export const QUESTION_KINDS = ["dietary", "accessibility", "discipline", "balint_experience", "short_text", "choice"] as const;
export const ATTENDEE_ROLES = ["participant", "leader_in_training", "faculty"] as const;
export const REGISTRATION_STATUSES = ["confirmed", "waitlisted", "offered", "cancelled"] as const;
export const PAYMENT_STATUSES = ["unpaid", "paid", "refunded", "waived"] as const;
export const REFUND_STATUSES = ["none", "requested", "refunded", "not_applicable"] as const;
export const CANCELLATION_REASONS = ["by_registrant", "by_organiser", "offer_expired", "offer_declined", "left_waitlist", "event_cancelled"] as const;
export const WAITLIST_REORDER_REASONS = ["discipline_balance", "returning_participant", "faculty_request", "order_correction", "other"] as const;
/** Trainee self-declaration: the stage of training; the discipline is checked against the tier's list. */
export const TRAINEE_STAGES = ["student", "resident", "fellow", "leader_in_training"] as const;
export const DISCIPLINES = ["family_medicine", "internal_medicine", "pediatrics", "psychiatry", "psychology", "nursing", "social_work", "chaplaincy", "other_clinical", "non_clinical"] as const;
/** Balint experience buckets for the roster (no free text). */
export const EXPERIENCE_LEVELS = ["none", "under_1_year", "1_to_3_years", "over_3_years", "leader"] as const;
/** Short free-text answers are capped: a name of a diet, an access need; never case content. */
export const ANSWER_MAX = 200;
/** How long a waitlist offer stays open. */
export const EVENT_OFFER_TTL_MS = 48 * 60 * 60 * 1000;
