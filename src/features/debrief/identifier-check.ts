/**
 * Identifier check for the leaders' debrief: a local, deterministic scan that warns when a text
 * looks like it names a patient or holds an identifier, and shows what it found so the writer can
 * rephrase. English and Spanish. No I/O, no network, no node: imports — it runs in the browser
 * (warn as you type) and on the server (check again before saving) with the same result.
 *
 * API:
 *   findIdentifiers(text) → IdentifierFinding[]   sorted by start, never overlapping
 *     IdentifierFinding = { kind, start, end, text }   with text === input.slice(start, end)
 *     (UTF-16 offsets, as String.prototype.slice and a <textarea>'s selectionStart use)
 *   hasIdentifiers(text) → boolean
 *   IDENTIFIER_KINDS    → every kind, in display order
 *
 * It is a warning, not a guarantee: it finds what careful rules can find (method, measured
 * precision and recall, and known gaps: docs/identifier-check.md and ADR 014). Rules, in short:
 *   email          local@domain.tld
 *   date           "14 March 1961", "March 3, 2026", "4 de mayo de 1957", "12/09/1983", "1983-09-12";
 *                  never a weekday, a month alone, an ordinal alone ("the 14th") or a time
 *   date_of_birth  a date (or a bare year) right after born / DOB / date of birth / nació / nacido /
 *                  fecha de nacimiento
 *   phone          7–15 digits in groups (+44 7700 900123, (555) 214-7788, 91 555 23 47)
 *   record_number  a number or letter+digit code after MRN / record / chart / hospital number /
 *                  historia (clínica) / expediente / HC
 *   id_number      SSN shape (078-05-1120), DNI/NIE, letter+digit codes, long bare numbers, or any
 *                  number after ID / NHS / insurance / passport / DNI / NIE / tarjeta sanitaria
 *   address        number + capitalised street name + street word (42 Larkspur Lane); calle/avenida/
 *                  plaza… + name + number; UK postcodes; a 5-digit code after postcode / zip / CP
 *   name           a title + capitalised word (Mrs Delacroix, Sra. Quiroga, Doña Remedios); a cue
 *                  (named, called, patient, son/daughter/husband…, llamado, se llama, su hija…) +
 *                  capitalised word; a capitalised word inside a sentence that is not in the stop
 *                  lists (roles, weekdays, months, values, institutions, places, tools, holidays);
 *                  a sentence-initial word only when it is a common first name or joins such a word.
 *                  Public figures of the field (Balint) are never flagged.
 */

export const IDENTIFIER_KINDS = [
  "name",
  "date_of_birth",
  "date",
  "record_number",
  "id_number",
  "phone",
  "email",
  "address",
] as const;

export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface IdentifierFinding {
  kind: IdentifierKind;
  /** UTF-16 offset of the first character. */
  start: number;
  /** UTF-16 offset after the last character. */
  end: number;
  /** The matched text, exactly `text.slice(start, end)`. */
  text: string;
}

interface Candidate extends IdentifierFinding {
  priority: number;
}

/** Lower wins when two candidates overlap. */
const PRIORITY: Record<IdentifierKind, number> = {
  email: 0,
  date_of_birth: 1,
  record_number: 2,
  id_number: 3,
  phone: 4,
  address: 5,
  date: 6,
  name: 7,
};

// ── Word lists ───────────────────────────────────────────────────────────────────────────────

const MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec";
const MONTHS_ES = "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre";

