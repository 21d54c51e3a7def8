/**
 * Search-text normalisation and sort keys, written once: the platform stores `search_text` with
 * them, the console's cache builds its search index and sort orders with them, and the renderer
 * sorts its short lists (queues) the same way. Accent-free and lower-case, so "José" matches "jose"
 * and sorts beside it (pt-BR data).
 */

/** Printable ASCII: nothing to decompose, so its key is just lower case (most keys; a sync derives 300 000). */
const PLAIN = /^[\x20-\x7e]*$/;

/** Removes diacritics, lower-cases and trims; the same function builds keys and queries. */
export function searchKey(text: string): string {
  if (PLAIN.test(text)) return text.toLowerCase().trim();
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}

/** The one text a user is found by: name, login and email, each normalised, one per line. */
export function userSearchText(user: { name: string; login: string; email: string }): string {
  return joinSearchKeys(searchKey(user.name), searchKey(user.login), searchKey(user.email));
}

/** The search text from the three keys already normalised (the cache has them as sort keys). */
export function joinSearchKeys(nameKey: string, loginKey: string, emailKey: string): string {
  return `${nameKey}\n${loginKey}\n${emailKey}`;
}

/** What the users list can be sorted by. */
export const USER_SORT_FIELDS = ['name', 'login', 'email', 'updatedAt'] as const;
export type UserSortField = (typeof USER_SORT_FIELDS)[number];

/** A user's key for one sort order (text fields normalised like search; `updatedAt` as ISO text). */
export function userSortKey(user: { name: string; login: string; email: string; updatedAt: string }, by: UserSortField): string {
  return by === 'updatedAt' ? user.updatedAt : searchKey(user[by]);
}

/** Orders two sort keys by UTF-16 code units (SQLite's BINARY collation), ties broken by id. */
export function compareSortKeys(a: string, b: string, idA = '', idB = ''): number {
  if (a !== b) return a < b ? -1 : 1;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

/** Sorts items by a text (name, number) with the shared key, stable by id. */
export function sortByText<T extends { id: string }>(items: readonly T[], text: (item: T) => string): T[] {
  return items
    .map((item) => ({ item, key: searchKey(text(item)) }))
    .sort((x, y) => compareSortKeys(x.key, y.key, x.item.id, y.item.id))
    .map((x) => x.item);
}
