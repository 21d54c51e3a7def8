/* eslint-disable @typescript-eslint/no-explicit-any -- platform JSON read by assertions */
/**
 * C2: a full sync that pages through the account while users change on the platform still ends
 * with exactly the platform's users. The full sync buffers several pages per transaction and asks
 * for the next page before writing the current one, so a tombstone that arrives on a later page
 * must still remove a user buffered from an earlier one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComposedConsole } from '../../../src-main/compose';
import { call, composeConsole, forwardTo, record, startHoldingProxy, waitFor, withoutHopByHop, DEMO_ADMIN } from '../../support/console-harness';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { CACHE_FILE_NAME } from '../../../src-main/cache/console-cache';
import { tempDir } from '../../support/console-fixtures';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const DEMO = DEMO_ADMIN;
const PAGE = 7;

let platform: TestPlatform;
let data: ReturnType<typeof tempDir>;
let proxy: Server | null = null;
let consoles: ComposedConsole[] = [];
beforeEach(async () => {
  platform = await startTestPlatform();
  data = tempDir();
});
afterEach(async () => {
  await Promise.all(consoles.map((c) => c.dispose()));
  consoles = [];
  proxy?.closeAllConnections();
  await new Promise<void>((ok) => (proxy ? proxy.close(() => ok()) : ok()));
  proxy = null;
  await platform.stop();
  data.cleanup();
});

/** Forwards to the platform; before the second users page is forwarded, runs `beforeSecondPage`. */
async function startProxy(beforeSecondPage: () => Promise<void>): Promise<string> {
  const target = new URL(platform.url);
  let usersPages = 0;
  proxy = createServer((req, res) => {
    const isUsersPage = req.method === 'GET' && (req.url ?? '').startsWith('/api/v1/users?');
    const hook = isUsersPage && ++usersPages === 2 ? beforeSecondPage() : Promise.resolve();
    void hook.then(() => forwardTo(target, req, res));
  });
  await new Promise<void>((ok) => proxy!.listen(0, '127.0.0.1', ok));
  return `http://127.0.0.1:${(proxy!.address() as AddressInfo).port}`;
}

/** A console signed in through `server` (listening now as the proxy), a page and a committed batch of PAGE users. */
async function signedInBehind(server: Server): Promise<ComposedConsole> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const c = await composeConsole({ dataDir: data.dir, platformUrl: url, syncPageSize: PAGE, syncFillBatch: PAGE });
  consoles.push(c);
  await call(c, 'signIn', DEMO);
  return c;
}

