/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELF_MANAGED_MESSAGE_PT } from '../../../src-shared/errors';
import { startLocalIdp, type LocalIdp } from '../../support/local-idp';
import { client, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('self-managed accounts (R11)', () => {
  let p: TestPlatform;
  let idp: LocalIdp;
  let support: ReturnType<typeof client>;
  let users: any[];
  const snapshot = async () => ({
    users: await p.query('select id, password_hash, must_change_password, version from users where account_id = ? order by id', 'acc-autogerenciada'),
    tokens: await p.query('select count(*) as n from reset_tokens'),
    outbox: await p.query('select count(*) as n from outbox'),
  });
  beforeAll(async () => {
    // Enabling a provider reads its authority (issue 9 class 2): a local one, allowed at start.
    idp = await startLocalIdp({ users: [] });
    p = await startTestPlatform({ microsoftCa: idp.caCert, microsoftTestAuthorities: [`https://${idp.host}`] });
    support = client(p.url, await signIn(p.url, 'suporte', 'autogerenciada'));
    users = (await support.get('/api/v1/users')).body.items;
  });
  afterAll(async () => {
    await p.stop();
    await idp.close();
  });

  const expectSelfManaged = (result: { status: number; body: any }) => {
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe('self_managed_account');
    expect(result.body.error.message).toBe(SELF_MANAGED_MESSAGE_PT);
  };

  it('R11: users of the account are marked self-managed', () => {
    expect(users.length).toBe(3);
    expect(users.every((u) => u.selfManaged === true)).toBe(true);
  });

  it('R11: forgot-password, admin reset, admin set-password and password login answer the exact message and change nothing', async () => {
    const before = await snapshot();
    const target = users.find((u) => u.login === 'igor');
    expectSelfManaged(await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'autogerenciada', login: 'igor' } }));
    expectSelfManaged(await support.post(`/api/v1/users/${target.id}/password-reset`));
    expectSelfManaged(await support.put(`/api/v1/users/${target.id}/password`, { password: 'Temporaria-Jabuticaba-26', passwordConfirmation: 'Temporaria-Jabuticaba-26' }));
    expectSelfManaged(await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'autogerenciada', login: 'igor', password: 'Qualquer2026' } }));
    expect(await snapshot()).toEqual(before);
    expect(p.mailbox.list()).toEqual([]);
    expect((await support.get(`/api/v1/users/${target.id}/audit`)).body.items).toEqual([]);
  });

  it('R11: the English message is the translation', async () => {
    const result = await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'autogerenciada', login: 'igor' }, headers: { 'accept-language': 'en' } });
    expect(result.status).toBe(422);
    expect(result.body.error.message).toBe('This user belongs to a self-managed group. Contact the account Administrator');
  });

  it('R11: an administrator configures the identity provider (audited); disabling it makes the account password-based again', async () => {
    const admin = client(p.url, await signIn(p.url, 'admin'));
    const current = (await admin.get('/api/v1/accounts/current')).body.account;
    expect(current.identityProvider).toBeNull();
    const before = (await admin.get('/api/v1/users?limit=1000')).body;
    const settings = { tenantId: idp.tenantId, clientId: idp.clientId, authority: idp.issuer };
    const set = await admin.put('/api/v1/accounts/current/identity-provider', { enabled: true, ...settings });
    expect(set.status).toBe(200);
    expect(set.body.account.identityProvider).toEqual({ enabled: true, ...settings });
    const providers = (await http(p.url, 'GET', '/api/v1/auth/providers?account=demo')).body;
    expect(providers).toMatchObject({ selfManaged: true, password: false, microsoft: { authority: idp.issuer, clientId: idp.clientId } });
    // Every user now carries selfManaged: a delta sync brings them all.
    const delta = (await admin.get(`/api/v1/users?limit=1000&since=${before.cursor}`)).body;
    expect(delta.items.length).toBe(before.items.length);
    expect(delta.items.every((u: any) => u.selfManaged)).toBe(true);
    const audit = await p.query<{ action: string; actor_name: string }>("select action, actor_name from audit_entries where target_type = 'account'");
    expect(audit).toEqual([{ action: 'account.identity_provider_set', actor_name: 'Administradora Demo' }]);
    // Support may still reach the account by password; its own users may not.
    expect((await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: 'Girassol-Pesqueiro-93' } })).status).toBe(422);
    const off = await admin.put('/api/v1/accounts/current/identity-provider', { enabled: false, ...settings });
    expect(off.status).toBe(200);
    expect((await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: 'Girassol-Pesqueiro-93' } })).status).toBe(200);
  });

  it('R11: a supervisor cannot change the identity provider', async () => {
    const sup = client(p.url, await signIn(p.url, 'supervisor'));
    const result = await sup.put('/api/v1/accounts/current/identity-provider', { enabled: true, tenantId: 't', clientId: 'c', authority: 'https://login.microsoftonline.com/t/v2.0' });
    expect(result.status).toBe(403);
  });
});
