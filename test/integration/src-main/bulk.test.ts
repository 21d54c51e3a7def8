import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposedConsole } from '../../../src-main/compose';
import { TRUSTED_SENDER, call, codeOf, composeConsole, record, type CuttingProxy } from '../../support/console-harness';
import { startSignedInConsole, type SignedInConsole } from '../../support/signed-in-console';
import { tempDir } from '../../support/console-fixtures';
import { client, signIn, type TestPlatform } from '../../support/platform';
import { DEMO_ACCOUNT_SLUG, DEMO_PASSWORD } from '../../../src-platform';

/** Issue 11 (C7): bulk actions through main: the platform's dry run as the preview, then one confirmed batch. */
describe('bulk actions through main (issue 11, C7: R2, R3, R4, R8)', () => {
  let platform: TestPlatform;
  let proxy: CuttingProxy;
  let setup: SignedInConsole;
  let c: ComposedConsole;
  const idsOf = async (...logins: string[]) => {
    const ids: Record<string, { id: string; version: number }> = {};
    for (const login of logins) {
      const row = (await call(c, 'searchUsers', { query: login })).items.find((u) => u.login === login)!;
      ids[login] = { id: row.id, version: row.version };
    }
    return ids;
  };

  beforeAll(async () => {
    setup = await startSignedInConsole();
    ({ platform, proxy, c } = setup);
  });
  afterAll(() => setup.close());

  it('C7/R4/R8: the preview is the platform\'s dry run: who changes, who is refused and why, who is logged out of which queues; nothing changes', async () => {
    const queues = (await call(c, 'listQueues', {})).items;
    const whatsapp = queues.find((q) => q.name === 'WhatsApp Atendimento')!;
    const u = await idsOf('agente01', 'agente02', 'agente05');
    const { items } = await call(c, 'previewBulk', { target: { ids: [u.agente01!.id, u.agente02!.id, u.agente05!.id] }, action: { kind: 'addQueues', queueIds: [whatsapp.id] } });
    const by = Object.fromEntries(items.map((i) => [i.login, i]));
    expect(by.agente01).toMatchObject({ status: 'change', changes: [{ field: 'chatQueueIds' }] });
    expect(by.agente01!.logsOutOf.map((q) => q.queueName).sort()).toEqual(['Chat do Site', 'Suporte Técnico']);
    expect(by.agente02).toMatchObject({ status: 'refused', error: { code: 'chat_queue_requires_omnichannel' }, logsOutOf: [] });
    expect(by.agente05).toMatchObject({ status: 'change', logsOutOf: [] });
    // A dry run: nothing changed on the platform.
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    expect((await api.get(`/api/v1/users/${u.agente01!.id}`)).body.user.version).toBe(u.agente01!.version);
    expect((await api.get(`/api/v1/users/${u.agente01!.id}/queue-sessions`)).body.items).toHaveLength(2);
  });

  it('C7: apply sends one batch with the previewed versions, writes the answers to the cache and emits one change; a user changed since the preview is a conflict', async () => {
    const u = await idsOf('agente12', 'agente22');
    const api = client(platform.url, await signIn(platform.url, 'admin'));
    // agente22 changes on the platform after the preview.
    const fresh = (await api.get(`/api/v1/users/${u.agente22!.id}`)).body.user;
    await api.patch(`/api/v1/users/${fresh.id}`, { name: 'Mudou Antes' }, { 'if-match': `"u-${fresh.id}-${fresh.version}"` });
    const changes = record(c, 'onDidChangeData');
    const before = proxy.forwarded.length;
    const { results } = await call(c, 'applyBulk', { action: { kind: 'enableOmnichannel' }, users: [u.agente12!, u.agente22!], confirmQueueLogout: true });
    expect(results.map((r) => [r.status, r.changed])).toEqual([
      ['ok', true],
      ['conflict', false],
    ]);
    // (The connection monitor's heartbeat may probe meanwhile: not a write.)
    expect(proxy.forwarded.slice(before).filter((l) => !l.startsWith('GET /api/v1/auth/providers'))).toEqual(['POST /api/v1/users/batch']);
    expect(changes).toEqual([{ kinds: ['users'] }]);
    const cached = (await call(c, 'searchUsers', { query: 'agente12' })).items[0]!;
    expect(cached).toMatchObject({ webrtcEnabled: true, omnichannelEnabled: true, version: u.agente12!.version + 1 });
    // The conflict's current version went to the cache, so a retry previews against it.
    expect((await call(c, 'searchUsers', { query: 'agente22' })).items[0]!.name).toBe('Mudou Antes');
  });

  it('C7: "select all N matching this filter" previews every matching user, not just the loaded rows', async () => {
    const matching = await call(c, 'searchUsers', { query: '', filters: { omnichannel: false, profile: 'agent' }, limit: 1 });
    const { items } = await call(c, 'previewBulk', { target: { matching: { query: '', filters: { omnichannel: false, profile: 'agent' } } }, action: { kind: 'assignFreeExtension' } });
    expect(items.length).toBe(matching.total);
  });

  it('R2: a supervisor\'s bulk preview and apply are refused in main (forbidden) before anything is sent; bad input is refused by the contract', async () => {
    const supData = tempDir();
    const sup = await composeConsole({ dataDir: supData.dir, platformUrl: platform.url });
    try {
      await call(sup, 'signIn', { account: DEMO_ACCOUNT_SLUG, login: 'supervisor', password: DEMO_PASSWORD });
      await call(sup, 'syncNow', {});
      const row = (await call(sup, 'searchUsers', { query: 'agente03' })).items[0]!;
      expect(await codeOf(sup, 'previewBulk', { target: { ids: [row.id] }, action: { kind: 'enableOmnichannel' } })).toBe('forbidden');
      expect(await codeOf(sup, 'applyBulk', { action: { kind: 'sendPasswordReset' }, users: [{ id: row.id, version: row.version }], confirmQueueLogout: false })).toBe('forbidden');
    } finally {
      await sup.dispose();
      supData.cleanup();
    }
    const bad = await c.router.handle(TRUSTED_SENDER, 'applyBulk', { action: { kind: 'deleteEveryone' }, users: [], confirmQueueLogout: true });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('validation_failed');
    const tooMany = await c.router.handle(TRUSTED_SENDER, 'applyBulk', { action: { kind: 'enableOmnichannel' }, users: Array.from({ length: 501 }, (_, i) => ({ id: `u${i}`, version: 1 })), confirmQueueLogout: true });
    expect(tooMany.ok ? 'ok' : tooMany.error.code).toBe('validation_failed');
  });
});
