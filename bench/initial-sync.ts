/**
 * #1 Initial sync: a fresh console signs in and pulls every user into its cache (the real
 * `compose()` graph: platform client, zod validation, SQLite writes with the FTS index), versus
 * the floor: the same pages fetched and `JSON.parse`d, nothing stored. Runs alternate so both see
 * the same machine state.
 */
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { fetchAllPages } from './fixture';
import { openConsole, signInAndSync } from './console';
import { median, since } from './stats';
import { DEFAULT_PAGE_SIZE } from '../src-main/sync/sync-service';

/** The console's page size (compose's default), used by the floor too. */
export const SYNC_PAGE_SIZE = DEFAULT_PAGE_SIZE;

/** Runs #1 and leaves the last console signed in on its full cache in `ctx.synced`. */
export async function benchInitialSync(ctx: BenchContext): Promise<BenchResult> {
  const { platform, config } = ctx;
  const ours: number[] = [];
  const floor: number[] = [];
  let users = 0;
  for (let run = 0; run < config.syncRuns; run++) {
    let t = performance.now();
    const fetched = await fetchAllPages(platform.url, platform.token, SYNC_PAGE_SIZE);
    floor.push(since(t));

    const dataDir = platform.tempDir('initial-sync');
    const c = await openConsole(platform.url, dataDir);
    t = performance.now();
    const status = await signInAndSync(c);
    ours.push(since(t));
    users = status.userCount;
    if (users !== fetched.users) throw new Error(`cache holds ${users} users, the platform listed ${fetched.users}`);
    config.log(`  initial sync run ${run + 1}: ours ${ours.at(-1)!.toFixed(0)} ms, floor ${floor.at(-1)!.toFixed(0)} ms`);
    if (ctx.synced) await ctx.synced.console.dispose();
    ctx.synced = { console: c, dataDir };
  }
  const o = median(ours);
  const f = median(floor);
  return {
    id: 1,
    name: `Initial sync (${users.toLocaleString('en')} users)`,
    unit: 'ms',
    ours: o,
    baseline: f,
    baselineName: 'fetch+JSON.parse',
    ratio: o / f,
    target: 'ratio ≤ 1.3',
    met: o / f <= 1.3,
    notes: `median of ${config.syncRuns}; pages of ${SYNC_PAGE_SIZE}`,
  };
}
