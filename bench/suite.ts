/**
 * The benchmark suite: starts the platform with N users, runs the nine benchmarks in order (the
 * initial sync leaves the full cache that delta sync, search, filters and cold start use), and
 * returns one row per measurement. A benchmark that fails becomes a row that says so; the others
 * still run.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { BenchConfig, BenchContext } from './context';
import type { BenchResult } from './report';
import { benchColdStart } from './cold-start';
import { benchDeltaSync } from './delta-sync';
import { benchFilteredPage } from './filtered-page';
import { startBenchPlatform } from './fixture';
import { benchInitialSync } from './initial-sync';
import { benchKeystroke } from './keystroke';
import { benchMemory } from './memory';
import { benchSearch } from './search';
import { benchThroughput } from './throughput';
import { benchPostgres } from './postgres';
import { benchCsvImport } from './csv-import';

/** The whole run: rows, failures, and where it ran. */
export interface SuiteReport {
  startedAt: string;
  seconds: number;
  /** `stolenSeconds`: CPU time the hypervisor gave other guests while this run wanted it (null off Linux). */
  machine: { cpus: number; loadavgAtStart: number[]; node: string; stolenSeconds: number | null };
  config: Omit<BenchConfig, 'log'>;
  results: BenchResult[];
  /** Benchmarks that threw (their rows say `failed`). */
  failures: Array<{ id: number; error: string }>;
}

const STEPS: Array<{ id: number; name: string; run: (ctx: BenchContext) => Promise<BenchResult | BenchResult[]> }> = [
  { id: 1, name: 'Initial sync', run: benchInitialSync },
  { id: 2, name: 'Delta sync', run: benchDeltaSync },
  { id: 3, name: 'Search', run: benchSearch },
  { id: 4, name: 'Filtered page', run: benchFilteredPage },
  { id: 5, name: 'Cold start from cache', run: benchColdStart },
  { id: 6, name: 'Memory after full sync', run: benchMemory },
  { id: 7, name: 'Platform throughput', run: benchThroughput },
  { id: 8, name: 'Platform throughput on PostgreSQL vs SQLite', run: (ctx) => benchPostgres(ctx, { throughput: true, scale: false }) },
  { id: 9, name: 'PostgreSQL with many accounts: per-account list and search', run: (ctx) => benchPostgres(ctx, { throughput: false, scale: true }) },
  { id: 10, name: 'CSV import: dry run and apply', run: benchCsvImport },
];
// #11 needs the full cache too: it runs right after the cold start, before the cache is freed.
STEPS.splice(5, 0, { id: 11, name: 'Keystroke → rows in Chromium', run: benchKeystroke });

/** Benchmarks that need the full cache #1 leaves. */
const NEEDS_CACHE = new Set([2, 3, 4, 5, 11]);

/**
 * CPU time stolen from this virtual machine so far, in seconds (`steal` in /proc/stat, summed over
 * its CPUs): time its vCPUs were ready to run but the host ran other guests. On a shared host it
 * slows floors and ours alike but not always at the same moments; each row's notes say how much was
 * stolen while it ran. Null where /proc/stat is not there.
 */
function stolenSeconds(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    const ticks = Number(fields[8]);
    return Number.isFinite(ticks) ? ticks / 100 : null;
  } catch {
    return null;
  }
}

/** Runs the selected benchmarks (all by default). */
export async function runSuite(config: BenchConfig, only: readonly number[] = STEPS.map((s) => s.id)): Promise<SuiteReport> {
  const started = Date.now();
  const stolenAtStart = stolenSeconds();
  const machine = { cpus: cpus().length, loadavgAtStart: loadavg().map((l) => Number(l.toFixed(2))), node: process.version, stolenSeconds: null as number | null };
  config.log(`platform: generating ${config.users.toLocaleString('en')} users`);
  const platform = await startBenchPlatform(config.users);
  const ctx: BenchContext = { config, platform, synced: null };
  const results: BenchResult[] = [];
  const failures: SuiteReport['failures'] = [];
  try {
    // Delta, search, filters and cold start need the cache the initial sync leaves.
    const needsSync = only.some((id) => NEEDS_CACHE.has(id));
    for (const [index, step] of STEPS.entries()) {
      if (!only.includes(step.id) && !(step.id === 1 && needsSync)) continue;
      config.log(`#${step.id} ${step.name}`);
      try {
        const [stolen, wall] = [stolenSeconds(), performance.now()];
        const out = await step.run(ctx);
        const stolenNow = stolenSeconds();
        const note = stolen === null || stolenNow === null ? '' : `; the host stole ${(stolenNow - stolen).toFixed(1)} s of CPU time during these ${((performance.now() - wall) / 1000).toFixed(0)} s`;
        if (only.includes(step.id)) results.push(...(Array.isArray(out) ? out : [out]).map((r) => ({ ...r, notes: `${r.notes}${note}` })));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        config.log(`  #${step.id} failed: ${error}`);
        failures.push({ id: step.id, error });
        results.push({
          id: step.id,
          name: step.name,
          unit: '',
          ours: Number.NaN,
          baseline: null,
          baselineName: null,
          ratio: null,
          target: '',
          met: false,
          notes: `failed: ${error}`,
        });
      }
      // The full cache is freed after the last benchmark that needs it, before memory is measured.
      if (!STEPS.slice(index + 1).some((later) => NEEDS_CACHE.has(later.id) && only.includes(later.id))) {
        await ctx.synced?.console.dispose();
        ctx.synced = null;
      }
    }
  } finally {
    await ctx.synced?.console.dispose();
    await platform.stop();
  }
  const stolenAtEnd = stolenSeconds();
  machine.stolenSeconds = stolenAtStart === null || stolenAtEnd === null ? null : Number((stolenAtEnd - stolenAtStart).toFixed(1));
  const { log: _log, ...plain } = config;
  return { startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, machine, config: plain, results, failures };
}
