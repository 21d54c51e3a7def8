/**
 * Issue 10: starts one worker that keeps a large share of what it allocates alive (as the fill's
 * writer holds a batch), and prints how large that worker's young generation grew, as one JSON
 * line. argv: `fill` (the options the fill's workers start with, `fillWorkerOptions`) or `wide` (a
 * 48 MB young generation asked for with `resourceLimits`). The test launches it with and without
 * the app's V8 flags.
 */
import type { getHeapSpaceStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { fillWorkerEntry, fillWorkerOptions } from '../../src-main/cache/cache-filler';

/** Allocates objects, keeping the last 100 000 alive; answers the largest new space seen, in MB. */
function survivingWork(heapSpaces: typeof getHeapSpaceStatistics): number {
  let max = 0;
  let kept: Array<{ i: number; s: string }> = [];
  for (let round = 0; round < 12; round++) {
    for (let i = 0; i < 200_000; i++) kept.push({ i, s: `user-${i}` });
    kept = kept.slice(-100_000);
    max = Math.max(max, heapSpaces().find((space) => space.space_name === 'new_space')!.space_size);
  }
  return max / 2 ** 20;
}

const mode = process.argv[2];
const resourceLimits = mode === 'fill' ? fillWorkerOptions(fillWorkerEntry()).resourceLimits : { maxYoungGenerationSizeMb: 48 };
const worker = new Worker(`const { parentPort } = require('node:worker_threads'); parentPort.postMessage((${survivingWork.toString()})(require('node:v8').getHeapSpaceStatistics));`, {
  eval: true,
  resourceLimits,
});
const workerNewSpaceMb = await new Promise<number>((resolve, reject) => {
  worker.once('message', resolve);
  worker.once('error', reject);
});
await worker.terminate();
process.stdout.write(`${JSON.stringify({ workerNewSpaceMb })}\n`);
