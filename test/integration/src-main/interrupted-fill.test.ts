/**
 * Issue 16 item 2: a first full sync killed with SIGKILL (a console in a child process, a real
 * platform, real SQLite files) says so after a restart, offline included, and resumes from its
 * last committed page; a platform that refuses the old cursor makes it start from zero.
 *
 * A gate in front of the platform hands out `GET /users` pages one permit at a time, so each kill
 * lands at a known point (no timing: the child waits on the gate while the test kills it).
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AesFileSecretStore } from '../../../src-main/auth/secret-store';
import { CACHE_FILE_NAME, ConsoleCache } from '../../../src-main/cache/console-cache';
import type { ComposedConsole } from '../../../src-main/compose';
import { generateUsers } from '../../../src-platform';
import type { SyncStatus } from '../../../src-shared/ipc-contract';
import { call, composeConsole, forwardTo, waitFor, DEMO_ADMIN } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { http, startTestPlatform, type TestPlatform } from '../../support/platform';

const PAGE = 50;
const BATCH = 200;
const ACCOUNT_USERS = 600;
const ROOT = join(import.meta.dirname, '..', '..', '..');

/** A proxy with gates: users pages by permit, the catalog held, or the platform unreachable. */
interface Gate {
  url: string;
  /** Request lines that reached the platform (method and path with query). */
  forwarded: string[];
  /** Permits for more `GET /users` answers (Infinity: all). */
  permits: number;
  holdCatalog: boolean;
  /** Every connection dropped (the platform unreachable). */
  offline: boolean;
  /** Answers the next `GET /users?since=…` with 410 (the platform no longer accepts that cursor). */
  refuseCursorOnce: boolean;
  release(): void;
  close(): Promise<void>;
}

async function startGate(target: string): Promise<Gate> {
  const upstream = new URL(target);
  /** Requests held by a gate: each retries on `release()` and says whether it went through. */
  let waiting: Array<() => boolean> = [];
  const server: Server = createServer((req, res) => {
    if (gate.offline) {
      req.socket.destroy();
      return;
    }
    const forward = () => {
      if (req.socket.destroyed) return; // the child was killed while its request was held
      if (gate.offline) {
        req.socket.destroy();
        return;
      }
      gate.forwarded.push(`${req.method} ${req.url}`);
      forwardTo(upstream, req, res);
    };
    const path = req.url ?? '';
    if (req.method === 'GET' && path.startsWith('/api/v1/users?')) {
      if (gate.refuseCursorOnce && path.includes('since=')) {
        gate.refuseCursorOnce = false;
        gate.forwarded.push(`${req.method} ${path} -> 410`);
        res.writeHead(410, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'not_found', message: 'cursor expired' } }));
        return;
      }
      const go = () => {
        if (req.socket.destroyed) return true;
        if (gate.permits <= 0) return false;
        gate.permits--;
        forward();
        return true;
      };
      if (!go()) waiting.push(go);
      return;
    }
    if (req.method === 'GET' && (path.startsWith('/api/v1/queues') || path.startsWith('/api/v1/extensions')) && gate.holdCatalog) {
      waiting.push(() => {
        if (gate.holdCatalog) return false;
        forward();
        return true;
      });
      return;
    }
    forward();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const gate: Gate = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded: [],
    permits: Infinity,
    holdCatalog: false,
    offline: false,
    refuseCursorOnce: false,
    release() {
      waiting = waiting.filter((w) => !w());
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
  return gate;
}

/** The console in a child process; `last` is its latest sync status. */
function startChild(gateUrl: string, dataDir: string, keyHex: string): { child: ChildProcess; statuses: SyncStatus[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'support', 'fill-child.ts'), gateUrl, dataDir, keyHex, String(PAGE), String(BATCH)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const statuses: SyncStatus[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => statuses.push(JSON.parse(line) as SyncStatus));
  return { child, statuses };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGKILL');
  await exited;
}

