/**
 * #5 Cold start from cache, in Debian's Chromium through Playwright: browser host start (compose:
 * cache open, session restore) to the users table showing its first rows, over a prepared
 * 100 000-user cache with a stored session. Split into our code (host start, main-side IPC
 * handling, renderer scripting as Chromium counts it) and the rest (browser, network, layout),
 * versus the floor: the same Chromium showing a static 100-row table from a bare Node server.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../src-main/browser-host/index';
import { CACHE_FILE_NAME } from '../src-main/cache/console-cache';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/browser-flags';
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { BENCH_LOGIN, ROOT } from './fixture';
import { median } from './stats';

/** A first data row of the users grid. */
export const FIRST_ROW = '[role="grid"] [role="row"] [role="gridcell"]';

/** Builds the renderer into a private folder (never over `out/renderer`, which e2e runs may be reading). */
export function buildRenderer(outDir: string): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'vite.renderer.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0 || !existsSync(join(outDir, 'index.html'))) throw new Error(`renderer build failed (${result.status})`);
}

export function hostOptions(dataDir: string, platformUrl: string, rendererDir: string) {
  return {
    dataDir,
    platformUrl,
    rendererDir,
    port: 0,
    compose: { syncIntervalMs: 0, requestTimeoutMs: 60_000, logError: (err: unknown, context: string) => console.error(`[bench host] ${context}:`, err) },
  };
}

/** Wraps the router so the time main spends handling IPC calls is summed. */
function timeIpc(host: BrowserHost): { total: () => number; calls: () => number } {
  const router = host.console.router;
  const original = router.handle.bind(router);
  let total = 0;
  let calls = 0;
  router.handle = async (sender, operation, input) => {
    const t = performance.now();
    try {
      return await original(sender, operation, input);
    } finally {
      total += performance.now() - t;
      calls++;
    }
  };
  return { total: () => total, calls: () => calls };
}

/** Starts Chromium's own accounting of the page's script and task time (before navigation). */
async function startMetrics(page: Page): Promise<() => Promise<{ script: number; task: number }>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  return () => readMetrics(cdp);
}

async function readMetrics(cdp: CDPSession): Promise<{ script: number; task: number }> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return { script: get('ScriptDuration'), task: get('TaskDuration') };
}

/** The floor: a bare Node server and a static page with a 100-row table. */
async function staticTableServer(): Promise<{ url: string; close(): Promise<void> }> {
  const rows = Array.from({ length: 100 }, (_, i) => `<tr><td>Usuário ${i}</td><td>user.${i}</td><td>user.${i}@example.com</td></tr>`).join('');
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body><table role="grid"><tbody>${rows}</tbody></table></body></html>`;
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * A data folder with a copy of the full cache left by #1 and a session stored the way the host
 * stores it (signed in once, the users shown, then closed), so a host started on it opens straight
 * on the users.
 */
export async function prepareColdCache(ctx: BenchContext, name: string): Promise<string> {
  const { platform, config } = ctx;
  if (!ctx.synced) throw new Error(`${name} needs the initial sync first`);
  const dataDir = platform.tempDir(name);
  const cacheFile = ctx.synced.console.services.cache.file;
  // Fold the WAL into the file before copying it (a second connection may checkpoint it).
  const checkpoint = new Database(cacheFile);
  checkpoint.pragma('wal_checkpoint(TRUNCATE)');
  checkpoint.close();
  copyFileSync(cacheFile, join(dataDir, CACHE_FILE_NAME));
  const prep = await startBrowserHost(hostOptions(dataDir, platform.url, platform.tempDir(`${name}-renderer-unused`)));
  try {
    const signedIn = await prep.console.router.handle({ kind: 'browser-host', authenticated: true }, 'signIn', BENCH_LOGIN);
    if (!signedIn.ok) throw new Error(`${name} sign-in: ${signedIn.error.code}`);
    await prep.services.sync.syncNow();
    // The table's first search, as a session that showed the users makes it: its index is what the
    // console stores when it closes (cache migration 11) and the next start reads.
    const searched = await prep.console.router.handle({ kind: 'browser-host', authenticated: true }, 'searchUsers', { query: '', filters: {}, offset: 0, limit: 100 });
    if (!searched.ok) throw new Error(`${name} search: ${searched.error.code}`);
    const accountId = prep.services.auth.accountKey()!; // C6: the cache is keyed by platform and account
    config.log(`  ${name}: cache of ${prep.services.cache.countUsers(accountId)} users prepared`);
  } finally {
    await prep.close();
  }
  return dataDir;
}

/** Runs #5. Needs the console left by #1 (its cache file is copied, then a session is stored beside it). */
export async function benchColdStart(ctx: BenchContext): Promise<BenchResult> {
  const { platform, config } = ctx;
  if (!ctx.synced) throw new Error('cold start needs the initial sync first');
  const rendererDir = platform.tempDir('renderer');
  config.log('  cold start: building the renderer');
  buildRenderer(rendererDir);

  const dataDir = await prepareColdCache(ctx, 'cold-start');

  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const floorServer = await staticTableServer();
  const totals: number[] = [];
  const ours: number[] = [];
  const floors: number[] = [];
  const parts: string[] = [];
  try {
    for (let run = 0; run < config.coldStartRuns; run++) {
      // Floor: the same browser showing a static table.
      {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
        const page = await context.newPage();
        const t = performance.now();
        await page.goto(floorServer.url);
        await page.locator('td').first().waitFor();
        floors.push(performance.now() - t);
        await context.close();
      }
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
      context.setDefaultTimeout(60_000);
      const page = await context.newPage();
      const metrics = await startMetrics(page);
      const t0 = performance.now();
      const host = await startBrowserHost(hostOptions(dataDir, platform.url, rendererDir));
      const hostStart = performance.now() - t0;
      const ipc = timeIpc(host);
      try {
        await page.goto(host.url);
        await page.locator(FIRST_ROW).first().waitFor();
        const total = performance.now() - t0;
        const ipcMs = ipc.total();
        const { script } = await metrics();
        const ourMs = hostStart + ipcMs + script * 1000;
        totals.push(total);
        ours.push(ourMs);
        parts.push(`host start ${hostStart.toFixed(0)} + IPC ${ipcMs.toFixed(0)} (${ipc.calls()} calls) + renderer script ${(script * 1000).toFixed(0)} ms`);
        config.log(`  cold start run ${run + 1}: ${total.toFixed(0)} ms, ours ${ourMs.toFixed(0)} ms (${parts.at(-1)}), floor ${floors.at(-1)!.toFixed(0)} ms`);
      } finally {
        await context.close();
        await host.close();
      }
    }
  } finally {
    await floorServer.close();
    await browser.close();
  }
  const total = median(totals);
  const floor = median(floors);
  const ourPart = median(ours);
  return {
    id: 5,
    name: `Cold start from cache (${platform.userCount.toLocaleString('en')} users)`,
    unit: 'ms',
    ours: total,
    baseline: floor,
    baselineName: 'static 100-row page',
    ratio: total / floor,
    target: 'report',
    met: null,
    notes: `median of ${config.coldStartRuns}; our code ≈ ${ourPart.toFixed(0)} ms of it (${((100 * ourPart) / total).toFixed(0)}%): ${parts[Math.floor(parts.length / 2)] ?? ''}`,
  };
}
