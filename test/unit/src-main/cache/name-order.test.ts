import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameOrderRuns, type NameOrderEntry } from '../../../../src-main/cache/name-order';
import { compareSortKeys } from '../../../../src-shared/search';

describe('NameOrderRuns (the fill worker\'s name order)', () => {
  it('issue 10: batches merged as they come give every row id once, in (name key, id) order, whatever the number of batches', () => {
    // Few distinct keys (ties broken by id) and batch counts that are not powers of two.
    const entry = fc.tuple(fc.constantFrom('ana', 'bruno', 'álvaro', 'Zé', 'zé', ''), fc.uuid());
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 12 }), { maxLength: 23 }), (batches) => {
        const order = new NameOrderRuns();
        const all: NameOrderEntry[] = [];
        const seen = new Set<string>();
        let rid = 1;
        for (const batch of batches) {
          const entries: NameOrderEntry[] = [];
          for (const [key, id] of batch) {
            if (seen.has(id)) continue; // one row per user, as in a fill
            seen.add(id);
            entries.push([key, id, rid]);
            all.push([key, id, rid]);
            rid++;
          }
          order.addBatch(entries);
        }
        const expected = all.sort((a, b) => compareSortKeys(a[0], b[0], a[1], b[1])).map((e) => e[2]);
        expect([...order.take()]).toEqual(expected);
        // Taken: the runs are empty again.
        expect(order.take().length).toBe(0);
      }),
    );
  });
});
