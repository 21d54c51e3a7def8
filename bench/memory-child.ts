/**
 * #6 in its own process, so the number is the console's and not the harness's: composes a console
 * (the same graph as the app's main process), measures RSS idle, signs in, runs the full sync,
 * measures again after a GC, then once more after the first search builds the search index.
 * argv: platform URL, data folder. Prints one JSON line. Run with `--expose-gc`.
 */
import { openConsole, signInAndSync, call } from './console';

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
await call(c, 'searchUsers', { query: 'silva', limit: 100 });
const afterSearch = rss();
const peak = process.resourceUsage().maxRSS / 1024;
// Diagnostic only: a compacting GC shows how much of the RSS is heap V8 kept after the sync's
// garbage, not live data (V8's memory reducer would return it later, on its own schedule).
(globalThis as { gc?: (o: object) => void }).gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
const afterCompaction = mb(process.memoryUsage().rss);
const heapTotal = mb(process.memoryUsage().heapTotal);
await c.dispose();
process.stdout.write(`${JSON.stringify({ users: status.userCount, idle, afterSync, heapAfterSync, heapTotalAfterSync, afterSearch, peak, afterCompaction, heapTotal })}\n`);
