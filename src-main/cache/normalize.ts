/** Search keys of the cache: accent-free, lower-case text, so "José" matches "jose" (pt-BR data). */

/** Removes diacritics and lower-cases; the same function builds keys and queries. */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}
