/**
 * #4 Filtered page: the users table's filters over the full cache through the IPC router (first
 * page of 100, sorted, with the total the table shows), versus the floor: the same rows read by
 * hand-written SQL on the same cache file (no router, no validation, no JSON parsing).
 */
import Database from 'better-sqlite3';
import type { SearchUsersInput } from '../src-shared/ipc-contract';
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { call } from './console';
import { median, percentile } from './stats';

/** Repetitions of the hand-written SQL per view (it scans the table, so a few suffice). */
const FLOOR_RUNS = 3;

/** Realistic filter views of a supervisor, each with the floor's SQL for the same rows. */
const VIEWS: Array<{ name: string; input: SearchUsersInput; floorWhere: string; order: string }> = [
  {
    name: 'omnichannel agents missing a chat queue, by name',
    input: { filters: { profile: 'agent', omnichannel: true, missing: 'chatQueues' }, sort: { by: 'name', dir: 'asc' }, limit: 100 },
    floorWhere: "profile = 'agent' AND omnichannel = 1 AND (missing_mask & 32) != 0",
    order: 'name_key ASC, id ASC',
  },
  {
    name: 'ready agents, by name',
    input: { filters: { ready: true }, sort: { by: 'name', dir: 'asc' }, limit: 100 },
    floorWhere: 'ready = 1',
    order: 'name_key ASC, id ASC',
  },
  {
    name: 'inactive users, by login descending',
    input: { filters: { active: false }, sort: { by: 'login', dir: 'desc' }, limit: 100 },
    floorWhere: 'active = 0',
    order: 'login_key DESC, id DESC',
  },
  {
    name: 'WebRTC off, missing an extension, by e-mail',
    input: { filters: { webrtc: false, missing: 'extension' }, sort: { by: 'email', dir: 'asc' }, limit: 100 },
    floorWhere: 'webrtc = 0 AND (missing_mask & 8) != 0',
    order: 'email_key ASC, id ASC',
  },
  {
    name: 'all users, by last change',
    input: { sort: { by: 'updatedAt', dir: 'desc' }, limit: 100 },
    floorWhere: '1 = 1',
    order: 'updated_at DESC, id DESC',
  },
];

/** Runs #4 on the console left by #1. */
export async function benchFilteredPage(ctx: BenchContext): Promise<BenchResult> {
  const { config } = ctx;
  if (!ctx.synced) throw new Error('filtered page needs the initial sync first');
  const c = ctx.synced.console;
  // The floor reads the same file through its own connection (the cache keeps its own private).
  const db = new Database(c.services.cache.file, { readonly: true });
  const accountId = c.services.auth.accountKey()!; // C6: the cache is keyed by platform and account
  const ours: number[] = [];
  const floor: number[] = [];
  const perView: string[] = [];
  for (const view of VIEWS) {
    const count = db.prepare(`SELECT count(*) FROM users WHERE account_id = ? AND ${view.floorWhere}`).pluck();
    const rows = db.prepare(`SELECT data FROM users WHERE account_id = ? AND ${view.floorWhere} ORDER BY ${view.order} LIMIT 100`).pluck();
    const viewOurs: number[] = [];
    let total = -1;
    for (let i = 0; i <= config.filteredRuns; i++) {
      const t = performance.now();
      const result = await call(c, 'searchUsers', view.input);
      const dt = performance.now() - t;
      total = result.total;
      if (i === 0) {
        // Warm-up, and the check that both paths see the same rows.
        const floorRows = rows.all(accountId);
        if (result.total !== (count.get(accountId) as number) || result.items.length !== floorRows.length) {
          throw new Error(`${view.name}: the router and the SQL disagree on the rows`);
        }
        continue;
      }
      ours.push(dt);
      viewOurs.push(dt);
    }
    // The floor scans the table: a few repetitions are enough to know its cost.
    for (let i = 0; i < FLOOR_RUNS; i++) {
      const t = performance.now();
      count.get(accountId);
      rows.all(accountId);
      floor.push(performance.now() - t);
    }
    perView.push(`${view.name}: p95 ${percentile(viewOurs, 95).toFixed(1)} ms (${total} match)`);
  }
  db.close();
  const o = percentile(ours, 95);
  const f = percentile(floor, 95);
  for (const line of perView) config.log(`  filtered: ${line}`);
  return {
    id: 4,
    name: `Filtered page (${VIEWS.length} views, first 100)`,
    unit: 'ms p95',
    ours: o,
    baseline: f,
    baselineName: 'raw SQL on the cache',
    ratio: o / f,
    target: 'p95 ≤ 10 ms',
    met: o <= 10,
    notes: `median ${median(ours).toFixed(2)} ms; ${perView.join('; ')}`,
  };
}
