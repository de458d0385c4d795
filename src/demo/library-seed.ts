// Demo data for the learning library (issue 6, brief S): about 25 items in English (Northlake
// Balint Society) and Spanish (Hospital Clínico San Rafael), public and members-only, and reading
// logs for a few demo people. Items go through the library service (validation, audit); logs
// through logReading (sealed reflections). Deterministic given `now`. Call after organisations and
// people are seeded.
//
// Links: only addresses known to exist are real (Wikipedia's Michael Balint and Balint group
// articles, the American Balint Society, the Balint Society (UK) and the International Balint
// Federation). Everything else points at https://example.org/… and says "(Example link.)".
import { asc, eq } from "drizzle-orm";
import { user } from "../platform/auth/schema.ts";
import type { Actor } from "../platform/policy/policy.ts";
import type { AppServices } from "../platform/services.server.ts";
import { membership, organisation, type Role } from "../platform/tenancy/schema.ts";

type Item = {
  kind: "reading" | "video" | "recording" | "guide" | "link";
  title: string;
  authors?: string[];
  year?: number;
  language: string;
  summary: string;
  url: string;
  tags: string[];
  audiences: ("new_leaders" | "members" | "residents" | "supervisors" | "researchers")[];
  visibility: "public" | "members";
  estimatedMinutes?: number;
  ceEligible?: boolean;
};

const EX = " (Example link.)";
const EX_ES = " (Enlace de ejemplo.)";

const SOCIETY_ITEMS: Item[] = [
  { kind: "reading", title: "The Doctor, His Patient and the Illness", authors: ["Michael Balint"], year: 1957, language: "en", summary: "The founding book of Balint work: the training-cum-research seminars with general practitioners in London, the 'doctor as drug' and the apostolic function. The link goes to an overview of Michael Balint's life and work.", url: "https://en.wikipedia.org/wiki/Michael_Balint", tags: ["classic", "doctor-patient", "history"], audiences: ["members", "new_leaders", "residents", "researchers"], visibility: "public", estimatedMinutes: 720, ceEligible: true },
  { kind: "reading", title: "Balint group: an overview", language: "en", summary: "An encyclopaedia overview of what a Balint group is, how it meets and where the method spread.", url: "https://en.wikipedia.org/wiki/Balint_group", tags: ["introduction", "history"], audiences: ["members", "residents"], visibility: "public", estimatedMinutes: 15 },
  { kind: "link", title: "American Balint Society", language: "en", summary: "The American Balint Society: leader training, intensives, the leader accreditation process and its resources.", url: "https://www.americanbalintsociety.org", tags: ["leader-training", "accreditation", "organisations"], audiences: ["new_leaders", "supervisors"], visibility: "public", estimatedMinutes: 20 },
  { kind: "link", title: "The Balint Society (UK)", language: "en", summary: "The UK Balint Society: groups, leadership training and the Balint essay prize.", url: "https://balint.co.uk", tags: ["organisations", "leader-training"], audiences: ["members", "new_leaders"], visibility: "public", estimatedMinutes: 15 },
  { kind: "link", title: "International Balint Federation", language: "en", summary: "The federation of national Balint societies: international congresses, member societies and shared guidance for leaders.", url: "https://www.balintinternational.com", tags: ["organisations", "congress"], audiences: ["supervisors", "researchers"], visibility: "public", estimatedMinutes: 15 },
  { kind: "guide", title: "Leading your first Balint group: a field guide", authors: ["Northlake Balint Society faculty"], year: 2025, language: "en", summary: "Opening the group, inviting a presentation, protecting the presenter, and the 'push-back' phase, step by step, with common traps for new leaders." + EX, url: "https://example.org/library/first-group-field-guide", tags: ["leadership", "leader-training", "group-process"], audiences: ["new_leaders"], visibility: "public", estimatedMinutes: 45, ceEligible: true },
  { kind: "guide", title: "Co-leading: sharing the work of a Balint group", authors: ["Northlake Balint Society faculty"], year: 2024, language: "en", summary: "How co-leaders divide roles, signal to each other during the group and debrief afterwards." + EX, url: "https://example.org/library/co-leading", tags: ["leadership", "co-leading"], audiences: ["new_leaders", "supervisors"], visibility: "members", estimatedMinutes: 30, ceEligible: true },
  { kind: "guide", title: "Keeping the group safe: confidentiality in practice", year: 2025, language: "en", summary: "What stays in the room, how presenters de-identify a case, and what leaders do when a group drifts into identifying details." + EX, url: "https://example.org/library/confidentiality-in-practice", tags: ["confidentiality", "group-process"], audiences: ["members", "new_leaders", "residents"], visibility: "public", estimatedMinutes: 20 },
  { kind: "recording", title: "Public talk: why doctors need Balint groups", year: 2023, language: "en", summary: "Recording of an evening public lecture on burnout, meaning and the doctor–patient relationship, followed by questions." + EX, url: "https://example.org/library/talks/why-doctors-need-balint", tags: ["burnout", "doctor-patient", "public-talk"], audiences: ["members", "residents"], visibility: "public", estimatedMinutes: 55, ceEligible: true },
  { kind: "recording", title: "Congress keynote: the group as a mirror", year: 2024, language: "en", summary: "A keynote on parallel process: how the group re-enacts the relationship being presented." + EX, url: "https://example.org/library/talks/group-as-mirror", tags: ["parallel-process", "group-process", "public-talk"], audiences: ["supervisors", "new_leaders", "researchers"], visibility: "public", estimatedMinutes: 60, ceEligible: true },
  { kind: "video", title: "A demonstration group, annotated", year: 2022, language: "en", summary: "Role-played demonstration group (no real case) with the leaders' commentary on each phase." + EX, url: "https://example.org/library/videos/demonstration-group", tags: ["demonstration", "leadership", "group-process"], audiences: ["new_leaders", "residents"], visibility: "members", estimatedMinutes: 75, ceEligible: true },
  { kind: "video", title: "Five minutes on the 'push-back'", year: 2024, language: "en", summary: "A short explainer on the moment the presenter steps back and listens to the group." + EX, url: "https://example.org/library/videos/push-back", tags: ["group-process", "technique"], audiences: ["members", "new_leaders"], visibility: "public", estimatedMinutes: 5 },
  { kind: "reading", title: "Balint groups and resident well-being: a reading list", year: 2025, language: "en", summary: "Studies of Balint groups in residency programs: empathy, burnout and professional identity, with short notes on each." + EX, url: "https://example.org/library/resident-wellbeing-reading-list", tags: ["research", "burnout", "residency"], audiences: ["researchers", "residents"], visibility: "public", estimatedMinutes: 90, ceEligible: true },
  { kind: "reading", title: "Countertransference for the non-analyst", year: 2021, language: "en", summary: "A plain-language introduction to the feelings patients stir in clinicians and how groups make use of them." + EX, url: "https://example.org/library/countertransference-primer", tags: ["countertransference", "doctor-patient"], audiences: ["members", "residents"], visibility: "public", estimatedMinutes: 25, ceEligible: true },
  { kind: "guide", title: "Leader's notebook: after the group", year: 2025, language: "en", summary: "Prompts for leaders' own debrief: what happened in the group, what the leaders did, what to try next time. Never the case." + EX, url: "https://example.org/library/leaders-notebook", tags: ["leadership", "reflection", "debrief"], audiences: ["new_leaders", "supervisors"], visibility: "members", estimatedMinutes: 10 },
  { kind: "recording", title: "Panel: online Balint groups after the pandemic", year: 2023, language: "en", summary: "Leaders compare online and in-person groups: presence, silence, cameras and confidentiality at home." + EX, url: "https://example.org/library/talks/online-groups-panel", tags: ["online", "group-process", "public-talk"], audiences: ["new_leaders", "supervisors"], visibility: "public", estimatedMinutes: 50 },
];

