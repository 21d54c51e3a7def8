/**
 * Issue 10: the fill's workers get the young generation they ask for in the app as launched. The
 * app starts with `--max-semi-space-size=4` for its main thread (`LAUNCH_V8_FLAGS`), a flag V8
 * applies to every isolate of the process over a worker's `resourceLimits`; `fillWorkerOptions`
 * lifts it for the workers created after it, and the main thread's young generation keeps the
 * size it was launched with.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAUNCH_V8_FLAGS } from '../../../../src-main/shell/launch-settings';

const ROOT = resolve(import.meta.dirname, '../../../..');

function launched(mode: 'fill' | 'plain'): { workerNewSpaceMb: number; mainNewSpaceMb: number } {
  const out = execFileSync(process.execPath, [...LAUNCH_V8_FLAGS, '--import', 'tsx', join(ROOT, 'test', 'support', 'worker-heap-child.ts'), mode], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as { workerNewSpaceMb: number; mainNewSpaceMb: number };
}

describe('issue 10: the fill workers\' young generation under the app\'s launch flags', () => {
  it('the launch flag alone caps a worker\'s young generation, whatever its resourceLimits ask (why the workers need more)', () => {
    const plain = launched('plain');
    // 4 MB semi-spaces: the new space stays near 8-12 MB.
    expect(plain.workerNewSpaceMb).toBeLessThanOrEqual(16);
  }, 60_000);

  it('a worker started with fillWorkerOptions grows its young generation past the launch cap; the main thread keeps its own', () => {
    const fill = launched('fill');
    // 16 MB semi-spaces (FILL_YOUNG_GENERATION_MB = 48): the new space grows to 32 MB or more.
    expect(fill.workerNewSpaceMb).toBeGreaterThan(24);
    expect(fill.mainNewSpaceMb).toBeLessThanOrEqual(16);
  }, 60_000);
});