/** Capitalised words that are not personal names (compared in lower case, accents kept). */
const STOP_WORDS = new Set(
  [
    // pronouns, articles and other words that can be capitalised mid-sentence
    "i", "i'm", "i've", "i'd", "i'll", "ok", "okay",
    // titles (a title is not a name; the name after it is found by the title rule)
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sr", "sra", "srta", "dña", "don", "doña",
    "señor", "señora", "señorita",
    // weekdays and months, English and Spanish
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "lunes", "martes", "miércoles", "miercoles", "jueves", "viernes", "sábado", "sabado", "domingo",
    ...MONTHS_EN.toLowerCase().split("|"),
    ...MONTHS_ES.split("|"),
    // roles and group vocabulary
    "leader", "leaders", "co-leader", "co-leaders", "coleader", "presenter", "member", "members",
    "group", "groups", "supervisor", "supervisors", "trainer", "trainee", "trainees", "facilitator",
    "coordinator", "coordinadora", "coordinador", "coordinadores", "presentador", "presentadora",
    "miembro", "miembros", "grupo", "grupos", "supervisora", "líder", "lider", "colíder", "colider",
    "pushback", "devolución", "opening", "closing", "phase", "phases", "session", "sesión", "meeting",
    "reunión", "case", "caso", "round", "ground", "rules", "intensive", "workshop", "debrief",
    "council", "committee", "fellowship", "credentialing", "accreditation", "acreditación",
    // values and feelings often capitalised as headings
    "empathy", "curiosity", "respect", "safety", "trust", "compassion", "humility", "kindness",
    "confidentiality", "presence", "listening", "courage", "honesty", "wellbeing", "well-being",
    "empatía", "curiosidad", "respeto", "seguridad", "confianza", "compasión", "humildad",
    "confidencialidad", "escucha", "bienestar",
    // the field's public names and bodies
    "balint", "abs", "ibf", "society", "societies", "association", "federation", "international",
    "american", "british", "national", "royal", "college", "academy", "institute", "foundation",
    "university", "hospital", "trust", "department", "service", "services", "unit", "clinic",
    "practice", "school", "program", "programme", "centre", "center", "board", "network",
    "sociedad", "asociación", "asociacion", "federación", "federacion", "internacional", "nacional",
    "colegio", "academia", "instituto", "fundación", "fundacion", "universidad", "servicio", "unidad",
    "centro", "salud", "atención", "atencion", "primaria", "comunitaria", "familia", "española",
    "español", "escuela", "programa", "consejería", "ministerio",
    // specialties and professions
    "medicine", "emergency", "paediatrics", "pediatrics", "psychiatry", "psychology", "nursing",
    "surgery", "oncology", "cardiology", "obstetrics", "gynaecology", "radiology", "anaesthetics",
    "anesthesiology", "neurology", "geriatrics", "palliative", "care", "general", "family", "primary",
    "internal", "intensive", "medical", "health", "mental", "residency", "foundation",
    "medicina", "urgencias", "pediatría", "pediatria", "psiquiatría", "psiquiatria", "psicología",
    "enfermería", "enfermeria", "cirugía", "cirugia", "oncología", "cardiología", "geriatría",
    "paliativos", "ginecología", "obstetricia", "radiología", "anestesia", "neurología", "interna",
    "mir", "eir",
    // places (countries, regions, common cities in the field's literature)
    "australia", "zealand", "new", "uk", "england", "scotland", "wales", "ireland", "britain",
    "america", "usa", "canada", "europe", "spain", "españa", "mexico", "méxico", "argentina",
    "chile", "colombia", "peru", "perú", "germany", "alemania", "france", "francia", "italy", "italia",
    "london", "londres", "madrid", "barcelona", "sevilla", "valencia", "hungary", "hungría", "budapest",
    "europa", "latinoamérica", "latinoamerica", "north", "south", "east", "west", "norte", "sur",
    // languages and nationalities
    "english", "spanish", "inglés", "ingles", "castellano", "catalan", "catalán", "french", "german",
    "hungarian", "european", "latino", "latina",
    // tools and media
    "zoom", "teams", "microsoft", "google", "meet", "whatsapp", "slack", "skype", "webex", "internet",
    "email", "e-mail", "pdf", "powerpoint",
    // holidays and seasons
    "christmas", "easter", "navidad", "navidades", "semana", "santa", "pascua", "ramadan", "hanukkah",
    "diwali", "thanksgiving", "halloween", "año", "nuevo", "year", "new", "spring", "summer", "autumn",
    "winter", "term", "verano", "invierno", "otoño", "primavera",
    // headings and document words
    "week", "semana", "page", "página", "section", "sección", "version", "versión", "step", "paso",
    "part", "parte", "appendix", "anexo", "note", "nota", "table", "tabla", "figure", "figura",
    "plan", "agenda", "handbook", "manual", "guidelines", "guías",
    // parts of buildings (room names, not people: "Level 2", "Flat 3", "Ward 7", "St Mary's")
    "level", "floor", "flat", "room", "ward", "bay", "bed", "wing", "building", "suite", "block",
    "planta", "sala", "habitación", "consulta", "box", "st", "saint", "san", "santo", "hospital's",
  ].map((w) => w.toLowerCase()),
);

