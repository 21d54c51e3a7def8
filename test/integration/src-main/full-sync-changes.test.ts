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
import { call, composeConsole, forwardTo, record, DEMO_ADMIN } from '../../support/console-harness';
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
});
