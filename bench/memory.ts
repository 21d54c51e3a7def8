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
  peak: number;
}

/** V8's young generation, capped: what the process keeps after an allocation-heavy sync depends on it. */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=16';

/** Runs the bundled child once with extra Node flags and returns its report. */
async function measureChild(script: string, platformUrl: string, dataDir: string, nodeFlags: string[]): Promise<MemoryReport> {
  const child = spawn(process.execPath, [...nodeFlags, '--expose-gc', script, platformUrl, dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const report = await firstJsonLine<MemoryReport>(child, 'memory child');
  await new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  return report;
}

/**
 * Runs #6 against the shared platform: the default Node flags are what counts; a second child with
 * the young generation capped shows how much of the RSS is V8 sizing rather than data.
 */
export async function benchMemory(ctx: BenchContext): Promise<BenchResult> {
  const { platform, config } = ctx;
  // Inside the repository, so the bundle's bare imports resolve to its node_modules.
  const bundleDir = join(ROOT, 'bench', '.out', `memory-${process.pid}`);
  const script = await bundleChild(bundleDir);
  let report: MemoryReport;
  let capped: MemoryReport;
  try {
    report = await measureChild(script, platform.url, platform.tempDir('memory'), []);
    capped = await measureChild(script, platform.url, platform.tempDir('memory'), [SEMI_SPACE_FLAG]);
  } finally {
    rmSync(bundleDir, { recursive: true, force: true });
  }
  config.log(
    `  memory: idle ${report.idle.toFixed(0)} MB, after sync ${report.afterSync.toFixed(0)} MB (heap used ${report.heapAfterSync.toFixed(0)} of ${report.heapTotalAfterSync.toFixed(0)}), after first search ${report.afterSearch.toFixed(0)} MB, peak ${report.peak.toFixed(0)} MB, after a compacting GC ${report.afterCompaction.toFixed(0)} MB; with ${SEMI_SPACE_FLAG}: after sync ${capped.afterSync.toFixed(0)} MB, peak ${capped.peak.toFixed(0)} MB`,
  );
  return {
    id: 6,
    name: `Memory: RSS after full sync (${report.users.toLocaleString('en')} users)`,
    unit: 'MB',
    ours: report.afterSync,
    baseline: report.idle,
    baselineName: 'same process idle',
    ratio: report.afterSync / report.idle,
    target: '≤ 250 MB',
    met: report.afterSync <= 250,
    notes: `V8 heap used ${report.heapAfterSync.toFixed(0)} MB of ${report.heapTotalAfterSync.toFixed(0)} MB reserved; after a compacting GC ${report.afterCompaction.toFixed(0)} MB; with ${SEMI_SPACE_FLAG} ${capped.afterSync.toFixed(0)} MB after sync (heap ${capped.heapTotalAfterSync.toFixed(0)} MB reserved, peak ${capped.peak.toFixed(0)} MB); after the first search (index built) ${report.afterSearch.toFixed(0)} MB; peak during sync ${report.peak.toFixed(0)} MB`,
  };
}
