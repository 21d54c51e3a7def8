/**
 * Issue 9 class 2 (R11): an account's identity-provider settings are Microsoft's. https only, one of
 * Microsoft's cloud authority hosts, the authority's tenant is the configured tenant; enabling reads
 * the authority's OpenID configuration and keys (422 with the reason otherwise). A local test
 * authority is accepted only when the platform was started with it. The public providers route
 * publishes only what a sign-in screen needs.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestCertificates, startLocalIdp, type LocalIdp } from '../../support/local-idp';
import { client, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const tenant = randomUUID();
const clientId = randomUUID();

/** An HTTPS server that looks like an authority but answers wrongly, per tenant path. */
async function startFakeAuthority(): Promise<{ origin: string; caCert: string; tenants: Record<'wrongIssuer' | 'foreignKeys' | 'noKeys', string>; close(): Promise<void> }> {
  const { caCert, cert, key } = await generateTestCertificates();
  const tenants = { wrongIssuer: randomUUID(), foreignKeys: randomUUID(), noKeys: randomUUID() };
  const server = https.createServer({ cert, key }, (req, res) => {
    const origin = `https://${req.headers.host}`;
    const [, tenantId, , ...rest] = (req.url ?? '').split('/');
    const path = rest.join('/');
    const issuer = `${origin}/${tenantId}/v2.0`;
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '.well-known/openid-configuration') {
      if (tenantId === tenants.wrongIssuer) return json({ issuer: `https://login.microsoftonline.com/${tenantId}/v2.0`, jwks_uri: `${origin}/${tenantId}/v2.0/keys` });
      if (tenantId === tenants.foreignKeys) return json({ issuer, jwks_uri: `https://keys.attacker.example/${tenantId}/keys` });
      if (tenantId === tenants.noKeys) return json({ issuer, jwks_uri: `${origin}/${tenantId}/v2.0/keys` });
    }
    if (path === 'keys') return json({ keys: [] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caCert,
    tenants,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An origin nothing listens on. */
async function closedOrigin(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `https://127.0.0.1:${port}`;
}

describe('issue 9 class 2: identity-provider settings are Microsoft\'s', () => {
  let idp: LocalIdp;
  let fake: Awaited<ReturnType<typeof startFakeAuthority>>;
  let closed: string;
  let withTestAuthorities: TestPlatform;
  let plain: TestPlatform;

  beforeAll(async () => {
    idp = await startLocalIdp({ users: [{ oid: 'oid-admin', login: 'admin', name: 'Admin' }] });
    fake = await startFakeAuthority();
    closed = await closedOrigin();
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await idp?.close();
  });

  // One platform at a time: started without test authorities, then with them.
  describe('a platform started without test authorities', () => {
  beforeAll(async () => {
    plain = await startTestPlatform({ microsoftCa: idp.caCert });
  });
  afterAll(async () => plain?.stop());

  const admin = async (p: TestPlatform) => client(p.url, await signIn(p.url, 'admin'));
  const provider = async (p: TestPlatform) => (await (await admin(p)).get('/api/v1/accounts/current')).body.account.identityProvider;

  it('issue 9 class 2: https only, a Microsoft authority host, its tenant the configured one, GUID ids; each refusal is 422, says why and changes nothing', async () => {
    const api = await admin(plain);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ authority: `http://login.microsoftonline.com/${tenant}/v2.0` }, 'authority', 'authority_not_https'],
      [{ authority: `https://attacker.example/${tenant}/v2.0` }, 'authority', 'authority_not_microsoft'],
      [{ authority: `https://login.microsoftonline.com.attacker.example/${tenant}/v2.0` }, 'authority', 'authority_not_microsoft'],
      [{ authority: `https://login.microsoftonline.com:8443/${tenant}/v2.0` }, 'authority', 'authority_not_microsoft'],
      [{ authority: `https://someone@login.microsoftonline.com/${tenant}/v2.0` }, 'authority', 'authority_not_microsoft'],
      [{ authority: `https://login.microsoftonline.de/${tenant}/v2.0` }, 'authority', 'authority_not_microsoft'],
      [{ authority: `https://login.microsoftonline.com/${randomUUID()}/v2.0` }, 'authority', 'authority_tenant_mismatch'],
      [{ authority: `https://login.microsoftonline.com/common/v2.0` }, 'authority', 'authority_tenant_mismatch'],
      [{ tenantId: 'contoso', authority: 'https://login.microsoftonline.com/contoso/v2.0' }, 'tenantId', 'guid_required'],
      [{ clientId: 'my-app' }, 'clientId', 'guid_required'],
    ];
    for (const [change, field, problem] of cases) {
      const body = { enabled: false, tenantId: tenant, clientId, authority: `https://login.microsoftonline.com/${tenant}/v2.0`, ...change };
      const answer = await api.put('/api/v1/accounts/current/identity-provider', body, { 'accept-language': 'en' });
      expect(answer.status, JSON.stringify(change)).toBe(422);
      expect(answer.body.error.code).toBe('identity_provider_invalid');
      expect(answer.body.error.fieldErrors[field], JSON.stringify(change)).toEqual([problem]);
      expect(answer.body.error.message).toMatch(/Microsoft authority/);
    }
    expect(await provider(plain)).toBeNull();
    // Microsoft's national clouds are Microsoft's too (saved disabled: nothing is fetched).
    for (const host of ['login.microsoftonline.us', 'login.partner.microsoftonline.cn', 'login.chinacloudapi.cn', 'login.microsoftonline.com']) {
      const answer = await api.put('/api/v1/accounts/current/identity-provider', { enabled: false, tenantId: tenant, clientId, authority: `https://${host}/${tenant.toUpperCase()}` });
      expect(answer.status, host).toBe(200);
      expect(answer.body.account.identityProvider.authority).toBe(`https://${host}/${tenant}/v2.0`);
    }
  });

  it('issue 9 class 2: a local authority is refused through the API unless the platform was started with it, and never used from stored settings', async () => {
    const api = await admin(plain);
    const before = await provider(plain);
    const refused = await api.put('/api/v1/accounts/current/identity-provider', { enabled: true, tenantId: idp.tenantId, clientId: idp.clientId, authority: idp.issuer });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fieldErrors.authority).toEqual(['authority_not_microsoft']);
    expect(await provider(plain)).toEqual(before);
    // Settings written before validation existed (straight into the database) are not used either.
    await plain.query(
      `UPDATE accounts SET idp_enabled = ${plain.dialect === 'postgres' ? 'true' : '1'}, idp_tenant_id = ?, idp_client_id = ?, idp_authority = ? WHERE slug = 'demo'`,
      idp.tenantId,
      idp.clientId,
      idp.issuer,
    );
    const discoveries = () => idp.requests.filter((r) => r.path.includes('openid-configuration')).length;
    const asked = discoveries();
    const answer = await http(plain.url, 'POST', '/api/v1/auth/microsoft', { body: { account: 'demo', accessToken: 'x'.repeat(100) } });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'identity_provider_disabled', details: { reason: 'settings_invalid' } });
    expect(discoveries()).toBe(asked);
  });
  });

  describe('a platform started with test authorities', () => {
  beforeAll(async () => {
    withTestAuthorities = await startTestPlatform({
      microsoftCa: `${idp.caCert}\n${fake.caCert}`,
      microsoftTestAuthorities: [`https://${idp.host}`, fake.origin, closed],
    });
  });
  afterAll(async () => withTestAuthorities?.stop());
  const admin = async (p: TestPlatform) => client(p.url, await signIn(p.url, 'admin'));
  const provider = async (p: TestPlatform) => (await (await admin(p)).get('/api/v1/accounts/current')).body.account.identityProvider;

  it('issue 9 class 2: enabling reads the authority\'s OpenID configuration and keys: silence, another issuer, keys elsewhere or no keys are refused (422, with the reason)', async () => {
    const api = await admin(withTestAuthorities);
    const enable = (origin: string, tenantId: string) =>
      api.put('/api/v1/accounts/current/identity-provider', { enabled: true, tenantId, clientId, authority: `${origin}/${tenantId}/v2.0` });
    const cases: [string, string, string, string][] = [
      [closed, tenant, 'identity_provider_unreachable', 'openid_configuration_unreachable'],
      [fake.origin, randomUUID(), 'identity_provider_unreachable', 'openid_configuration_unreachable'],
      [fake.origin, fake.tenants.wrongIssuer, 'identity_provider_issuer_mismatch', 'issuer_mismatch'],
      [fake.origin, fake.tenants.foreignKeys, 'identity_provider_unreachable', 'jwks_uri_invalid'],
      [fake.origin, fake.tenants.noKeys, 'identity_provider_unreachable', 'no_signing_keys'],
    ];
    for (const [origin, tenantId, code, reason] of cases) {
      const answer = await enable(origin, tenantId);
      expect(answer.status, reason).toBe(422);
      expect(answer.body.error, reason).toMatchObject({ code, details: { reason }, fieldErrors: { authority: [code] } });
    }
    expect(await provider(withTestAuthorities)).toBeNull();
    const ok = await api.put('/api/v1/accounts/current/identity-provider', { enabled: true, tenantId: idp.tenantId, clientId: idp.clientId, authority: idp.issuer });
    expect(ok.status).toBe(200);
    expect(ok.body.account.identityProvider).toEqual({ enabled: true, tenantId: idp.tenantId, clientId: idp.clientId, authority: idp.issuer });
  });

  it('issue 9 class 2: the public providers route publishes only what a sign-in screen needs', async () => {
    const answer = await http(withTestAuthorities.url, 'GET', '/api/v1/auth/providers?account=demo');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(['microsoft', 'password', 'selfManaged']);
    expect(Object.keys(answer.body.microsoft).sort()).toEqual(['authority', 'clientId', 'scopes']);
    expect(JSON.stringify(answer.body)).not.toContain('Contact Center Demo');
  });
});
});