/** Names of public figures of the field; a sequence containing one is never flagged. */
const PUBLIC_NAMES = new Set(["balint"]);
/** Their first names, public only when the surname follows ("Michael and Enid Balint"). */
const PUBLIC_FIRST_NAMES = new Set(["michael", "enid"]);
const PUBLIC_SURNAME_FOLLOWS = /^(?:\s+(?:and|y|&)\s+\p{Lu}\p{Ll}+)?\s+Balint(?![\p{L}])/u;

/**
 * Common first names (English and Spanish) that count as a name even at the start of a sentence,
 * where capitalisation says nothing. Words that are also ordinary English or Spanish words
 * (Hope, Grace, Will, May, Mark, Rose, Pat, Sol, Luz, Rosario…) are left out on purpose.
 */
const FIRST_NAMES = new Set(
  (
    "aaron abigail adam adrian agnes aidan alan albert alex alexander alice alison amanda amelia amy andrew angela anna anne " +
    "anthony arthur barbara ben benjamin beth bethany brian bridget carl carol caroline catherine charles charlie charlotte chloe " +
    "chris christine christopher claire colin craig daniel david deborah dennis derek desmond diana diane donald dorothy douglas " +
    "edward eleanor elizabeth ellen emily emma eric ethan evelyn fiona frances francis frank gary george georgina gerald gordon " +
    "graham hannah harold harriet harry helen henry hugh ian isabel isabella jacob james jane janet jason jennifer jeremy jessica " +
    "joan joanna john jonathan joseph joshua judith julia julie karen kate katherine kathleen keith kenneth kevin laura lauren " +
    "linda lisa louise lucy margaret maria marie martin mary matthew megan melissa michael michelle nancy natalie nathan neil " +
    "nicholas nicola oliver olivia patricia paul peter philip priya rachel raymond rebecca richard robert ruth samantha samuel " +
    "sandra sarah sean sharon simon sophie stephen steven susan thomas theo timothy tobias valerie victoria walter william " +
    "adela adolfo agustín alberto alejandra alejandro alfonso alicia álvaro amparo ana andrés anselmo antonia antonio beatriz " +
    "carlos carmen catalina cecilia clara concepción consuelo cristina daniela diego dolores eduardo elena emilio enrique " +
    "esperanza esteban eugenia federico felipe fernando francisca francisco gabriel gonzalo guadalupe guillermo gustavo ignacio " +
    "inés irene isabel jaime javier jesús joaquín jorge josé josefa juan juana julián julio laura leonor lorena lorenzo lucía " +
    "luis manuel manuela marcos margarita mariano marta mercedes miguel milagros montserrat nicolás nuria pablo patricia pedro " +
    "pilar rafael ramón raquel remedios ricardo roberto rocío rodrigo rosa salvador santiago sergio silvia soledad susana teresa " +
    "tomás vicente victoria yolanda"
  ).split(" "),
);

// ── Small helpers ────────────────────────────────────────────────────────────────────────────

const UPPER = "A-ZÁÉÍÓÚÑÜÀÈÌÒÙÇ";
const LOWER = "a-záéíóúñüàèìòùçß";
/** A capitalised word: O'Leary, Okonkwo-Baird, Echeverría. */
const CAP_WORD = `(?:[${UPPER}]['’])?[${UPPER}][${LOWER}]+(?:[${UPPER}][${LOWER}]+)?(?:['’-][${UPPER}]?[${LOWER}]+)*`;
/** One to three capitalised words, allowing Spanish/Dutch particles between them. */
const CAP_NAME = `${CAP_WORD}(?:\\s+(?:(?:de la|del|de|van|von|da|di|y)\\s+)?${CAP_WORD}){0,2}`;

function* matches(text: string, re: RegExp): Generator<RegExpExecArray> {
  const global = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g");
  let m: RegExpExecArray | null;
  while ((m = global.exec(text)) !== null) {
    if (m[0].length === 0) {
      global.lastIndex++;
      continue;
    }
    yield m;
  }
}

