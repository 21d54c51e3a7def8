/**
 * Issue 10: the main thread posts a fill's pages only while the writer is at most a page or two
 * behind, except while the writer builds the users' key index (0.15-0.2 s at 100 000 users, when
 * it takes no rows): from then on the platform and the parser go on with the last pages instead
 * of waiting for it with a core left idle.
 */
import { pathToFileURL } from 'node:url';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheFiller } from '../../../../src-main/cache/cache-filler';

const ROOT = resolve(import.meta.dirname, '../../../..');
const STAND_IN = { url: pathToFileURL(join(ROOT, 'test', 'support', 'fill-pacing-worker.ts')), execArgv: ['--import', 'tsx'] };

describe('issue 10: a fill\'s pacing while the writer builds the key index', () => {
  it('waits for the writer until it says it builds the key index, then no longer', async () => {
    const filler = new CacheFiller(
      { file: '/nonexistent', accountId: 'a', fresh: true, relaxed: true, batch: 1000, fill: { startedAt: '2026-12-03T00:00:00.000Z', cursor: null, total: 10 } },
      () => undefined,
      () => undefined,
      STAND_IN,
    );
    try {
      await filler.whenWritten(0); // the writer started
      let released = false;
      const paced = filler.whenWritten(3).then(() => {
        released = true;
      });
      // The writer has written no page: the main thread waits.
      await new Promise((r) => setTimeout(r, 100));
      expect(released).toBe(false);
      // A page reaches the parser, and the writer says it builds the key index.
      await filler.page(new Uint8Array(8));
      await paced;
      expect(released).toBe(true);
      // For the rest of the fill, no page waits for the writer.
      await expect(filler.whenWritten(50)).resolves.toBeUndefined();
    } finally {
      await filler.close();
    }
  });
});
