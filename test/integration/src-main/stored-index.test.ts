/**
 * Issue 10 (cold start), end to end: a console that closes stores its search index (cache
 * migration 11); the next start reads it instead of building it from the users rows, and the
 * start's delta sync patches it with the users another administrator changed meanwhile. A real
 * platform on 127.0.0.1, the real composition, a real cache file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemorySecretStore } from '../../../src-main/auth/secret-store';
import { UserSearchIndex } from '../../../src-main/cache/user-search-index';
import { call, composeConsole, DEMO_ADMIN } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { startTestPlatform } from '../../support/platform';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const byName = { query: '', filters: {}, sort: { by: 'name', dir: 'asc' }, offset: 0, limit: 500 } as const;

describe('issue 10: the stored search index across a restart', () => {
  it('the restarted console\'s first search reads the stored index, patched by the start\'s delta sync with a user renamed elsewhere meanwhile', async () => {
    const platform = await startTestPlatform();
    cleanups.push(() => platform.stop());
    const data = tempDir();
    cleanups.push(data.cleanup);
    const secrets = new MemorySecretStore();

    const first = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    await call(first, 'signIn', DEMO_ADMIN);
    await call(first, 'syncNow', {});
    const target = (await call(first, 'searchUsers', { query: 'supervisor' })).items[0]!;
    await first.dispose(); // stores the index the table's searches built

    // Another administrator renames a user while this console is closed.
    const otherData = tempDir();
    cleanups.push(otherData.cleanup);
    const other = await composeConsole({ dataDir: otherData.dir, platformUrl: platform.url });
    await call(other, 'signIn', DEMO_ADMIN);
    await call(other, 'syncNow', {});
    const current = await call(other, 'getUser', { id: target.id });
    await call(other, 'saveUser', { id: target.id, baseVersion: current.user.version, changes: { name: 'Zuleide Renomeada Fora' }, confirmQueueLogout: true });
    const expected = await call(other, 'searchUsers', byName);
    await other.dispose();

    const fromDb = vi.spyOn(UserSearchIndex, 'fromDb');
    const fromStored = vi.spyOn(UserSearchIndex, 'fromStored');
    const again = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    cleanups.push(() => again.dispose());
    const synced = await call(again, 'syncNow', {}); // joins the sync the restored session started
    expect(synced.lastError).toBeNull();
    const list = await call(again, 'searchUsers', byName);
    const found = await call(again, 'searchUsers', { query: 'renomeada fora' });
    expect(fromStored).toHaveBeenCalledTimes(1);
    expect(fromDb).not.toHaveBeenCalled();
    expect(found.items.map((u) => u.id)).toEqual([target.id]);
    expect(list.total).toBe(expected.total);
    expect(list.items.map((u) => [u.id, u.name, u.version])).toEqual(expected.items.map((u) => [u.id, u.name, u.version]));
  });
});
