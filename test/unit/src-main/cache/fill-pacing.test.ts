/**
 * Issue 10: the main thread posts a fill's pages only while the writer is at most a few pages
 * behind (`CacheFiller.whenWritten`), so that pages and rows never queue up between the threads.
 */
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheFiller } from '../../../../src-main/cache/cache-filler';

const ROOT = resolve(import.meta.dirname, '../../../..');
const STAND_IN = { url: pathToFileURL(join(ROOT, 'test', 'support', 'fill-pacing-worker.ts')), execArgv: ['--import', 'tsx'] };

describe("issue 10: a fill's pacing by its writer", () => {
  it('waits until the writer has written the pages asked for', async () => {
    const filler = new CacheFiller(
      { file: '/nonexistent', accountId: 'a', fresh: true, relaxed: true, batch: 1000, fill: { startedAt: '2026-12-03T00:00:00.000Z', cursor: null, total: 10 } },
      () => undefined,
      () => undefined,
      STAND_IN,
    );
    try {
      await filler.whenWritten(0); // the writer started
      let released = false;
      const paced = filler.whenWritten(2).then(() => {
        released = true;
      });
      // The writer has written no page: the main thread waits.
      await filler.page(new Uint8Array(8));
      await new Promise((r) => setTimeout(r, 100));
      expect(released).toBe(false);
      // A second page written: the wait is over; a page already written never waits.
      await filler.page(new Uint8Array(8));
      await paced;
      expect(released).toBe(true);
      await expect(filler.whenWritten(1)).resolves.toBeUndefined();
    } finally {
      await filler.close();
    }
  });
});
