/**
 * Well-formed text: the one refinement every schema uses where a string from outside (an id, a
 * login, an account, a search text, a name) enters. It refuses what cannot be a real value and
 * breaks later steps: lone UTF-16 surrogates (`encodeURIComponent` throws on them, and UTF-8
 * encoding silently turns them into U+FFFD) and control characters (C0, DEL, C1).
 */
import { z } from 'zod';

/** The field error (zod issue message) of text that is not well formed. */
export const ILL_FORMED_TEXT = 'ill_formed_text';

/** Matches only well-formed text: no lone surrogate (`\p{Cs}` in `u` mode) and no control character (`\p{Cc}`). */
const WELL_FORMED = /^[^\p{Cc}\p{Cs}]*$/u;

/** True when `value` has no lone surrogate and no control character. */
export function isWellFormedText(value: string): boolean {
  return WELL_FORMED.test(value);
}

/**
 * Adds the well-formed check to a string schema, after whatever it already does (so
 * `wellFormedText(z.string().trim())` trims first). Chain lengths and patterns after it.
 */
export function wellFormedText<S extends z.ZodString>(schema: S): S;
export function wellFormedText(): z.ZodString;
export function wellFormedText(schema: z.ZodString = z.string()): z.ZodString {
  return schema.regex(WELL_FORMED, ILL_FORMED_TEXT);
}

/**
 * Search text as a user may paste it (a tab or line break from a spreadsheet), made well formed:
 * control characters become spaces and lone surrogates U+FFFD. Only for search boxes, where a close
 * match is better than a refusal; everything else is refused, not repaired.
 */
export function toSearchText(value: string): string {
  return value.replace(/\p{Cc}/gu, ' ').replace(/\p{Cs}/gu, '\uFFFD');
}
