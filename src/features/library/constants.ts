// Shared constants of the learning library (no imports: used by schema, zod schemas and the UI).
export const LIBRARY_KINDS = ["reading", "video", "recording", "guide", "link"] as const;
export type LibraryKind = (typeof LIBRARY_KINDS)[number];

export const LIBRARY_AUDIENCES = ["new_leaders", "members", "residents", "supervisors", "researchers"] as const;
export type LibraryAudience = (typeof LIBRARY_AUDIENCES)[number];

/** public: anyone, at /library; members: only the organisation's members. */
export const LIBRARY_VISIBILITIES = ["public", "members"] as const;
export type LibraryVisibility = (typeof LIBRARY_VISIBILITIES)[number];

export const REFLECTION_MAX = 2000;
export const MINUTES_MAX = 6000;
export const SUMMARY_MAX = 1200;
export const TAGS_MAX = 12;

/** The languages offered in the filter (any BCP 47 tag may be stored). */
export const LIBRARY_LANGUAGE_CHOICES = ["en", "es", "de", "fr", "it", "pt", "nl", "sv"] as const;
