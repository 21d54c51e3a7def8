/**
 * #6 Memory: the console's RSS after a full sync of every user, measured in a child process
 * (`memory-child.ts`), versus the same process idle before sign-in (Node and the bundled app
 * modules loaded, empty cache).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { ROOT, firstJsonLine } from './fixture';
import { LAUNCH_MALLOC_ENV, LAUNCH_V8_FLAGS as APP_V8_FLAGS } from '../src-main/shell/launch-settings';

/**
 * Bundles the child like the app's main process is bundled (electron-vite: one file per entry,
 * dynamic imports such as the embedded platform split into chunks loaded only when used), so no
 * TypeScript loader sits in the measured process. esbuild comes with tsx (a declared dependency).
 * Returns the entry file; the caller removes `outDir`.
 */
async function bundleChild(outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    // The fill worker is an entry of its own, as in electron-vite's build (cache-filler.ts loads
    // `fill-worker.js` from the bundle's folder).
    entryPoints: { 'memory-child': join(ROOT, 'bench', 'memory-child.ts'), 'fill-worker': join(ROOT, 'src-main', 'cache', 'fill-worker.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    logLevel: 'error',
  });
  return join(outDir, 'memory-child.mjs');
}

/** What the child reports, in MB. */
interface MemoryReport {
  users: number;
  idle: number;
  afterSync: number;
  heapAfterSync: number;
  heapTotalAfterSync: number;
  afterCompaction: number;
  afterSearch: number;
  /** After the working session: 400 mixed searches and 4 delta syncs of 100 users. */
  afterSession: number;
  /** The first search after the sync (the index comes from the sync). */
  firstSearchMs: number;
  peak: number;
}

/**
 * The V8 flags and malloc settings the app launches with (src-main/shell/launch-settings.ts, used
 * by scripts/start.mjs and by a packaged start's relaunch): the measured child starts with them, as
 * the app does. BENCH_MALLOC_* override the malloc ones for experiments.
 */
export const LAUNCH_V8_FLAGS = [...APP_V8_FLAGS];
export const LAUNCH_MALLOC_ARENA_MAX = process.env.BENCH_MALLOC_ARENA_MAX ?? LAUNCH_MALLOC_ENV.MALLOC_ARENA_MAX;
export const LAUNCH_MALLOC_MMAP_THRESHOLD = process.env.BENCH_MALLOC_MMAP_THRESHOLD ?? LAUNCH_MALLOC_ENV.MALLOC_MMAP_THRESHOLD_;

/** Runs the bundled child once with extra Node flags and returns its report. */
async function measureChild(script: string, platformUrl: string, dataDir: string, nodeFlags: string[]): Promise<MemoryReport> {
  const child = spawn(process.execPath, [...nodeFlags, '--expose-gc', script, platformUrl, dataDir], {
    cwd: ROOT,
    env: { ...process.env, MALLOC_ARENA_MAX: LAUNCH_MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_: LAUNCH_MALLOC_MMAP_THRESHOLD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const report = await firstJsonLine<MemoryReport>(child, 'memory child');
  await new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  return report;
}

/** Runs #6 against the shared platform: after the sync, and after a working session. */
export async function benchMemory(ctx: BenchContext): Promise<BenchResult[]> {
  const { platform, config } = ctx;
  // Inside the repository, so the bundle's bare imports resolve to its node_modules.
  const bundleDir = join(ROOT, 'bench', '.out', `memory-${process.pid}`);
  const script = await bundleChild(bundleDir);
  let report: MemoryReport;
  try {
    report = await measureChild(script, platform.url, platform.tempDir('memory'), LAUNCH_V8_FLAGS);
  } finally {
    rmSync(bundleDir, { recursive: true, force: true });
  }
  config.log(
    `  memory: idle ${report.idle.toFixed(0)} MB, after sync ${report.afterSync.toFixed(0)} MB (heap used ${report.heapAfterSync.toFixed(0)} of ${report.heapTotalAfterSync.toFixed(0)}), first search ${report.firstSearchMs.toFixed(0)} ms, after it ${report.afterSearch.toFixed(0)} MB, after the working session ${report.afterSession.toFixed(0)} MB, peak ${report.peak.toFixed(0)} MB, after a compacting GC ${report.afterCompaction.toFixed(0)} MB`,
  );
  const users = report.users.toLocaleString('en');
  return [
    {
      id: 6,
      name: `Memory: RSS after full sync (${users} users)`,
      unit: 'MB',
      ours: report.afterSync,
      baseline: report.idle,
      baselineName: 'same process idle',
      ratio: report.afterSync / report.idle,
      target: '≤ 250 MB',
      met: report.afterSync <= 250,
      notes: `launched with ${LAUNCH_V8_FLAGS.join(' ')} and MALLOC_ARENA_MAX=${LAUNCH_MALLOC_ARENA_MAX} MALLOC_MMAP_THRESHOLD_=${LAUNCH_MALLOC_MMAP_THRESHOLD} (as the app); V8 heap used ${report.heapAfterSync.toFixed(0)} MB of ${report.heapTotalAfterSync.toFixed(0)} MB reserved; the first search after the sync took ${report.firstSearchMs.toFixed(0)} ms (target ≤ 100 ms); peak during the run ${report.peak.toFixed(0)} MB`,
    },
    {
      id: 6,
      name: `Memory: RSS after a working session (${users} users)`,
      unit: 'MB',
      ours: report.afterSession,
      baseline: report.idle,
      baselineName: 'same process idle',
      ratio: report.afterSession / report.idle,
      target: '≤ 250 MB',
      met: report.afterSession <= 250,
      notes: `first search, 400 mixed searches (sorts and filters varied), 4 delta syncs of 100 changed users; after a compacting GC ${report.afterCompaction.toFixed(0)} MB`,
    },
  ];
}
