/**
 * #11 Keystroke → rows in Chromium: the real renderer through the browser host, over the full
 * cache, a person typing into the users search box (one key every 120 ms). Each keystroke is timed
 * in the page from its `keydown` to the frame after the grid shows the rows of the box's new text
 * (the grid says which query its rows answer in `data-query`). The floor: the same page answering
 * a keystroke with no search at all (a frame after `keydown`).
 */
import { chromium, type Browser } from 'playwright-core';
import { startBrowserHost } from '../src-main/browser-host/index';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/support/browser-flags';
import { buildRenderer, hostOptions, FIRST_ROW, prepareColdCache } from './cold-start';
import type { BenchContext } from './context';
import type { BenchResult } from './report';
import { percentile, median } from './stats';

/** What a person types (letter by letter), cleared between words. */
const WORDS = ['silva', 'joão', 'bench.12', 'oliveira', 'ana souza', 'example.com', 'ícius', 'zzz'];
const KEY_DELAY_MS = 120;

/** Runs #11 on the console left by #1. */
export async function benchKeystroke(ctx: BenchContext): Promise<BenchResult> {
  const { platform, config } = ctx;
  const rendererDir = platform.tempDir('renderer-keys');
  buildRenderer(rendererDir);
  const dataDir = await prepareColdCache(ctx, 'keystroke');
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const host = await startBrowserHost(hostOptions(dataDir, platform.url, rendererDir));
  let ours: number[];
  let floor: number[];
  let slowest: { ms: number; query: string }[];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(host.url);
    await page.locator(FIRST_ROW).first().waitFor();
    const box = page.locator('input[type="search"]');
    // tsx (esbuild keepNames) wraps the functions below in `__name(...)`, which the page lacks.
    await page.evaluate('globalThis.__name = (f) => f');
    await page.evaluate(() => {
      const w = window as unknown as { __keys: number[]; __frames: number[]; __q: string[] };
      w.__keys = [];
      w.__q = [];
      w.__frames = [];
      const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
      const grid = document.querySelector<HTMLElement>('[role="grid"]')!;
      let pending: number | null = null;
      input.addEventListener(
        'keydown',
        () => {
          const t = performance.now();
          pending = t;
          // Floor: the next frame after the key, with nothing to wait for.
          requestAnimationFrame(() => w.__frames.push(performance.now() - t));
        },
        true,
      );
      const check = () => {
        if (pending === null || grid.dataset.query !== input.value) return;
        const t = pending;
        pending = null;
        const q = input.value;
        requestAnimationFrame(() => { w.__keys.push(performance.now() - t); w.__q.push(q); });
      };
      new MutationObserver(check).observe(grid, { attributes: true, childList: true, subtree: true, characterData: true });
      input.addEventListener('input', () => queueMicrotask(check));
    });
    for (const word of WORDS) {
      await box.click();
      await page.keyboard.type(word, { delay: KEY_DELAY_MS });
      await page.waitForFunction((q) => document.querySelector<HTMLElement>('[role="grid"]')?.dataset.query === q, word);
      await box.fill('');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('[role="grid"]')?.dataset.query === '');
    }
    await page.waitForTimeout(200);
    let qs: string[];
    ({ ours, floor, qs } = await page.evaluate(() => {
      const w = window as unknown as { __keys: number[]; __frames: number[]; __q: string[] };
      return { ours: w.__keys, floor: w.__frames, qs: w.__q };
    }));
    slowest = ours
      .map((ms, i) => ({ ms, query: qs[i]! }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5);
    await context.close();
  } finally {
    await host.close();
    await browser.close();
  }
  // Every keydown (each typed character and each clearing of the box) has its floor frame.
  const keys = floor.length;
  const worst = slowest.map((k) => `${JSON.stringify(k.query)} ${k.ms.toFixed(0)}`).join(', ');
  const o = percentile(ours, 95);
  const f = percentile(floor, 95);
  config.log(`  keystroke → rows: p95 ${o.toFixed(1)} ms (median ${median(ours).toFixed(1)}) over ${ours.length} of ${keys} keys; next frame p95 ${f.toFixed(1)} ms; slowest: ${worst}`);
  return {
    id: 11,
    name: `Keystroke → rows in Chromium (${platform.userCount.toLocaleString('en')} users)`,
    unit: 'ms p95',
    ours: o,
    baseline: f,
    baselineName: 'next frame after the key',
    ratio: o / f,
    target: 'p95 ≤ 50 ms',
    met: o <= 50,
    notes: `${ours.length} of ${keys} keystrokes answered (a key typed before the previous one's rows counts once: latest query wins); median ${median(ours).toFixed(1)} ms; slowest ${worst}; one key every ${KEY_DELAY_MS} ms`,
  };
}
