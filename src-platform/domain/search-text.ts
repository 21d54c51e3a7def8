/** Server-side search text (C2), in a module of its own so migrations can use it without the database. */

/** Normalizes text for accent-insensitive search. */
export function searchText(...parts: string[]): string {
  return parts
    .join(' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}
