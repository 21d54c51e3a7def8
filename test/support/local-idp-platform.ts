/**
 * SSO test fixture: a local Entra-shaped provider (see local-idp.ts), a real platform on a temp
 * SQLite file whose self-managed demo account points at that provider (set by support through the
 * API, as in production), and helpers to get real MSAL tokens and read the platform's database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { ProvidersResponse } from '../../src-shared/platform-api';
import { MemorySecretStore } from '../../src-main/auth/secret-store';
import { MsalMicrosoftSignIn, type MicrosoftTokens } from '../../src-main/auth/microsoft/msal-sign-in';
import { DEMO_PASSWORD, SELF_MANAGED_ACCOUNT_SLUG, startPlatform, type RunningPlatform } from '../../src-platform/server';
import { startLocalIdp, type LocalIdp, type LocalIdpUser } from './local-idp';

/** A platform answer: status and parsed JSON body. */
export interface ApiAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; details?: { reason?: string } } };
}

/** A running SSO fixture. */
export interface SsoFixture {
  dir: string;
  idp: LocalIdp;
  platform: RunningPlatform;
  account: string;
  providers: ProvidersResponse;
  api(path: string, init?: { method?: string; body?: unknown; token?: string }): Promise<ApiAnswer>;
  /** Real MSAL sign-in (browser step over HTTP) as `login`; a fresh cache each time. */
  tokensFor(login: string): Promise<MicrosoftTokens>;
  /** `POST /auth/microsoft` with a token. */
  exchange(accessToken: string): Promise<ApiAnswer>;
  /** Reads (or, with `write`, changes) the platform's SQLite file directly. */
  sql<T>(statement: string, params?: unknown[], write?: boolean): T[];
  close(): Promise<void>;
}

/** Options of {@link startSsoFixture}. */
export interface SsoFixtureOptions {
  accessTokenTtlSeconds?: number;
  /** The account whose provider points at the local one (default the self-managed demo account). */
  account?: string;
  /** Who sets the provider through the API (default support; e.g. `admin` of the `demo` account). */
  configuredBy?: string;
}

/** Starts provider and platform; the provider's CA is trusted by the platform through its microsoftCa option. */
export async function startSsoFixture(users: LocalIdpUser[], options: SsoFixtureOptions = {}): Promise<SsoFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'omni-sso-'));
  const idp = await startLocalIdp({ users, ...(options.accessTokenTtlSeconds !== undefined ? { accessTokenTtlSeconds: options.accessTokenTtlSeconds } : {}) });
  const platform = await startPlatform({ dbFile: join(dir, 'platform.sqlite'), port: 0, demo: true, argon2: { memoryCost: 8192, timeCost: 2 }, microsoftCa: idp.caCert, microsoftTestAuthorities: [`https://${idp.host}`] });
  const account = options.account ?? SELF_MANAGED_ACCOUNT_SLUG;

  const api: SsoFixture['api'] = async (path, init = {}) => {
    const response = await fetch(`${platform.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as ApiAnswer['body'] };
  };

  const configurer = options.configuredBy ?? 'suporte';
  const signedIn = await api('/auth/login', { method: 'POST', body: { account, login: configurer, password: DEMO_PASSWORD } });
  if (signedIn.status !== 200) throw new Error(`${configurer} login failed: ${signedIn.status}`);
  const put = await api('/accounts/current/identity-provider', {
    method: 'PUT',
    token: signedIn.body['token'] as string,
    body: { enabled: true, tenantId: idp.tenantId, clientId: idp.clientId, authority: idp.issuer },
  });
  if (put.status !== 200) throw new Error(`identity provider not set: ${put.status}`);
  const providers = (await api(`/auth/providers?account=${account}`)).body as unknown as ProvidersResponse;

  return {
    dir,
    idp,
    platform,
    account,
    providers,
    api,
    tokensFor: (login) =>
      new MsalMicrosoftSignIn({
        secretStore: new MemorySecretStore(),
        ca: idp.caCert,
        interactiveTimeoutMs: 20_000,
        cacheKeyPrefix: `msal-${randomBytes(4).toString('hex')}`,
        openBrowser: async (url) => {
          void idp.signInWithHttp(url, login).catch((error: unknown) => console.error('browser step failed:', error));
        },
      }).signInInteractive(account, providers.microsoft!),
    exchange: (accessToken) => api('/auth/microsoft', { method: 'POST', body: { account, accessToken } }),
    sql: (statement, params = [], write = false) => {
      const db = new BetterSqlite3(join(dir, 'platform.sqlite'), { readonly: !write, fileMustExist: true });
      try {
        const prepared = db.prepare(statement);
        return (prepared.reader ? prepared.all(...params) : (prepared.run(...params), [])) as never[];
      } finally {
        db.close();
      }
    },
    async close() {
      await platform.close().catch(() => {});
      await idp.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
