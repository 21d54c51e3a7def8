import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/auth/secret-store';
import type { ComposedConsole } from '../../../src-main/compose';
import { startPlatform } from '../../../src-platform/index';
import { call, codeOf, composeConsole, record, waitFor, DEMO_ADMIN } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { startTestPlatform, type TestPlatform } from '../../support/platform';

const DEMO = DEMO_ADMIN;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('C1 offline review', () => {
  it('C1: with the platform stopped the console opens from the cache for the last account, says offline and since when, refuses writes, and reconnects by itself', async () => {
    const platform: TestPlatform = await startTestPlatform();
    let platformStopped = false;
    cleanups.push(async () => {
      if (!platformStopped) await platform.stop();
      else rmSync(platform.dir, { recursive: true, force: true });
    });
    const data = tempDir();
    cleanups.push(data.cleanup);
    const secrets = new MemorySecretStore();
    const online = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    await call(online, 'signIn', DEMO);
    const synced = await call(online, 'syncNow', {});
    const target = (await call(online, 'searchUsers', { query: 'supervisor' })).items[0]!;
    await online.dispose();

    // The platform goes away (its data file stays).
    const port = Number(new URL(platform.url).port);
    await platform.close();
    platformStopped = true;

    const offline: ComposedConsole = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    cleanups.push(() => offline.dispose());
    const connection = record(offline, 'onDidChangeConnection');
    const session = await call(offline, 'getSession', {});
    expect(session).toMatchObject({ status: 'offline', online: false, user: { login: 'admin' }, account: { slug: 'demo' }, lastSyncAt: synced.lastSyncAt });
    expect(session.offlineSince).toEqual(expect.any(String));
    // Reads come from the cache.
    const list = await call(offline, 'searchUsers', { limit: 500 });
    expect(list.total).toBe(synced.userCount);
    const cached = await call(offline, 'getUser', { id: target.id });
    expect(cached).toMatchObject({ stale: true, user: { id: target.id, readiness: expect.any(Object) } });
    expect((await call(offline, 'getSyncStatus', {})).online).toBe(false);
    // Every write is refused with `offline` and changes nothing.
    expect(await codeOf(offline, 'saveUser', { id: target.id, baseVersion: target.version, changes: { name: 'Nope' }, confirmQueueLogout: true })).toBe('offline');
    expect(await codeOf(offline, 'createUser', { name: 'N', email: 'n@x.io', login: 'nnn', profile: 'agent' })).toBe('offline');
    expect(await codeOf(offline, 'resetPassword', { id: target.id })).toBe('offline');
    expect(await codeOf(offline, 'createQueue', { kind: 'voice', name: 'Q' })).toBe('offline');
    expect((await call(offline, 'syncNow', {})).lastError?.code).toBe('offline');

    // The platform comes back on the same address: the console notices and goes online alone.
    const back = await startPlatform({ dbFile: platform.dbFile, port, demo: true, argon2: { memoryCost: 4096, timeCost: 1 } });
    cleanups.push(() => back.close());
    await waitFor(() => connection.some((e) => e.online), 10_000, 'reconnect event');
    await waitFor(async () => (await call(offline, 'getSession', {})).status === 'signedIn', 10_000, 'signed in again');
    const saved = await call(offline, 'saveUser', { id: target.id, baseVersion: target.version, changes: { name: 'Supervisor Renomeado' }, confirmQueueLogout: true });
    expect(saved.user).toMatchObject({ name: 'Supervisor Renomeado', version: target.version + 1 });
    expect((await call(offline, 'getSession', {})).offlineSince).toBeNull();
  });

  it('C1: when the platform stops while the console runs, it goes offline on the next request, keeps reading from the cache, and comes back alone', async () => {
    const platform: TestPlatform = await startTestPlatform();
    cleanups.push(() => rmSync(platform.dir, { recursive: true, force: true }));
    const data = tempDir();
    cleanups.push(data.cleanup);
    const c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url });
    cleanups.push(() => c.dispose());
    await call(c, 'signIn', DEMO);
    const synced = await call(c, 'syncNow', {});
    const connection = record(c, 'onDidChangeConnection');
    const port = Number(new URL(platform.url).port);
    await platform.close();
    const status = await call(c, 'syncNow', {});
    expect(status).toMatchObject({ state: 'error', online: false, lastError: { code: 'offline' }, lastSyncAt: synced.lastSyncAt });
    expect(connection).toEqual([{ online: false, offlineSince: expect.any(String) }]);
    expect((await call(c, 'getSession', {})).status).toBe('offline');
    expect((await call(c, 'searchUsers', {})).total).toBe(synced.userCount);
    expect(await codeOf(c, 'releaseExtension', { userId: 'any' })).toBe('offline');
    const back = await startPlatform({ dbFile: platform.dbFile, port, demo: true, argon2: { memoryCost: 4096, timeCost: 1 } });
    cleanups.push(() => back.close());
    await waitFor(() => connection.some((e) => e.online), 10_000, 'reconnect');
    await waitFor(async () => (await call(c, 'getSyncStatus', {})).state === 'idle', 10_000, 'sync after reconnect');
    expect((await call(c, 'getSession', {})).status).toBe('signedIn');
  });

  it('C1: a platform that goes away is noticed within 5 s with no request at all (heartbeat), and back within 5 s', async () => {
    const platform: TestPlatform = await startTestPlatform();
    cleanups.push(() => rmSync(platform.dir, { recursive: true, force: true }));
    const data = tempDir();
    cleanups.push(data.cleanup);
    // The default heartbeat (2 s); the offline probe period is the harness's.
    const c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url });
    cleanups.push(() => c.dispose());
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {}); // the first sync is over: no request is in flight
    const connection = record(c, 'onDidChangeConnection');
    const port = Number(new URL(platform.url).port);
    await platform.close();
    // Nobody calls anything: the console finds out by itself (a behavioural bound, not a benchmark).
    await waitFor(() => connection.some((e) => !e.online), 5_000, 'offline noticed by the heartbeat');
    const back = await startPlatform({ dbFile: platform.dbFile, port, demo: true, argon2: { memoryCost: 4096, timeCost: 1 } });
    cleanups.push(() => back.close());
    await waitFor(() => connection.some((e) => e.online), 5_000, 'back online');
  });

  it('C1: a reload (getSession) re-checks the platform at once instead of trusting the last answer', async () => {
    const platform: TestPlatform = await startTestPlatform();
    cleanups.push(() => rmSync(platform.dir, { recursive: true, force: true }));
    const data = tempDir();
    cleanups.push(data.cleanup);
    // No heartbeat and no request: only getSession can find out.
    const c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, heartbeatIntervalMs: 0 });
    cleanups.push(() => c.dispose());
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    await platform.close();
    expect(await call(c, 'getSession', {})).toMatchObject({ status: 'offline', online: false, offlineSince: expect.any(String) });
  });

  it('C1: with no cached session and no platform the console opens signed out and offline; sign-in says the platform is unreachable', async () => {
    const data = tempDir();
    cleanups.push(data.cleanup);
    const c = await composeConsole({ dataDir: data.dir, platformUrl: 'http://127.0.0.1:1', retryBackoffMs: 1 });
    cleanups.push(() => c.dispose());
    expect(await call(c, 'getSession', {})).toMatchObject({ status: 'signedOut', online: false });
    expect(await codeOf(c, 'signIn', DEMO)).toBe('network_error');
  });
});
