/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_MAX_ITEMS, BatchResponseSchema, userEtag } from '../../../src-shared/platform-api';
import { generateUsers } from '../../../src-platform';
import { client, findUser, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

/** Issue 11 (C7): `POST /users/batch`, each item on the rules of the single-user routes. */
describe('users batch (issue 11, C7: R2, R3, R4, R6, R8, R10, R11 per item)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let adminToken: string;
  const batch = (items: unknown[], headers?: Record<string, string>, as = admin) => as.post('/api/v1/users/batch', { items }, headers);
  const get = async (id: string) => (await admin.get(`/api/v1/users/${id}`)).body.user;
  const audit = async (id: string) => (await admin.get(`/api/v1/users/${id}/audit`)).body.items as any[];
  const mails = (to: string, kind: string) => p.query<{ n: number }>('select count(*) as n from outbox where to_address = ? and kind = ?', to, kind).then((r) => Number(r[0]?.n));
  const queueId = async (name: string) => ((await admin.get('/api/v1/queues')).body.items as any[]).find((q) => q.name === name).id as string;

  beforeAll(async () => {
    p = await startTestPlatform();
    adminToken = await signIn(p.url, 'admin');
    admin = client(p.url, adminToken);
  });
  afterAll(async () => p.stop());

  it('R3 per item: enabling omnichannel without WebRTC is refused on its field while WebRTC + omnichannel for another user applies', async () => {
    const withoutWebrtc = await findUser(p.url, adminToken, 'agente03'); // no WebRTC
    const other = await findUser(p.url, adminToken, 'agente12'); // WebRTC, no omnichannel
    const result = await batch([
      { op: 'update', userId: withoutWebrtc.id, ifMatch: userEtag(withoutWebrtc), changes: { omnichannelEnabled: true } },
      { op: 'update', userId: other.id, ifMatch: userEtag(other), changes: { webrtcEnabled: true, omnichannelEnabled: true } },
    ]);
    expect(result.status).toBe(200);
    const body = BatchResponseSchema.parse(result.body);
    expect(body.summary).toEqual({ ok: 1, refused: 1, conflict: 0 });
    expect(body.results[0]).toMatchObject({ index: 0, userId: withoutWebrtc.id, status: 'refused', changed: false });
    expect(body.results[0]?.error).toMatchObject({ code: 'webrtc_required', fieldErrors: { omnichannelEnabled: ['webrtc_required'] }, message: 'Habilite o WebRTC para habilitar o agente para uso omnichannel.' });
    expect(body.results[1]).toMatchObject({ status: 'ok', changed: true, user: { omnichannelEnabled: true, version: other.version + 1 } });
    expect(await get(withoutWebrtc.id)).toEqual(withoutWebrtc);
  });

  it('partial failure: ok, R8 refusal and version conflict in one batch; the refused and conflicting users are untouched', async () => {
    const chat = await queueId('Chat do Site');
    const voice = await queueId('Vendas');
    const ready = await findUser(p.url, adminToken, 'agente05'); // omnichannel, no extension, no queues
    const notOmni = await findUser(p.url, adminToken, 'agente22'); // WebRTC, no omnichannel
    const changed = await findUser(p.url, adminToken, 'agente15');
    const stale = userEtag(changed);
    expect((await admin.patch(`/api/v1/users/${changed.id}`, { name: 'Alterado Antes' }, { 'if-match': stale })).status).toBe(200);
    const result = await batch([
      { op: 'update', userId: ready.id, ifMatch: userEtag(ready), extension: 'free', addQueueIds: [chat, voice] },
      { op: 'update', userId: notOmni.id, ifMatch: userEtag(notOmni), addQueueIds: [chat] },
      { op: 'update', userId: changed.id, ifMatch: stale, changes: { name: 'Perdida' } },
    ]);
    const body = BatchResponseSchema.parse(result.body);
    expect(body.summary).toEqual({ ok: 1, refused: 1, conflict: 1 });
    // R10 then R8 in one item: a free extension first, so the voice queue accepts the user.
    expect(body.results[0]?.user?.extension).not.toBeNull();
    expect(new Set([...(body.results[0]?.user?.voiceQueueIds ?? []), ...(body.results[0]?.user?.chatQueueIds ?? [])])).toEqual(new Set([chat, voice]));
    expect(body.results[1]).toMatchObject({ status: 'refused', error: { code: 'chat_queue_requires_omnichannel' } });
    expect(body.results[2]).toMatchObject({ status: 'conflict', error: { code: 'stale_version', details: { current: { name: 'Alterado Antes' } } } });
    expect(await get(notOmni.id)).toEqual(notOmni);
    expect((await get(changed.id)).name).toBe('Alterado Antes');
  });

  it('R4: an item that would log a user out of queues without confirmation is refused listing the sessions; confirmed, it logs out and says which queues', async () => {
    const agent = await findUser(p.url, adminToken, 'agente01'); // logged into Suporte Técnico and Chat do Site
    const sessions = (await admin.get(`/api/v1/users/${agent.id}/queue-sessions`)).body.items as any[];
    expect(sessions.length).toBe(2);
    const whatsapp = await queueId('WhatsApp Atendimento');
    const item = { op: 'update', userId: agent.id, ifMatch: userEtag(agent), addQueueIds: [whatsapp] };
    const refused = BatchResponseSchema.parse((await batch([item])).body).results[0];
    expect(refused).toMatchObject({ status: 'refused', error: { code: 'queue_logout_confirmation_required' } });
    expect((refused?.error?.details as any).sessions.map((s: any) => s.queueName).sort()).toEqual(['Chat do Site', 'Suporte Técnico']);
    expect(await get(agent.id)).toEqual(agent);
    expect((await admin.get(`/api/v1/users/${agent.id}/queue-sessions`)).body.items.length).toBe(2);

    const confirmed = BatchResponseSchema.parse((await batch([{ ...item, confirmQueueLogout: true }])).body).results[0];
    expect(confirmed?.status).toBe('ok');
    expect(confirmed?.loggedOutQueues?.map((q) => q.queueName).sort()).toEqual(['Chat do Site', 'Suporte Técnico']);
    expect(confirmed?.user?.chatQueueIds).toContain(whatsapp);
    expect((await admin.get(`/api/v1/users/${agent.id}/queue-sessions`)).body.items).toEqual([]);
  });

  it('one audit entry per user holds the user before and after and every step', async () => {
    const agent = await findUser(p.url, adminToken, 'agente25'); // omnichannel, no extension, no queues
    const chat = await queueId('WhatsApp Atendimento');
    const before = (await audit(agent.id)).length;
    const result = BatchResponseSchema.parse((await batch([{ op: 'update', userId: agent.id, ifMatch: userEtag(agent), changes: { name: 'Nome em Lote' }, extension: 'free', addQueueIds: [chat] }])).body);
    expect(result.results[0]?.status).toBe('ok');
    const entries = await audit(agent.id);
    expect(entries.length).toBe(before + 1);
    expect(entries[0].action).toBe('user.batch_updated');
    expect(entries[0].before).toMatchObject({ id: agent.id, name: agent.name, extension: null });
    expect(entries[0].after.user).toMatchObject({ name: 'Nome em Lote', chatQueueIds: [chat] });
    expect(entries[0].after.steps.map((s: any) => s.action)).toEqual(['user.updated', 'extension.associated', 'queue.member_added']);
  });

  it('dry run: every item is checked and run, then undone; it reports the queues an edit would log out of (R4) and the user before and after', async () => {
    const agent = await findUser(p.url, adminToken, 'agente11'); // logged into queues
    const whatsapp = await queueId('WhatsApp Atendimento');
    const auditBefore = (await audit(agent.id)).length;
    const result = BatchResponseSchema.parse((await admin.post('/api/v1/users/batch', { dryRun: true, items: [{ op: 'update', userId: agent.id, ifMatch: userEtag(agent), addQueueIds: [whatsapp], sendPasswordReset: true }] })).body);
    expect(result.results[0]).toMatchObject({ status: 'ok', changed: true, before: { id: agent.id, version: agent.version } });
    expect(result.results[0]?.user?.version).toBeGreaterThan(agent.version);
    expect(result.results[0]?.user?.chatQueueIds).toContain(whatsapp);
    expect(result.results[0]?.loggedOutQueues?.length).toBeGreaterThan(0);
    expect(await get(agent.id)).toEqual(agent);
    expect((await admin.get(`/api/v1/users/${agent.id}/queue-sessions`)).body.items.length).toBe(result.results[0]?.loggedOutQueues?.length);
    expect((await audit(agent.id)).length).toBe(auditBefore);
    expect(await mails(agent.email, 'password_reset')).toBe(0);
  });

  it('nothing to do is ok and unchanged: no version bump, no audit, no logout', async () => {
    const agent = await findUser(p.url, adminToken, 'agente09'); // logged into queues
    const member = [...agent.voiceQueueIds, ...agent.chatQueueIds];
    const result = BatchResponseSchema.parse((await batch([{ op: 'update', userId: agent.id, ifMatch: userEtag(agent), changes: { webrtcEnabled: true }, addQueueIds: member }])).body);
    expect(result.results[0]).toMatchObject({ status: 'ok', changed: false });
    expect(await get(agent.id)).toEqual(agent);
    expect((await admin.get(`/api/v1/users/${agent.id}/queue-sessions`)).body.items.length).toBeGreaterThan(0);
  });

  it('Idempotency-Key covers the whole batch: a retry replays the answer without a second email or audit; another body is 422', async () => {
    const a = await findUser(p.url, adminToken, 'agente14');
    const b = await findUser(p.url, adminToken, 'agente16');
    const items = [
      { op: 'update', userId: a.id, ifMatch: userEtag(a), sendPasswordReset: true },
      { op: 'update', userId: b.id, ifMatch: userEtag(b), changes: { name: 'Lote Idempotente' } },
    ];
    const first = await batch(items, { 'idempotency-key': 'batch-1' });
    expect(first.status).toBe(200);
    expect(first.body.results[0]).toMatchObject({ status: 'ok', emailsSent: [{ kind: 'password_reset', to: a.email }] });
    const replay = await batch(items, { 'idempotency-key': 'batch-1' });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await mails(a.email, 'password_reset')).toBe(1);
    expect((await audit(b.id)).filter((e) => e.action === 'user.batch_updated').length).toBe(1);
    expect((await get(b.id)).version).toBe(b.version + 1);
    const other = await batch([items[1]], { 'idempotency-key': 'batch-1' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_mismatch');
  });

  it('R2: a supervisor is refused (403) for the whole batch and nothing changes; a supervisor cannot send resets either', async () => {
    const supervisor = client(p.url, await signIn(p.url, 'supervisor'));
    const agent = await findUser(p.url, adminToken, 'agente17');
    for (const item of [
      { op: 'update', userId: agent.id, ifMatch: userEtag(agent), changes: { name: 'Supervisor' } },
      { op: 'update', userId: agent.id, ifMatch: userEtag(agent), sendPasswordReset: true },
      { op: 'create', user: { name: 'Novo', email: 'novo-sup@example.com', login: 'novo-sup', profile: 'agent' } },
    ]) {
      const result = await batch([item], {}, supervisor);
      expect(result.status).toBe(403);
      expect(result.body.error.code).toBe('forbidden');
    }
    expect(await get(agent.id)).toEqual(agent);
    expect(await mails(agent.email, 'password_reset')).toBe(0);
  });

  it('R6 and R10 per item: an administrator creates users with queues and a free extension in one step, not with omnichannel; a taken login is refused', async () => {
    const voice = await queueId('Financeiro');
    const result = BatchResponseSchema.parse(
      (
        await batch([
          { op: 'create', user: { name: 'Lote Um', email: 'lote1@example.com', login: 'lote.um', profile: 'agent', webrtcEnabled: true }, extension: 'free', addQueueIds: [voice] },
          { op: 'create', user: { name: 'Lote Dois', email: 'lote2@example.com', login: 'lote.dois', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true } },
          { op: 'create', user: { name: 'Lote Três', email: 'lote3@example.com', login: 'agente30', profile: 'agent' } },
        ])
      ).body,
    );
    expect(result.results.map((r) => r.status)).toEqual(['ok', 'refused', 'refused']);
    expect(result.results[0]?.user).toMatchObject({ login: 'lote.um', voiceQueueIds: [voice] });
    expect(result.results[0]?.user?.extension).not.toBeNull();
    expect(result.results[0]?.emailsSent).toEqual([{ kind: 'password_reset', to: 'lote1@example.com' }]);
    expect(result.results[1]?.error?.code).toBe('omnichannel_creation_support_only');
    expect(result.results[2]?.error).toMatchObject({ code: 'login_taken', fieldErrors: { login: ['login_taken'] } });
    expect((await admin.get('/api/v1/users?q=lote.dois')).body.items).toEqual([]);
    const created = (await audit(result.results[0]?.userId as string)).map((e) => e.action);
    expect(created).toEqual(['user.batch_created']);
  });

  it('R11 per item: in a self-managed account a reset is refused with the exact message; R2: other accounts\' users are not found', async () => {
    const support = client(p.url, await signIn(p.url, 'suporte', 'autogerenciada'));
    const igor = ((await support.get('/api/v1/users?q=igor')).body.items as any[])[0];
    const result = BatchResponseSchema.parse((await batch([{ op: 'update', userId: igor.id, ifMatch: userEtag(igor), sendPasswordReset: true }], {}, support)).body);
    expect(result.results[0]?.error).toMatchObject({ code: 'self_managed_account', message: 'Este usuário pertence a um grupo autogerenciado. Entre em contato com Administrador da conta' });
    const fromDemo = BatchResponseSchema.parse((await batch([{ op: 'update', userId: igor.id, ifMatch: userEtag(igor), changes: { name: 'Invasor' } }])).body);
    expect(fromDemo.results[0]).toMatchObject({ status: 'refused', error: { code: 'not_found' } });
    expect(((await support.get(`/api/v1/users/${igor.id}`)).body.user as any).name).toBe(igor.name);
  });

  it('bad requests change nothing: more than 500 items, the same user twice, unknown fields (400); English messages on request', async () => {
    const agent = await findUser(p.url, adminToken, 'agente18');
    const item = { op: 'update', userId: agent.id, ifMatch: userEtag(agent), changes: { name: 'X' } };
    const tooMany = await batch(Array.from({ length: BATCH_MAX_ITEMS + 1 }, () => item));
    expect(tooMany.status).toBe(400);
    const twice = await batch([item, item]);
    expect(twice.status).toBe(400);
    expect((await batch([{ ...item, password: 'x' }])).status).toBe(400);
    expect(await get(agent.id)).toEqual(agent);
    const english = await admin.post('/api/v1/users/batch', { items: [{ op: 'update', userId: agent.id, ifMatch: '"u-stale-1"', changes: { name: 'Y' } }] }, { 'accept-language': 'en' });
    expect(english.body.results[0].error.message).toBe('Someone else changed this record. Reload to see the current version.');
  });

  it('500 items in one request (body above the default 64 kB limit) each get a result, in order', async () => {
    await generateUsers(p.database, 'demo', BATCH_MAX_ITEMS, { prefix: 'massa' });
    const users = ((await admin.get('/api/v1/users?limit=1000&q=massa')).body.items as any[]).slice(0, BATCH_MAX_ITEMS);
    expect(users.length).toBe(BATCH_MAX_ITEMS);
    // Every tenth changes its name, the others ask for what they already have (ok, unchanged).
    const items = users.map((u, i) => ({ op: 'update', userId: u.id, ifMatch: userEtag(u), changes: { name: i % 10 ? u.name : `${u.name} (lote)`, email: u.email, login: u.login } }));
    expect(JSON.stringify({ items }).length).toBeGreaterThan(64 * 1024);
    const result = await batch(items);
    expect(result.status).toBe(200);
    const body = BatchResponseSchema.parse(result.body);
    expect(body.results.map((r) => r.index)).toEqual(items.map((_, i) => i));
    expect(body.summary.ok).toBe(BATCH_MAX_ITEMS);
    expect(body.results.filter((r) => r.changed).length).toBe(BATCH_MAX_ITEMS / 10);
  });

  it('the batch operation is in the OpenAPI document with an operationId, a description, a tag, its 4XX answers and the Idempotency-Key header', async () => {
    const doc = (await admin.get('/api/v1/openapi.json')).body;
    const op = doc.paths['/api/v1/users/batch'].post;
    expect(op.operationId).toBe('batchUsers');
    expect(op.description).toMatch(/If-Match/);
    expect(op.tags).toEqual(['users']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(op.parameters.map((p: any) => p.name)).toContain('Idempotency-Key');
  });
});
