/**
 * Issue 10: a fresh fill writes without the users' key index. When nothing but the fill wrote the
 * account's users, the writer leaves the index to build after the sync has answered (`keyPending`,
 * then `buildKey`): reading every row back to build it kept a core idle for 0.3 s at the end of a
 * 100 000-user fill. When the main thread wrote them too, the index (which resolves a user
 * written twice) is built before the fill answers. The real writer, on a real cache file.
 */
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheFiller } from '../../../../src-main/cache/cache-filler';
import { ConsoleCache } from '../../../../src-main/cache/console-cache';
import type { User } from '../../../../src-shared/domain';
import { makeUser, tempDir, usersInFile } from '../../../support/console-fixtures';

const ACCOUNT = '["http://127.0.0.1:1","acc-1"]';
let cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function pageBytes(users: User[], cursor: string, hasMore: boolean, total: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ items: users, deletedIds: [], cursor, hasMore, total }));
}

/** A fresh fill of 60 users in two pages, the main thread's cache open on the same file. */
async function fill(touch?: (cache: ConsoleCache, users: User[]) => void, dir?: string) {
  let dataDir = dir;
  if (!dataDir) {
    const data = tempDir();
    cleanups.push(data.cleanup);
    dataDir = data.dir;
  }
  const cache = new ConsoleCache(dataDir);
  cleanups.push(() => cache.close());
  const users = Array.from({ length: 60 }, (_, i) => makeUser({ id: `u-${String(i).padStart(3, '0')}`, name: `Pessoa ${i}` }));
  cache.beginFill(ACCOUNT, true);
  const filler = new CacheFiller(
    { file: cache.file, accountId: ACCOUNT, fresh: true, relaxed: true, batch: 30, fill: { startedAt: '2026-12-03T00:00:00.000Z', cursor: null, total: 60 } },
    (batch) => cache.applyFillBatch(ACCOUNT, batch),
    () => cache.forget(ACCOUNT),
  );
  cleanups.push(() => filler.close());
  await filler.whenWritten(0);
  await filler.page(pageBytes(users.slice(0, 30), 'c1', true, 60));
  await filler.whenWritten(1);
  touch?.(cache, users);
  await filler.page(pageBytes(users.slice(30), 'c2', false, 60));
  const done = await filler.finish(cache.isFillUntouched(ACCOUNT));
  return { cache, filler, done, users };
}

describe("C2 (issue 10): a fresh fill's users' key index", () => {
  it('is left to build after the fill answered when only the fill wrote the account, and built by the writer when asked', async () => {
    const { cache, filler, done } = await fill();
    expect(done).toMatchObject({ count: 60, keyPending: true });
    // Every user is in the file, once; the index is not there yet.
    expect(usersInFile(cache.file)).toEqual({ key: false, rows: 60, ids: 60 });
    // Meanwhile the main thread reads and writes the account (by a scan).
    expect(cache.getUser(ACCOUNT, 'u-042')?.name).toBe('Pessoa 42');
    cache.upsertUsers(ACCOUNT, [makeUser({ id: 'u-042', name: 'Pessoa Renomeada', version: 2 })]);
    await filler.buildKey();
    expect(usersInFile(cache.file)).toEqual({ key: true, rows: 60, ids: 60 });
    expect(cache.getUser(ACCOUNT, 'u-042')?.name).toBe('Pessoa Renomeada');
    // The writer closed its connection after the index: the file's WAL is empty.
    cache.close();
    expect(usersInFile(cache.file)).toEqual({ key: true, rows: 60, ids: 60 });
  });

  it("is built with the fill's batches still in the WAL only: the writer copies them into the file once, when it closes it after the index", async () => {
    const data = tempDir();
    cleanups.push(data.cleanup);
    const fileSize = (file: string) => statSync(file).size;
    // The file as it is before any fill: its size is what a checkpoint during the fill would change.
    const opened = new ConsoleCache(data.dir);
    opened.close();
    const before = fileSize(opened.file);
    const { cache, filler, done } = await fill(undefined, data.dir);
    expect(done.keyPending).toBe(true);
    expect(fileSize(cache.file)).toBe(before);
    expect(fileSize(`${cache.file}-wal`)).toBeGreaterThan(0);
    await filler.buildKey();
    // Checkpointed and emptied (TRUNCATE) when the writer closed its connection.
    expect(fileSize(`${cache.file}-wal`)).toBe(0);
    expect(fileSize(cache.file)).toBeGreaterThan(before);
    expect(usersInFile(cache.file)).toEqual({ key: true, rows: 60, ids: 60 });
  });

  it('is built before the fill answers when the main thread wrote the account during it (a user saved then is in the file once)', async () => {
    const { cache, done } = await fill((c, users) => {
      // A save of a user the fill has not reached yet: written by the main thread, then by the fill.
      c.upsertUsers(ACCOUNT, [{ ...users[45]!, name: 'Salvo Durante A Carga', version: 1 }]);
    });
    expect(done.keyPending).toBe(false);
    expect(usersInFile(cache.file)).toEqual({ key: true, rows: 60, ids: 60 });
  });
});
