/** Issue 14 "every rule once": search normalisation and sort keys shared by the platform, the cache and the renderer. */
import { describe, expect, it } from 'vitest';
import { compareSortKeys, searchKey, sortByText, userSearchText, userSortKey } from '../../../src-shared/search';

describe('src-shared search', () => {
  it('normalises accents, case and outer spaces the same for keys and queries', () => {
    expect(searchKey('  José CONCEIÇÃO ')).toBe('jose conceicao');
    expect(userSearchText({ name: 'Ana Lúcia', login: 'ana.lucia', email: 'Ana@Example.com' })).toBe('ana lucia\nana.lucia\nana@example.com');
  });

  it('sort keys: normalised text fields, updatedAt as ISO text; ties broken by id', () => {
    const user = { name: 'Álvaro', login: 'Alvaro', email: 'A@x.io', updatedAt: '2026-01-02T00:00:00.000Z' };
    expect(userSortKey(user, 'name')).toBe('alvaro');
    expect(userSortKey(user, 'updatedAt')).toBe(user.updatedAt);
    expect(compareSortKeys('a', 'b')).toBe(-1);
    expect(compareSortKeys('a', 'a', 'id2', 'id1')).toBe(1);
    const sorted = sortByText(
      [
        { id: '3', name: 'Émile' },
        { id: '1', name: 'beta' },
        { id: '2', name: 'Alfa' },
      ],
      (x) => x.name,
    );
    expect(sorted.map((x) => x.id)).toEqual(['2', '1', '3']);
  });
});
