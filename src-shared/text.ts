/**
 * Well-formed text: the one refinement every schema uses where a string from outside (an id, a
 * login, an account, a search text, a name) enters. It refuses what cannot be a real value and
 * breaks later steps: lone UTF-16 surrogates (`encodeURIComponent` throws on them, and UTF-8
 * encoding silently turns them into U+FFFD) and control characters (C0, DEL, C1).
 */
import { z } from 'zod';
import { ILL_FORMED_TEXT, WELL_FORMED } from './domain-core';

export { ILL_FORMED_TEXT, isWellFormedText } from './domain-core';

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

/** The field error (zod issue message) of an identity with an invisible format character. */
export const INVISIBLE_CHARACTER = 'invisible_character';

/**
 * Invisible format characters (`\p{Cf}`): bidi embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069), marks (U+200E, U+200F, U+061C), zero-width space and joiners (U+200B–U+200D),
 * word joiner (U+2060), BOM (U+FEFF), soft hyphen, tags. In a name or a login they only serve to
 * make two identities look alike or to reorder what a reader sees.
 */
const NO_FORMAT_CHARACTER = /^[^\p{Cf}]*$/u;

/**
 * Issue 9 class 10: text that names a person (a name, a login, an email): well formed (no control
 * character, no lone surrogate) and without invisible format characters.
 */
export function identityText<S extends z.ZodString>(schema: S): S;
export function identityText(): z.ZodString;
export function identityText(schema: z.ZodString = z.string()): z.ZodString {
  return wellFormedText(schema).regex(NO_FORMAT_CHARACTER, INVISIBLE_CHARACTER);
}

/** The refusal `identityText` gives `value`, for forms that check before sending (`null`: none). */
export function identityTextProblem(value: string): typeof ILL_FORMED_TEXT | typeof INVISIBLE_CHARACTER | null {
  if (!WELL_FORMED.test(value)) return ILL_FORMED_TEXT;
  if (!NO_FORMAT_CHARACTER.test(value)) return INVISIBLE_CHARACTER;
  return null;
}

/**
 * Issue 9 class 10: the key under which a login or an email is unique in its account, without
 * regard to case or Unicode form: NFKC (so full-width and compatibility forms fold to the plain
 * ones), then a full case fold (upper then lower, so `ß` and `SS` meet), then NFKC again.
 */
export function identityKey(value: string): string {
  return value.trim().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}
