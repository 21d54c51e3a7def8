/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
/**
 * Issue 11 ("More"): queues and an extension chosen in the new-user form are applied in the same
 * step as the creation, in one platform transaction; R6, R8 and R10 still hold, and a refusal
 * leaves nothing half-created (no user, no link, no extension taken, no email).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserResponseSchema } from '../../../src-shared/platform-api';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('creating a user with queues and an extension in one step (issue 11, R6, R8, R10)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let support: ReturnType<typeof client>;
  let supervisor: ReturnType<typeof client>;
  let voice: any;
  let chat: any;
  const free = async () => (await admin.get('/api/v1/extensions')).body.items.filter((e: any) => e.userId === null);
  const nothingCreated = async (login: string, email: string) => {
    expect((await admin.get(`/api/v1/users?q=${login}`)).body.items).toEqual([]);
    await p.idle();
    expect(p.mailbox.list().some((m) => m.to.includes(email))).toBe(false);
  };

  beforeAll(async () => {
    p = await startTestPlatform();
    admin = client(p.url, await signIn(p.url, 'admin'));
    support = client(p.url, await signIn(p.url, 'suporte'));
    supervisor = client(p.url, await signIn(p.url, 'supervisor'));
    const queues = (await admin.get('/api/v1/queues')).body.items;
    voice = queues.find((q: any) => q.kind === 'voice');
    chat = queues.find((q: any) => q.kind === 'chat');
  });
  afterAll(async () => p.stop());

  it('R8/R10: an administrator creates a user with an extension and a voice queue in one request; one audit entry per step', async () => {
    const [ext] = await free();
    const voiceVersion = voice.version;
    const result = await admin.post('/api/v1/users', { name: 'Com Fila', email: 'comfila@example.com', login: 'com-fila', profile: 'agent', webrtcEnabled: true, extensionId: ext.id, queueIds: [voice.id] });
    expect(result.status).toBe(201);
    const body = CreateUserResponseSchema.parse(result.body);
    expect(body.extension).toEqual({ id: ext.id, number: ext.number });
    expect(body.user).toMatchObject({ extension: { id: ext.id, number: ext.number }, voiceQueueIds: [voice.id], chatQueueIds: [], version: 1 });
    expect(body.emailsSent.map((m) => m.kind)).toEqual(['password_reset', 'extension_associated']);
    const queue = (await admin.get('/api/v1/queues')).body.items.find((q: any) => q.id === voice.id);
    expect(queue.memberIds).toContain(body.user.id);
    expect(queue.version).toBe(voiceVersion + 1);
    const audit = (await admin.get(`/api/v1/users/${body.user.id}/audit`)).body.items.map((e: any) => e.action).sort();
    expect(audit).toEqual(['extension.associated', 'queue.member_added', 'user.created']);
  });

  it('R6/R8: support creates an omnichannel user with a chosen extension and a chat and a voice queue', async () => {
    const chosen = (await free())[2];
    const result = await support.post('/api/v1/users', {
      name: 'Omni Fila', email: 'omnifila@example.com', login: 'omni-fila', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true, extensionId: chosen.id, queueIds: [chat.id, voice.id, chat.id],
    });
    expect(result.status).toBe(201);
    expect(result.body.user).toMatchObject({ extension: { id: chosen.id }, voiceQueueIds: [voice.id], chatQueueIds: [chat.id] });
    expect(result.body.emailsSent.filter((m: any) => m.kind === 'extension_associated')).toHaveLength(1);
  });

  it('R8: a chat queue for a user without omnichannel is 422 on queueIds and nothing is created', async () => {
    const before = await free();
    const voiceBefore = (await admin.get('/api/v1/queues')).body.items.find((q: any) => q.id === voice.id);
    const result = await admin.post('/api/v1/users', { name: 'Sem Omni', email: 'semomni@example.com', login: 'sem-omni', profile: 'agent', extensionId: before[0].id, queueIds: [voice.id, chat.id] });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe('chat_queue_requires_omnichannel');
    expect(result.body.error.fieldErrors).toEqual({ queueIds: ['chat_queue_requires_omnichannel'] });
    expect(result.body.error.details).toMatchObject({ queueId: chat.id, queueName: chat.name });
    await nothingCreated('sem-omni', 'semomni@');
    expect(await free()).toEqual(before);
    expect((await admin.get('/api/v1/queues')).body.items.find((q: any) => q.id === voice.id)).toEqual(voiceBefore);
  });

  it('R8: a voice queue for a user without an extension is 422 (in English with Accept-Language: en)', async () => {
    const result = await admin.post('/api/v1/users', { name: 'Sem Ramal', email: 'semramal@example.com', login: 'sem-ramal', profile: 'agent', queueIds: [voice.id] }, { 'accept-language': 'en' });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe('voice_queue_requires_extension');
    expect(result.body.error.message).toMatch(/extension/i);
    await nothingCreated('sem-ramal', 'semramal@');
  });

  it('R10: an extension already taken is 409 extension_taken on extensionId and nothing is created', async () => {
    const taken = (await admin.get('/api/v1/extensions')).body.items.find((e: any) => e.userId !== null);
    const result = await admin.post('/api/v1/users', { name: 'Ramal Ocupado', email: 'ocupado@example.com', login: 'ramal-ocupado', profile: 'agent', extensionId: taken.id });
    expect(result.status).toBe(409);
    expect(result.body.error.code).toBe('extension_taken');
    expect(result.body.error.fieldErrors).toEqual({ extensionId: ['extension_taken'] });
    await nothingCreated('ramal-ocupado', 'ocupado@');
  });

  it("R2: another account's queue or extension is 404 and creates nothing", async () => {
    const otherAccount = client(p.url, await signIn(p.url, 'suporte', 'autogerenciada'));
    const foreignQueue = (await otherAccount.post('/api/v1/queues', { kind: 'voice', name: 'Fila Alheia' })).body.queue;
    const foreignExt = (await otherAccount.post('/api/v1/extensions', { number: '7788' })).body.extension;
    expect(foreignQueue.id).toBeTruthy();
    expect(foreignExt.id).toBeTruthy();
    const q = await admin.post('/api/v1/users', { name: 'Fila Alheia', email: 'alheia@example.com', login: 'fila-alheia', profile: 'agent', queueIds: [foreignQueue.id] });
    expect(q.status).toBe(404);
    expect(q.body.error.fieldErrors).toEqual({ queueIds: ['not_found'] });
    const e = await admin.post('/api/v1/users', { name: 'Fila Alheia', email: 'alheia@example.com', login: 'fila-alheia', profile: 'agent', extensionId: foreignExt.id });
    expect(e.status).toBe(404);
    expect(e.body.error.fieldErrors).toEqual({ extensionId: ['not_found'] });
    await nothingCreated('fila-alheia', 'alheia@');
    expect((await otherAccount.get('/api/v1/extensions')).body.items.find((x: any) => x.id === foreignExt.id).userId).toBeNull();
  });

  it('R2: a supervisor is refused (403) before anything happens', async () => {
    const [ext] = await free();
    const result = await supervisor.post('/api/v1/users', { name: 'Supervisionado', email: 'sup@example.com', login: 'supervisionado', profile: 'agent', extensionId: ext.id, queueIds: [voice.id] });
    expect(result.status).toBe(403);
    await nothingCreated('supervisionado', 'sup@');
  });

  it('R8: queueIds refuses malformed ids and more than 100 queues (400) before anything happens', async () => {
    const bad = await admin.post('/api/v1/users', { name: 'Mal Formado', email: 'mal@example.com', login: 'mal-formado', profile: 'agent', queueIds: ['..'] });
    expect(bad.status).toBe(400);
    const many = await admin.post('/api/v1/users', { name: 'Mal Formado', email: 'mal@example.com', login: 'mal-formado', profile: 'agent', queueIds: Array.from({ length: 101 }, () => voice.id) });
    expect(many.status).toBe(400);
    await nothingCreated('mal-formado', 'mal@');
  });
});
