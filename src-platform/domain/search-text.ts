/** Server-side search text (C2), in a module of its own so migrations can use it without the database. */
import { searchKey } from '../../src-shared/search';

/** The `search_text` column and `?q=` queries: the shared normalisation (src-shared `searchKey`) of the parts, space-joined. */
export function searchText(...parts: string[]): string {
  return searchKey(parts.join(' '));
}