function candidate(kind: IdentifierKind, text: string, start: number, end: number): Candidate {
  return { kind, start, end, text: text.slice(start, end), priority: PRIORITY[kind] };
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The text of the current clause before `index` (up to 40 characters, cut at a sentence end). */
function before(text: string, index: number, length = 40): string {
  const slice = text.slice(Math.max(0, index - length), index);
  const cut = Math.max(slice.lastIndexOf(". "), slice.lastIndexOf("! "), slice.lastIndexOf("? "), slice.lastIndexOf("\n"));
  return cut >= 0 ? slice.slice(cut + 1) : slice;
}

function digitCount(s: string): number {
  return s.replace(/\D/g, "").length;
}

// ── Detectors ────────────────────────────────────────────────────────────────────────────────

function findEmails(text: string): Candidate[] {
  // The lookbehind makes a match start only at the beginning of a run (linear, not quadratic).
  const re = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
  return [...matches(text, re)].map((m) => candidate("email", text, m.index, m.index + m[0].length));
}

/** Cue lists are written with whole-word boundaries that understand accents (\\b does not). */
function cue(alternatives: string, tail: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])${tail}$`, "iu");
}

const DOB_CUE = cue(
  "born(?:\\s+(?:on|in))?|b\\.|d\\.?o\\.?b\\.?|date of birth|birth ?date|birthday|naci(?:ó|o|da|do)(?:\\s+(?:el|en|en el año))?|fecha de nacimiento|f\\.\\s?nac\\.",
  "[\\s:,]*(?:(?:was|is|es|era|fue)\\s+)?",
);

function findDates(text: string): Candidate[] {
  const out: Candidate[] = [];
  const day = "(?:[12][0-9]|3[01]|0?[1-9])";
  const patterns = [
    // 14 March 1961, 3rd of March, 3 Mar 2026
    new RegExp(`\\b${day}(?:st|nd|rd|th)?(?:\\s+of)?\\s+(?:${MONTHS_EN})\\.?(?:,?\\s+(?:19|20)\\d{2})?\\b`, "g"),
    // March 3, 2026 / March 3rd
    new RegExp(`\\b(?:${MONTHS_EN})\\.?\\s+${day}(?:st|nd|rd|th)?\\b(?:,?\\s+(?:19|20)\\d{2}\\b)?`, "g"),
    // 4 de mayo de 1957
    new RegExp(`\\b${day}\\s+de\\s+(?:${MONTHS_ES})(?:\\s+(?:de|del)\\s+(?:19|20)\\d{2})?\\b`, "gi"),
    // 12/09/1983, 12-09-83, 12.09.1983
    /\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b/g,
    // 1983-09-12
    /\b(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\b/g,
  ];
  for (const re of patterns) {
    for (const m of matches(text, re)) {
      if (m[2] !== undefined && m[1] !== undefined && m[3] !== undefined) {
        const a = Number(m[1]);
        const b = Number(m[3]);
        const valid = (a >= 1 && a <= 31 && b >= 1 && b <= 12) || (a >= 1 && a <= 12 && b >= 1 && b <= 31);
        if (!valid) continue;
      }
      const start = m.index;
      const end = start + m[0].length;
      const kind = DOB_CUE.test(before(text, start)) ? "date_of_birth" : "date";
      out.push(candidate(kind, text, start, end));
    }
  }
  // "born in 1949", "nacido en 1949": a bare year after a birth cue.
  for (const m of matches(text, /\b(?:19|20)\d{2}\b/g)) {
    if (DOB_CUE.test(before(text, m.index))) out.push(candidate("date_of_birth", text, m.index, m.index + 4));
  }
  return out;
}

const NUMBER_TAIL = "[^.?!\\d]{0,20}";
const RECORD_CUE = cue(
  "mrn|medical record|record|chart|hospital (?:number|no\\.?)|case (?:number|no\\.?)|patient (?:number|no\\.?|id)|historia(?: clínica| clinica)?|expediente|hc|n\\.?º? de historia",
  NUMBER_TAIL,
);
const ID_CUE = cue(
  "id|nhs|insurance|passport|social security|ssn|licen[cs]e|dni|nie|nif|pasaporte|tarjeta sanitaria|seguridad social|cip",
  NUMBER_TAIL,
);
const PHONE_CUE = cue(
  "phone|phoned|tel|telephone|mobile|cell|call(?:ed)?|ring|reach|contact|on|teléfono|telefono|móvil|movil|llam[óoa]|llamar|fijo",
  NUMBER_TAIL,
);

/** Decides what a number is from the words before it; `fallback` when no cue says. */
function numberKind(text: string, start: number, fallback: IdentifierKind): IdentifierKind {
  const prefix = before(text, start);
  if (RECORD_CUE.test(prefix)) return "record_number";
  if (ID_CUE.test(prefix)) return "id_number";
  if (PHONE_CUE.test(prefix) && fallback === "phone") return "phone";
  return fallback;
}

function isMoney(text: string, start: number, end: number): boolean {
  return /[$€£]\s?$/.test(text.slice(Math.max(0, start - 2), start)) || /^\s?(?:€|%|euros?\b|dollars?\b|pounds?\b|usd\b|eur\b)/i.test(text.slice(end, end + 8));
}

function findNumbers(text: string, dates: Candidate[]): Candidate[] {
  const out: Candidate[] = [];
  const clearOfDates = (start: number, end: number) => !dates.some((d) => overlaps(d, { start, end }));

  // Phone-shaped: groups of digits joined by spaces, dots or dashes, optional +country, (area).
  const phone = /(?<![\w+/.,:-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)\s?)?\d{2,12}(?:[\s.-]\d{2,8}){0,4}(?![\w/]|[.,:-]\d)/g;
  for (const m of matches(text, phone)) {
    const start = m.index;
    const end = start + m[0].length;
    const digits = digitCount(m[0]);
    if (!clearOfDates(start, end) || isMoney(text, start, end)) continue;
    const grouped = /[\s.()-]/.test(m[0].trim()) || m[0].startsWith("+");
    if (grouped && digits >= 7 && digits <= 15) {
      // 078-05-1120: the US social security shape.
      const fallback: IdentifierKind = /^\d{3}-\d{2}-\d{4}$/.test(m[0]) ? "id_number" : "phone";
      out.push(candidate(numberKind(text, start, fallback), text, start, end));
    } else if (!grouped && digits >= 6) {
      // A long bare number: an identifier of some kind (a bare phone number needs a phone cue).
      const kind = numberKind(text, start, "id_number");
      out.push(candidate(kind === "id_number" && PHONE_CUE.test(before(text, start)) && digits >= 9 ? "phone" : kind, text, start, end));
    } else if (!grouped && digits >= 3) {
      // Short numbers only count with a record or id cue ("record 4471").
      const kind = numberKind(text, start, "phone");
      if (kind !== "phone") out.push(candidate(kind, text, start, end));
    }
  }

  // Codes mixing letters and digits: RX4471920, HC-0045821, A-552190, 12345678Z, X1234567L.
  const code = /\b(?:[A-Z]{1,4}-?\d{5,}[A-Z]?|\d{7,8}-?[A-Z]|[XYZ]-?\d{7}-?[A-Z])\b/g;
  for (const m of matches(text, code)) {
    const start = m.index;
    const end = start + m[0].length;
    out.push(candidate(numberKind(text, start, "id_number"), text, start, end));
  }
  return out;
}

const STREET_EN =
  "Street|St\\.?|Road|Rd\\.?|Avenue|Ave\\.?|Lane|Ln\\.?|Drive|Court|Ct\\.?|Close|Crescent|Way|Boulevard|Blvd\\.?|Place|Pl\\.?|Terrace|Gardens|Square|Row|Mews|Grove|Parade|Walk";
const STREET_ES = "calle|c/|avenida|avda\\.?|av\\.|plaza|pza\\.?|paseo|pº|ronda|camino|carretera|ctra\\.?|travesía|travesia|glorieta|pasaje|urbanización|urb\\.";

function findAddresses(text: string): Candidate[] {
  const out: Candidate[] = [];
  const en = new RegExp(`\\b\\d{1,5}[A-Za-z]?,?\\s+(?:${CAP_WORD}\\s+){1,3}(?:${STREET_EN})(?![\\w])`, "g");
  const es = new RegExp(
    `(?<![\\w])(?:${STREET_ES})\\s+(?:(?:de las|de los|de la|del|de)\\s+)?${CAP_WORD}(?:\\s+(?:(?:de la|del|de|y)\\s+)?${CAP_WORD}){0,3},?\\s*(?:n[º°o]\\.?\\s*)?\\d{1,4}\\b`,
    "gi",
  );
  const ukPostcode = /\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b/g;
  const postcodeCue = cue("post ?code|zip(?: code)?|c\\.?\\s?p\\.?|código postal|codigo postal", "[\\s:,]*");
  for (const m of matches(text, en)) out.push(candidate("address", text, m.index, m.index + m[0].length));
  // A named street without a number is still an address ("lives on Harrowgate Avenue", "la calle Olmo").
  const enStreet = new RegExp(`(?<![\\w'’])(?:${CAP_WORD}\\s+){1,2}(?:Street|Road|Avenue|Lane|Drive|Crescent|Boulevard|Terrace|Gardens|Mews|Grove)(?![\\w])`, "g");
  for (const m of matches(text, enStreet)) {
    const words = m[0].split(/\s+/).slice(0, -1).map((w) => w.toLowerCase());
    if (words.some((w) => STOP_WORDS.has(w) || PUBLIC_NAMES.has(w))) continue;
    out.push(candidate("address", text, m.index, m.index + m[0].length));
  }
  const esStreet = new RegExp(`(?<![\\p{L}])(?:calle|avenida|avda\\.|plaza|paseo|ronda|travesía)\\s+(?:(?:de las|de los|de la|del|de)\\s+)?`, "giu");
  const nameAt = new RegExp(CAP_NAME, "y");
  for (const m of matches(text, esStreet)) {
    nameAt.lastIndex = m.index + m[0].length;
    const name = nameAt.exec(text)?.[0];
    if (name) out.push(candidate("address", text, m.index, m.index + m[0].length + name.length));
  }
  for (const m of matches(text, es)) {
    // The street word is matched case-insensitively, the name must still be capitalised.
    const afterWord = m[0].replace(new RegExp(`^(?:${STREET_ES})\\s+(?:(?:de las|de los|de la|del|de)\\s+)?`, "i"), "");
    if (!new RegExp(`^[${UPPER}]`).test(afterWord)) continue;
    out.push(candidate("address", text, m.index, m.index + m[0].length));
  }
  for (const m of matches(text, ukPostcode)) out.push(candidate("address", text, m.index, m.index + m[0].length));
  for (const m of matches(text, /\b\d{5}(?:-\d{4})?\b/g)) {
    if (postcodeCue.test(before(text, m.index))) out.push(candidate("address", text, m.index, m.index + m[0].length));
  }
  return out;
}

const TITLES = "Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sr|Sra|Srta|Dña|Dª|Don|Doña|Señor|Señora|Señorita|señor|señora|señorita|don|doña";
const NAME_CUES_EN =
  "named|called|patient|patient's|(?:his|her|their|the patient's|the) (?:son|daughter|wife|husband|partner|mother|father|brother|sister|carer|friend|neighbour|neighbor|grandson|granddaughter|boyfriend|girlfriend)|mr\\.? and mrs\\.?";
const NAME_CUES_ES =
  "llamado|llamada|se llama|de nombre|(?:el|la) paciente|(?:su|sus) (?:hijo|hija|marido|mujer|esposa|esposo|madre|padre|hermano|hermana|pareja|nieto|nieta|vecino|vecina|cuidador|cuidadora|novio|novia)|(?:el|la) (?:hijo|hija|marido|mujer|madre|padre|hermano|hermana) de (?:la|el) paciente";

function isPublic(span: string): boolean {
  return span.split(/[\s'’-]+/).some((w) => PUBLIC_NAMES.has(w.toLowerCase()));
}

/** Strips a trailing possessive ('s) from a span end. */
function trimPossessive(text: string, start: number, end: number): number {
  const span = text.slice(start, end);
  return /['’]s$/.test(span) ? end - 2 : end;
}

function sentenceStarts(text: string): Set<number> {
  const starts = new Set<number>();
  for (const m of matches(text, /(?:^|[.!?:;¿¡\n…]["'“”‘’«»()\s]*|^["'“‘«(]+)\s*(?=\S)/g)) starts.add(m.index + m[0].length);
  starts.add(text.search(/\S/));
  return starts;
}

function findNames(text: string): Candidate[] {
  const out: Candidate[] = [];

  // 1. Title + name: Mrs Delacroix, Dr. Okonkwo-Baird, Sra. Montalbán, Doña Remedios.
  const titled = new RegExp(`(?<![\\w])(?:${TITLES})\\.?\\s+(${CAP_NAME})`, "g");
  for (const m of matches(text, titled)) {
    const name = m[1] ?? "";
    if (isPublic(name) || STOP_WORDS.has(name.split(/\s+/)[0]?.toLowerCase() ?? "")) continue;
    out.push(candidate("name", text, m.index, trimPossessive(text, m.index, m.index + m[0].length)));
  }

  // 1b. An abbreviated title typed in lower case: "dr. feldman", "sra. lópez".
  const lowerTitled = new RegExp(`(?<![\\p{L}])(?:mr|mrs|ms|dr|prof|sr|sra|srta)\\.\\s+([\\p{Ll}][\\p{Ll}'’-]{2,})`, "gu");
  for (const m of matches(text, lowerTitled)) {
    const name = (m[1] ?? "").replace(/['’]s$/, "");
    if (STOP_WORDS.has(name) || PUBLIC_NAMES.has(name)) continue;
    out.push(candidate("name", text, m.index, trimPossessive(text, m.index, m.index + m[0].length)));
  }

  // 2. A cue word, then a capitalised name: "named Tobias Wrenfield", "su hija Rocío", "brother, Desmond".
  //    The cue is matched in any case; the name after it must really be capitalised.
  const cue = new RegExp(`(?<![\\p{L}])(?:${NAME_CUES_EN}|${NAME_CUES_ES})[,:]?\\s+`, "giu");
  const nameHere = new RegExp(CAP_NAME, "y");
  for (const m of matches(text, cue)) {
    nameHere.lastIndex = m.index + m[0].length;
    const name = nameHere.exec(text)?.[0];
    if (!name || isPublic(name) || STOP_WORDS.has(name.split(/\s+/)[0]?.toLowerCase() ?? "")) continue;
    const start = m.index + m[0].length;
    out.push(candidate("name", text, start, trimPossessive(text, start, start + name.length)));
  }

  // 3. Capitalised words that are not at a sentence start and not in the stop lists; a
  //    sentence-initial word only if it is a common first name, or directly joins a flagged word.
  const starts = sentenceStarts(text);
  const word = new RegExp(`(?<![\\w'’.@-])${CAP_WORD}`, "g");
  const words = [...matches(text, word)].map((m) => ({ start: m.index, end: m.index + m[0].length, word: m[0] }));
  const isName = (w: { start: number; end: number; word: string }): boolean => {
    const lower = w.word.toLowerCase().replace(/['’]s$/, "");
    if (STOP_WORDS.has(lower) || PUBLIC_NAMES.has(lower)) return false;
    if (PUBLIC_FIRST_NAMES.has(lower) && PUBLIC_SURNAME_FOLLOWS.test(text.slice(w.end, w.end + 30))) return false;
    if (starts.has(w.start)) return FIRST_NAMES.has(lower);
    return true;
  };
  let i = 0;
  while (i < words.length) {
    // Gather a run of adjacent capitalised words ("Eleanor Voss", "Consuelo Iriarte").
    let j = i;
    while (j + 1 < words.length) {
      const a = words[j];
      const b = words[j + 1];
      if (!a || !b || !/^\s+(?:(?:de la|del|de|van|von|da|di)\s+)?$/.test(text.slice(a.end, b.start))) break;
      j++;
    }
    const run = words.slice(i, j + 1);
    i = j + 1;
    if (run.some((w) => PUBLIC_NAMES.has(w.word.toLowerCase().replace(/['’]s$/, "")))) continue;
    // Institution-like runs ("Emergency Medicine", "Balint Society", "On Teams") are not names.
    if (run.some((w) => STOP_WORDS.has(w.word.toLowerCase().replace(/['’]s$/, "")))) continue;
    const flagged = run.filter(isName);
    const head = flagged[0];
    const tail = flagged.at(-1);
    if (!head || !tail) continue;
    out.push(candidate("name", text, head.start, trimPossessive(text, head.start, tail.end)));
  }
  return out;
}

// ── Entry points ─────────────────────────────────────────────────────────────────────────────

/** Every identifier-like span in `text`, sorted by start, without overlaps. */
export function findIdentifiers(text: string): IdentifierFinding[] {
  if (typeof text !== "string" || text.length === 0) return [];
  const dates = findDates(text);
  const all = [...findEmails(text), ...dates, ...findNumbers(text, dates), ...findAddresses(text), ...findNames(text)];
  // Resolve overlaps: the more specific kind wins, then the longer span, then the earlier one.
  all.sort((a, b) => a.priority - b.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Candidate[] = [];
  for (const c of all) if (!kept.some((k) => overlaps(k, c))) kept.push(c);
  kept.sort((a, b) => a.start - b.start);
  return kept.map(({ kind, start, end, text: span }) => ({ kind, start, end, text: span }));
}

export function hasIdentifiers(text: string): boolean {
  return findIdentifiers(text).length > 0;
}