const HOSPITAL_ITEMS: Item[] = [
  { kind: "guide", title: "Guía para coordinar un grupo Balint", authors: ["Equipo de Bienestar, Hospital Clínico San Rafael"], year: 2025, language: "es", summary: "Cómo abrir el grupo, acompañar a quien presenta y cerrar la sesión; errores frecuentes de quien empieza a coordinar." + EX_ES, url: "https://example.org/biblioteca/guia-coordinar-grupo-balint", tags: ["liderazgo", "formacion-de-coordinadores"], audiences: ["new_leaders"], visibility: "public", estimatedMinutes: 40, ceEligible: true },
  { kind: "reading", title: "El médico, el paciente y la enfermedad: guía de lectura", year: 2024, language: "es", summary: "Guía de lectura del libro de Michael Balint, capítulo por capítulo, con preguntas para comentar en grupo." + EX_ES, url: "https://example.org/biblioteca/guia-lectura-balint", tags: ["clasico", "relacion-medico-paciente"], audiences: ["members", "residents"], visibility: "public", estimatedMinutes: 60, ceEligible: true },
  { kind: "recording", title: "Conferencia pública: el desgaste profesional y la relación clínica", year: 2023, language: "es", summary: "Grabación de una conferencia abierta sobre desgaste profesional, sentido del trabajo y grupos Balint." + EX_ES, url: "https://example.org/biblioteca/conferencias/desgaste-profesional", tags: ["desgaste", "conferencia"], audiences: ["members", "residents"], visibility: "public", estimatedMinutes: 50 },
  { kind: "video", title: "Qué es un grupo Balint (vídeo breve)", year: 2024, language: "es", summary: "Vídeo de cinco minutos para residentes que van a su primer grupo." + EX_ES, url: "https://example.org/biblioteca/videos/que-es-un-grupo-balint", tags: ["introduccion"], audiences: ["residents", "members"], visibility: "public", estimatedMinutes: 5 },
  { kind: "guide", title: "Confidencialidad en los grupos del hospital", year: 2025, language: "es", summary: "Normas del hospital para los grupos: qué no se cuenta, cómo se desidentifica un caso y qué hacer si se rompe la confidencialidad." + EX_ES, url: "https://example.org/biblioteca/confidencialidad", tags: ["confidencialidad"], audiences: ["members", "new_leaders"], visibility: "members", estimatedMinutes: 15 },
  { kind: "reading", title: "Grupos Balint en la formación MIR: revisión", year: 2022, language: "es", summary: "Revisión de estudios sobre grupos Balint con residentes en España y Latinoamérica." + EX_ES, url: "https://example.org/biblioteca/revision-mir", tags: ["investigacion", "residencia"], audiences: ["researchers", "residents"], visibility: "public", estimatedMinutes: 45, ceEligible: true },
  { kind: "link", title: "Recursos de la Federación Internacional Balint", language: "en", summary: "La federación internacional de sociedades Balint (sitio en inglés): congresos y sociedades miembro.", url: "https://www.balintinternational.com", tags: ["organizaciones"], audiences: ["supervisors", "researchers"], visibility: "public", estimatedMinutes: 10 },
  { kind: "recording", title: "Mesa redonda: coordinar en pareja", year: 2024, language: "es", summary: "Coordinadoras con experiencia hablan de cómo se reparten el trabajo y cómo se apoyan durante el grupo." + EX_ES, url: "https://example.org/biblioteca/mesa-coordinar-en-pareja", tags: ["liderazgo", "co-coordinacion"], audiences: ["new_leaders", "supervisors"], visibility: "members", estimatedMinutes: 45, ceEligible: true },
];

