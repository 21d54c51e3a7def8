/* eslint-disable @typescript-eslint/no-explicit-any -- test JSON bodies are checked by the assertions that read them */
/**
 * Issue 9 class 1 (R2): support is the vendor's staff, not a member of a customer account. Support
 * lives in the platform's operator scope, signs in only with the platform's own password, acts in
 * every account, and no customer's identity provider can ever yield a support session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userEtag } from '../../../src-shared/platform-api';
import { startSsoFixture, type SsoFixture } from '../../support/local-idp-platform';
import { client, findUser, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const SIGN_IN_TIMEOUT = 30_000;

describe('issue 9 class 1: a customer identity provider never yields a support session', () => {
  let sso: SsoFixture;
  beforeAll(async () => {
    // The account administrator of `demo` points the account's provider at a server it controls,
    // whose directory has users named like the vendor's support login and its emails.
    sso = await startSsoFixture(
      [
        { oid: 'oid-fake-support', login: 'suporte', name: 'Not really support' },
        { oid: 'oid-fake-support-email', login: 'suporte@demo.omniconsole.example', name: 'Not really support either' },
        { oid: 'oid-fake-support-operator-email', login: 'suporte@suporte.omniconsole.example', name: 'Nor this one' },
        { oid: 'oid-admin', login: 'admin', name: 'The administrator' },
      ],
      { account: 'demo', configuredBy: 'admin' },
    );
  }, 60_000);
  afterAll(async () => sso?.close());

  const supportSessions = () =>
    sso.sql<{ n: number }>("SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.profile = 'support'")[0]?.n;
  const supportLinks = () =>
    sso.sql<{ n: number }>("SELECT count(*) AS n FROM microsoft_identities m JOIN users u ON u.id = m.user_id WHERE u.profile = 'support'")[0]?.n;

  it('issue 9 class 1 / R2: a token minted for the support login, or its emails, gets 401 and no session', { timeout: 3 * SIGN_IN_TIMEOUT }, async () => {
    const before = supportSessions();
    for (const login of ['suporte', 'suporte@demo.omniconsole.example', 'suporte@suporte.omniconsole.example']) {
      const answer = await sso.exchange((await sso.tokensFor(login)).accessToken);
      expect(answer.status, login).toBe(401);
      expect(answer.body['token'], login).toBeUndefined();
    }
    expect(supportSessions()).toBe(before);
    expect(supportLinks()).toBe(0);
  });

  it('issue 9 class 1: the same provider still signs the account\'s own users in (the refusal is about support)', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const answer = await sso.exchange((await sso.tokensFor('admin')).accessToken);
    expect(answer.status).toBe(200);
    expect(answer.body['user']).toMatchObject({ login: 'admin', profile: 'administrator', accountId: 'acc-demo' });
  });
});

describe('issue 9 class 1 / R2: support lives in the operator scope and acts in every account', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => p?.stop());

  it('issue 9 class 1 / R2: support signs in with the platform password into any account (self-managed too) and edits there', async () => {
    for (const account of ['demo', 'autogerenciada']) {
      const support = client(p.url, await signIn(p.url, 'suporte', account));
      const me = await support.get('/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.user).toMatchObject({ login: 'suporte', profile: 'support', accountId: 'operator' });
      expect(me.body.account.slug).toBe(account);
      const users = (await support.get('/api/v1/users?limit=1000')).body.items as any[];
      expect(users.length).toBeGreaterThan(0);
      // Support is nobody's user: no customer account lists it.
      expect(users.some((u) => u.profile === 'support')).toBe(false);
    }
    const support = client(p.url, await signIn(p.url, 'suporte'));
    const agent = await findUser(p.url, await signIn(p.url, 'admin'), 'agente04');
    const edited = await support.patch(`/api/v1/users/${agent.id}`, { name: 'Editado pelo Suporte' }, { 'if-match': userEtag(agent) });
    expect(edited.status).toBe(200);
  });

  it('issue 9 class 1 / R2: the support profile exists only in the operator scope', async () => {
    const supportInDemo = client(p.url, await signIn(p.url, 'suporte'));
    const admin = client(p.url, await signIn(p.url, 'admin'));
    const inCustomer = await supportInDemo.post('/api/v1/users', { name: 'Novo Suporte', email: 'novo.suporte@example.com', login: 'novo-suporte', profile: 'support' });
    expect(inCustomer.status).toBe(403);
    expect(inCustomer.body.error.code).toBe('support_operator_scope');
    expect(inCustomer.body.error.fieldErrors.profile).toEqual(['support_operator_scope']);
    const agent = await findUser(p.url, await signIn(p.url, 'admin'), 'agente06');
    const promote = await supportInDemo.patch(`/api/v1/users/${agent.id}`, { profile: 'support' }, { 'if-match': userEtag(agent) });
    expect(promote.status).toBe(403);
    expect((await admin.get(`/api/v1/users/${agent.id}`)).body.user.profile).toBe('agent');

    // Support manages support staff in the operator scope itself, and only support staff there.
    const operator = client(p.url, await signIn(p.url, 'suporte', 'operator'));
    const created = await operator.post('/api/v1/users', { name: 'Segundo Suporte', email: 'segundo@suporte.example', login: 'suporte2', profile: 'support' });
    expect(created.status).toBe(201);
    expect(created.body.user.accountId).toBe('operator');
    const agentThere = await operator.post('/api/v1/users', { name: 'Agente Errado', email: 'errado@suporte.example', login: 'errado', profile: 'agent' });
    expect(agentThere.status).toBe(403);
    expect(agentThere.body.error.code).toBe('support_operator_scope');
    // A support login is reserved in every customer account: it could shadow support's sign-in.
    const clash = await admin.post('/api/v1/users', { name: 'Homônimo', email: 'homonimo@example.com', login: 'suporte2', profile: 'agent' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('login_taken');
  });

  it('issue 9 class 1: an administrator never sees or reaches a support user, nor signs into the operator scope', async () => {
    const adminToken = await signIn(p.url, 'admin');
    const admin = client(p.url, adminToken);
    const supportId = (await p.query<{ id: string }>("SELECT id FROM users WHERE login = 'suporte'"))[0]!.id;
    expect((await admin.get(`/api/v1/users/${supportId}`)).status).toBe(404);
    expect((await admin.post(`/api/v1/users/${supportId}/password-reset`)).status).toBe(404);
    expect(((await admin.get(`/api/v1/users?q=suporte`)).body.items as any[]).filter((u) => u.id === supportId || u.profile === 'support')).toEqual([]);
    const intoOperator = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'operator', login: 'admin', password: 'Girassol-Pesqueiro-93' } });
    expect(intoOperator.status).toBe(401);
    // Support cannot give the operator scope an identity provider either.
    const operator = client(p.url, await signIn(p.url, 'suporte', 'operator'));
    const idp = await operator.put('/api/v1/accounts/current/identity-provider', {
      enabled: true,
      tenantId: '7f3c2a10-5b4e-4c1d-9a8b-0d6e2f1c3b5a',
      clientId: 'c0ffee00-1234-4abc-9def-00000000a11d',
      authority: 'https://login.microsoftonline.com/7f3c2a10-5b4e-4c1d-9a8b-0d6e2f1c3b5a/v2.0',
    });
    expect(idp.status).toBe(403);
  });

  it('issue 9 class 1: a support session that did not come from the platform password is refused', async () => {
    const token = randomBytes(32).toString('base64url');
    const supportId = (await p.query<{ id: string }>("SELECT id FROM users WHERE login = 'suporte'"))[0]!.id;
    await p.query(
      "INSERT INTO sessions (token_hash, user_id, account_id, expires_at, created_at, method) VALUES (?, ?, 'acc-demo', ?, ?, 'microsoft')",
      createHash('sha256').update(token).digest('hex'),
      supportId,
      new Date(Date.now() + 3600_000).toISOString(),
      new Date().toISOString(),
    );
    const me = await http(p.url, 'GET', '/api/v1/me', { token });
    expect(me.status).toBe(401);
  });
});
