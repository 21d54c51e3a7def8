/**
 * The name order a fresh fill hands the search index (see `nameOrder` in fill-protocol.ts): the
 * fill worker adds each committed batch of new users; the batch is sorted by (name key, id) into a
 * run, and runs are merged as they come, two holding the same number of batches at a time (a
 * binary counter). The merging is the same as merging every run at the end, but most of it happens
 * while the next pages are fetched, so little is left once the last page is written (a pairwise
 * merge of 20 runs at the end of a 100 000-user fill cost about 40 ms after its last page).
 */
import { compareSortKeys } from '../../src-shared/search';

/** Users sorted by (name key, id): parallel arrays. */
interface Run {
  keys: string[];
  ids: string[];
  rids: number[];
}

/** One user of a batch: its name key, id and row id. */
export type NameOrderEntry = [key: string, id: string, rid: number];

/** (key, id) in code-unit order, the order of the index's `compareSlots`. */
const byKeyThenId = (a: NameOrderEntry, b: NameOrderEntry) => compareSortKeys(a[0], b[0], a[1], b[1]);

export class NameOrderRuns {
  /** Merged runs, each with the number of batches it holds; those numbers strictly decrease. */
  private readonly runs: Array<{ batches: number; run: Run }> = [];

  /** Adds a batch (any order; the array is sorted in place). */
  addBatch(entries: NameOrderEntry[]): void {
    if (entries.length === 0) return;
    entries.sort(byKeyThenId);
    let next = { batches: 1, run: { keys: entries.map((e) => e[0]), ids: entries.map((e) => e[1]), rids: entries.map((e) => e[2]) } };
    while (this.runs.length > 0 && this.runs.at(-1)!.batches === next.batches) {
      const last = this.runs.pop()!;
      next = { batches: last.batches * 2, run: mergeRuns(last.run, next.run) };
    }
    this.runs.push(next);
  }

  /** Every row id added, in name order; the runs are emptied. */
  take(): Float64Array {
    let run: Run | null = null;
    // Smallest first: the short runs meet before the long ones.
    for (const r of this.runs.splice(0).reverse()) run = run ? mergeRuns(r.run, run) : r.run;
    return Float64Array.from(run?.rids ?? []);
  }
}

/** Merges two runs into one (ties keep `x` first; a user is in one run only). */
function mergeRuns(x: Run, y: Run): Run {
  const n = x.rids.length + y.rids.length;
  const out: Run = { keys: new Array<string>(n), ids: new Array<string>(n), rids: new Array<number>(n) };
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    const takeX = j >= y.rids.length || (i < x.rids.length && compareSortKeys(x.keys[i]!, y.keys[j]!, x.ids[i]!, y.ids[j]!) <= 0);
    const from = takeX ? x : y;
    const at = takeX ? i++ : j++;
    out.keys[k] = from.keys[at]!;
    out.ids[k] = from.ids[at]!;
    out.rids[k] = from.rids[at]!;
  }
  return out;
}