describe('full sync while the platform changes', () => {
  it('C2: a user deleted and a user renamed after the first page was fetched end up deleted and renamed in the cache', async () => {
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    const firstPage = (await api.get(`/api/v1/users?limit=${PAGE}`)).body.items as any[];
    const [deleted, renamed] = firstPage.filter((u) => u.profile === 'agent');
    expect(deleted && renamed).toBeTruthy();
    let changedMidway = false;
    const url = await startProxy(async () => {
      expect((await api.delete(`/api/v1/users/${deleted.id}`)).status).toBe(204);
      const patch = await api.patch(
        `/api/v1/users/${renamed.id}`,
        { name: 'Renomeado Durante A Carga', confirmQueueLogout: true },
        { 'if-match': `"u-${renamed.id}-${renamed.version}"` },
      );
      expect(patch.status).toBe(200);
      changedMidway = true;
    });
    const c = await composeConsole({ dataDir: data.dir, platformUrl: url, syncPageSize: PAGE });
    consoles.push(c);
    const statuses = record(c, 'onDidChangeSyncStatus');
    await call(c, 'signIn', DEMO);
    const status = await call(c, 'syncNow', {});
    expect(changedMidway).toBe(true);
    expect(statuses.some((s) => s.progress?.phase === 'full')).toBe(true);
    expect(status).toMatchObject({ state: 'idle', lastError: null });

    const onPlatform = ((await api.get('/api/v1/users?limit=1000')).body.items as any[]).map((u) => u.id).sort();
    const cached = (await call(c, 'searchUsers', { limit: 500 })).items;
    expect(cached.map((u) => u.id).sort()).toEqual(onPlatform);
    expect(status.userCount).toBe(onPlatform.length);
    expect(cached.find((u) => u.id === deleted.id)).toBeUndefined();
    expect(cached.find((u) => u.id === renamed.id)?.name).toBe('Renomeado Durante A Carga');
  });

  /** Forwards to the platform, passing each users page's `Link` header through `rewrite` (null: dropped). */
  async function startLinkProxy(rewrite: (link: string) => string | null): Promise<{ url: string; asked: string[] }> {
    const target = new URL(platform.url);
    const asked: string[] = [];
    proxy = createServer((req, res) => {
      const isUsersPage = req.method === 'GET' && (req.url ?? '').startsWith('/api/v1/users?');
      if (isUsersPage) asked.push(new URL(req.url!, 'http://x').searchParams.get('since') ?? '');
      forwardTo(target, req, res, (answer) => {
        const link = answer.headers.link;
        if (!isUsersPage || typeof link !== 'string') return false;
        const headers = withoutHopByHop(answer.headers);
        const changed = rewrite(link);
        if (changed === null) delete headers.link;
        else headers.link = changed;
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
        return true;
      });
    });
    await new Promise<void>((ok) => proxy!.listen(0, '127.0.0.1', ok));
    return { url: `http://127.0.0.1:${(proxy!.address() as AddressInfo).port}`, asked };
  }

  it('C2 (issue 10): pages are asked for where each answer\'s Link says, and a platform without links is still paged through (by the parsed cursor)', async () => {
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    const onPlatform = ((await api.get('/api/v1/users?limit=1000')).body.items as any[]).map((u) => u.id).sort();
    for (const rewrite of [(link: string) => link, () => null]) {
      const { url, asked } = await startLinkProxy(rewrite);
      const dir = tempDir();
      try {
        const c = await composeConsole({ dataDir: dir.dir, platformUrl: url, syncPageSize: PAGE });
        consoles.push(c);
        await call(c, 'signIn', DEMO);
        const status = await call(c, 'syncNow', {});
        expect(status).toMatchObject({ state: 'idle', lastError: null, userCount: onPlatform.length });
        expect((await call(c, 'searchUsers', { limit: 500 })).items.map((u) => u.id).sort()).toEqual(onPlatform);
        // Each page once, none twice, none beyond the last.
        expect(asked.length).toBe(Math.ceil(onPlatform.length / PAGE));
        expect(new Set(asked).size).toBe(asked.length);
      } finally {
        await Promise.all(consoles.map((c) => c.dispose()));
        consoles = [];
        proxy?.closeAllConnections();
        await new Promise<void>((ok) => proxy!.close(() => ok()));
        proxy = null;
        dir.cleanup();
      }
    }
  });

  it('C2 (issue 10): a Link that points elsewhere than the page\'s own cursor stops the first sync with an error, and the cache stays marked incomplete', async () => {
    const { url } = await startLinkProxy((link) => link.replace(/since=(\d+)/, (_, n: string) => `since=${Math.max(0, Number(n) - 1)}`));
    const c = await composeConsole({ dataDir: data.dir, platformUrl: url, syncPageSize: PAGE });
    consoles.push(c);
    await call(c, 'signIn', DEMO);
    const status = await call(c, 'syncNow', {});
    expect(status.state).toBe('error');
    expect(status.lastError?.code).toBe('internal_error');
    expect(status.lastSyncAt).toBeNull();
    // The status shows a first sync not finished (the pages before the bad link stay cached).
    expect(status.incomplete).not.toBeNull();
  });

  it('C2 (issue 10): a users page that is not a valid answer stops the first sync (the pages before it stay cached), and the next sync completes it', async () => {
    const target = new URL(platform.url);
    let usersPages = 0;
    let corrupt = true;
    proxy = createServer((req, res) => {
      const isUsersPage = req.method === 'GET' && (req.url ?? '').startsWith('/api/v1/users?');
      if (isUsersPage && ++usersPages === 3 && corrupt) {
        // The parser thread gets a page whose items are not users.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ items: [{ id: 'not-a-user' }], deletedIds: [], cursor: '999', hasMore: true }));
        return;
      }
      forwardTo(target, req, res);
    });
    const c = await signedInBehind(proxy);
    const failed = await call(c, 'syncNow', {});
    expect(failed.state).toBe('error');
    expect(failed.lastError?.code).toBe('internal_error');
    // The two pages before the bad one were committed (a batch a page), and the status says so.
    expect(failed.incomplete).toMatchObject({ cached: 2 * PAGE });
    expect((await call(c, 'searchUsers', { limit: 500 })).total).toBe(2 * PAGE);
    corrupt = false;
    const done = await call(c, 'syncNow', {});
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    const onPlatform = ((await api.get('/api/v1/users?limit=1000')).body.items as any[]).map((u) => u.id).sort();
    expect(done).toMatchObject({ state: 'idle', lastError: null, incomplete: null, userCount: onPlatform.length });
    expect((await call(c, 'searchUsers', { limit: 500 })).items.map((u) => u.id).sort()).toEqual(onPlatform);
  });

  it('C2 (issue 10): a users page the quick check refuses (an unknown key) goes through the schema, loaded then by the parser thread; the pages behind it wait, and all are cached in order, stripped', async () => {
    const target = new URL(platform.url);
    let usersPages = 0;
    proxy = createServer((req, res) => {
      const isUsersPage = req.method === 'GET' && (req.url ?? '').startsWith('/api/v1/users?');
      // The second page: every user with a key the schema does not know (it strips it).
      forwardTo(target, req, res, (answer) => {
        if (!isUsersPage || ++usersPages !== 2) return false;
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const page = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          for (const user of page.items) user.nickname = `nick of ${user.id}`;
          const headers = withoutHopByHop(answer.headers);
          delete headers['content-length'];
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(JSON.stringify(page));
        });
        return true;
      });
    });
    const c = await signedInBehind(proxy);
    const done = await call(c, 'syncNow', {});
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    const onPlatform = (await api.get('/api/v1/users?limit=1000')).body.items as any[];
    expect(usersPages).toBeGreaterThan(3);
    expect(done).toMatchObject({ state: 'idle', lastError: null, incomplete: null, userCount: onPlatform.length });
    // Every user once, as the platform has it: the refused page's users without the unknown key.
    const file = new Database(join(data.dir, CACHE_FILE_NAME), { readonly: true });
    try {
      const cached = (file.prepare('SELECT data FROM users').pluck().all() as string[]).map((d) => JSON.parse(d));
      expect(cached.sort((a, b) => a.id.localeCompare(b.id))).toEqual([...onPlatform].sort((a, b) => a.id.localeCompare(b.id)));
    } finally {
      file.close();
    }
    expect((await call(c, 'searchUsers', { limit: 500 })).items.map((u) => u.id).sort()).toEqual(onPlatform.map((u) => u.id).sort());
  });

  /** Whether the cache file has the users' key index (a fresh fill drops it until its end). */
  function hasUserKey(): boolean {
    const file = new Database(join(data.dir, CACHE_FILE_NAME), { readonly: true });
    try {
      return file.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'users_key'").pluck().get() === 1;
    } finally {
      file.close();
    }
  }

  it('C2 (issue 10): a user saved during the first fill (before the fill reached it) is cached once, with the saved version, and the users\' key index is back at the end', async () => {
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    const all = (await api.get('/api/v1/users?limit=1000')).body.items as any[];
    // A user on the last page of the listing (sequence order): the fill reaches it after the save.
    const late = all.filter((u) => u.profile === 'agent').at(-1);
    const held = await startHoldingProxy(platform.url, (req) => req.method === 'GET' && /^\/api\/v1\/users\?.*since=/.test(req.url ?? ''));
    try {
      const c = await composeConsole({ dataDir: data.dir, platformUrl: held.url, syncPageSize: PAGE, syncFillBatch: PAGE });
      consoles.push(c);
      await call(c, 'signIn', DEMO);
      const sync = call(c, 'syncNow', {});
      await waitFor(() => held.held.length > 0, 10_000, 'the second page held');
      // The first page is written: the fill has dropped the key index.
      await waitFor(() => !hasUserKey(), 10_000, 'the fill started');
      const saved = await call(c, 'saveUser', { id: late.id, baseVersion: late.version, changes: { name: 'Salvo Durante A Carga' }, confirmQueueLogout: true });
      held.release();
      const status = await sync;
      expect(status).toMatchObject({ state: 'idle', lastError: null, userCount: all.length });
      const file = new Database(join(data.dir, CACHE_FILE_NAME), { readonly: true });
      try {
        expect(file.prepare('SELECT count(*) FROM users WHERE id = ?').pluck().get(late.id)).toBe(1);
        expect(file.prepare("SELECT sql FROM sqlite_master WHERE name = 'users_key'").pluck().get()).toMatch(/UNIQUE INDEX/);
      } finally {
        file.close();
      }
      const cached = (await call(c, 'getUser', { id: late.id })).user;
      expect(cached).toMatchObject({ name: 'Salvo Durante A Carga', version: saved.user.version });
      expect((await call(c, 'searchUsers', { limit: 500 })).items.map((u) => u.id).sort()).toEqual(all.map((u) => u.id).sort());
    } finally {
      await held.close();
    }
  });

  it('C2 (issue 10): a user saved while the fill already holds its older copy ends up once, with the saved version, in the file and in the search index', async () => {
    const target = new URL(platform.url);
    let answered: (page: any) => void = () => undefined;
    const heldPage = new Promise<any>((ok) => (answered = ok));
    let release: () => void = () => undefined;
    const released = new Promise<void>((ok) => (release = ok));
    let pages = 0;
    proxy = createServer((req, res) => {
      const isUsersPage = req.method === 'GET' && (req.url ?? '').startsWith('/api/v1/users?');
      if (!isUsersPage || ++pages !== 2) return forwardTo(target, req, res);
      // The second page is fetched now and handed over later, after the save below.
      forwardTo(target, req, res, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          answered(JSON.parse(body.toString('utf8')));
          void released.then(() => {
            res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
            res.end(body);
          });
        });
        return true;
      });
    });
    const c = await signedInBehind(proxy);
    const sync = call(c, 'syncNow', {});
    const page = await heldPage;
    // The writer has started (it dropped the key index to fill the account from zero).
    await waitFor(() => !hasUserKey(), 10_000, 'the fill started');
    const older = (page.items as any[]).find((u) => u.profile === 'agent');
    expect(older).toBeDefined();
    // Saved now: the console writes the new version while the fill has the older copy in hand.
    const saved = await call(c, 'saveUser', { id: older.id, baseVersion: older.version, changes: { name: 'Salvo Antes Da Pagina' }, confirmQueueLogout: true });
    release();
    const status = await sync;
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    const onPlatform = ((await api.get('/api/v1/users?limit=1000')).body.items as any[]).map((u) => u.id).sort();
    expect(status).toMatchObject({ state: 'idle', lastError: null, userCount: onPlatform.length });
    const file = new Database(join(data.dir, CACHE_FILE_NAME), { readonly: true });
    try {
      expect(file.prepare('SELECT count(*) FROM users WHERE id = ?').pluck().get(older.id)).toBe(1);
    } finally {
      file.close();
    }
    expect(hasUserKey()).toBe(true);
    expect((await call(c, 'getUser', { id: older.id })).user).toMatchObject({ name: 'Salvo Antes Da Pagina', version: saved.user.version });
    // Once each in the table, the saved one by its new name.
    const result = await call(c, 'searchUsers', { limit: 500 });
    expect(result.total).toBe(onPlatform.length);
    const listed = result.items;
    expect(listed.map((u) => u.id).sort()).toEqual(onPlatform);
    // Found by its new name, not its old one.
    expect((await call(c, 'searchUsers', { query: 'salvo antes da pagina' })).items.map((u) => u.id)).toEqual([older.id]);
    expect((await call(c, 'searchUsers', { query: older.name })).items.map((u) => u.id)).not.toContain(older.id);
    expect(listed.find((u) => u.id === older.id)?.name).toBe('Salvo Antes Da Pagina');
  });
});

