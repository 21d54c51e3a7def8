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
 * Bundles the child like the app's main process is bundled (electron-vite), so no TypeScript
 * loader sits in the measured process. esbuild comes with tsx (a declared dependency).
 */
async function bundleChild(outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(outDir, `memory-child-${process.pid}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'bench', 'memory-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
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

/** Runs #6 against the shared platform. */
export async function benchMemory(ctx: BenchContext): Promise<BenchResult> {
  const { platform, config } = ctx;
  // Inside the repository, so the bundle's bare imports resolve to its node_modules.
  const bundleDir = join(ROOT, 'bench', '.out');
  const script = await bundleChild(bundleDir);
  const child = spawn(process.execPath, ['--expose-gc', script, platform.url, platform.tempDir('memory')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const report = await firstJsonLine<MemoryReport>(child, 'memory child');
  await new Promise<void>((resolve) => (child.exitCode === null ? child.once('exit', () => resolve()) : resolve()));
  rmSync(script, { force: true });
  config.log(
    `  memory: idle ${report.idle.toFixed(0)} MB, after sync ${report.afterSync.toFixed(0)} MB (heap used ${report.heapAfterSync.toFixed(0)} of ${report.heapTotalAfterSync.toFixed(0)}), after first search ${report.afterSearch.toFixed(0)} MB, peak ${report.peak.toFixed(0)} MB, after a compacting GC ${report.afterCompaction.toFixed(0)} MB`,
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
    notes: `V8 heap used ${report.heapAfterSync.toFixed(0)} MB of ${report.heapTotalAfterSync.toFixed(0)} MB reserved; after a compacting GC ${report.afterCompaction.toFixed(0)} MB; after the first search (index built) ${report.afterSearch.toFixed(0)} MB; peak during sync ${report.peak.toFixed(0)} MB`,
  };
}
