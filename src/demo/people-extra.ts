// The larger part of the demo's people: generated deterministically (fixed name lists, a fixed
// PRNG seed) so that `DEMO_PEOPLE` is the same list on every run and in every process. Together
// with the hand-written people in seed.ts this gives about 200 people over three organisations.
import type { Discipline } from "../features/profile/disciplines.ts";
import type { Locale } from "../platform/i18n/locales.ts";
import type { Role } from "../platform/tenancy/schema.ts";
import type { DemoOrgKey, DemoPerson } from "./seed.ts";

/** Mulberry32 again (seed.ts has the shared one; this module must not import it at runtime). */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! };
}

interface Pool {
  org: DemoOrgKey;
  count: number;
  /** How many of them get the role `leader` (the rest are members). */
  leaders: number;
  given: string[];
  family: string[];
  locale: Locale | null;
  zones: Array<[string, number]>;
  languages: string[][];
  disciplines: Array<[Discipline, number]>;
}

const POOLS: Pool[] = [
  {
    org: "society",
    count: 68,
    leaders: 6,
    given: ["Olivia", "Liam", "Ava", "Noah", "Zainab", "Mateus", "Leah", "Ravi", "Hannah", "Diego", "Chloe", "Kofi", "Sara", "Ethan", "Ayesha", "Jonas", "Maya", "Tariq", "Ruth", "Isaac", "Lena", "Omar", "Grace", "Felix", "Nia", "Paolo", "Keiko", "Samuel", "Rosa", "Anil", "Bridget", "Tomasz", "Esther", "Malik", "Fiona", "Hugo"],
    family: ["Anderson", "Bianchi", "Chowdhury", "Delgado", "Eze", "Fischer", "Goldberg", "Hoang", "Ibrahim", "Jensen", "Kowalski", "Larsen", "Mbeki", "Nakamura", "O'Brien", "Petrov", "Quinn", "Rahman", "Schmidt", "Takahashi", "Umeh", "Vasquez", "Walsh", "Yilmaz", "Zhou", "Abernathy", "Brennan", "Castillo", "Dimitriou", "Eriksen"],
    locale: "en",
    zones: [["America/Chicago", 5], ["America/New_York", 5], ["America/Denver", 2], ["America/Los_Angeles", 3], ["Australia/Sydney", 2], ["Australia/Melbourne", 1], ["Pacific/Auckland", 1]],
    languages: [["en"], ["en"], ["en"], ["en", "es"], ["en", "fr"], ["en", "de"]],
    disciplines: [["physician", 5], ["psychologist", 2], ["nurse", 2], ["social_worker", 1], ["psychotherapist", 2], ["other_health_professional", 1]],
  },
  {
    org: "residency",
    count: 48,
    leaders: 3,
    given: ["Tyler", "Priyanka", "Jordan", "Mariana", "Caleb", "Aaliyah", "Connor", "Mei-Ling", "Dev", "Savannah", "Luis", "Hailey", "Kenji", "Imani", "Brandon", "Nadia", "Owen", "Sofia", "Trevor", "Amani", "Wyatt", "Leilani", "Rohan", "Brooke"],
    family: ["Begaye", "Carter", "Dang", "Espinoza", "Foster", "Gutierrez", "Hansen", "Iyer", "Jackson", "Kaur", "Lopez", "Morrison", "Nguyen", "Ortiz", "Patel", "Reyes", "Sandoval", "Thompson", "Vu", "Whitehorse", "Young", "Zamora"],
    locale: "en",
    zones: [["America/Denver", 9], ["America/Phoenix", 1]],
    languages: [["en"], ["en"], ["en", "es"], ["en", "vi"], ["en", "hi"]],
    disciplines: [["resident", 10], ["medical_student", 2], ["physician", 2], ["nurse", 2], ["social_worker", 1], ["psychologist", 1]],
  },
  {
    org: "hospital",
    count: 47,
    leaders: 4,
    given: ["María", "José", "Laura", "Álvaro", "Nuria", "Sergio", "Elena", "Iker", "Rocío", "Andrés", "Pilar", "Raúl", "Marta", "Jordi", "Beatriz", "Hugo", "Irene", "Óscar", "Cristina", "Guillermo", "Noelia", "Adrián", "Lorena", "Rubén"],
    family: ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Díaz", "Álvarez", "Romero", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Serrano", "Molina", "Blanco", "Suárez", "Ortega", "Delgado", "Castro", "Rubio", "Marín", "Sanz"],
    locale: "es",
    zones: [["Europe/Madrid", 12], ["Atlantic/Canary", 1], ["America/Bogota", 1], ["America/Mexico_City", 1]],
    languages: [["es"], ["es"], ["es", "en"], ["es", "ca"], ["es", "eu"], ["es", "gl"]],
    disciplines: [["nurse", 5], ["physician", 4], ["resident", 3], ["psychologist", 2], ["social_worker", 1], ["other_health_professional", 1]],
  },
];

function weighted<T>(next: () => number, items: Array<[T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = next() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items.at(-1)![0];
}

const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** About 160 more people; `taken` holds the handles already used by the hand-written ones. */
export function generatedPeople(taken: ReadonlySet<string>): DemoPerson[] {
  const random = prng(20_261_126);
  const used = new Set(taken);
  const out: DemoPerson[] = [];
  for (const pool of POOLS) {
    for (let i = 0; i < pool.count; i++) {
      let given = random.pick(pool.given);
      let family = random.pick(pool.family);
      if (pool.org === "hospital") family = `${family} ${random.pick(pool.family)}`;
      let handle = `${ascii(given)}.${ascii(family).replace(/-/g, ".")}`;
      while (used.has(handle)) {
        given = random.pick(pool.given);
        family = random.pick(pool.family);
        handle = `${ascii(given)}.${ascii(family).replace(/-/g, ".")}`;
      }
      used.add(handle);
      const role: Role = i < pool.leaders ? "leader" : "member";
      const zone = weighted(random.next, pool.zones);
      const disciplines: Discipline[] = role === "leader" ? [random.next() < 0.6 ? "physician" : "psychologist"] : [weighted(random.next, pool.disciplines)];
      const pronouns = pool.locale === "es" ? random.pick(["ella", "él", null, null]) : random.pick(["she/her", "he/him", "they/them", null, null]);
      out.push({
        handle,
        name: `${given} ${family}`,
        pronouns,
        locale: random.next() < 0.8 ? pool.locale : null,
        timeZone: zone,
        languages: random.pick(pool.languages),
        disciplines,
        memberships: { [pool.org]: role },
      });
    }
  }
  return out;
}
