/* eslint-disable @typescript-eslint/no-explicit-any -- platform JSON read by assertions */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { UserSearchIndex } from '../../../src-main/cache/user-search-index';
import { COL, USER_COLUMNS, userRow, type UserRowValues } from '../../../src-main/cache/user-row';
import { compareSortKeys, userSortKey } from '../../../src-shared/search';
import { userEtag } from '../../../src-shared/platform-api';
import type { ComposedConsole } from '../../../src-main/compose';
import { call, composeConsole, record, DEMO_ADMIN } from '../../support/console-harness';
import { tempDir, usersInFile } from '../../support/console-fixtures';
import { client, findUser, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const DEMO = DEMO_ADMIN;

let platform: TestPlatform;
let data: ReturnType<typeof tempDir>;
let consoles: ComposedConsole[] = [];
beforeEach(async () => {
  platform = await startTestPlatform();
  data = tempDir();
});
afterEach(async () => {
  await Promise.all(consoles.map((c) => c.dispose()));
  consoles = [];
  await platform.stop();
  data.cleanup();
});

async function open(extra: Parameters<typeof composeConsole>[0] extends infer O ? Partial<O> : never = {}) {
  const c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, syncPageSize: 7, ...extra });
  consoles.push(c);
  return c;
}

async function allPlatformUsers(token: string): Promise<any[]> {
  const r = await client(platform.url, token).get('/api/v1/users?limit=1000');
  expect(r.status).toBe(200);
  return r.body.items;
}

