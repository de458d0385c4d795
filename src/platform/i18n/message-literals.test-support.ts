import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Finds the English validation messages written in the source, for the coverage test of the
 * Spanish catalog (field-messages.es.ts). Tests only: reads files with node:fs.
 *
 * A message literal is a string or template literal in one of these places:
 *   - an object property `message: …` or `error: …` (zod params, FieldError objects, addIssue);
 *   - the params argument of a zod call: `.min(1, "…")`, `.regex(re, "…")`, `.refine(fn, "…")`,
 *     `z.uuid("…")`, `.int("…")`, `z.enum(values, "…")`, …;
 *   - the message of `invalid(path, "…")`;
 *   - the message of `new AppError(code, "…")`, whatever the code (validation_failed, conflict,
 *     not_found, forbidden, gone, rate_limited…): the top-level message of an error body;
 *   - the message of the helpers that build an AppError from a literal: `conflict("…")`,
 *     `forbidden("…")`, `lastOwner("…")`, and `notFound("That x")` / `checkId(id, "That x")`,
 *     which say "That x was not found." (the literal found is that whole sentence);
 *   - a parameter default `message = "…"` (`forbidden()`, `new StaleStateError(state)`) and the
 *     default of a not-found helper, `const notFound = (what = "That record") => …`.
 * Template literals keep their shape: static parts with a placeholder for each `${…}`.
 */
export interface MessageLiteral {
  file: string;
  line: number;
  /** The static parts; a plain string literal has exactly one. Placeholders sit between parts. */
  parts: string[];
  /** The literal as written, for failure reports. */
  source: string;
}

type Token =
  | { kind: "ident"; value: string; start: number }
  | { kind: "punct"; value: string; start: number }
  | { kind: "string"; value: string; start: number; end: number }
  | { kind: "template"; parts: string[]; start: number; end: number }
  | { kind: "other"; start: number };

/** A literal found, and the text it stands for when a helper wraps it ("That x" → "That x was not found."). */
interface Found {
  token: Token;
  suffix?: string;
}

const REGEX_AFTER = new Set(["(", ",", "=", ":", "[", "!", "&", "|", "?", "{", "}", ";", "+", "-", "*", "%", "<", ">", "~", "^", "=>", "&&", "||", "??"]);
const REGEX_AFTER_WORDS = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield", "await"]);

function unescape(raw: string): string {
  return raw.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])/g, (_m, e: string) => {
    if (e.startsWith("u{")) return String.fromCodePoint(Number.parseInt(e.slice(2, -1), 16));
    if (e.startsWith("u") && e.length === 5) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (e.startsWith("x") && e.length === 3) return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", "0": "\0", "\n": "", "\r\n": "" };
    return simple[e] ?? e;
  });
}

/**
 * A small JavaScript/TypeScript tokenizer: enough to find literals and call arguments. Template
 * literals are read with their `${…}` expressions lexed the same way (strings, regular
 * expressions and nested templates inside them), so a quote in `${s.replace(/"/g, "")}` does not
 * derail it.
 */
