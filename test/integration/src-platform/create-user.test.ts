/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateUserResponseSchema } from '../../../src-shared/platform-api';
import { client, http, linkIn, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('creating users (R6, R7, idempotency)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let support: ReturnType<typeof client>;
  beforeAll(async () => {
    p = await startTestPlatform();
    admin = client(p.url, await signIn(p.url, 'admin'));
    support = client(p.url, await signIn(p.url, 'suporte'));
  });
  afterAll(async () => p.stop());

  it('R6: an administrator cannot create a user with omnichannel enabled (ação exclusiva do Suporte)', async () => {
    const result = await admin.post('/api/v1/users', { name: 'Omni Admin', email: 'omni-admin@example.com', login: 'omni-admin', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true });
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe('omnichannel_creation_support_only');
    expect(result.body.error.message).toContain('ação exclusiva do Suporte');
    expect((await admin.get('/api/v1/users?q=omni-admin')).body.items).toEqual([]);
  });

  it('R6: an administrator creates a user without omnichannel; the user gets the reset link by email', async () => {
    const result = await admin.post('/api/v1/users', { name: 'Nova Agente', email: 'nova@example.com', login: 'nova', profile: 'agent', webrtcEnabled: true });
    expect(result.status).toBe(201);
    const body = CreateUserResponseSchema.parse(result.body);
    expect(body.extension).toBeNull();
    expect(body.emailsSent).toEqual([{ kind: 'password_reset', to: 'nova@example.com' }]);
    expect(body.user).toMatchObject({ passwordSet: false, omnichannelEnabled: false, extension: null, version: 1 });
    await p.mailbox.waitFor((m) => m.to.includes('nova@example.com') && m.kind === 'password_reset');
    // R6: enabling omnichannel later by editing is allowed to the administrator.
    const edit = await admin.patch(`/api/v1/users/${body.user.id}`, { omnichannelEnabled: true }, { 'if-match': result.headers.get('etag') as string });
    expect(edit.status).toBe(200);
    expect(edit.body.user.omnichannelEnabled).toBe(true);
  });

  it('R6: support creates an omnichannel user: a free extension is associated and both emails are sent; R7 after the password', async () => {
    const freeBefore = (await support.get('/api/v1/extensions')).body.items.filter((e: any) => e.userId === null);
    const result = await support.post('/api/v1/users', { name: 'Omni Suporte', email: 'omni@example.com', login: 'omni-sup', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true });
    expect(result.status).toBe(201);
    const body = CreateUserResponseSchema.parse(result.body);
    expect(body.extension).toEqual({ id: freeBefore[0].id, number: freeBefore[0].number });
    expect(body.user.extension).toEqual(body.extension);
    expect(body.emailsSent).toEqual([
      { kind: 'password_reset', to: 'omni@example.com' },
      { kind: 'extension_associated', to: 'omni@example.com' },
    ]);
    const notice = await p.mailbox.waitFor((m) => m.to.includes('omni@example.com') && m.kind === 'extension_associated');
    expect(notice.text).toContain(`ramal ${freeBefore[0].number}`);
    const reset = await p.mailbox.waitFor((m) => m.to.includes('omni@example.com') && m.kind === 'password_reset');
    const token = new URL(linkIn(reset.text)).searchParams.get('token') as string;
    const set = await http(p.url, 'POST', '/api/v1/auth/reset-password', { body: { token, password: 'Primeira-Lanterna-Azul-26', passwordConfirmation: 'Primeira-Lanterna-Azul-26' } });
    expect(set.status).toBe(200);
    await p.mailbox.waitFor((m) => m.to.includes('omni@example.com') && m.kind === 'password_changed');
    // R7: the user can log in now, and is linked to an extension.
    const login = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'omni-sup', password: 'Primeira-Lanterna-Azul-26' } });
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ passwordSet: true, extension: body.extension });
  });

  it('R6: with no free extension left, omnichannel creation answers 409 and creates nothing', async () => {
    const extensions = (await support.get('/api/v1/extensions')).body.items.filter((e: any) => e.userId === null);
    // Give every free extension to a demo user that has none.
    const withoutExtension = (await support.get('/api/v1/users?limit=1000')).body.items.filter((u: any) => u.extension === null);
    for (let n = 0; withoutExtension.length < extensions.length; n++) {
      const created = await support.post('/api/v1/users', { name: `Ocupa ${n}`, email: `ocupa${n}@example.com`, login: `ocupa-${n}`, profile: 'agent' });
      withoutExtension.push(created.body.user);
    }
    for (const [i, ext] of extensions.entries()) {
      expect((await support.put(`/api/v1/users/${withoutExtension[i].id}/extension`, { extensionId: ext.id })).status).toBe(200);
    }
    const result = await support.post('/api/v1/users', { name: 'Sem Ramal', email: 'semramal@example.com', login: 'sem-ramal', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true });
    expect(result.status).toBe(409);
    expect(result.body.error.code).toBe('no_free_extension');
    expect((await support.get('/api/v1/users?q=sem-ramal')).body.items).toEqual([]);
    expect(p.mailbox.list().some((m) => m.to.includes('semramal@'))).toBe(false);
  });

  it('R6: a retried creation with the same Idempotency-Key replays the response and sends no second email', async () => {
    const body = { name: 'Idem Potente', email: 'idem@example.com', login: 'idem', profile: 'agent' };
    const first = await admin.post('/api/v1/users', body, { 'idempotency-key': 'create-idem-1' });
    const second = await admin.post('/api/v1/users', body, { 'idempotency-key': 'create-idem-1' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(first.headers.get('etag')).toBe(`"u-${first.body.user.id}-1"`);
    await p.mailbox.waitFor((m) => m.to.includes('idem@example.com'));
    await p.idle();
    expect(p.mailbox.list().filter((m) => m.to.includes('idem@example.com')).length).toBe(1);
    expect((await admin.get('/api/v1/users?q=idem')).body.items.length).toBe(1);
    const other = await admin.post('/api/v1/users', { ...body, login: 'idem-2' }, { 'idempotency-key': 'create-idem-1' });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_mismatch');
  });

  it('R5: a retried password reset with the same Idempotency-Key sends one email', async () => {
    const user = (await admin.get('/api/v1/users?q=agente30')).body.items[0];
    const a = await admin.post(`/api/v1/users/${user.id}/password-reset`, undefined, { 'idempotency-key': 'reset-1' });
    const b = await admin.post(`/api/v1/users/${user.id}/password-reset`, undefined, { 'idempotency-key': 'reset-1' });
    expect(a.status).toBe(202);
    expect(b.body).toEqual(a.body);
    await p.mailbox.waitFor((m) => m.to.includes(user.email));
    await p.idle();
    expect(p.mailbox.list().filter((m) => m.to.includes(user.email)).length).toBe(1);
  });

  it('R6: concurrent retries with one key run the creation once', async () => {
    const body = { name: 'Concorrente', email: 'conc@example.com', login: 'conc', profile: 'agent' };
    const results = await Promise.all([1, 2, 3].map(() => admin.post('/api/v1/users', body, { 'idempotency-key': 'conc-key' })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(results.map((r) => r.body.user.id)).size).toBe(1);
  });
});
