/**
 * Issue 9 class 11 / R2: a profile without console access (an agent) is refused at sign-in, by
 * password and by Microsoft, with a message in both languages; no session is kept (in the console,
 * in its secret store, or on the platform) and nothing cached by an earlier administrator is shown.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/auth/secret-store';
import type { ComposedConsole } from '../../../src-main/compose';
import { SESSION_SECRET_KEY } from '../../../src-main/auth/auth-service';
import { ERROR_MESSAGES } from '../../../src-shared/errors';
import { userEtag } from '../../../src-shared/platform-api';
import { DEMO_PASSWORD } from '../../../src-platform';
import { call, codeOf, composeConsole, DEMO_ADMIN, TRUSTED_SENDER } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { startSsoFixture } from '../../support/local-idp-platform';
import { startTestPlatform } from '../../support/platform';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The usernames in every persisted MSAL cache of the secret store. */
async function msalAccounts(secrets: MemorySecretStore): Promise<string[]> {
  const keys = [...(secrets as unknown as { values: Map<string, string> }).values.keys()].filter((k) => k.startsWith('msal-cache-'));
  const names: string[] = [];
  for (const key of keys) {
    const cache = JSON.parse((await secrets.get(key)) ?? '{}') as { Account?: Record<string, { username: string }> };
    names.push(...Object.values(cache.Account ?? {}).map((a) => a.username));
  }
  return names;
}

/** What a signed-out console shows: nothing of any account. */
async function expectNothingShown(c: ComposedConsole): Promise<void> {
  expect(await call(c, 'getSession', {})).toMatchObject({ status: 'signedOut', user: null, account: null, lastSyncAt: null });
  expect(await codeOf(c, 'searchUsers', { limit: 500 })).toBe('not_signed_in');
  expect(await codeOf(c, 'listQueues', {})).toBe('not_signed_in');
  expect(await codeOf(c, 'listExtensions', {})).toBe('not_signed_in');
  expect(await codeOf(c, 'syncNow', {})).toBe('not_signed_in');
  expect((await call(c, 'getSyncStatus', {})).userCount).toBe(0);
}

describe('issue 9 class 11 / R2: an agent has no console access', () => {
  it('issue 9 class 11 / R2: an agent signing in with a password is refused in both languages, keeps no session anywhere and sees nothing an administrator cached', async () => {
    const platform = await startTestPlatform();
    cleanups.push(() => platform.stop());
    const data = tempDir();
    cleanups.push(data.cleanup);
    const secrets = new MemorySecretStore();
    const c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    cleanups.push(() => c.dispose());

    // An administrator signs in, syncs and signs out on this computer, keeping the cache.
    await call(c, 'signIn', DEMO_ADMIN);
    expect((await call(c, 'syncNow', {})).userCount).toBeGreaterThan(50);
    await call(c, 'signOut', {});

    const agentId = (await platform.query<{ id: string }>("SELECT id FROM users WHERE login = 'agente01'"))[0]!.id;
    const result = await c.router.handle(TRUSTED_SENDER, 'signIn', { account: 'demo', login: 'agente01', password: DEMO_PASSWORD });
    expect(result).toEqual({ ok: false, error: { code: 'console_access_denied', message: ERROR_MESSAGES.console_access_denied['pt-BR'] } });
    await expectNothingShown(c);
    expect(await secrets.get(SESSION_SECRET_KEY)).toBeNull();
    // The platform session the login created was ended too.
    expect(await platform.query('SELECT token_hash FROM sessions WHERE user_id = ?', agentId)).toEqual([]);

    // The same refusal in English.
    await call(c, 'setSettings', { locale: 'en' });
    const english = await c.router.handle(TRUSTED_SENDER, 'signIn', { account: 'demo', login: 'agente01', password: DEMO_PASSWORD });
    expect(english).toEqual({ ok: false, error: { code: 'console_access_denied', message: ERROR_MESSAGES.console_access_denied.en } });
    expect(ERROR_MESSAGES.console_access_denied.en).not.toBe(ERROR_MESSAGES.console_access_denied['pt-BR']);

    // A restart finds nothing to restore.
    await c.dispose();
    const again = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    cleanups.push(() => again.dispose());
    await expectNothingShown(again);
  });

  it('issue 9 class 11 / R2: a signed-in administrator demoted to agent is signed out at the next check and sees nothing', async () => {
    const platform = await startTestPlatform();
    cleanups.push(() => platform.stop());
    const data = tempDir();
    cleanups.push(data.cleanup);
    const secrets = new MemorySecretStore();
    const first = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    await call(first, 'signIn', { account: 'demo', login: 'supervisor', password: DEMO_PASSWORD });
    await call(first, 'syncNow', {});
    await first.dispose();
    // Support makes the supervisor an agent while the console is closed.
    const support = await fetch(`${platform.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ account: 'demo', login: 'suporte', password: DEMO_PASSWORD }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const sup = (await platform.query<{ id: string; version: number }>("SELECT id, version FROM users WHERE login = 'supervisor'"))[0]!;
    const demoted = await fetch(`${platform.url}/api/v1/users/${sup.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${support.token}`, 'if-match': userEtag(sup) },
      body: JSON.stringify({ profile: 'agent', confirmQueueLogout: true }),
    });
    expect(demoted.status).toBe(200);

    const c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, secretStore: secrets });
    cleanups.push(() => c.dispose());
    await expectNothingShown(c);
    expect(await secrets.get(SESSION_SECRET_KEY)).toBeNull();
  });

  it('issue 9 class 11 / R2: an agent signing in with Microsoft is refused; no console session, no platform session, no Microsoft account kept', { timeout: 60_000 }, async () => {
    const sso = await startSsoFixture([{ oid: 'oid-igor', login: 'igor@autogerenciada.omniconsole.example', name: 'Igor' }]);
    cleanups.push(() => sso.close());
    const data = tempDir();
    cleanups.push(data.cleanup);
    const secrets = new MemorySecretStore();
    const c = await composeConsole({
      dataDir: data.dir,
      platformUrl: sso.platform.url,
      secretStore: secrets,
      microsoftCa: sso.idp.caCert,
      openBrowser: async (url) => {
        void sso.idp.signInWithHttp(url, 'igor@autogerenciada.omniconsole.example').catch(() => undefined);
      },
    });
    cleanups.push(() => c.dispose());
    const result = await c.router.handle(TRUSTED_SENDER, 'signInMicrosoft', { account: sso.account });
    expect(result).toMatchObject({ ok: false, error: { code: 'console_access_denied', message: ERROR_MESSAGES.console_access_denied['pt-BR'] } });
    await expectNothingShown(c);
    expect(await secrets.get(SESSION_SECRET_KEY)).toBeNull();
    const igor = sso.sql<{ id: string }>("SELECT id FROM users WHERE login = 'igor'")[0]!.id;
    expect(sso.sql('SELECT token_hash FROM sessions WHERE user_id = ?', [igor])).toEqual([]);
    // The refused person's Microsoft tokens are not kept for a silent sign-in later.
    expect(await msalAccounts(secrets)).toEqual([]);
  });
});