export interface LibrarySeedResult {
  items: number;
  logEntries: number;
}

/** YYYY-MM-DD, `days` before `now`. */
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);

const REFLECTIONS = [
  "made me notice how quickly i reach for advice when a consultation feels stuck.",
  "useful reminder to let the group stay with the feeling before solving anything.",
  "i want to try a longer silence after the presentation next time.",
  undefined,
];

export async function seedLibrary(services: AppServices, options: { now: Date }): Promise<LibrarySeedResult> {
  const { db } = services.kernel;
  const now = options.now;
  let items = 0;
  let logEntries = 0;

  const actorFor = async (userId: string): Promise<Actor> => {
    const rows = await db.select({ organisationId: membership.organisationId, role: membership.role }).from(membership).where(eq(membership.userId, userId));
    return { kind: "user", userId, memberships: new Map(rows.map((r) => [r.organisationId, r.role as Role])) };
  };

  for (const [slug, list] of [
    ["northlake-balint-society", SOCIETY_ITEMS],
    ["san-rafael-bienestar", HOSPITAL_ITEMS],
  ] as const) {
    const [org] = await db.select().from(organisation).where(eq(organisation.slug, slug));
    if (!org) continue;
    const people = await db
      .select({ id: user.id, role: membership.role })
      .from(membership)
      .innerJoin(user, eq(user.id, membership.userId))
      .where(eq(membership.organisationId, org.id))
      .orderBy(asc(user.email));
    const curatorRow = people.find((p) => p.role === "coordinator") ?? people.find((p) => p.role === "owner");
    if (!curatorRow) continue;
    const curator = await actorFor(curatorRow.id);
    const created: { id: string; estimatedMinutes: number | null }[] = [];
    for (const item of list) {
      const view = await services.library.create(curator, org.id, { ...item, authors: item.authors ?? [], year: item.year ?? null, estimatedMinutes: item.estimatedMinutes ?? null, ceEligible: item.ceEligible ?? false });
      created.push({ id: view.id, estimatedMinutes: view.estimatedMinutes });
      items += 1;
    }
    // Reading logs for the first few members and leaders: a handful of entries over the last 18 months.
    const readers = people.filter((p) => p.role === "member" || p.role === "leader").slice(0, 3);
    for (const [r, person] of readers.entries()) {
      const actor = await actorFor(person.id);
      for (let k = 0; k < 4; k++) {
        const item = created[(r * 3 + k * 2) % created.length]!;
        const reflection = REFLECTIONS[(r + k) % REFLECTIONS.length];
        const result = await services.library.logReading(
          actor,
          { itemId: item.id, readOn: daysBefore(now, 20 + r * 37 + k * 95), minutes: Math.min(item.estimatedMinutes ?? 30, 240), ...(reflection ? { reflection } : {}) },
          now,
        );
        if (result.outcome === "saved") logEntries += 1;
      }
    }
  }
  return { items, logEntries };
}
