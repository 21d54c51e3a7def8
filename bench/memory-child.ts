/**
 * #6 in its own process, so the number is the console's and not the harness's: composes a console
 * (the same graph as the app's main process), measures RSS idle, signs in, runs the full sync,
 * measures again, times the first search (the index comes from the sync), then a working session:
 * 400 mixed searches (sorts and filters varied) and 4 delta syncs of 100 changed users, and
 * measures once more. argv: platform URL, data folder. Prints one JSON line. Run with `--expose-gc`.
 */
import { openConsole, signInAndSync, call } from './console';
import { platformAgents, renameUsers } from './delta-sync';
import { signInToken } from './fixture';
import { realisticQueries } from './search';

const [platformUrl, dataDir] = process.argv.slice(2);
if (!platformUrl || !dataDir) {
  console.error('usage: memory-child <platform-url> <data-dir>');
  process.exit(2);
}
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (bytes: number) => bytes / 1024 / 1024;
const rss = () => {
  gc();
  return mb(process.memoryUsage().rss);
};

const c = await openConsole(platformUrl, dataDir);
const idle = rss();
const status = await signInAndSync(c);
const afterSync = rss();
const heapAfterSync = mb(process.memoryUsage().heapUsed);
const heapTotalAfterSync = mb(process.memoryUsage().heapTotal);
const t = performance.now();
await call(c, 'searchUsers', { query: 'silva', limit: 100 });
const firstSearchMs = performance.now() - t;
const afterSearch = rss();

// The working session.
const SORTS = ['name', 'login', 'email', 'updatedAt'] as const;
const FILTERS = [{}, { active: true }, { profile: 'agent' as const }, { ready: false }, { omnichannel: true, webrtc: true }];
const queries = realisticQueries(400, status.userCount);
for (const [k, query] of queries.entries()) {
  await call(c, 'searchUsers', { query, filters: FILTERS[k % FILTERS.length]!, sort: { by: SORTS[k % SORTS.length]!, dir: k % 2 ? 'desc' : 'asc' }, limit: 100 });
}
const token = await signInToken(platformUrl);
// 100 users per delta (fewer on the smoke test's tiny platform).
const per = Math.max(1, Math.min(100, Math.floor(status.userCount / 8)));
const pool = await platformAgents(platformUrl, token, 4 * per);
for (let d = 0; d < 4; d++) {
  await renameUsers(platformUrl, token, pool.slice(d * per, (d + 1) * per), `m${d}`);
  const s = await call(c, 'syncNow', {});
  if (s.lastError) throw new Error(`delta sync: ${JSON.stringify(s.lastError)}`);
  await call(c, 'searchUsers', { query: pool[d * per]!.name.slice(0, 6), limit: 100 });
}
const afterSession = rss();
const peak = process.resourceUsage().maxRSS / 1024;
// Diagnostic only: a compacting GC shows how much of the RSS is heap V8 kept after the garbage,
// not live data (V8's memory reducer would return it later, on its own schedule).
(globalThis as { gc?: (o: object) => void }).gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
const afterCompaction = mb(process.memoryUsage().rss);
const heapTotal = mb(process.memoryUsage().heapTotal);
await c.dispose();
process.stdout.write(
  `${JSON.stringify({ users: status.userCount, idle, afterSync, heapAfterSync, heapTotalAfterSync, firstSearchMs, afterSearch, afterSession, peak, afterCompaction, heapTotal })}\n`,
);
