/** Issue 14 (desktop shell): quitting waits for the services to close, up to a deadline. */
import { describe, expect, it } from 'vitest';
import { disposeWithDeadline } from '../../../../src-main/shell/quit';

describe('quit', () => {
  it('waits for every part to close before it resolves', async () => {
    const closed: string[] = [];
    const outcome = await disposeWithDeadline(async () => {
      await new Promise((r) => setTimeout(r, 20));
      closed.push('sync', 'cache', 'platform');
    }, 60_000);
    expect(outcome).toBe('closed');
    expect(closed).toEqual(['sync', 'cache', 'platform']);
  });

  it('gives up at the deadline when a part hangs, and reports a failure without throwing', async () => {
    expect(await disposeWithDeadline(() => new Promise<void>(() => {}), 30)).toBe('deadline');
    const logged: unknown[] = [];
    expect(await disposeWithDeadline(() => Promise.reject(new Error('cache busy')), 60_000, (e) => logged.push(e))).toBe('failed');
    expect(logged).toHaveLength(1);
  });
});
