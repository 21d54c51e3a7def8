/**
 * Issue 9 class 12 / C6: the console's cache belongs to a platform, an account and a person.
 * Issue 11: its local history of synced users belongs to them too. Real platforms on 127.0.0.1, the
 * real `compose()` graph and real SQLite cache files.
 */
import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/auth/secret-store';
import { accountKey } from '../../../src-main/cache/account-key';
import { CACHE_FILE_NAME } from '../../../src-main/cache/console-cache';
import { call, codeOf, composeConsole, DEMO_ADMIN, startHoldingProxy } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { client, findUser, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function platform(): Promise<TestPlatform> {
  const p = await startTestPlatform();
  cleanups.push(() => p.stop());
  return p;
}

function dataFolder(): string {
  const data = tempDir();
  cleanups.push(data.cleanup);
  return data.dir;
}

/** Every byte of the cache's files (database, WAL, shared memory). */
function cacheBytes(dir: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => join(dir, CACHE_FILE_NAME + suffix))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('');
}

const ids = async (p: TestPlatform) => (await p.query<{ id: string }>("SELECT id FROM users WHERE account_id = 'acc-demo'")).map((r) => r.id);
const mode = (file: string) => statSync(file).mode & 0o777;

/** Renames a user on the platform (as another administrator would), returning its new version. */
async function rename(p: TestPlatform, token: string, login: string, name: string): Promise<void> {
  const api = client(p.url, token);
  const user = await findUser(p.url, token, login);
  const result = await api.patch(`/api/v1/users/${user.id}`, { name, confirmQueueLogout: true }, { 'if-match': `"u-${user.id}-${user.version}"` });
  expect(result.status).toBe(200);
}


