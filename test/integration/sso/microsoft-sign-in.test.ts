/**
 * Microsoft sign-in end to end without Microsoft: the console's real MSAL code against a local
 * Entra-shaped OpenID Connect provider over HTTPS (test CA generated at start), and a real platform
 * that verifies the access token with jose and returns a session (R11, C3).
 */
import { createHmac, createPublicKey, randomBytes, type JsonWebKey as NodeJwk } from 'node:crypto';
import https from 'node:https';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProvidersResponse, SessionResponse } from '../../../src-shared/platform-api';
import { AesFileSecretStore } from '../../../src-main/auth/secret-store';
import { MsalMicrosoftSignIn } from '../../../src-main/auth/microsoft/msal-sign-in';
import { PlatformClient } from '../../../src-main/platform/platform-client';
import { DEMO_PASSWORD, SELF_MANAGED_ACCOUNT_SLUG, startPlatform, type RunningPlatform } from '../../../src-platform/server';
import { startLocalIdp, type LocalIdp } from '../../support/local-idp';

const ACCOUNT = SELF_MANAGED_ACCOUNT_SLUG;
const HELENA_UPN = 'helena@autogerenciada.omniconsole.example';
const SIGN_IN_TIMEOUT = 30_000;

let dir: string;
let idp: LocalIdp;
let foreignIdp: LocalIdp;
let platform: RunningPlatform;
let client: PlatformClient;
let secretKey: Buffer;
let providers: ProvidersResponse;

async function api(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const response = await fetch(`${platform.url}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } } };
}

function query<T>(statement: string, ...params: unknown[]): T[] {
  const db = new BetterSqlite3(join(dir, 'platform.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(statement).all(...params) as T[];
  } finally {
    db.close();
  }
}

function countRows(table: 'users' | 'sessions'): number {
  return query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)[0]?.n ?? -1;
}

/** A console-side sign-in service whose "browser" completes the provider's pages over HTTP. */
function consoleSignIn(store: AesFileSecretStore, browser: LocalIdp | null, login: string, opened: string[] = []) {
  return new MsalMicrosoftSignIn({
    secretStore: store,
    ca: [idp.caCert, foreignIdp.caCert],
    interactiveTimeoutMs: 20_000,
    openBrowser: async (url) => {
      opened.push(url);
      if (!browser) throw new Error('the browser must not open for a silent sign-in');
      // Like a real browser, the page loads after openBrowser returns; failures surface as a timeout.
      void browser.signInWithHttp(url, login).catch((error: unknown) => console.error('browser step failed:', error));
    },
  });
}

const exchange = (accessToken: string): Promise<SessionResponse> => client.loginMicrosoft({ account: ACCOUNT, accessToken });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omni-sso-'));
  secretKey = randomBytes(32);
  const users = [
    { oid: 'oid-helena', login: HELENA_UPN, name: 'Helena Autogerenciada' },
    { oid: 'oid-mallory', login: 'mallory@elsewhere.example', name: 'Mallory' },
  ];
  idp = await startLocalIdp({ users, accessTokenTtlSeconds: 4 });
  // Another directory with the same app id and, as in Entra, the same signing keys: only the
  // issuer and tid tell its tokens apart, and they must never open a session here.
  foreignIdp = await startLocalIdp({ users, clientId: idp.clientId, signingKey: idp.signingKey });
  platform = await startPlatform({ dbFile: join(dir, 'platform.sqlite'), port: 0, demo: true, argon2: { memoryCost: 8192, timeCost: 2 }, microsoftCa: idp.caCert, microsoftTestAuthorities: [`https://${idp.host}`] });
  client = new PlatformClient({ baseUrl: platform.url, retries: 0 });

  // Support configures the self-managed account's provider to the local tenant (audited).
  const support = await api('/auth/login', { method: 'POST', body: { account: ACCOUNT, login: 'suporte', password: DEMO_PASSWORD } });
  expect(support.status).toBe(200);
  const put = await api('/accounts/current/identity-provider', {
    method: 'PUT',
    token: support.body['token'] as string,
    body: { enabled: true, tenantId: idp.tenantId, clientId: idp.clientId, authority: idp.issuer },
  });
  expect(put.status).toBe(200);
  providers = await client.providers(ACCOUNT);
}, 60_000);