describe('console sign-in and sync', () => {
  it('C2: signing in with the platform password starts a session and a full paged pull of every user', async () => {
    const c = await open();
    const statuses = record(c, 'onDidChangeSyncStatus');
    const session = await call(c, 'signIn', DEMO);
    expect(session).toMatchObject({ status: 'signedIn', online: true, method: 'password', user: { login: 'admin' }, account: { slug: 'demo' } });
    const status = await call(c, 'syncNow', {});
    expect(status).toMatchObject({ state: 'idle', online: true, lastError: null });
    const token = await signIn(platform.url, 'admin');
    const users = await allPlatformUsers(token);
    expect(users.length).toBeGreaterThan(7);
    expect(status.userCount).toBe(users.length);
    // Paged: progress was reported page by page during the full pull.
    const full = statuses.filter((s) => s.progress?.phase === 'full').map((s) => s.progress!.done);
    expect(full.length).toBeGreaterThanOrEqual(Math.ceil(users.length / 7));
    expect(Math.max(...full)).toBe(users.length);
    // With a total from the first page on, so the console can show "x of N".
    const totals = statuses.filter((s) => s.progress?.phase === 'full' && s.progress.done > 0).map((s) => s.progress!.total);
    expect(totals.length).toBeGreaterThan(0);
    expect(totals.every((t) => t === users.length)).toBe(true);
    const search = await call(c, 'searchUsers', { limit: 500 });
    expect(search.items.map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
    expect((await call(c, 'getSession', {})).lastSyncAt).toBe(status.lastSyncAt);
    expect((await call(c, 'listQueues', {})).items.length).toBeGreaterThan(0);
    expect((await call(c, 'listExtensions', {})).items.length).toBeGreaterThan(0);
    // Each row the fill's writer stored (its parser sends rows without the account key and the
    // search text) is the row the shared derivation makes of the user.
    const file = new Database(c.services.cache.file, { readonly: true });
    try {
      const rows = file.prepare(`SELECT ${USER_COLUMNS} FROM users`).raw().all() as UserRowValues[];
      expect(rows).toHaveLength(users.length);
      for (const row of rows) expect(row).toEqual(userRow(c.services.auth.accountKey()!, JSON.parse(row[COL.data])));
    } finally {
      file.close();
    }
  });

  it('C2 (issue 10): the first sync answers before its users\' key index is built; a save and a delta sync right after it are written once, and the index follows', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    const first = await call(c, 'syncNow', {});
    expect(first).toMatchObject({ state: 'idle', lastError: null });
    // At once, no await between: a save (its answer is written into the cache) and a delta sync.
    const agent = (await allPlatformUsers(await signIn(platform.url, 'admin'))).find((u) => u.profile === 'agent');
    const [saved, delta] = await Promise.all([
      call(c, 'saveUser', { id: agent.id, baseVersion: agent.version, changes: { name: 'Salva Logo Depois' }, confirmQueueLogout: true }),
      call(c, 'syncNow', {}),
    ]);
    expect(delta).toMatchObject({ state: 'idle', lastError: null, userCount: first.userCount });
    await c.services.sync.settled();
    expect(usersInFile(c.services.cache.file)).toEqual({ key: true, rows: first.userCount, ids: first.userCount });
    expect((await call(c, 'getUser', { id: agent.id })).user).toMatchObject({ name: 'Salva Logo Depois', version: saved.user.version });
  });

  it('C6 (issue 10): signing out right after the first sync lets its writer finish the users\' key index, then removes the account\'s data', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    const first = await call(c, 'syncNow', {});
    expect(first.userCount).toBeGreaterThan(7);
    expect(await call(c, 'signOut', { removeCachedData: true })).toEqual({ ok: true });
    expect(usersInFile(c.services.cache.file)).toEqual({ key: true, rows: 0, ids: 0 });
  });

  it("C2 (issue 10): while a first fill's writer owns the WAL the main thread's commits do not checkpoint it (the writer does, once, at its end); after it they do again", async () => {
    const c = await open();
    const { cache } = c.services;
    const own = (cache as unknown as { db: Database.Database }).db;
    const autoCheckpoint = () => own.pragma('wal_autocheckpoint', { simple: true }) as number;
    const seen: number[] = [];
    const apply = cache.applyFillBatch.bind(cache);
    vi.spyOn(cache, 'applyFillBatch').mockImplementation((accountId, batch) => {
      seen.push(autoCheckpoint());
      apply(accountId, batch);
    });
    expect(autoCheckpoint()).toBe(1000);
    await call(c, 'signIn', DEMO);
    const first = await call(c, 'syncNow', {});
    await c.services.sync.settled();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([0]));
    expect(autoCheckpoint()).toBe(1000);
    expect(usersInFile(cache.file)).toEqual({ key: true, rows: first.userCount, ids: first.userCount });
  });

  it('issue 10: the first fill hands the search index its name order, so the first search after it sorts nothing', async () => {
    const sorts = vi.spyOn(UserSearchIndex.prototype as unknown as { sortedSlots: () => Int32Array }, 'sortedSlots');
    try {
      const c = await open({ syncFillBatch: 10 });
      await call(c, 'signIn', DEMO);
      await call(c, 'syncNow', {});
      const byName = await call(c, 'searchUsers', { limit: 500, sort: { by: 'name', dir: 'asc' } });
      expect(sorts).not.toHaveBeenCalled();
      const users = await allPlatformUsers(await signIn(platform.url, 'admin'));
      const expected = [...users].sort((a, b) => compareSortKeys(userSortKey(a, 'name'), userSortKey(b, 'name'), a.id, b.id)).map((u) => u.id);
      expect(byName.items.map((u) => u.id)).toEqual(expected);
      // Another order is still sorted when first asked for.
      await call(c, 'searchUsers', { limit: 5, sort: { by: 'email', dir: 'asc' } });
      expect(sorts).toHaveBeenCalledTimes(1);
    } finally {
      sorts.mockRestore();
    }
  });

  it('issue 10: a sync\'s writes are copied into the cache file by the checkpointer thread, not in a later commit of the main thread', async () => {
    const c = await open({ syncCheckpointFromBytes: 0 });
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const token = await signIn(platform.url, 'admin');
    const agent = await findUser(platform.url, token, 'agente05');
    const edited = await client(platform.url, token).patch(`/api/v1/users/${agent.id}`, { name: 'Checkpointed Agent' }, { 'if-match': userEtag(agent) });
    expect(edited.status).toBe(200);
    await call(c, 'syncNow', {});
    const done = await c.services.sync.checkpointed();
    // The delta wrote WAL frames, and the checkpointer put every one of them into the file.
    expect(done).not.toBeNull();
    expect(done!.log).toBeGreaterThan(0);
    expect(done!.checkpointed).toBe(done!.log);
    expect((await call(c, 'searchUsers', { query: 'checkpointed agent' })).total).toBe(1);
    // With the default threshold, the small WAL of a few changes starts no thread.
    const second = tempDir();
    try {
      const quiet = await open({ dataDir: second.dir });
      await call(quiet, 'signIn', DEMO);
      await call(quiet, 'syncNow', {});
      await call(quiet, 'syncNow', {});
      expect(await quiet.services.sync.checkpointed()).toBeNull();
      await quiet.dispose();
    } finally {
      second.cleanup();
    }
  });

  it('issue 10: the cache\'s idle work after a delta sync\'s writes waits until the sync has answered, however long its catalog takes', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    expect((await call(c, 'searchUsers', { query: 'agente' })).total).toBeGreaterThan(0);
    const token = await signIn(platform.url, 'admin');
    const agent = await findUser(platform.url, token, 'agente06');
    const edited = await client(platform.url, token).patch(`/api/v1/users/${agent.id}`, { name: 'Held Agent' }, { 'if-match': userEtag(agent) });
    expect(edited.status).toBe(200);
    // A new queue: the sync asks for the queues once its users' page has landed (their tag changed).
    expect((await client(platform.url, token).post('/api/v1/queues', { kind: 'voice', name: 'Fila Da Espera' })).status).toBe(201);
    // The queues answer 30 ms late: many turns of the event loop while the sync waits for them.
    const queues = c.services.client.listQueueSummariesIfChanged.bind(c.services.client);
    const slow = vi.spyOn(c.services.client, 'listQueueSummariesIfChanged').mockImplementation(async (tag) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return queues(tag);
    });
    const settles = vi.spyOn(UserSearchIndex.prototype, 'settle');
    try {
      await call(c, 'syncNow', {});
      expect(slow).toHaveBeenCalled();
      expect(settles).not.toHaveBeenCalled();
      const logged = () => {
        const db = new Database(c.services.cache.file, { readonly: true });
        try {
          return db.prepare('SELECT count(*) FROM user_versions_recent').pluck().get();
        } finally {
          db.close();
        }
      };
      expect(logged()).toBe(1);
      // Once it has answered: two turns later.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(settles).toHaveBeenCalledTimes(1);
      expect(logged()).toBe(0);
      expect((await call(c, 'searchUsers', { query: 'held agent' })).total).toBe(1);
    } finally {
      slow.mockRestore();
      settles.mockRestore();
    }
  });

  it('issue 10: signing out while the checkpointer runs ends it quietly (not reported as a failure)', async () => {
    const errors: Array<[unknown, string]> = [];
    const c = await open({ syncCheckpointFromBytes: 0, logError: (err, context) => errors.push([err, context]) });
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    // The sync has asked for a checkpoint, whose thread starts once the sync has answered: a stop
    // before that starts none.
    const asked = c.services.sync.checkpointed();
    await c.services.sync.stop();
    expect(await asked).toBeNull();
    expect((c.services.sync as unknown as { checkpointer: unknown }).checkpointer).toBeNull();
    // Started, then stopped: its thread is ended, quietly.
    await call(c, 'syncNow', {});
    const pending = c.services.sync.checkpointed();
    await new Promise((resolve) => setImmediate(resolve));
    expect((c.services.sync as unknown as { checkpointer: unknown }).checkpointer).not.toBeNull();
    await c.services.sync.stop();
    expect(await pending).toBeNull();
    expect(errors.filter(([, context]) => context === 'checkpoint')).toEqual([]);
  });

  it('C2 (issue 10): a delta sync asks for queues and extensions only when its users\' first page says their tags changed, then with the tags of the lists it stored; a list written otherwise is asked for whole, and a platform that names no tags is asked for both', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    const account = c.services.auth.accountKey()!;
    // The first sync (signing in starts it) stores both lists with their tags.
    await call(c, 'syncNow', {});
    const tags = c.services.cache.catalogTagsOf(account);
    expect(tags.queues).toMatch(/^"/);
    expect(tags.extensions).toMatch(/^"/);
    const listUsers = c.services.client.listUsers.bind(c.services.client);
    const users = vi.spyOn(c.services.client, 'listUsers');
    const asked = { queues: vi.spyOn(c.services.client, 'listQueueSummariesIfChanged'), extensions: vi.spyOn(c.services.client, 'listExtensionsIfChanged') };
    const writes = { queues: vi.spyOn(c.services.cache, 'replaceQueues'), extensions: vi.spyOn(c.services.cache, 'replaceExtensions') };
    const queuesBefore = c.services.cache.listQueues(account);
    // Nothing changed: the users' page names the same tags, and neither list is asked for or written.
    await call(c, 'syncNow', {});
    expect(users).toHaveBeenLastCalledWith(expect.objectContaining({ withTotal: 'true', withCatalogTags: 'true' }));
    expect((await users.mock.results.at(-1)!.value).catalogTags).toEqual(tags);
    expect(asked.queues).not.toHaveBeenCalled();
    expect(asked.extensions).not.toHaveBeenCalled();
    expect(writes.queues).not.toHaveBeenCalled();
    expect(writes.extensions).not.toHaveBeenCalled();
    expect(c.services.cache.listQueues(account)).toEqual(queuesBefore);
    // A queue made elsewhere: the next sync asks for the queues with their stored tag, gets the new
    // list (200) and a new tag; the extensions are still not asked for.
    const token = await signIn(platform.url, 'admin');
    expect((await client(platform.url, token).post('/api/v1/queues', { kind: 'voice', name: 'Fila Nova Etiquetada' })).status).toBe(201);
    await call(c, 'syncNow', {});
    expect(asked.queues).toHaveBeenCalledTimes(1);
    expect(asked.queues).toHaveBeenLastCalledWith(tags.queues);
    expect(asked.extensions).not.toHaveBeenCalled();
    expect(writes.queues).toHaveBeenCalledTimes(1);
    expect(writes.extensions).not.toHaveBeenCalled();
    expect(c.services.cache.listQueues(account).map((q) => q.name)).toContain('Fila Nova Etiquetada');
    const newTag = c.services.cache.catalogTagsOf(account).queues;
    expect(newTag).not.toBe(tags.queues);
    expect(newTag).toBe((await client(platform.url, token).get('/api/v1/queue-summaries')).headers.get('etag'));
    // A list written otherwise (here a queue stored by hand) loses its tag: both lists are asked
    // for alongside the users, the queues whole, the extensions with their tag (304, not written).
    c.services.cache.upsertQueue(account, { ...queuesBefore[0]!, name: 'Escrita Local' });
    await call(c, 'syncNow', {});
    expect(users).toHaveBeenLastCalledWith(expect.not.objectContaining({ withCatalogTags: 'true' }));
    expect(asked.queues).toHaveBeenLastCalledWith(null);
    expect(asked.extensions).toHaveBeenLastCalledWith(tags.extensions);
    expect(await asked.extensions.mock.results.at(-1)!.value).toBeNull();
    expect(writes.extensions).not.toHaveBeenCalled();
    expect(c.services.cache.listQueues(account).map((q) => q.name)).not.toContain('Escrita Local');
    // A platform that does not name the tags (one from before them): both asked for with their
    // tags, answered 304, nothing written.
    users.mockImplementation(async (params) => {
      const { catalogTags: _named, ...page } = await listUsers(params);
      return page;
    });
    const [queuesCalls, extensionsCalls, queueWrites] = [asked.queues.mock.calls.length, asked.extensions.mock.calls.length, writes.queues.mock.calls.length];
    await call(c, 'syncNow', {});
    expect(asked.queues).toHaveBeenCalledTimes(queuesCalls + 1);
    expect(asked.extensions).toHaveBeenCalledTimes(extensionsCalls + 1);
    expect(await asked.queues.mock.results.at(-1)!.value).toBeNull();
    expect(await asked.extensions.mock.results.at(-1)!.value).toBeNull();
    expect(writes.queues).toHaveBeenCalledTimes(queueWrites);
    users.mockRestore();
    // Removing the account's data forgets its tags.
    await c.services.sync.stop();
    c.services.cache.removeAccount(account);
    expect(c.services.cache.catalogTagsOf(account)).toEqual({});
  });

  it('C2: later syncs pull only changes since the cursor, and deleted users disappear from the cache', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const token = await signIn(platform.url, 'admin');
    const api = client(platform.url, token);
    const before = await call(c, 'searchUsers', { limit: 500 });
    const agents = before.items.filter((u) => u.profile === 'agent');
    const [renamed, deleted] = [agents[0]!, agents[1]!];
    const fresh = (await api.get(`/api/v1/users/${renamed.id}`)).body.user;
    const patch = await api.patch(`/api/v1/users/${renamed.id}`, { name: 'Renomeado Pela Outra Aba', confirmQueueLogout: true }, { 'if-match': `"u-${fresh.id}-${fresh.version}"` });
    expect(patch.status).toBe(200);
    expect((await api.delete(`/api/v1/users/${deleted.id}`)).status).toBe(204);
    const statuses = record(c, 'onDidChangeSyncStatus');
    const status = await call(c, 'syncNow', {});
    expect(statuses.some((s) => s.progress?.phase === 'delta')).toBe(true);
    expect(statuses.some((s) => s.progress?.phase === 'full')).toBe(false);
    // A delta pulls only what changed, not the whole account again.
    expect(Math.max(...statuses.filter((s) => s.progress).map((s) => s.progress!.done))).toBeLessThan(before.total);
    expect(status.userCount).toBe(before.total - 1);
    expect((await call(c, 'searchUsers', { query: 'renomeado pela' })).items.map((u) => u.id)).toEqual([renamed.id]);
    const gone = await call(c, 'searchUsers', { query: deleted.login });
    expect(gone.items.find((u) => u.id === deleted.id)).toBeUndefined();
  });

  it('C2: a delta sync that fails after its pages are written keeps the cursor of the last page before the failing step; the next one replays only the rest and loses nothing', async () => {
    const c = await open({ logError: () => undefined });
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const account = c.services.auth.accountKey()!;
    const token = await signIn(platform.url, 'admin');
    const api = client(platform.url, token);
    // Ten changed users: two pages of 7 and 3; and a new queue, so the sync asks for the queues.
    const agents = (await call(c, 'searchUsers', { limit: 500 })).items.filter((u) => u.profile === 'agent').slice(0, 10);
    expect(agents).toHaveLength(10);
    for (const [i, agent] of agents.entries()) {
      const fresh = (await api.get(`/api/v1/users/${agent.id}`)).body.user;
      const patch = await api.patch(`/api/v1/users/${agent.id}`, { name: `Replayed Agent ${i}`, confirmQueueLogout: true }, { 'if-match': userEtag(fresh) });
      expect(patch.status).toBe(200);
    }
    expect((await api.post('/api/v1/queues', { kind: 'voice', name: 'Fila Do Replay' })).status).toBe(201);
    const before = c.services.cache.getSyncState(account).cursor;
    // The queues fail once, after both pages were written: the cursor stays after the first page.
    const queues = vi.spyOn(c.services.client, 'listQueueSummariesIfChanged').mockRejectedValueOnce(new Error('connection reset'));
    const failed = await call(c, 'syncNow', {});
    expect(failed.state).toBe('error');
    expect((await call(c, 'searchUsers', { query: 'replayed agent' })).total).toBe(10);
    const afterFirstPage = c.services.cache.getSyncState(account).cursor;
    expect(afterFirstPage).not.toBe(before);
    // The next sync asks from there: the last page again (3 users), then the queues.
    const statuses = record(c, 'onDidChangeSyncStatus');
    const ok = await call(c, 'syncNow', {});
    expect(ok.state).toBe('idle');
    expect(Math.max(...statuses.filter((s) => s.progress?.phase === 'delta').map((s) => s.progress!.done))).toBe(3);
    expect(c.services.cache.listQueues(account).map((q) => q.name)).toContain('Fila Do Replay');
    expect((await call(c, 'searchUsers', { query: 'replayed agent' })).total).toBe(10);
    const latest = (await api.get(`/api/v1/users?since=${c.services.cache.getSyncState(account).cursor}`)).body;
    expect(latest).toMatchObject({ items: [], deletedIds: [], hasMore: false });
    queues.mockRestore();
  });

  it('C2: a new console on the same cache continues with deltas; a fresh cache starts with a full pull', async () => {
    const first = await open();
    await call(first, 'signIn', DEMO);
    await call(first, 'syncNow', {});
    await first.dispose();
    const second = await open();
    // Same data folder but a new secret store: signed out, yet the cache keeps the cursor.
    await call(second, 'signIn', DEMO);
    const statuses = record(second, 'onDidChangeSyncStatus');
    await call(second, 'syncNow', {});
    expect(statuses.every((s) => s.progress === null || s.progress.phase === 'delta')).toBe(true);
    const token = await signIn(platform.url, 'admin');
    const supervisor = await findUser(platform.url, token, 'supervisor');
    expect((await call(second, 'getUser', { id: supervisor.id })).stale).toBe(false);
  });

  it('C2: a cache synced from another platform is replaced by a full pull, not patched with deltas', async () => {
    const first = await open();
    await call(first, 'signIn', DEMO);
    await call(first, 'createUser', { name: 'Só Na Primeira', email: 'so.na.primeira@example.com', login: 'so.na.primeira', profile: 'agent' });
    await call(first, 'syncNow', {});
    expect((await call(first, 'searchUsers', { query: 'so na primeira' })).total).toBe(1);
    await first.dispose();
    const other = await startTestPlatform();
    try {
      const second = await composeConsole({ dataDir: data.dir, platformUrl: other.url, syncPageSize: 7 });
      consoles.push(second);
      const statuses = record(second, 'onDidChangeSyncStatus');
      await call(second, 'signIn', DEMO);
      const status = await call(second, 'syncNow', {});
      expect(statuses.some((s) => s.progress?.phase === 'full')).toBe(true);
      expect((await call(second, 'searchUsers', { query: 'so na primeira' })).total).toBe(0);
      const token = await signIn(other.url, 'admin');
      expect(status.userCount).toBe((await client(other.url, token).get('/api/v1/users?limit=1000')).body.items.length);
      await second.dispose();
    } finally {
      await other.stop();
    }
  });

  it('C3: signInMicrosoft without the SSO module answers identity_provider_disabled', async () => {
    const c = await open();
    const result = await c.router.handle({ kind: 'browser-host', authenticated: true }, 'signInMicrosoft', { account: 'demo' });
    expect(result).toMatchObject({ ok: false, error: { code: 'identity_provider_disabled' } });
  });

  it('a 401 from the platform ends the session and emits onDidExpireSession', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const expired = record(c, 'onDidExpireSession');
    // The platform revokes the session (as an administrator revoking it, or its expiry).
    await c.services.client.logout();
    const result = await c.router.handle({ kind: 'browser-host', authenticated: true }, 'getUser', { id: (await call(c, 'getSession', {})).user!.id });
    expect(result.ok).toBe(false);
    expect((await call(c, 'getSession', {})).status).toBe('signedOut');
    // Emitted once the sync has let go of the cache (the first fill's writer may still be building
    // the users' key index, which it finishes first).
    await vi.waitFor(() => expect(expired).toHaveLength(1));
    expect(await c.router.handle({ kind: 'browser-host', authenticated: true }, 'searchUsers', {})).toMatchObject({ ok: false, error: { code: 'not_signed_in' } });
  });
});
