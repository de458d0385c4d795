import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";

/**
 * Offline password rules: 10 to 128 characters, and not guessable according to zxcvbn
 * (score 3 of 4 or better) against common passwords, English words, names, keyboard patterns
 * and the person's own name and email. No network call is made.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

let factory: ZxcvbnFactory | null = null;
function zxcvbn() {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return factory;
}

export interface PasswordVerdict {
  ok: boolean;
  /** Stable reason code for i18n: too_short, too_long, too_guessable. */
  reason?: "too_short" | "too_long" | "too_guessable";
  message?: string;
  score: number;
}

export function checkPassword(password: string, personal: Array<string | null | undefined> = []): PasswordVerdict {
  if (password.length < PASSWORD_MIN) {
    return { ok: false, reason: "too_short", message: `Use at least ${PASSWORD_MIN} characters.`, score: 0 };
  }
  if (password.length > PASSWORD_MAX) {
    return { ok: false, reason: "too_long", message: `Use at most ${PASSWORD_MAX} characters.`, score: 0 };
  }
  const userInputs = personal.flatMap((p) => (p ? [p, ...p.split(/[@.\s_-]+/)] : [])).filter((p) => p.length >= 3);
  const result = zxcvbn().check(password, userInputs);
  if (result.score < 3) {
    const hint = result.feedback.warning ? ` ${result.feedback.warning}` : "";
    return {
      ok: false,
      reason: "too_guessable",
      message: `This password is too easy to guess.${hint} Try a few unrelated words together.`.replace(/\s+/g, " ").trim(),
      score: result.score,
    };
  }
  return { ok: true, score: result.score };
}
