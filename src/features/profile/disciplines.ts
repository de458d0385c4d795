/** Health professions a person can say they belong to (shared by server and UI). */
export const DISCIPLINES = [
  "physician",
  "resident",
  "medical_student",
  "nurse",
  "psychologist",
  "social_worker",
  "psychotherapist",
  "other_health_professional",
] as const;
export type Discipline = (typeof DISCIPLINES)[number];