export function tokenize(src: string): Token[] {
  const n = src.length;

  function readString(at: number, quote: string): number {
    let j = at + 1;
    while (j < n && src[j] !== quote) {
      if (src[j] === "\\") j += 2;
      else if (src[j] === "\n") break;
      else j += 1;
    }
    return j + 1;
  }

  /** Reads a template literal starting at `at` (a backtick); returns its static parts and end. */
  function readTemplate(at: number): { parts: string[]; end: number } {
    const parts: string[] = [];
    let j = at + 1;
    let chunk = "";
    while (j < n) {
      const c = src[j]!;
      if (c === "\\") {
        chunk += src.slice(j, j + 2);
        j += 2;
      } else if (c === "`") {
        parts.push(unescape(chunk));
        return { parts, end: j + 1 };
      } else if (c === "$" && src[j + 1] === "{") {
        parts.push(unescape(chunk));
        chunk = "";
        j = lex(j + 2, [], true);
      } else {
        chunk += c;
        j += 1;
      }
    }
    parts.push(unescape(chunk));
    return { parts, end: n };
  }

  /**
   * Lexes from `from` into `tokens`. In a template expression (`inExpression`), stops after the
   * `}` that closes it and returns the index after it; otherwise runs to the end.
   */
  function lex(from: number, tokens: Token[], inExpression: boolean): number {
    let i = from;
    let depth = 0;
    while (i < n) {
      const c = src[i]!;
      if (/\s/.test(c)) {
        i += 1;
      } else if (c === "/" && src[i + 1] === "/") {
        const nl = src.indexOf("\n", i);
        i = nl < 0 ? n : nl;
      } else if (c === "/" && src[i + 1] === "*") {
        const close = src.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c === '"' || c === "'") {
        const end = readString(i, c);
        tokens.push({ kind: "string", value: unescape(src.slice(i + 1, end - 1)), start: i, end });
        i = end;
      } else if (c === "`") {
        const { parts, end } = readTemplate(i);
        tokens.push({ kind: "template", parts, start: i, end });
        i = end;
      } else if (c === "/") {
        const prev = tokens[tokens.length - 1];
        const regexAllowed = !prev || (prev.kind === "punct" && REGEX_AFTER.has(prev.value) && prev.value !== ")" && prev.value !== "]") || (prev.kind === "ident" && REGEX_AFTER_WORDS.has(prev.value));
        if (regexAllowed) {
          let j = i + 1;
          let inClass = false;
          while (j < n && src[j] !== "\n") {
            const d = src[j]!;
            if (d === "\\") j += 2;
            else {
              if (d === "[") inClass = true;
              else if (d === "]") inClass = false;
              else if (d === "/" && !inClass) break;
              j += 1;
            }
          }
          j += 1;
          while (j < n && /[a-z]/i.test(src[j]!)) j += 1;
          tokens.push({ kind: "other", start: i });
          i = j;
        } else {
          tokens.push({ kind: "punct", value: "/", start: i });
          i += 1;
        }
      } else if (/[A-Za-z_$]/.test(c)) {
        let j = i + 1;
        while (j < n && /[\w$]/.test(src[j]!)) j += 1;
        tokens.push({ kind: "ident", value: src.slice(i, j), start: i });
        i = j;
      } else if (/[0-9]/.test(c)) {
        let j = i + 1;
        while (j < n && /[\w.]/.test(src[j]!)) j += 1;
        tokens.push({ kind: "other", start: i });
        i = j;
      } else {
        if (inExpression && c === "}" && depth === 0) return i + 1;
        if (c === "{") depth += 1;
        else if (c === "}") depth -= 1;
        const three = src.slice(i, i + 3);
        const two = src.slice(i, i + 2);
        const op = ["...", "===", "!==", "??="].includes(three) ? three : ["=>", "&&", "||", "??", "?.", "==", "!=", "<=", ">=", "++", "--"].includes(two) ? two : c;
        tokens.push({ kind: "punct", value: op, start: i });
        i += op.length;
      }
    }
    return n;
  }

  const tokens: Token[] = [];
  lex(0, tokens, false);
  return tokens;
}

/** zod calls whose first argument may be the params (message): `z.uuid("…")`, `.int("…")`. */
const PARAMS_FIRST = new Set([
  "string", "number", "boolean", "bigint", "date", "uuid", "uuidv4", "guid", "email", "url", "httpUrl", "int", "int32", "positive", "nonnegative",
  "negative", "nonpositive", "nonempty", "finite", "safe", "datetime", "time", "duration", "ipv4", "ipv6", "e164", "jwt", "base64", "nanoid", "cuid",
  "ulid", "emoji", "hostname", "lowercase", "uppercase", "any", "unknown", "never", "undefined", "null", "void", "nan",
]);
/** zod calls whose second argument may be the params: `.min(1, "…")`, `z.enum(values, "…")`. */
const PARAMS_SECOND = new Set([
  "min", "max", "length", "gte", "lte", "gt", "lt", "regex", "refine", "multipleOf", "step", "startsWith", "endsWith", "includes", "enum", "array",
  "literal", "object", "strictObject", "looseObject", "tuple", "union", "nativeEnum", "instanceof",
]);
/** Helpers of this code base that take a field message as their second argument: `invalid(path, "…")`. */
const MESSAGE_HELPERS = new Set(["invalid", "bad", "refuse"]);
/** Error classes whose second constructor argument is a field message. */
const MESSAGE_ERRORS = new Set(["ReportQueryError"]);
/** Helpers whose argument at `arg` is the whole top-level message of the AppError they build. */
const ERROR_HELPERS: Record<string, number> = { conflict: 0, forbidden: 0, lastOwner: 0 };
/** Helpers whose argument at `arg` names the thing: the message is "<argument> was not found.". */
const NOT_FOUND_HELPERS: Record<string, number> = { notFound: 0, checkId: 1 };
export const NOT_FOUND_SUFFIX = " was not found.";

