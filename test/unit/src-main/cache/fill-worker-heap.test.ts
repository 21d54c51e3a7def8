/**
 * Issue 10: the fill's workers run with the same young generation in the app as launched (with
 * `LAUNCH_V8_FLAGS`, whose `--max-semi-space-size` V8 applies to every isolate of the process,
 * over a worker's `resourceLimits`) and in the bench and the tests (launched without it): 4 MB
 * semi-spaces. Larger ones kept 15-20 MB more RSS after the first sync (see cache-filler.ts).
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAUNCH_V8_FLAGS } from '../../../../src-main/shell/launch-settings';

const ROOT = resolve(import.meta.dirname, '../../../..');

/** The largest new space of a worker started as `mode`, in a process launched with `flags`. */
function workerNewSpaceMb(mode: 'fill' | 'wide', flags: readonly string[]): number {
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', join(ROOT, 'test', 'support', 'worker-heap-child.ts'), mode], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return (JSON.parse(out.trim().split('\n').at(-1)!) as { workerNewSpaceMb: number }).workerNewSpaceMb;
}

describe("issue 10: the fill workers' young generation", () => {
  it('is the launch size (4 MB semi-spaces: a new space of at most 16 MB) in a process launched without the app\'s flags (the bench, the tests)', () => {
    expect(workerNewSpaceMb('fill', [])).toBeLessThanOrEqual(16);
  }, 60_000);

  it('a worker that asks for 48 MB gets it only without the launch flag (what the measure above would see)', () => {
    expect(workerNewSpaceMb('wide', [])).toBeGreaterThan(24);
    expect(workerNewSpaceMb('wide', LAUNCH_V8_FLAGS)).toBeLessThanOrEqual(16);
  }, 60_000);
});
