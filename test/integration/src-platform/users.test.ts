/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserSchema } from '../../../src-shared/domain';
import { ListUsersResponseSchema, userEtag, usersNextSince } from '../../../src-shared/platform-api';
import { client, findUser, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('users (R1, R2, R3, R4, C2)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let supervisor: ReturnType<typeof client>;
  let adminToken: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    adminToken = await signIn(p.url, 'admin');
    admin = client(p.url, adminToken);
    supervisor = client(p.url, await signIn(p.url, 'supervisor'));
  });
  afterAll(async () => p.stop());

  it('R1: every user has the agent screen options, version and dates; the list pages through all of them', async () => {
    const seen: any[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await admin.get(`/api/v1/users?limit=20${cursor ? `&since=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      const parsed = ListUsersResponseSchema.parse(page.body);
      seen.push(...parsed.items);
      cursor = parsed.cursor;
      if (!parsed.hasMore) break;
    }
    expect(seen.length).toBeGreaterThanOrEqual(52);
    expect(new Set(seen.map((u) => u.id)).size).toBe(seen.length);
    for (const u of seen) UserSchema.parse(u);
    const profiles = new Set(seen.map((u) => u.profile));
    // Issue 9 class 1: support is the vendor's staff (operator scope), not a user of the account.
    expect([...profiles].sort()).toEqual(['administrator', 'agent', 'supervisor']);
    expect(seen.every((u) => u.accountId === 'acc-demo')).toBe(true);
  });

  it('R1: GET /users/:id answers the user with a strong ETag of its version', async () => {
    const user = await findUser(p.url, adminToken, 'agente02');
    const result = await admin.get(`/api/v1/users/${user.id}`);
    expect(result.status).toBe(200);
    expect(result.headers.get('etag')).toBe(userEtag(result.body.user));
    expect(result.headers.get('etag')).not.toMatch(/^W\//);
  });

  it('R2: an administrator never sees another account (404, not in lists)', async () => {
    const support = client(p.url, await signIn(p.url, 'suporte', 'autogerenciada'));
    const other = (await support.get('/api/v1/users')).body.items[0];
    expect(other.accountId).toBe('acc-autogerenciada');
    expect((await admin.get(`/api/v1/users/${other.id}`)).status).toBe(404);
    expect((await admin.patch(`/api/v1/users/${other.id}`, { name: 'Hacked' }, { 'if-match': userEtag(other) })).status).toBe(404);
    expect((await admin.delete(`/api/v1/users/${other.id}`)).status).toBe(404);
    expect((await admin.get(`/api/v1/users?q=${other.login}`)).body.items).toEqual([]);
  });

  it('R2: a supervisor reviews users but every write answers 403', async () => {
    const user = await findUser(p.url, adminToken, 'agente03');
    expect((await supervisor.get(`/api/v1/users/${user.id}`)).status).toBe(200);
    const writes = [
      await supervisor.patch(`/api/v1/users/${user.id}`, { name: 'Nope' }, { 'if-match': userEtag(user) }),
      await supervisor.post('/api/v1/users', { name: 'N', email: 'n@example.com', login: 'nnn', profile: 'agent' }),
      await supervisor.post(`/api/v1/users/${user.id}/password-reset`),
      await supervisor.put(`/api/v1/users/${user.id}/password`, { password: 'Abcdefgh12', passwordConfirmation: 'Abcdefgh12' }),
      await supervisor.delete(`/api/v1/users/${user.id}`),
      await supervisor.post('/api/v1/queues', { kind: 'voice', name: 'Nope' }),
      await supervisor.post('/api/v1/extensions', { number: '7777' }),
    ];
    for (const w of writes) {
      expect(w.status).toBe(403);
      expect(w.body.error.code).toBe('forbidden');
    }
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user.version).toBe(user.version);
  });

  it('R2: an administrator cannot make anyone support', async () => {
    const user = await findUser(p.url, adminToken, 'agente04');
    const result = await admin.patch(`/api/v1/users/${user.id}`, { profile: 'support' }, { 'if-match': userEtag(user) });
    expect(result.status).toBe(403);
    const created = await admin.post('/api/v1/users', { name: 'S', email: 's@example.com', login: 'new-support', profile: 'support' });
    expect(created.status).toBe(403);
  });

  it('R3: saving omnichannel without WebRTC answers 422 on the omnichannel field and changes nothing', async () => {
    const user = await findUser(p.url, adminToken, 'agente03');
    expect(user.webrtcEnabled).toBe(false);
    const result = await admin.patch(`/api/v1/users/${user.id}`, { omnichannelEnabled: true }, { 'if-match': userEtag(user) });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe('webrtc_required');
    expect(result.body.error.fieldErrors.omnichannelEnabled).toEqual(['webrtc_required']);
    expect(result.body.error.message).toBe('Habilite o WebRTC para habilitar o agente para uso omnichannel.');
    const after = (await admin.get(`/api/v1/users/${user.id}`)).body.user;
    expect(after).toEqual(user);
    // Turning WebRTC off while omnichannel stays on is refused the same way.
    const ready = await findUser(p.url, adminToken, 'agente05');
    expect(ready.omnichannelEnabled).toBe(true);
    const off = await admin.patch(`/api/v1/users/${ready.id}`, { webrtcEnabled: false }, { 'if-match': userEtag(ready) });
    expect(off.status).toBe(422);
    // Both together are fine.
    const both = await admin.patch(`/api/v1/users/${user.id}`, { webrtcEnabled: true, omnichannelEnabled: true }, { 'if-match': userEtag(user) });
    expect(both.status).toBe(200);
    expect(both.body.user).toMatchObject({ webrtcEnabled: true, omnichannelEnabled: true, version: user.version + 1 });
  });

  it('R3: creating a user with omnichannel and without WebRTC answers 422', async () => {
    const support = client(p.url, await signIn(p.url, 'suporte'));
    const result = await support.post('/api/v1/users', { name: 'R3', email: 'r3@example.com', login: 'r3-user', profile: 'agent', omnichannelEnabled: true, webrtcEnabled: false });
    expect(result.status).toBe(422);
    expect(result.body.error.fieldErrors.omnichannelEnabled).toEqual(['webrtc_required']);
    expect((await support.get('/api/v1/users?q=r3-user')).body.items).toEqual([]);
  });

  it('R4: PATCH without If-Match answers 428; with a stale one 412 with the current user', async () => {
    const user = await findUser(p.url, adminToken, 'agente10');
    const missing = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Sem If-Match' });
    expect(missing.status).toBe(428);
    expect(missing.body.error.code).toBe('precondition_required');
    const first = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Primeira Edição' }, { 'if-match': userEtag(user) });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe(userEtag(first.body.user));
    const stale = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Edição Velha' }, { 'if-match': userEtag(user) });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe('stale_version');
    expect(stale.body.error.details.current).toEqual(first.body.user);
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user.name).toBe('Primeira Edição');
  });

  it('R4: editing a user logged into queues needs the confirmation (409 lists the sessions, nothing changes)', async () => {
    const user = await findUser(p.url, adminToken, 'agente01');
    const sessions = await admin.get(`/api/v1/users/${user.id}/queue-sessions`);
    expect(sessions.body.items.length).toBeGreaterThan(0);
    const refused = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Sem confirmação' }, { 'if-match': userEtag(user) });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('queue_logout_confirmation_required');
    expect(refused.body.error.details.sessions).toEqual(sessions.body.items);
    const declined = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Não', confirmQueueLogout: false }, { 'if-match': userEtag(user) });
    expect(declined.status).toBe(409);
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user).toEqual(user);
    expect((await admin.get(`/api/v1/users/${user.id}/queue-sessions`)).body.items).toEqual(sessions.body.items);
  });

  it('R4: a confirmed edit saves, ends every queue session and says which queues', async () => {
    const user = await findUser(p.url, adminToken, 'agente09');
    const sessions = (await admin.get(`/api/v1/users/${user.id}/queue-sessions`)).body.items;
    expect(sessions.length).toBeGreaterThan(0);
    const result = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Confirmado', confirmQueueLogout: true }, { 'if-match': userEtag(user) });
    expect(result.status).toBe(200);
    expect(result.body.user.name).toBe('Confirmado');
    expect(result.body.loggedOutQueues).toEqual(sessions.map((s: any) => ({ queueId: s.queueId, queueName: s.queueName, kind: s.kind })));
    expect((await admin.get(`/api/v1/users/${user.id}/queue-sessions`)).body.items).toEqual([]);
    const audit = (await admin.get(`/api/v1/users/${user.id}/audit`)).body.items.map((a: any) => a.action);
    expect(audit).toContain('user.updated');
    expect(audit).toContain('user.queue_logout');
  });

  it('R4: a confirmed edit retried with the same Idempotency-Key replays its answer (the queues logged out) and changes nothing more', async () => {
    const user = await findUser(p.url, adminToken, 'agente19');
    const sessions = (await admin.get(`/api/v1/users/${user.id}/queue-sessions`)).body.items;
    expect(sessions.length).toBeGreaterThan(0);
    const headers = { 'if-match': userEtag(user), 'idempotency-key': 'patch-agente19' };
    const first = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Uma vez só', confirmQueueLogout: true }, headers);
    const retry = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Uma vez só', confirmQueueLogout: true }, headers);
    expect(first.status).toBe(200);
    expect(first.body.loggedOutQueues.length).toBe(sessions.length);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user.version).toBe(user.version + 1);
    const other = await admin.patch(`/api/v1/users/${user.id}`, { name: 'Outra coisa', confirmQueueLogout: true }, headers);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_mismatch');
  });

  it('R4: a user without sessions is edited without confirmation and logs out of nothing', async () => {
    const user = await findUser(p.url, adminToken, 'agente12');
    expect((await admin.get(`/api/v1/users/${user.id}/queue-sessions`)).body.items).toEqual([]);
    const result = await admin.patch(`/api/v1/users/${user.id}`, { active: false }, { 'if-match': userEtag(user) });
    expect(result.status).toBe(200);
    expect(result.body.loggedOutQueues).toEqual([]);
  });

  it('R1: a login already used in the account answers 409 login_taken', async () => {
    const user = await findUser(p.url, adminToken, 'agente13');
    const result = await admin.patch(`/api/v1/users/${user.id}`, { login: 'agente14' }, { 'if-match': userEtag(user) });
    expect(result.status).toBe(409);
    expect(result.body.error.code).toBe('login_taken');
  });

  it('R1: unknown fields are refused (no mass assignment of account or profile data)', async () => {
    const user = await findUser(p.url, adminToken, 'agente15');
    const result = await admin.patch(`/api/v1/users/${user.id}`, { name: 'X Y', accountId: 'acc-autogerenciada', passwordHash: 'x' }, { 'if-match': userEtag(user) });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('validation_failed');
    expect(result.body.error.fieldErrors).toMatchObject({ accountId: ['unrecognized_key'], passwordHash: ['unrecognized_key'] });
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user).toEqual(user);
  });

  it('C2 (issue 10): a page with more after it says where the next one starts (Link rel="next"), with its limit and search; the last page has no link', async () => {
    const pages: Array<{ link: string | null; cursor: string; hasMore: boolean }> = [];
    let url = '/api/v1/users?limit=20';
    for (;;) {
      const answer = await admin.get(url);
      expect(answer.status).toBe(200);
      const link = answer.headers.get('link');
      pages.push({ link, cursor: answer.body.cursor, hasMore: answer.body.hasMore });
      if (!link) break;
      url = /^<([^>]+)>; rel="next"$/.exec(link)![1]!;
    }
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages.slice(0, -1)) {
      expect(page.hasMore).toBe(true);
      expect(page.link).toBe(`</api/v1/users?since=${page.cursor}&limit=20>; rel="next"`);
      expect(usersNextSince(page.link!)).toBe(page.cursor);
    }
    expect(pages.at(-1)!.hasMore).toBe(false);
    // Following the links lists what one large page lists.
    const all = (await admin.get('/api/v1/users?limit=1000')).body;
    expect(all.hasMore).toBe(false);
    expect(pages.at(-1)!.cursor).toBe(all.cursor);
    // A search keeps its text in the link.
    const searched = await admin.get(`/api/v1/users?limit=2&q=${encodeURIComponent('agente0')}`);
    expect(searched.body.hasMore).toBe(true);
    expect(searched.headers.get('link')).toBe(`</api/v1/users?since=${searched.body.cursor}&limit=2&q=agente0>; rel="next"`);
  });

  it('C2: ?since returns only changes after the cursor, and tombstones of deleted users', async () => {
    let cursor = '0';
    for (;;) {
      const page = (await admin.get(`/api/v1/users?limit=1000&since=${cursor}`)).body;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const empty = (await admin.get(`/api/v1/users?since=${cursor}`)).body;
    expect(empty).toEqual({ items: [], deletedIds: [], cursor, hasMore: false });

    const changed = await findUser(p.url, adminToken, 'agente16');
    const deleted = await findUser(p.url, adminToken, 'agente17');
    expect((await admin.patch(`/api/v1/users/${changed.id}`, { name: 'Mudou' }, { 'if-match': userEtag(changed) })).status).toBe(200);
    expect((await admin.delete(`/api/v1/users/${deleted.id}`)).status).toBe(204);
    const delta = ListUsersResponseSchema.parse((await admin.get(`/api/v1/users?since=${cursor}`)).body);
    expect(delta.items.map((u) => u.id)).toEqual([changed.id]);
    expect(delta.deletedIds).toEqual([deleted.id]);
    expect(Number(delta.cursor)).toBeGreaterThan(Number(cursor));
    expect((await admin.get(`/api/v1/users/${deleted.id}`)).status).toBe(404);
    // Paged one at a time, the delta comes in sequence order.
    const first = (await admin.get(`/api/v1/users?since=${cursor}&limit=1`)).body;
    expect(first).toMatchObject({ hasMore: true, deletedIds: [] });
    expect(first.items.map((u: any) => u.id)).toEqual([changed.id]);
    const second = (await admin.get(`/api/v1/users?since=${first.cursor}&limit=1`)).body;
    expect(second).toMatchObject({ items: [], deletedIds: [deleted.id], hasMore: false });
    // Asked for, the first page says how many changes the listing goes through (sync progress).
    expect((await admin.get(`/api/v1/users?since=${cursor}&limit=1&withTotal=true`)).body.total).toBe(2);
    expect((await admin.get(`/api/v1/users?since=${first.cursor}&withTotal=true`)).body.total).toBe(1);
    // A listing of one page (counted from the page) and of several (counted by the database) agree, with a search too.
    expect((await admin.get(`/api/v1/users?since=${cursor}&withTotal=true`)).body).toMatchObject({ hasMore: false, total: 2 });
    expect((await admin.get('/api/v1/users?q=mudou&withTotal=true')).body).toMatchObject({ hasMore: false, total: 1 });
    const agents: any = (await admin.get('/api/v1/users?q=agente&limit=1000')).body;
    expect(agents.items.length).toBeGreaterThan(2);
    expect((await admin.get('/api/v1/users?q=agente&limit=2&withTotal=true')).body).toMatchObject({ hasMore: true, total: agents.items.length });
    expect((await admin.get(`/api/v1/users?since=${cursor}&limit=1`)).body.total).toBeUndefined();
    let everyone = 0;
    for (let since: string | null = null; ; ) {
      const page: any = (await admin.get(`/api/v1/users?limit=20${since ? `&since=${since}` : ''}`)).body;
      everyone += page.items.length;
      since = page.cursor;
      if (!page.hasMore) break;
    }
    expect((await admin.get('/api/v1/users?limit=20&withTotal=true')).body.total).toBe(everyone);
    expect((await admin.get('/api/v1/users?withTotal=maybe')).status).toBe(400);
  });

  it('C2: search is accent-insensitive on name, login and email', async () => {
    const support = client(p.url, await signIn(p.url, 'suporte'));
    const created = await support.post('/api/v1/users', { name: 'Conceição Araújo', email: 'conceicao@example.com', login: 'conceicao', profile: 'agent' });
    expect(created.status).toBe(201);
    const found = (await admin.get('/api/v1/users?q=CONCEICAO%20ARAUJO')).body.items.map((u: any) => u.login);
    expect(found).toEqual(['conceicao']);
  });

  it('R2: an administrator cannot delete, edit, reset or set the password of a support user, nor delete themselves', async () => {
    // Issue 9 class 1: support lives in the operator scope, out of an administrator's reach (404).
    const supportToken = await signIn(p.url, 'suporte', 'operator');
    const support = await findUser(p.url, supportToken, 'suporte');
    const me = await findUser(p.url, adminToken, 'admin');
    expect((await admin.delete(`/api/v1/users/${support.id}`)).status).toBe(404);
    expect((await admin.patch(`/api/v1/users/${support.id}`, { name: 'X Y' }, { 'if-match': userEtag(support) })).status).toBe(404);
    expect((await admin.post(`/api/v1/users/${support.id}/password-reset`)).status).toBe(404);
    expect((await admin.put(`/api/v1/users/${support.id}/password`, { password: 'Temporaria-Jabuticaba-26', passwordConfirmation: 'Temporaria-Jabuticaba-26' })).status).toBe(404);
    const self = await admin.delete(`/api/v1/users/${me.id}`);
    expect(self.status).toBe(403);
    expect((await client(p.url, supportToken).get(`/api/v1/users/${support.id}`)).body.user).toEqual(support);
  });

  it('R2 (only Support changes Support users): an administrator cannot give a support user an extension or queues, nor take them away', async () => {
    // Support lives in the operator scope (issue 9 class 1), so these answer 404; src-shared supportRule would refuse them (403) too.
    const supportToken = await signIn(p.url, 'suporte', 'operator');
    const support = await findUser(p.url, supportToken, 'suporte');
    const freeExtension = (await admin.get('/api/v1/extensions')).body.items.find((e: any) => e.userId === null);
    const queue = (await admin.get('/api/v1/queues')).body.items.find((q: any) => q.kind === 'voice');
    expect((await admin.put(`/api/v1/users/${support.id}/extension`, { extensionId: freeExtension.id })).status).toBe(404);
    expect((await admin.delete(`/api/v1/users/${support.id}/extension`)).status).toBe(404);
    expect((await admin.put(`/api/v1/queues/${queue.id}/members/${support.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/v1/queues/${queue.id}/members/${support.id}`)).status).toBe(404);
    expect((await client(p.url, supportToken).get(`/api/v1/users/${support.id}`)).body.user).toEqual(support);
  });

  it('R1: every change is audited with who, when and before/after', async () => {
    const user = await findUser(p.url, adminToken, 'agente18');
    await admin.patch(`/api/v1/users/${user.id}`, { name: 'Auditada' }, { 'if-match': userEtag(user) });
    const [entry] = (await admin.get(`/api/v1/users/${user.id}/audit`)).body.items;
    expect(entry).toMatchObject({ action: 'user.updated', actorName: 'Administradora Demo', targetType: 'user', targetId: user.id });
    expect(entry.before.name).toBe(user.name);
    expect(entry.after.name).toBe('Auditada');
    expect(Number.isNaN(Date.parse(entry.at))).toBe(false);
    expect((await supervisor.get(`/api/v1/users/${user.id}/audit`)).status).toBe(200);
  });

  it('R4: two concurrent edits with the same If-Match: exactly one wins, the other gets 412', async () => {
    const user = await findUser(p.url, adminToken, 'agente20');
    const results = await Promise.all(['Corrida A', 'Corrida B'].map((name) => admin.patch(`/api/v1/users/${user.id}`, { name }, { 'if-match': userEtag(user) })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.status === 200)?.body.user;
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user).toEqual(winner);
  });
});