let platform: TestPlatform;
let adminToken: string;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  await generateUsers(platform.dbFile, 'demo', ACCOUNT_USERS);
  adminToken = (await http(platform.url, 'POST', '/api/v1/auth/login', { body: DEMO_ADMIN })).body.token as string;
});
afterAll(async () => {
  await platform.stop();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Every user id of the demo account on the platform. */
async function platformIds(): Promise<string[]> {
  const rows = await platform.query<{ id: string }>(`SELECT u.id FROM users u JOIN accounts a ON a.id = u.account_id WHERE a.slug = 'demo' ORDER BY u.id`);
  return rows.map((r) => r.id);
}

/** What the cache file holds for the account, read with a connection of our own. */
function inFile(dataDir: string) {
  const cache = new ConsoleCache(dataDir);
  const db = new Database(join(dataDir, CACHE_FILE_NAME), { readonly: true });
  try {
    // The signed-in account (stored at sign-in, before any sync).
    const accountId = db.prepare('SELECT id FROM accounts').pluck().get() as string;
    const ids = db.prepare('SELECT id FROM users WHERE account_id = ? ORDER BY id').pluck().all(accountId) as string[];
    return { accountId, ids, fill: cache.getFillState(accountId), check: db.pragma('integrity_check', { simple: true }) };
  } finally {
    db.close();
    cache.close();
  }
}

interface Setup {
  gate: Gate;
  dataDir: string;
  keyHex: string;
  total: number;
}

async function setup(): Promise<Setup> {
  const gate = await startGate(platform.url);
  cleanups.push(() => gate.close());
  const data = tempDir();
  cleanups.push(data.cleanup);
  return { gate, dataDir: data.dir, keyHex: randomBytes(32).toString('hex'), total: (await platformIds()).length };
}

/** A console in this process over the same files (restored session), through the gate. */
async function restart(s: Setup): Promise<ComposedConsole> {
  const c = await composeConsole({
    dataDir: s.dataDir,
    platformUrl: s.gate.url,
    secretStore: new AesFileSecretStore(join(s.dataDir, 'secrets'), Buffer.from(s.keyHex, 'hex')),
    syncPageSize: PAGE,
    syncFillBatch: BATCH,
  });
  cleanups.push(() => c.dispose());
  return c;
}

const usersRequests = (gate: Gate) => gate.forwarded.filter((r) => r.startsWith('GET /api/v1/users?'));

// Each test starts a console in a child process under tsx (slow to start on a loaded machine).
describe('issue 16.2: an interrupted first sync says so and resumes', { timeout: 180_000 }, () => {
  it('C2: killed after two committed batches, it shows the partial cache as incomplete offline, then resumes from its last committed page with the changes made meanwhile', async () => {
    const s = await setup();
    s.gate.permits = 9; // 450 users: two batches of 200 committed, 50 more written but not committed
    const { child, statuses } = startChild(s.gate.url, s.dataDir, s.keyHex);
    cleanups.push(() => void child.kill('SIGKILL'));
    await waitFor(() => statuses.some((st) => st.userCount === 2 * BATCH && (st.progress?.done ?? 0) >= 9 * PAGE), 60_000, 'two committed batches');
    await kill(child);

    const killed = inFile(s.dataDir);
    expect(killed.check).toBe('ok');
    expect(killed.ids).toHaveLength(2 * BATCH);
    expect(killed.fill).toMatchObject({ cursor: expect.any(String), total: s.total, startedAt: expect.any(String) });

    // Offline: the partial cache is shown, and said to be partial (how much, since when).
    s.gate.offline = true;
    const offline = await restart(s);
    expect((await call(offline, 'getSession', {})).status).toBe('offline');
    const status = await call(offline, 'getSyncStatus', {});
    expect(status).toMatchObject({ online: false, lastSyncAt: null, userCount: 2 * BATCH, incomplete: { since: killed.fill!.startedAt, cached: 2 * BATCH, total: s.total } });
    expect((await call(offline, 'searchUsers', { limit: 500 })).total).toBe(2 * BATCH);
    await offline.dispose();

    // Meanwhile on the platform: a cached user is deleted, another renamed, one created.
    const [gone, renamed] = killed.ids;
    expect((await http(platform.url, 'DELETE', `/api/v1/users/${gone}`, { token: adminToken })).status).toBeLessThan(300);
    const current = await http(platform.url, 'GET', `/api/v1/users/${renamed}`, { token: adminToken });
    const patched = await http(platform.url, 'PATCH', `/api/v1/users/${renamed}`, {
      token: adminToken,
      body: { name: 'Renomeado Depois Da Queda' },
      headers: { 'if-match': current.headers.get('etag')!, 'idempotency-key': randomBytes(8).toString('hex') },
    });
    expect(patched.status).toBe(200);
    const created = await http(platform.url, 'POST', '/api/v1/users', {
      token: adminToken,
      body: { name: 'Criado Depois Da Queda', email: 'depois.da.queda@demo.example', login: 'depoisdaqueda', profile: 'agent' },
      headers: { 'idempotency-key': randomBytes(8).toString('hex') },
    });
    expect(created.status).toBe(201);

    // Online again: the sync resumes from the committed cursor, not from zero.
    s.gate.offline = false;
    s.gate.permits = Infinity;
    s.gate.forwarded.length = 0;
    const online = await restart(s);
    const done = await waitFor(async () => {
      const st = await call(online, 'getSyncStatus', {});
      return st.state === 'idle' && st.lastSyncAt !== null ? st : null;
    }, 60_000, 'the resumed sync');
    expect(usersRequests(s.gate)[0]).toContain(`since=${killed.fill!.cursor}`);
    expect(done!.incomplete).toBeNull();
    const after = inFile(s.dataDir);
    expect(after.fill).toBeNull();
    expect(after.ids).toEqual(await platformIds());
    expect(after.ids).not.toContain(gone);
    expect((await call(online, 'searchUsers', { query: 'renomeado depois' })).items.map((u) => u.id)).toEqual([renamed]);
    expect((await call(online, 'searchUsers', { query: 'criado depois' })).total).toBe(1);
    expect(done!.userCount).toBe((await platformIds()).length);
  });

  it('C2: killed before its first commit, it says incomplete with nothing cached and starts from zero', async () => {
    const s = await setup();
    s.gate.permits = 2; // 100 users written, no batch committed
    const { child, statuses } = startChild(s.gate.url, s.dataDir, s.keyHex);
    cleanups.push(() => void child.kill('SIGKILL'));
    await waitFor(() => statuses.some((st) => (st.progress?.done ?? 0) >= 2 * PAGE), 60_000, 'two pages parsed');
    await kill(child);
    const killed = inFile(s.dataDir);
    expect(killed.ids).toHaveLength(0);
    expect(killed.fill).toMatchObject({ cursor: null });

    s.gate.offline = true;
    const offline = await restart(s);
    expect(await call(offline, 'getSyncStatus', {})).toMatchObject({ userCount: 0, incomplete: { cached: 0, since: killed.fill!.startedAt } });
    await offline.dispose();

    s.gate.offline = false;
    s.gate.permits = Infinity;
    s.gate.forwarded.length = 0;
    const online = await restart(s);
    await waitFor(async () => (await call(online, 'getSyncStatus', {})).lastSyncAt, 60_000, 'the sync');
    expect(usersRequests(s.gate)[0]).not.toContain('since=');
    expect(inFile(s.dataDir).ids).toEqual(await platformIds());
  });

  it('C2: killed after its last commit but before the sync completed, it resumes at the end and completes', async () => {
    const s = await setup();
    s.gate.holdCatalog = true; // the sync's last step waits for queues and extensions
    const { child, statuses } = startChild(s.gate.url, s.dataDir, s.keyHex);
    cleanups.push(() => void child.kill('SIGKILL'));
    // (A user changed during the listing is listed twice: `done` can pass the total.)
    await waitFor(() => statuses.some((st) => st.userCount === s.total && (st.progress?.done ?? 0) >= s.total), 60_000, 'every user committed');
    await kill(child);
    const killed = inFile(s.dataDir);
    expect(killed.ids).toEqual(await platformIds());
    expect(killed.fill?.cursor).toEqual(expect.any(String));

    s.gate.holdCatalog = false;
    s.gate.release();
    s.gate.forwarded.length = 0;
    const online = await restart(s);
    const done = await waitFor(async () => {
      const st = await call(online, 'getSyncStatus', {});
      return st.lastSyncAt ? st : null;
    }, 60_000, 'the resumed sync');
    expect(usersRequests(s.gate)).toEqual([expect.stringContaining(`since=${killed.fill!.cursor}`)]);
    expect(done).toMatchObject({ incomplete: null, userCount: s.total });
  });

  it('C6: signing out with "remove this account\'s data" during the first fill stops its writer first, so the removal succeeds and nothing of the account is left', async () => {
    const s = await setup();
    s.gate.permits = BATCH / PAGE + 1; // one batch committed, the next one open in the writer's transaction
    const c = await composeConsole({ dataDir: s.dataDir, platformUrl: s.gate.url, syncPageSize: PAGE, syncFillBatch: BATCH });
    cleanups.push(() => c.dispose());
    await call(c, 'signIn', DEMO_ADMIN);
    await waitFor(async () => (await call(c, 'getSyncStatus', {})).userCount === BATCH, 60_000, 'one committed batch');
    await waitFor(() => usersRequests(s.gate).length === BATCH / PAGE + 1, 60_000, 'the next page written into the open batch');
    await call(c, 'signOut', { removeCachedData: true });
    // Pages arriving after the sign-out write nothing.
    s.gate.permits = Infinity;
    s.gate.release();
    const db = new Database(join(s.dataDir, CACHE_FILE_NAME), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });

  it('C2: when the platform no longer accepts the committed cursor, the sync starts over from zero and ends complete', async () => {
    const s = await setup();
    s.gate.permits = 5; // one batch committed
    const { child, statuses } = startChild(s.gate.url, s.dataDir, s.keyHex);
    cleanups.push(() => void child.kill('SIGKILL'));
    await waitFor(() => statuses.some((st) => st.userCount === BATCH), 60_000, 'one committed batch');
    await kill(child);
    expect(inFile(s.dataDir).ids).toHaveLength(BATCH);

    s.gate.permits = Infinity;
    s.gate.release();
    s.gate.refuseCursorOnce = true;
    s.gate.forwarded.length = 0;
    const online = await restart(s);
    const done = await waitFor(async () => {
      const st = await call(online, 'getSyncStatus', {});
      return st.lastSyncAt ? st : null;
    }, 60_000, 'the restarted sync');
    const requests = usersRequests(s.gate);
    expect(requests[0]).toMatch(/since=.*-> 410$/);
    expect(requests[1]).not.toContain('since=');
    expect(done).toMatchObject({ incomplete: null, userCount: s.total, lastError: null });
    expect(inFile(s.dataDir).ids).toEqual(await platformIds());
  });
});
