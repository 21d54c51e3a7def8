/**
 * The password policy (R9; issue 9 class 7, OWASP ASVS 5.0 V6.2 and NIST SP 800-63B): at least 12
 * characters (up to 128, so 64 and more are allowed), no composition rules, no control characters,
 * and refused when common or guessable from its context (the login, name, email, account, product).
 * "Common or guessable" is judged by zxcvbn-ts with its common, English and Brazilian Portuguese
 * dictionaries: a password needs score 4 (an estimated 10^10 guesses or more).
 *
 * One rule and one set of messages for the platform (API and reset page) and the console's forms.
 * The dictionaries (several MB) load on the first full check only, through a dynamic import: the
 * renderer gets them as a lazy chunk, and nothing here is reachable from the sandboxed preload.
 */
import type { Locale } from './errors';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** zxcvbn score a password needs (0-4; 4 = at least 10^10 estimated guesses). */
export const PASSWORD_MIN_SCORE = 4;

/** Every way a password can miss the policy; the platform names them in field errors. */
export const PASSWORD_PROBLEMS = ['too_short', 'too_long', 'control_character', 'guessable_from_context', 'too_common', 'same_as_current'] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

/** The same messages everywhere (API field errors, console forms, reset page). */
export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, Record<Locale, string>> = {
  too_short: { 'pt-BR': `Mínimo de ${PASSWORD_MIN_LENGTH} caracteres`, en: `At least ${PASSWORD_MIN_LENGTH} characters` },
  too_long: { 'pt-BR': `Máximo de ${PASSWORD_MAX_LENGTH} caracteres`, en: `At most ${PASSWORD_MAX_LENGTH} characters` },
  control_character: { 'pt-BR': 'Sem caracteres de controle (como tabulação ou quebra de linha)', en: 'No control characters (such as tab or line break)' },
  guessable_from_context: {
    'pt-BR': 'Não pode ser deduzida do login, nome, e-mail, conta ou do produto',
    en: 'Must not be guessable from the login, name, email, account or product',
  },
  too_common: { 'pt-BR': 'Não pode ser uma senha comum ou fácil de adivinhar', en: 'Must not be a common or easily guessed password' },
  same_as_current: { 'pt-BR': 'Diferente da senha atual', en: 'Different from the current password' },
};

/** The rules as the forms list them (the checklist), in order. */
export const PASSWORD_RULES: PasswordProblem[] = ['too_short', 'control_character', 'guessable_from_context', 'too_common'];

/** What a password must not be guessable from. */
export interface PasswordContext {
  login?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  /** The account's slug and name. */
  account?: string | undefined;
  accountName?: string | undefined;
}

/** Words of the product and platform that make a password guessable wherever it is used. */
export const PRODUCT_WORDS = ['omniconsole', 'omni', 'console', 'contact center', 'contactcenter', 'plataforma', 'platform', 'omnichannel', 'ramal'];

/** Control characters (C0, DEL, C1): refused anywhere in a password. */
const CONTROL = /\p{Cc}/u;

/** The checks that need no dictionary: length in characters (code points) and control characters. */
export function checkPasswordBasics(password: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (CONTROL.test(password)) problems.push('control_character');
  return problems;
}

/** The context as the estimator's "user inputs": each value, and its words. */
export function contextWords(context: PasswordContext): string[] {
  const words = new Set<string>(PRODUCT_WORDS);
  const add = (value: string | undefined) => {
    if (!value) return;
    const lower = value.trim().toLowerCase();
    if (lower.length >= 3) words.add(lower);
    for (const part of lower.split(/[^\p{L}\p{N}]+/u)) if (part.length >= 3) words.add(part);
  };
  add(context.login);
  add(context.name);
  add(context.email);
  add(context.account);
  add(context.accountName);
  return [...words];
}

interface Estimator {
  check(password: string, userInputs: string[]): { score: number; sequence: object[] };
}

let estimator: Promise<Estimator> | null = null;

/** Loads zxcvbn-ts with the common, English and Brazilian Portuguese dictionaries (once). */
export function loadPasswordEstimator(): Promise<Estimator> {
  if (estimator) return estimator;
  const loading: Promise<Estimator> = (async () => {
    const [{ ZxcvbnFactory }, common, en, ptBr] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
      import('@zxcvbn-ts/language-pt-br'),
    ]);
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary, ...ptBr.dictionary }, graphs: common.adjacencyGraphs });
  })();
  estimator = loading;
  // A failed load (e.g. a lazy chunk that could not be fetched) is tried again next time.
  loading.catch(() => (estimator = null));
  return loading;
}

/** Returns what is wrong with a password (empty when it meets the policy). */
export async function checkPasswordPolicy(password: string, context: PasswordContext = {}): Promise<PasswordProblem[]> {
  const problems = checkPasswordBasics(password);
  // The estimator's time grows with the length; past the maximum the answer is already no.
  if (problems.includes('too_long') || password.length === 0) return problems;
  const result = (await loadPasswordEstimator()).check(password, contextWords(context));
  if (result.score < PASSWORD_MIN_SCORE) {
    const fromContext = result.sequence.some((m) => (m as { dictionaryName?: unknown }).dictionaryName === 'userInputs');
    problems.push(fromContext ? 'guessable_from_context' : 'too_common');
  }
  return problems;
}

/** The problems' messages in a locale, in the checklist's order. */
export function passwordProblemMessages(problems: readonly string[], locale: Locale): string[] {
  return PASSWORD_PROBLEMS.filter((p) => problems.includes(p)).map((p) => PASSWORD_PROBLEM_MESSAGES[p][locale]);
}
