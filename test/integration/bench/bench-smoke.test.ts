/**
 * The benchmark suite, tiny: every benchmark runs on a few hundred users with one short repetition,
 * so the suite cannot rot. It asserts only that each produces numbers, never how fast (speed is
 * measured by `npm run bench`, never asserted in tests).
 */
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../../bench/suite';
import { renderTable } from '../../../bench/report';

describe('benchmark suite smoke run', () => {
  it('C2, C1, issue 12: all eleven benchmarks run (#10: the CSV import, issue 11; #11: keystroke → rows, issue 10) on small data (#8 and #9 on a PostgreSQL cluster of their own) and each yields a finite measurement against its floor or peer', { timeout: 300_000 }, async () => {
    const report = await runSuite({
      users: 300,
      syncRuns: 1,
      deltaRuns: 1,
      deltaChanges: 5,
      searchQueries: 20,
      filteredRuns: 2,
      coldStartRuns: 1,
      loadSeconds: 1,
      loadConnections: 5,
      pgAccounts: 3,
      pgUsersPerAccount: 100,
      pgRounds: 2,
      csvRows: 200,
      csvApplyRows: 20,
      log: () => undefined,
    });
    expect(report.failures).toEqual([]);
    expect(new Set(report.results.map((r) => r.id))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    // #1 also reports searches during the sync, #6 also the RSS after a working session.
    expect(report.results.map((r) => r.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^Search during the initial sync/), expect.stringMatching(/after a working session/)]));
    for (const r of report.results) {
      expect(Number.isFinite(r.ours), `${r.id} ${r.name}`).toBe(true);
      expect(r.ours, `${r.id} ${r.name}`).toBeGreaterThan(0);
      expect(Number.isFinite(r.baseline ?? Number.NaN), `${r.id} baseline`).toBe(true);
      expect(Number.isFinite(r.ratio ?? Number.NaN), `${r.id} ratio`).toBe(true);
    }
    // #9 really measured a database of several accounts against one of a single account.
    expect(report.results.filter((r) => r.id === 9).map((r) => r.name)).toEqual([expect.stringMatching(/PostgreSQL, 3\d\d users in 3 accounts/), expect.stringMatching(/PostgreSQL, 3\d\d users in 3 accounts/)]);
    // The initial sync really filled the cache: the row names the platform's user count.
    expect(report.results.find((r) => r.id === 1)!.name).toMatch(/\(3\d\d users\)/);
    expect(renderTable(report.results).split('\n')).toHaveLength(report.results.length + 2);
  });
});