/** The top-level arguments of the call whose "(" is at token index `open`: [first, last] token indexes each. */
function callArguments(tokens: Token[], open: number): Array<[number, number]> {
  const args: Array<[number, number]> = [];
  let depth = 0;
  let start = open + 1;
  for (let k = open; k < tokens.length; k += 1) {
    const t = tokens[k]!;
    if (t.kind !== "punct") continue;
    if (t.value === "(" || t.value === "[" || t.value === "{") depth += 1;
    else if (t.value === ")" || t.value === "]" || t.value === "}") {
      depth -= 1;
      if (depth === 0) {
        if (k > start) args.push([start, k - 1]);
        return args;
      }
    } else if (t.value === "," && depth === 1) {
      args.push([start, k - 1]);
      start = k + 1;
    }
  }
  return args;
}

/** Index of the last token of the expression starting at `from` (stops before a top-level `,` or closer). */
function expressionEnd(tokens: Token[], from: number): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k += 1) {
    const t = tokens[k]!;
    if (t.kind !== "punct") continue;
    if (t.value === "(" || t.value === "[" || t.value === "{") depth += 1;
    else if (t.value === ")" || t.value === "]" || t.value === "}") {
      if (depth === 0) return k - 1;
      depth -= 1;
    } else if ((t.value === "," || t.value === ";") && depth === 0) return k - 1;
  }
  return tokens.length - 1;
}

const BRANCH_BEFORE = new Set(["?", ":", "||", "??"]);
const BRANCH_AFTER = new Set([":", "||", "??"]);

/**
 * The literals an argument or property value can evaluate to: the whole value when it is one
 * literal, else each literal branch of `a ? "x" : "y"`, `x || "y"`, `x ?? "y"` at its top level.
 * A literal glued to something else (`"a" + b`, `"a".trim()`) is not a message by itself.
 */
function branchLiterals(tokens: Token[], range: [number, number] | undefined): Token[] {
  if (!range) return [];
  const [first, last] = range;
  const out: Token[] = [];
  let depth = 0;
  for (let k = first; k <= last; k += 1) {
    const t = tokens[k]!;
    if (t.kind === "punct") {
      if (t.value === "(" || t.value === "[" || t.value === "{") depth += 1;
      else if (t.value === ")" || t.value === "]" || t.value === "}") depth -= 1;
      continue;
    }
    if (depth !== 0 || (t.kind !== "string" && t.kind !== "template")) continue;
    const before = k === first ? undefined : tokens[k - 1];
    const after = k === last ? undefined : tokens[k + 1];
    const okBefore = !before || (before.kind === "punct" && BRANCH_BEFORE.has(before.value));
    const okAfter = !after || (after.kind === "punct" && BRANCH_AFTER.has(after.value));
    if (okBefore && okAfter) out.push(t);
  }
  return out;
}

