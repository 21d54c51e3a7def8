/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListQueueSummariesResponseSchema, ListQueuesResponseSchema, ListExtensionsResponseSchema, ListUsersResponseSchema, MembershipResponseSchema } from '../../../src-shared/platform-api';
import { DEMO_PASSWORD } from '../../../src-platform/server';
import { client, findUser, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('queues and extensions (R8, R10)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let adminToken: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    adminToken = await signIn(p.url, 'admin');
    admin = client(p.url, adminToken);
  });
  afterAll(async () => p.stop());

  it('R8: the account has voice queues and webchat/whatsapp chat queues with members', async () => {
    const queues = ListQueuesResponseSchema.parse((await admin.get('/api/v1/queues')).body).items;
    expect(queues.filter((q) => q.kind === 'voice').every((q) => q.channel === 'voice')).toBe(true);
    expect(new Set(queues.filter((q) => q.kind === 'chat').map((q) => q.channel))).toEqual(new Set(['webchat', 'whatsapp']));
    expect(queues.some((q) => q.memberIds.length > 0)).toBe(true);
  });

  it('issue 10: queue summaries are the same queues with member counts, not member lists, and follow membership changes', async () => {
    const full = ListQueuesResponseSchema.parse((await admin.get('/api/v1/queues')).body).items;
    const summaries = async () => {
      const r = await admin.get('/api/v1/queue-summaries');
      expect(r.status).toBe(200);
      return ListQueueSummariesResponseSchema.parse(r.body).items;
    };
    const before = await summaries();
    expect(before).toEqual(full.map(({ memberIds, ...q }) => ({ ...q, memberCount: memberIds.length })));
    expect(before.some((q) => q.memberCount === 0)).toBe(true);
    expect(before.every((q) => !('memberIds' in q))).toBe(true);
    // A member leaves: the count follows (and the queue's version).
    const queue = full.find((q) => q.memberIds.length > 0)!;
    const left = await admin.delete(`/api/v1/queues/${queue.id}/members/${queue.memberIds[0]}`);
    expect(left.status).toBe(200);
    const after = (await summaries()).find((q) => q.id === queue.id)!;
    expect(after.memberCount).toBe(queue.memberIds.length - 1);
    expect(after.version).toBeGreaterThan(queue.version);
    // Every other way a link comes or goes (back in; a user created in a queue; a user in queues
    // deleted): the counts still agree with the member lists.
    expect((await admin.put(`/api/v1/queues/${queue.id}/members/${queue.memberIds[0]}`)).status).toBe(200);
    const ext = (await admin.get('/api/v1/extensions')).body.items.find((e: any) => e.userId === null);
    const voice = full.find((q) => q.kind === 'voice')!;
    const created = await admin.post('/api/v1/users', { name: 'Contada', email: 'contada@example.com', login: 'contada', profile: 'agent', webrtcEnabled: true, extensionId: ext.id, queueIds: [voice.id] });
    expect(created.status).toBe(201);
    const linked = full.find((q) => q.memberIds.length > 1 && q.id !== voice.id)!;
    expect((await admin.delete(`/api/v1/users/${linked.memberIds.at(-1)}`)).status).toBe(204);
    const lists = ListQueuesResponseSchema.parse((await admin.get('/api/v1/queues')).body).items;
    expect(await summaries()).toEqual(lists.map(({ memberIds, ...q }) => ({ ...q, memberCount: memberIds.length })));
    // Another account's queues never show.
    const support = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'autogerenciada', login: 'suporte', password: DEMO_PASSWORD } });
    const foreign = ListQueueSummariesResponseSchema.parse((await client(p.url, support.body.token).get('/api/v1/queue-summaries')).body).items;
    expect(foreign.every((q) => q.accountId !== after.accountId)).toBe(true);
  });

  it('issue 10: queue summaries and extensions answer 304 without a body while unchanged (If-None-Match), and a new tag once they change', async () => {
    for (const path of ['/api/v1/queue-summaries', '/api/v1/extensions']) {
      const first = await admin.get(path);
      expect(first.status).toBe(200);
      const tag = first.headers.get('etag')!;
      expect(tag).toMatch(/^"[\w-]+"$/);
      const same = await admin.get(path, { 'if-none-match': tag });
      expect(same.status).toBe(304);
      expect(same.body).toBe('');
      // A list of tags, a weak form of it, or "*" match too; another tag does not.
      expect((await admin.get(path, { 'if-none-match': `"other", W/${tag}` })).status).toBe(304);
      expect((await admin.get(path, { 'if-none-match': '*' })).status).toBe(304);
      const other = await admin.get(path, { 'if-none-match': '"other"' });
      expect(other.status).toBe(200);
      expect(other.body).toEqual(first.body);
      // Still a session's answer: no token, no 304.
      expect((await http(p.url, 'GET', path, { headers: { 'if-none-match': tag } })).status).toBe(401);
      // Another account's session with this account's tag gets its own list, never a 304 for this one.
      const support = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'autogerenciada', login: 'suporte', password: DEMO_PASSWORD } });
      const foreign = await client(p.url, support.body.token).get(path, { 'if-none-match': tag });
      expect(foreign.status).toBe(200);
      expect(foreign.headers.get('etag')).not.toBe(tag);
      expect(foreign.body).not.toEqual(first.body);
    }
    // Documented: the header and the 304, on these two operations.
    const doc = (await http(p.url, 'GET', '/api/v1/openapi.json')).body;
    for (const path of ['/api/v1/queue-summaries', '/api/v1/extensions']) {
      const op = doc.paths[path].get;
      expect(op.responses['304']).toMatchObject({ description: expect.stringMatching(/^Not Modified/) });
      expect(op.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'If-None-Match', required: false }));
    }
    // A change answers 200 with the new list and a new tag.
    const queuesTag = (await admin.get('/api/v1/queue-summaries')).headers.get('etag')!;
    expect((await admin.post('/api/v1/queues', { kind: 'voice', name: 'Etiquetada' })).status).toBe(201);
    const changed = await admin.get('/api/v1/queue-summaries', { 'if-none-match': queuesTag });
    expect(changed.status).toBe(200);
    expect(changed.body.items.some((q: { name: string }) => q.name === 'Etiquetada')).toBe(true);
    expect(changed.headers.get('etag')).not.toBe(queuesTag);
    const extensionsTag = (await admin.get('/api/v1/extensions')).headers.get('etag')!;
    expect((await admin.post('/api/v1/extensions', { number: '7123' })).status).toBe(201);
    const added = await admin.get('/api/v1/extensions', { 'if-none-match': extensionsTag });
    expect(added.status).toBe(200);
    expect(added.body.items.some((e: { number: string }) => e.number === '7123')).toBe(true);
  });

  it('C2 (issue 10): a users page asked with withCatalogTags=true names the ETags queue summaries and extensions answer now, for the caller\'s account only', async () => {
    const tagsNow = async (api: ReturnType<typeof client>) => ({
      queues: (await api.get('/api/v1/queue-summaries')).headers.get('etag')!,
      extensions: (await api.get('/api/v1/extensions')).headers.get('etag')!,
    });
    const page = async (api: ReturnType<typeof client>, query: string) => {
      const r = await api.get(`/api/v1/users?limit=1&${query}`);
      expect(r.status).toBe(200);
      return ListUsersResponseSchema.parse(r.body);
    };
    const before = await tagsNow(admin);
    expect((await page(admin, 'withCatalogTags=true')).catalogTags).toEqual(before);
    // A delta page too (the sync's), and with the total.
    const cursor = (await page(admin, 'withTotal=true')).cursor;
    expect(await page(admin, `since=${cursor}&withTotal=true&withCatalogTags=true`)).toMatchObject({ catalogTags: before, total: expect.any(Number) });
    // Not asked for, not answered.
    expect((await page(admin, 'withCatalogTags=false')).catalogTags).toBeUndefined();
    expect((await admin.get('/api/v1/users?limit=1')).body).not.toHaveProperty('catalogTags');
    expect((await admin.get('/api/v1/users?withCatalogTags=yes')).status).toBe(400);
    // The tag named is one the list's own route answers 304 to.
    expect((await admin.get('/api/v1/queue-summaries', { 'if-none-match': before.queues })).status).toBe(304);
    expect((await admin.get('/api/v1/extensions', { 'if-none-match': before.extensions })).status).toBe(304);
    // A list that changes gets a new tag here too, the other keeps its own.
    expect((await admin.post('/api/v1/queues', { kind: 'chat', channel: 'webchat', name: 'Etiqueta No Usuário' })).status).toBe(201);
    const afterQueue = (await page(admin, 'withCatalogTags=true')).catalogTags!;
    expect(afterQueue.queues).not.toBe(before.queues);
    expect(afterQueue.extensions).toBe(before.extensions);
    expect(afterQueue).toEqual(await tagsNow(admin));
    expect((await admin.post('/api/v1/extensions', { number: '7345' })).status).toBe(201);
    const afterExtension = (await page(admin, 'withCatalogTags=true')).catalogTags!;
    expect(afterExtension.extensions).not.toBe(before.extensions);
    expect(afterExtension).toEqual(await tagsNow(admin));
    // Another account's session gets its own account's tags, never this one's.
    const support = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'autogerenciada', login: 'suporte', password: DEMO_PASSWORD } });
    const foreign = client(p.url, support.body.token);
    const foreignTags = (await page(foreign, 'withCatalogTags=true')).catalogTags!;
    expect(foreignTags).toEqual(await tagsNow(foreign));
    expect(foreignTags.queues).not.toBe(afterExtension.queues);
    // Documented.
    const doc = (await http(p.url, 'GET', '/api/v1/openapi.json')).body;
    expect(doc.paths['/api/v1/users'].get.parameters).toContainEqual(expect.objectContaining({ in: 'query', name: 'withCatalogTags', required: false }));
  });

  it('R8: an administrator creates voice and chat queues (Idempotency-Key replays)', async () => {
    const voice = await admin.post('/api/v1/queues', { kind: 'voice', name: 'Cobrança' }, { 'idempotency-key': 'q-1' });
    expect(voice.status).toBe(201);
    expect(voice.body.queue).toMatchObject({ kind: 'voice', channel: 'voice', name: 'Cobrança', memberIds: [] });
    const replay = await admin.post('/api/v1/queues', { kind: 'voice', name: 'Cobrança' }, { 'idempotency-key': 'q-1' });
    expect(replay.body).toEqual(voice.body);
    const chat = await admin.post('/api/v1/queues', { kind: 'chat', channel: 'whatsapp', name: 'WhatsApp Cobrança' });
    expect(chat.status).toBe(201);
    expect(chat.body.queue.channel).toBe('whatsapp');
    const bad = await admin.post('/api/v1/queues', { kind: 'chat', channel: 'telegram', name: 'Nope' });
    expect(bad.status).toBe(400);
    const voiceWithChannel = await admin.post('/api/v1/queues', { kind: 'voice', channel: 'webchat', name: 'Nope' });
    expect(voiceWithChannel.status).toBe(400);
    const names = (await admin.get('/api/v1/queues')).body.items.map((q: any) => q.name);
    expect(names.filter((n: string) => n === 'Cobrança').length).toBe(1);
  });

  it('R8: only an omnichannel-enabled user may join a chat queue (422)', async () => {
    const queues = (await admin.get('/api/v1/queues')).body.items;
    const chat = queues.find((q: any) => q.kind === 'chat');
    const user = await findUser(p.url, adminToken, 'agente02'); // WebRTC, no omnichannel
    expect(user.omnichannelEnabled).toBe(false);
    const refused = await admin.put(`/api/v1/queues/${chat.id}/members/${user.id}`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('chat_queue_requires_omnichannel');
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user).toEqual(user);
    const omni = await findUser(p.url, adminToken, 'agente05');
    const ok = await admin.put(`/api/v1/queues/${chat.id}/members/${omni.id}`);
    expect(ok.status).toBe(200);
    const parsed = MembershipResponseSchema.parse(ok.body);
    expect(parsed.queue.memberIds).toContain(omni.id);
    expect(parsed.user.chatQueueIds).toContain(chat.id);
    expect(parsed.user.version).toBe(omni.version + 1);
  });

  it('R8: only a user with an extension may join a voice queue (422)', async () => {
    const voice = (await admin.get('/api/v1/queues')).body.items.find((q: any) => q.kind === 'voice');
    const user = await findUser(p.url, adminToken, 'agente15');
    expect(user.extension).toBeNull();
    const refused = await admin.put(`/api/v1/queues/${voice.id}/members/${user.id}`);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('voice_queue_requires_extension');
    expect(refused.body.error.message).toBe('Somente usuários com ramal podem entrar em filas de voz.');
  });

  it('R10: an administrator associates a free extension (emailed), releases it, and a taken one answers 409', async () => {
    const extensions = ListExtensionsResponseSchema.parse((await admin.get('/api/v1/extensions')).body).items;
    const free = extensions.find((e) => e.userId === null);
    const taken = extensions.find((e) => e.userId !== null);
    expect(free && taken).toBeTruthy();
    const user = await findUser(p.url, adminToken, 'agente16');
    const clash = await admin.put(`/api/v1/users/${user.id}/extension`, { extensionId: taken?.id });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('extension_taken');
    const ok = await admin.put(`/api/v1/users/${user.id}/extension`, { extensionId: free?.id });
    expect(ok.status).toBe(200);
    expect(ok.body.user.extension).toEqual({ id: free?.id, number: free?.number });
    expect(ok.headers.get('etag')).toBe(`"u-${user.id}-${user.version + 1}"`);
    const mail = await p.mailbox.waitFor((m) => m.to.includes(user.email) && m.kind === 'extension_associated');
    expect(mail.text).toContain(`ramal ${free?.number}`);
    // R8: now the user may join a voice queue.
    const voice = (await admin.get('/api/v1/queues')).body.items.find((q: any) => q.kind === 'voice');
    expect((await admin.put(`/api/v1/queues/${voice.id}/members/${user.id}`)).status).toBe(200);
    const released = await admin.delete(`/api/v1/users/${user.id}/extension`);
    expect(released.status).toBe(200);
    expect(released.body.user.extension).toBeNull();
    const after = (await admin.get('/api/v1/extensions')).body.items.find((e: any) => e.id === free?.id);
    expect(after.userId).toBeNull();
    const audit = (await admin.get(`/api/v1/users/${user.id}/audit`)).body.items.map((a: any) => a.action);
    expect(audit).toEqual(expect.arrayContaining(['extension.associated', 'extension.released', 'queue.member_added']));
  });

  it('R10: extensions are created with unique numbers per account', async () => {
    const created = await admin.post('/api/v1/extensions', { number: '2001' });
    expect(created.status).toBe(201);
    expect(created.body.extension).toMatchObject({ number: '2001', userId: null });
    const dup = await admin.post('/api/v1/extensions', { number: '2001' });
    expect(dup.status).toBe(409);
    expect((await admin.post('/api/v1/extensions', { number: 'abc' })).status).toBe(400);
  });

  it('R4: queue sessions start for members only, and unlinking a member ends their session', async () => {
    const queues = (await admin.get('/api/v1/queues')).body.items;
    const chat = queues.find((q: any) => q.kind === 'chat' && q.memberIds.length > 0);
    const memberId = chat.memberIds[0];
    await admin.delete(`/api/v1/queues/${chat.id}/sessions/${memberId}`);
    expect((await admin.post(`/api/v1/queues/${chat.id}/sessions`, { userId: memberId })).status).toBe(204);
    const sessions = (await admin.get(`/api/v1/users/${memberId}/queue-sessions`)).body.items;
    expect(sessions.map((s: any) => s.queueId)).toContain(chat.id);
    const outsider = await findUser(p.url, adminToken, 'agente03');
    const refused = await admin.post(`/api/v1/queues/${chat.id}/sessions`, { userId: outsider.id });
    expect(refused.status).toBe(409);
    expect((await admin.delete(`/api/v1/queues/${chat.id}/members/${memberId}`)).status).toBe(200);
    const after = (await admin.get(`/api/v1/users/${memberId}/queue-sessions`)).body.items;
    expect(after.map((s: any) => s.queueId)).not.toContain(chat.id);
  });
});
