/* eslint-disable @typescript-eslint/no-explicit-any -- platform JSON read by assertions */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComposedConsole } from '../../../src-main/compose';
import { call, composeConsole, startCuttingProxy, OperationFailed, type CuttingProxy, DEMO_ADMIN } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const DEMO = DEMO_ADMIN;

let platform: TestPlatform;
let data: ReturnType<typeof tempDir>;
let proxy: CuttingProxy | null = null;
let c: ComposedConsole | null = null;
beforeEach(async () => {
  platform = await startTestPlatform();
  data = tempDir();
});
afterEach(async () => {
  await c?.dispose();
  c = null;
  await proxy?.close();
  proxy = null;
  await platform.stop();
  data.cleanup();
});

async function failure(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OperationFailed);
  return (err as OperationFailed).error;
}

describe('console writes', () => {
  it('C1: a save whose connection drops after the platform applied it is retried and yields exactly one change', async () => {
    proxy = await startCuttingProxy(platform.url, (req) => req.method === 'PATCH');
    c = await composeConsole({ dataDir: data.dir, platformUrl: proxy.url });
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const target = (await call(c, 'searchUsers', { query: 'supervisor' })).items[0]!;
    const saved = await call(c, 'saveUser', { id: target.id, baseVersion: target.version, changes: { name: 'Sup Uma Vez' }, confirmQueueLogout: true });
    expect(proxy.cut).toHaveLength(1);
    expect(proxy.forwarded.filter((r) => r.startsWith('PATCH'))).toHaveLength(2);
    expect(saved.user).toMatchObject({ name: 'Sup Uma Vez', version: target.version + 1 });
    // One change on the platform: one version step and one audit entry for the update.
    const token = await signIn(platform.url, 'admin');
    const api = client(platform.url, token);
    expect((await api.get(`/api/v1/users/${target.id}`)).body.user.version).toBe(target.version + 1);
    const audit = (await api.get(`/api/v1/users/${target.id}/audit`)).body.items as any[];
    expect(audit.filter((e) => e.action.includes('update') && JSON.stringify(e.after ?? {}).includes('Sup Uma Vez'))).toHaveLength(1);
    expect((await call(c, 'getUser', { id: target.id })).user.name).toBe('Sup Uma Vez');
  });

  it('R4/C1: a confirmed save of an agent in queues whose answer is lost still reports the queues logged out (the retry replays it)', async () => {
    proxy = await startCuttingProxy(platform.url, (req) => req.method === 'PATCH');
    c = await composeConsole({ dataDir: data.dir, platformUrl: proxy.url });
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const target = (await call(c, 'searchUsers', { query: 'agente19' })).items[0]!;
    const sessions = await call(c, 'getUserQueueSessions', { id: target.id });
    expect(sessions.items.length).toBeGreaterThan(0);
    const saved = await call(c, 'saveUser', { id: target.id, baseVersion: target.version, changes: { webrtcEnabled: true }, confirmQueueLogout: true });
    expect(proxy.cut).toHaveLength(1);
    expect(saved.loggedOutQueues.map((q) => q.queueId).sort()).toEqual(sessions.items.map((s) => s.queueId).sort());
    expect((await call(c, 'getUserQueueSessions', { id: target.id })).items).toEqual([]);
  });

  it('R6/C1: a user creation whose answer is lost is retried with the same Idempotency-Key and creates one user', async () => {
    proxy = await startCuttingProxy(platform.url, (req) => req.method === 'POST' && req.url === '/api/v1/users');
    c = await composeConsole({ dataDir: data.dir, platformUrl: proxy.url });
    await call(c, 'signIn', DEMO);
    const created = await call(c, 'createUser', { name: 'Nova Pessoa', email: 'nova.pessoa@example.com', login: 'nova.pessoa', profile: 'agent' });
    expect(proxy.cut).toEqual(['POST /api/v1/users']);
    const token = await signIn(platform.url, 'admin');
    const matches = ((await client(platform.url, token).get('/api/v1/users?limit=1000&q=nova.pessoa')).body.items as any[]).filter((u) => u.login === 'nova.pessoa');
    expect(matches).toHaveLength(1);
    expect(matches[0].id).toBe(created.user.id);
    // The cache has it at once, before any sync.
    expect((await call(c, 'searchUsers', { query: 'nova pessoa' })).items.map((u) => u.id)).toEqual([created.user.id]);
  });

  it('C2: a stale ETag surfaces as stale_version with the server version and the cached base', async () => {
    c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url });
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const target = (await call(c, 'searchUsers', { query: 'supervisor' })).items[0]!;
    // Someone else edits the user meanwhile.
    const token = await signIn(platform.url, 'admin');
    const other = await client(platform.url, token).patch(`/api/v1/users/${target.id}`, { name: 'Editado Por Outro', confirmQueueLogout: true }, { 'if-match': `"u-${target.id}-${target.version}"` });
    expect(other.status).toBe(200);
    const error = await failure(call(c, 'saveUser', { id: target.id, baseVersion: target.version, changes: { name: 'Minha Edição' }, confirmQueueLogout: true }));
    expect(error.code).toBe('stale_version');
    const details = error.details as { current: any; base: any };
    expect(details.current).toMatchObject({ id: target.id, name: 'Editado Por Outro', version: target.version + 1 });
    expect(details.base).toMatchObject({ id: target.id, version: target.version, name: target.name });
    // Nothing of ours was applied; the cache now holds the server's version.
    expect((await call(c, 'getUser', { id: target.id })).user.name).toBe('Editado Por Outro');
  });

  it('R3/R4: platform rule errors cross with code, field errors and details; nothing changes', async () => {
    c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url });
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const agent = (await call(c, 'searchUsers', { filters: { webrtc: false, profile: 'agent' } })).items[0]!;
    const error = await failure(call(c, 'saveUser', { id: agent.id, baseVersion: agent.version, changes: { omnichannelEnabled: true }, confirmQueueLogout: true }));
    expect(error.code).toBe('webrtc_required');
    expect(error.fieldErrors?.omnichannelEnabled).toBeDefined();
    expect(error.message).toBe('Habilite o WebRTC para habilitar o agente para uso omnichannel.');
    expect((await call(c, 'getUser', { id: agent.id })).user.version).toBe(agent.version);
  });
});