/** The message literals of one source file. */
export function extractMessageLiterals(src: string, file = "<source>"): MessageLiteral[] {
  const tokens = tokenize(src);
  const found = new Map<number, Found>();
  const add = (literal: Token, suffix?: string) => found.set(literal.start, suffix ? { token: literal, suffix } : { token: literal });
  for (let k = 0; k < tokens.length; k += 1) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    const prev = tokens[k - 1];
    if (t.kind !== "ident") continue;
    // message: "…" / error: "…"
    if ((t.value === "message" || t.value === "error") && next?.kind === "punct" && next.value === ":" && !(prev?.kind === "punct" && (prev.value === "." || prev.value === "?."))) {
      for (const literal of branchLiterals(tokens, [k + 2, expressionEnd(tokens, k + 2)])) add(literal);
      continue;
    }
    // A parameter default: (…, message = "…") in a helper or constructor.
    if (t.value === "message" && next?.kind === "punct" && next.value === "=" && prev?.kind === "punct" && (prev.value === "(" || prev.value === ",")) {
      for (const literal of branchLiterals(tokens, [k + 2, expressionEnd(tokens, k + 2)])) add(literal);
      continue;
    }
    // The default of a not-found helper: const notFound = (what = "That record") => …
    if (Object.hasOwn(NOT_FOUND_HELPERS, t.value) && next?.kind === "punct" && next.value === "=" && tokens[k + 2]?.kind === "punct" && (tokens[k + 2] as { value: string }).value === "(") {
      const param = tokens[k + 3];
      const eq = tokens[k + 4];
      if (param?.kind === "ident" && eq?.kind === "punct" && eq.value === "=") {
        for (const literal of branchLiterals(tokens, [k + 5, expressionEnd(tokens, k + 5)])) add(literal, NOT_FOUND_SUFFIX);
      }
      continue;
    }
    if (!(next?.kind === "punct" && next.value === "(")) continue;
    const isMember = prev?.kind === "punct" && (prev.value === "." || prev.value === "?.");
    const isNew = prev?.kind === "ident" && prev.value === "new";
    let literals: Token[] = [];
    let suffix: string | undefined;
    if (isMember && (PARAMS_FIRST.has(t.value) || PARAMS_SECOND.has(t.value))) {
      literals = branchLiterals(tokens, callArguments(tokens, k + 1)[PARAMS_FIRST.has(t.value) ? 0 : 1]);
    } else if (!isMember && !isNew && MESSAGE_HELPERS.has(t.value)) {
      literals = branchLiterals(tokens, callArguments(tokens, k + 1)[1]);
    } else if (isNew && MESSAGE_ERRORS.has(t.value)) {
      literals = branchLiterals(tokens, callArguments(tokens, k + 1)[1]);
    } else if (!isMember && !isNew && Object.hasOwn(ERROR_HELPERS, t.value)) {
      literals = branchLiterals(tokens, callArguments(tokens, k + 1)[ERROR_HELPERS[t.value]!]);
    } else if (!isMember && !isNew && Object.hasOwn(NOT_FOUND_HELPERS, t.value)) {
      literals = branchLiterals(tokens, callArguments(tokens, k + 1)[NOT_FOUND_HELPERS[t.value]!]);
      suffix = NOT_FOUND_SUFFIX;
    } else if (isNew && t.value === "AppError") {
      // Every code: the message is the error body's top-level message.
      literals = branchLiterals(tokens, callArguments(tokens, k + 1)[1]);
    }
    for (const literal of literals) add(literal, suffix);
  }
  const lineOf = (offset: number) => src.slice(0, offset).split("\n").length;
  return [...found.values()]
    .sort((a, b) => a.token.start - b.token.start)
    .map(({ token: t, suffix }) => {
      const end = t.kind === "string" || t.kind === "template" ? t.end : t.start;
      const parts = t.kind === "template" ? [...t.parts] : t.kind === "string" ? [t.value] : [];
      if (suffix && parts.length) parts[parts.length - 1] += suffix;
      return { file, line: lineOf(t.start), parts, source: src.slice(t.start, end) };
    });
}

/** Every .ts/.tsx file under `dir` except tests, test support, fixtures and evaluations. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !/\.d\.ts$|\.test\.tsx?$|\.test-support\.ts$|\.fixtures\.ts$|\.eval\.ts$|\.report\.ts$/.test(name)) out.push(full);
  }
  return out.sort();
}

export function scanMessageLiterals(root: string): MessageLiteral[] {
  return sourceFiles(root).flatMap((file) => extractMessageLiterals(readFileSync(file, "utf8"), path.relative(path.dirname(root), file)));
}