describe('issue 9 class 12 / C6: the cache belongs to a platform, an account and a person', () => {
  it('issue 9 class 12 / C6: the same account id on another platform never shows the first platform\'s cached users, even before its first sync ends', async () => {
    const [a, b] = [await platform(), await platform()];
    const dir = dataFolder();
    const onA = await composeConsole({ dataDir: dir, platformUrl: a.url });
    await call(onA, 'signIn', DEMO_ADMIN);
    await call(onA, 'syncNow', {});
    await call(onA, 'signOut', {});
    await onA.dispose();

    // Platform B (same demo account id `acc-demo`, other users) answers its user list slowly.
    const slowB = await startHoldingProxy(b.url, (req) => (req.url ?? '').startsWith('/api/v1/users'));
    cleanups.push(() => slowB.close());
    const onB = await composeConsole({ dataDir: dir, platformUrl: slowB.url });
    cleanups.push(() => onB.dispose());
    await call(onB, 'signIn', DEMO_ADMIN);
    const during = await call(onB, 'searchUsers', { limit: 500 });
    const fromA = new Set(await ids(a));
    expect(during.items.filter((u) => fromA.has(u.id))).toEqual([]);
    expect((await call(onB, 'getSession', {})).lastSyncAt).toBeNull();

    slowB.release();
    const synced = await call(onB, 'syncNow', {});
    const after = await call(onB, 'searchUsers', { limit: 500 });
    expect(after.items.map((u) => u.id).sort()).toEqual((await ids(b)).sort());
    expect(synced.userCount).toBe((await ids(b)).length);
  });

  it('issue 9 class 12 / C6: offline, the cache opens only for the person whose session is still stored; after a sign-out it shows nothing', async () => {
    const p = await startTestPlatform();
    cleanups.push(() => rmSync(p.dir, { recursive: true, force: true }));
    const dir = dataFolder();
    const secrets = new MemorySecretStore();
    const first = await composeConsole({ dataDir: dir, platformUrl: p.url, secretStore: secrets });
    await call(first, 'signIn', DEMO_ADMIN);
    const synced = await call(first, 'syncNow', {});
    await first.dispose();
    const someone = (await ids(p))[0]!;
    await p.close(); // the platform is unreachable from now on

    // Still signed in (never signed out): the cache opens for that person.
    const stored = await composeConsole({ dataDir: dir, platformUrl: p.url, secretStore: secrets, retryBackoffMs: 1 });
    expect(await call(stored, 'getSession', {})).toMatchObject({ status: 'offline', user: { login: 'admin' } });
    expect((await call(stored, 'searchUsers', { limit: 500 })).total).toBe(synced.userCount);
    await call(stored, 'signOut', {});
    await stored.dispose();

    // Signed out: the next start, still offline, shows nothing of anyone.
    const afterSignOut = await composeConsole({ dataDir: dir, platformUrl: p.url, secretStore: secrets, retryBackoffMs: 1 });
    cleanups.push(() => afterSignOut.dispose());
    expect(await call(afterSignOut, 'getSession', {})).toMatchObject({ status: 'signedOut', user: null, account: null, lastSyncAt: null });
    expect(await codeOf(afterSignOut, 'searchUsers', {})).toBe('not_signed_in');
    expect(await codeOf(afterSignOut, 'getUser', { id: someone })).toBe('not_signed_in');
    expect(await codeOf(afterSignOut, 'listQueues', {})).toBe('not_signed_in');
    expect(await call(afterSignOut, 'getSyncStatus', {})).toMatchObject({ userCount: 0, lastSyncAt: null });
  });

  it('issue 9 class 12 / C6: sign-out with removal leaves no byte of this account\'s data in the cache files, and keeps other accounts\' data', async () => {
    const [a, b] = [await platform(), await platform()];
    const dir = dataFolder();
    const onA = await composeConsole({ dataDir: dir, platformUrl: a.url });
    await call(onA, 'signIn', DEMO_ADMIN);
    await call(onA, 'syncNow', {});
    await call(onA, 'signOut', { removeCachedData: false });
    await onA.dispose();

    const onB = await composeConsole({ dataDir: dir, platformUrl: b.url });
    await call(onB, 'signIn', DEMO_ADMIN);
    await call(onB, 'syncNow', {});
    const idsOfB = await ids(b);
    expect(idsOfB.some((id) => cacheBytes(dir).includes(id))).toBe(true);
    await call(onB, 'signOut', { removeCachedData: true });
    await onB.dispose();

    const bytes = cacheBytes(dir);
    expect(idsOfB.filter((id) => bytes.includes(id))).toEqual([]);
    expect(bytes.includes(new URL(b.url).origin)).toBe(false);
    // Platform A's account is still there, untouched.
    const db = new Database(join(dir, CACHE_FILE_NAME), { readonly: true });
    try {
      const keys = db.prepare('SELECT DISTINCT account_id FROM users').pluck().all();
      expect(keys).toEqual([accountKey(new URL(a.url).origin, 'acc-demo')]);
      expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe((await ids(a)).length);
    } finally {
      db.close();
    }
  });

  it('issue 9 class 12 / C6: cache files are owner-only (0600, folder 0700), also when an older console left them readable', async () => {
    const p = await platform();
    const dir = join(dataFolder(), 'profile');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, CACHE_FILE_NAME), '', { mode: 0o644 });
    chmodSync(join(dir, CACHE_FILE_NAME), 0o644);
    const c = await composeConsole({ dataDir: dir, platformUrl: p.url });
    cleanups.push(() => c.dispose());
    await call(c, 'signIn', DEMO_ADMIN);
    await call(c, 'syncNow', {});
    expect(mode(dir)).toBe(0o700);
    for (const suffix of ['', '-wal', '-shm']) expect([suffix, mode(join(dir, CACHE_FILE_NAME + suffix))]).toEqual([suffix, 0o600]);
  });

  it('issue 9 class 12 / C6: a corrupt cache is set aside owner-only, and at most one corrupt copy is kept', async () => {
    const dir = dataFolder();
    let clock = 1_700_000_000_000;
    for (let round = 0; round < 3; round += 1) {
      writeFileSync(join(dir, CACHE_FILE_NAME), Buffer.from(`not a database, round ${round} `.repeat(300)), { mode: 0o644 });
      chmodSync(join(dir, CACHE_FILE_NAME), 0o644);
      const c = await composeConsole({ dataDir: dir, platformUrl: 'http://127.0.0.1:1', retryBackoffMs: 1, now: () => new Date((clock += 1000)) });
      await c.dispose();
    }
    const copies = readdirSync(dir).filter((f) => f.startsWith(`${CACHE_FILE_NAME}.corrupt-`));
    expect(copies).toHaveLength(1);
    expect(readFileSync(join(dir, copies[0]!), 'utf8')).toContain('round 2');
    expect(mode(join(dir, copies[0]!))).toBe(0o600);
  });

  it('issue 11 / C6: local history keeps each synced version, answers offline, is per account and leaves with the account\'s data', async () => {
    const [a, b] = [await platform(), await platform()];
    const token = await signIn(a.url, 'admin');
    const agent = await findUser(a.url, token, 'agente01');
    const dir = dataFolder();
    const onA = await composeConsole({ dataDir: dir, platformUrl: a.url });
    await call(onA, 'signIn', DEMO_ADMIN);
    await call(onA, 'syncNow', {});
    await rename(a, token, 'agente01', 'Nome Intermediario Zq');
    await call(onA, 'syncNow', {});
    await rename(a, token, 'agente01', 'Nome Final Zq');
    await call(onA, 'syncNow', {});

    const { items } = await call(onA, 'getUserLocalHistory', { id: agent.id });
    expect(items.map((v) => [v.version, v.user.name])).toEqual([
      [agent.version + 2, 'Nome Final Zq'],
      [agent.version + 1, 'Nome Intermediario Zq'],
      [agent.version, agent.name],
    ]);

    await call(onA, 'signOut', { removeCachedData: false });
    expect(await codeOf(onA, 'getUserLocalHistory', { id: agent.id })).toBe('not_signed_in');
    await onA.dispose();

    // C6: the same account id on another platform sees none of it.
    const onB = await composeConsole({ dataDir: dir, platformUrl: b.url });
    await call(onB, 'signIn', DEMO_ADMIN);
    await call(onB, 'syncNow', {});
    const other = await call(onB, 'getUserLocalHistory', { id: agent.id });
    expect(other.items.map((v) => v.user.name)).not.toContain('Nome Intermediario Zq');
    await call(onB, 'signOut', { removeCachedData: false });
    await onB.dispose();

    // Back on A: the history was kept on disk; offline, the platform's audit cannot be read and the
    // local history still answers.
    const again = await composeConsole({ dataDir: dir, platformUrl: a.url });
    cleanups.push(() => again.dispose());
    await call(again, 'signIn', DEMO_ADMIN);
    await a.stop();
    expect(['network_error', 'timeout']).toContain(await codeOf(again, 'getUserAudit', { id: agent.id }));
    expect((await call(again, 'getUserLocalHistory', { id: agent.id })).items.map((v) => v.user.name)).toEqual(['Nome Final Zq', 'Nome Intermediario Zq', agent.name]);

    // Removal with the account's cached data leaves no byte of its history.
    expect(cacheBytes(dir)).toContain('Nome Intermediario Zq');
    await call(again, 'signOut', { removeCachedData: true });
    expect(cacheBytes(dir)).not.toContain('Nome Intermediario Zq');
  });
});
