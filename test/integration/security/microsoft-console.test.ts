/**
 * Issue 9 class 13 / C3: Microsoft sign-in in the console, through the real `compose()` graph, MSAL
 * and a local Entra-shaped provider over HTTPS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../../src-main/auth/secret-store';
import { call, composeConsole, TRUSTED_SENDER, waitFor } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { startSsoFixture } from '../../support/local-idp-platform';

const HELENA = 'helena@autogerenciada.omniconsole.example';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A secret store like Electron's with no OS keychain: reads nothing, refuses to write. */
class RefusingSecretStore implements SecretStore {
  writes = 0;
  async get() {
    return null;
  }
  async set() {
    this.writes += 1;
    throw new Error('OS encryption is unavailable: nothing is stored');
  }
  async delete() {}
}

describe('issue 9 class 13 / C3: Microsoft sign-in in the console', () => {
  it('issue 9 class 13 / C3: an OS secret store that refuses does not break Microsoft sign-in; the tokens live for this run only', { timeout: 60_000 }, async () => {
    const sso = await startSsoFixture([{ oid: 'oid-helena', login: HELENA, name: 'Helena' }]);
    cleanups.push(() => sso.close());
    const data = tempDir();
    cleanups.push(data.cleanup);
    const store = new RefusingSecretStore();
    const opened: string[] = [];
    const open = (dataDir: string) =>
      composeConsole({
        dataDir,
        platformUrl: sso.platform.url,
        secretStore: store,
        microsoftCa: sso.idp.caCert,
        openBrowser: async (url) => {
          opened.push(url);
          void sso.idp.signInWithHttp(url, HELENA).catch(() => undefined);
        },
      });
    const c = await open(data.dir);
    cleanups.push(() => c.dispose());
    const session = await call(c, 'signInMicrosoft', { account: sso.account });
    expect(session).toMatchObject({ status: 'signedIn', method: 'microsoft', user: { login: 'helena' } });
    expect(opened).toHaveLength(1);
    expect(store.writes).toBeGreaterThan(0); // it was asked, and refused

    // The platform session ends (revoked or expired); in the same run MSAL still has the tokens.
    await c.services.client.logout();
    await c.services.auth.expire();
    await waitFor(async () => (await call(c, 'getSession', {})).status === 'signedOut', 5_000, 'signed out');
    expect(await call(c, 'signInMicrosoft', { account: sso.account })).toMatchObject({ status: 'signedIn', user: { login: 'helena' } });
    expect(opened).toHaveLength(1);

    // The next run kept nothing: the browser opens again.
    await c.dispose();
    const next = await open(tempDir().dir);
    cleanups.push(() => next.dispose());
    expect((await call(next, 'getSession', {})).status).toBe('signedOut');
    expect(await call(next, 'signInMicrosoft', { account: sso.account })).toMatchObject({ status: 'signedIn' });
    expect(opened).toHaveLength(2);
  });

  it('issue 9 class 13 / C3: Cancel stops waiting for the browser at once, closes the loopback listener, and keeps no session', { timeout: 60_000 }, async () => {
    const sso = await startSsoFixture([{ oid: 'oid-helena', login: HELENA, name: 'Helena' }]);
    cleanups.push(() => sso.close());
    const data = tempDir();
    cleanups.push(data.cleanup);
    const opened: string[] = [];
    // The person never finishes in the browser; the sign-in would wait five minutes.
    const c = await composeConsole({ dataDir: data.dir, platformUrl: sso.platform.url, microsoftCa: sso.idp.caCert, openBrowser: async (url) => void opened.push(url) });
    cleanups.push(() => c.dispose());
    const signingIn = c.router.handle(TRUSTED_SENDER, 'signInMicrosoft', { account: sso.account });
    await waitFor(() => opened.length === 1, 15_000, 'the browser opened');
    expect(await call(c, 'cancelMicrosoftSignIn', {})).toEqual({ ok: true });
    expect(await signingIn).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    const redirect = new URL(new URL(opened[0]!).searchParams.get('redirect_uri')!);
    redirect.hostname = '127.0.0.1';
    await expect.poll(async () => fetch(redirect).then(() => 'listening', () => 'closed'), { timeout: 5_000 }).toBe('closed');
    expect((await call(c, 'getSession', {})).status).toBe('signedOut');
    // Cancel with nothing waiting is harmless.
    expect(await call(c, 'cancelMicrosoftSignIn', {})).toEqual({ ok: true });
  });

  it('issue 9 class 13 / C3: with several Microsoft accounts cached, none is used silently; the one chosen signs in, or another account through the browser', { timeout: 90_000 }, async () => {
    const IGOR = 'igor@autogerenciada.omniconsole.example';
    const sso = await startSsoFixture([
      { oid: 'oid-helena', login: HELENA, name: 'Helena' },
      { oid: 'oid-igor', login: IGOR, name: 'Igor' },
    ]);
    cleanups.push(() => sso.close());
    // Two people of the account who may use the console (Igor is an agent in the demo).
    sso.sql("UPDATE users SET profile = 'supervisor' WHERE login = 'igor'", [], true);
    const data = tempDir();
    cleanups.push(data.cleanup);
    const opened: string[] = [];
    let person = HELENA;
    const c = await composeConsole({
      dataDir: data.dir,
      platformUrl: sso.platform.url,
      microsoftCa: sso.idp.caCert,
      openBrowser: async (url) => {
        opened.push(url);
        void sso.idp.signInWithHttp(url, person).catch(() => undefined);
      },
    });
    cleanups.push(() => c.dispose());
    const endSession = async () => {
      // The platform session ends (revoked or expired); the Microsoft tokens stay on this computer.
      await c.services.client.logout();
      await c.services.auth.expire();
      await waitFor(async () => (await call(c, 'getSession', {})).status === 'signedOut', 5_000, 'signed out');
    };

    expect(await call(c, 'signInMicrosoft', { account: sso.account })).toMatchObject({ user: { login: 'helena' } });
    await endSession();
    // Another person at the same desk asks for another account: the browser opens, nothing cached is used.
    person = IGOR;
    expect(await call(c, 'signInMicrosoft', { account: sso.account, homeAccountId: null })).toMatchObject({ user: { login: 'igor' } });
    expect(opened).toHaveLength(2);
    await endSession();

    const { accounts } = await call(c, 'listMicrosoftAccounts', { account: sso.account });
    expect(accounts.map((a) => a.username).sort()).toEqual([HELENA, IGOR]);
    // No choice with several cached: not the first one silently, the browser (whoever signs in there).
    person = HELENA;
    expect(await call(c, 'signInMicrosoft', { account: sso.account })).toMatchObject({ user: { login: 'helena' } });
    expect(opened).toHaveLength(3);
    await endSession();
    // The one chosen in the picker signs in silently.
    const igor = accounts.find((a) => a.username === IGOR)!;
    expect(await call(c, 'signInMicrosoft', { account: sso.account, homeAccountId: igor.homeAccountId })).toMatchObject({ user: { login: 'igor' } });
    expect(opened).toHaveLength(3);
    // A name that is not cached is not a way in: the browser opens.
    await endSession();
    expect(await call(c, 'signInMicrosoft', { account: sso.account, homeAccountId: 'not-cached.tenant' })).toMatchObject({ user: { login: 'helena' } });
    expect(opened).toHaveLength(4);
  });
});