afterAll(async () => {
  await platform?.close();
  await idp?.close();
  await foreignIdp?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Microsoft sign-in against a local Entra-shaped provider', () => {
  it('R11: providers carry the authority, client id and scopes from the platform (no tenant in the build)', () => {
    expect(providers.microsoft).toMatchObject({ authority: idp.issuer, clientId: idp.clientId });
    expect(providers.microsoft?.scopes).toContain(idp.apiScope);
    expect(providers.password).toBe(false);
  });

  it('R11: the console signs in with MSAL (PKCE, loopback) and the platform returns a session', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const opened: string[] = [];
    const store = new AesFileSecretStore(join(dir, 'secrets'), secretKey);
    const session = await consoleSignIn(store, idp, HELENA_UPN, opened).signIn({ account: ACCOUNT, providers, exchange });

    expect(opened).toHaveLength(1);
    const authorize = new URL(opened[0] ?? '');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+$/);
    expect(authorize.searchParams.get('response_mode')).toBe('form_post');
    expect(session.user.login).toBe('helena');
    expect(session.account.slug).toBe(ACCOUNT);
    const me = await api('/me', { token: session.token });
    expect(me.status).toBe(200);
    expect((me.body['user'] as { login: string }).login).toBe('helena');
    // First sign-in linked the Entra oid to the existing user, and the link is audited.
    expect(query('SELECT oid, tenant_id FROM microsoft_identities WHERE user_id = ?', session.user.id)).toEqual([{ oid: 'oid-helena', tenant_id: idp.tenantId }]);
    const audit = query<{ action: string }>('SELECT action FROM audit_entries WHERE target_id = ? AND action = ?', session.user.id, 'user.microsoft_identity_linked');
    expect(audit).toHaveLength(1);
  });

  it('R11: a restarted console signs in silently from the cache persisted in the encrypted secret store', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const store = new AesFileSecretStore(join(dir, 'secrets'), secretKey);
    const authorizations = idp.requests.filter((r) => r.path === '/auth').length;
    const opened: string[] = [];
    const session = await consoleSignIn(store, null, HELENA_UPN, opened).signIn({ account: ACCOUNT, providers, exchange });
    expect(opened).toEqual([]);
    expect(idp.requests.filter((r) => r.path === '/auth').length).toBe(authorizations);
    expect(session.user.login).toBe('helena');
    // The same cache under another key is unreadable: it is encrypted, not plain JSON.
    const wrongKey = new AesFileSecretStore(join(dir, 'secrets'), randomBytes(32));
    const key = readdirSync(join(dir, 'secrets')).find((f) => f.startsWith('msal-cache-'))?.replace(/\.secret$/, '');
    expect(key).toBeDefined();
    expect(await wrongKey.get(key ?? '')).toBeNull();
    expect(await store.get(key ?? '')).toContain('RefreshToken');
  });

  it('C3: after the access token expires, MSAL refreshes silently and the platform accepts the new token', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const store = new AesFileSecretStore(join(dir, 'secrets'), secretKey);
    const signIn = consoleSignIn(store, null, HELENA_UPN);
    const settings = providers.microsoft!;
    const before = await signIn.acquireTokenSilent(ACCOUNT, settings);
    expect(before).not.toBeNull();
    const wait = (before?.expiresOn?.getTime() ?? Date.now()) - Date.now() + 1_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(wait, 0)));
    expect(before!.expiresOn!.getTime()).toBeLessThan(Date.now());

    const refreshesBefore = idp.requests.filter((r) => r.grantType === 'refresh_token').length;
    const after = await signIn.acquireTokenSilent(ACCOUNT, settings);
    expect(after?.fromCache).toBe(false);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    expect(after!.expiresOn!.getTime()).toBeGreaterThan(Date.now());
    expect(idp.requests.filter((r) => r.grantType === 'refresh_token').length).toBe(refreshesBefore + 1);
    const session = await exchange(after!.accessToken);
    expect(session.user.login).toBe('helena');
  });

  it('R11: sign-out clears the persisted MSAL cache, so the next sign-in opens the browser again', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const store = new AesFileSecretStore(join(dir, 'secrets'), secretKey);
    const signIn = consoleSignIn(store, idp, HELENA_UPN);
    expect(await signIn.currentAccount(ACCOUNT, providers.microsoft!)).toMatchObject({ username: HELENA_UPN });
    await signIn.signOut(ACCOUNT);
    const fresh = consoleSignIn(new AesFileSecretStore(join(dir, 'secrets'), secretKey), idp, HELENA_UPN);
    expect(await fresh.acquireTokenSilent(ACCOUNT, providers.microsoft!)).toBeNull();
    const opened: string[] = [];
    const again = consoleSignIn(new AesFileSecretStore(join(dir, 'secrets'), secretKey), idp, HELENA_UPN, opened);
    const session = await again.signIn({ account: ACCOUNT, providers, exchange });
    expect(opened).toHaveLength(1);
    expect(session.user.login).toBe('helena');
  });

  it('R11: a token from another tenant is refused and opens no session', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const store = new AesFileSecretStore(join(dir, 'secrets-foreign'), secretKey);
    const foreignSettings = { authority: foreignIdp.issuer, clientId: foreignIdp.clientId, scopes: [foreignIdp.apiScope, 'offline_access'] };
    const tokens = await consoleSignIn(store, foreignIdp, HELENA_UPN).signInInteractive(ACCOUNT, foreignSettings);
    const sessions = countRows('sessions');
    const answer = await api('/auth/microsoft', { method: 'POST', body: { account: ACCOUNT, accessToken: tokens.accessToken } });
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('invalid_token');
    expect(answer.body.error?.details?.reason).toBe('wrong_issuer');
    expect(countRows('sessions')).toBe(sessions);
  });

  it('R11: a Microsoft user with no matching user in the account is refused and nobody is created', { timeout: SIGN_IN_TIMEOUT }, async () => {
    const store = new AesFileSecretStore(join(dir, 'secrets-mallory'), secretKey);
    const tokens = await consoleSignIn(store, idp, 'mallory@elsewhere.example').signInInteractive(ACCOUNT, providers.microsoft!);
    const users = countRows('users');
    const sessions = countRows('sessions');
    const answer = await api('/auth/microsoft', { method: 'POST', body: { account: ACCOUNT, accessToken: tokens.accessToken } });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toMatchObject({ code: 'invalid_credentials', details: { reason: 'no_matching_user' } });
    expect(countRows('users')).toBe(users);
    expect(countRows('sessions')).toBe(sessions);
  });

  it("C3: an abandoned browser sign-in times out and MSAL's loopback port is released", { timeout: SIGN_IN_TIMEOUT }, async () => {
    const opened: string[] = [];
    const signIn = new MsalMicrosoftSignIn({
      secretStore: new AesFileSecretStore(join(dir, 'secrets-abandoned'), secretKey),
      ca: idp.caCert,
      interactiveTimeoutMs: 1_500,
      openBrowser: async (url) => {
        opened.push(url); // the user closes the browser without signing in
      },
    });
    await expect(signIn.signInInteractive(ACCOUNT, providers.microsoft!)).rejects.toMatchObject({ code: 'timeout', reason: 'timeout' });
    const redirect = new URL(new URL(opened[0] ?? '').searchParams.get('redirect_uri') ?? '');
    redirect.hostname = '127.0.0.1';
    await expect.poll(async () => fetch(redirect).then(() => 'listening', () => 'closed'), { timeout: 5_000 }).toBe('closed');
  });

  it('R11: an account without an enabled provider refuses Microsoft sign-in (422)', async () => {
    const answer = await api('/auth/microsoft', { method: 'POST', body: { account: 'demo', accessToken: 'x'.repeat(40) } });
    expect(answer.status).toBe(422);
    expect(answer.body.error?.code).toBe('identity_provider_disabled');
  });

  it('R11: forged tokens built from the provider\'s real public key are refused by the route (HS256 with the key, alg none)', async () => {
    const jwksText = await new Promise<string>((resolve, reject) => {
      https
        .get(`${idp.issuer}/jwks`, { ca: idp.caCert }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          res.on('end', () => resolve(body));
        })
        .on('error', reject);
    });
    const jwk = (JSON.parse(jwksText) as { keys: (NodeJwk & { kid: string })[] }).keys[0]!;
    const publicPem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: idp.issuer, aud: `api://${idp.clientId}`, tid: idp.tenantId, oid: 'oid-helena', scp: 'access_as_user', iat: now, exp: now + 600 };
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const hsInput = `${b64({ alg: 'HS256', kid: jwk.kid, typ: 'JWT' })}.${b64(claims)}`;
    const forgedHs = `${hsInput}.${createHmac('sha256', publicPem).update(hsInput).digest('base64url')}`;
    const forgedNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    for (const accessToken of [forgedHs, forgedNone]) {
      const answer = await api('/auth/microsoft', { method: 'POST', body: { account: ACCOUNT, accessToken } });
      expect(answer.status).toBe(401);
      expect(answer.body.error).toMatchObject({ code: 'invalid_token', details: { reason: 'algorithm_not_allowed' } });
    }
  });

  it('R11: a garbage token is refused with invalid_token', async () => {
    const answer = await api('/auth/microsoft', { method: 'POST', body: { account: ACCOUNT, accessToken: 'not.a.jwt' } });
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('invalid_token');
  });
});
