/**
 * R9 in the console: a user whose password an administrator set signs in with it, sees that it
 * must be changed, changes it through `changePassword`, and only then syncs. A proxy in front of
 * the real platform records every request, to prove no sync request is sent while the change is
 * pending (each would be a 403).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/auth/secret-store';
import type { ComposedConsole } from '../../../src-main/compose';
import { call, composeConsole, OperationFailed, startCuttingProxy, type CuttingProxy } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { client, findUser, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const TEMPORARY = 'Temporaria-Jabuticaba-26';
const FINAL = 'Definitiva-Carambola-27x';

let platform: TestPlatform;
let proxy: CuttingProxy;
let data: ReturnType<typeof tempDir>;
let consoles: ComposedConsole[] = [];
beforeEach(async () => {
  platform = await startTestPlatform();
  // Cuts nothing: it only records what the console asked the platform.
  proxy = await startCuttingProxy(platform.url, () => false);
  data = tempDir();
});
afterEach(async () => {
  await Promise.all(consoles.map((c) => c.dispose()));
  consoles = [];
  await proxy.close();
  await platform.stop();
  data.cleanup();
});

async function open(secretStore = new MemorySecretStore()) {
  // A short timer, so a sync the console wrongly started would show up within the test.
  const c = await composeConsole({ dataDir: data.dir, platformUrl: proxy.url, secretStore, syncIntervalMs: 100, syncPageSize: 20 });
  consoles.push(c);
  return c;
}

/** An administrator sets the supervisor's password through the platform API (temporary, R9). */
async function adminSetsSupervisorPassword(): Promise<string> {
  const token = await signIn(platform.url, 'admin');
  const supervisor = await findUser(platform.url, token, 'supervisor');
  const set = await client(platform.url, token).put(`/api/v1/users/${supervisor.id}/password`, { password: TEMPORARY, passwordConfirmation: TEMPORARY });
  expect(set.status).toBe(200);
  expect(set.body.user.mustChangePassword).toBe(true);
  return supervisor.id as string;
}

/** Requests the console sent that only a final password may send (sync, reads, writes). */
const syncRequests = () => proxy.forwarded.filter((r) => /^(GET|POST|PUT|PATCH|DELETE) \/api\/v1\/(users|queues|extensions)/.test(r));

async function failure(promise: Promise<unknown>): Promise<OperationFailed['error']> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OperationFailed) return err.error;
    throw err;
  }
  throw new Error('expected the operation to fail');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('R9 change of a temporary password in the console', () => {
  it('R9: the supervisor signs in with the password an administrator set, must change it, changes it, and then syncs', async () => {
    const supervisorId = await adminSetsSupervisorPassword();
    const c = await open();

    const session = await call(c, 'signIn', { account: 'demo', login: 'supervisor', password: TEMPORARY });
    expect(session).toMatchObject({ status: 'signedIn', user: { id: supervisorId, mustChangePassword: true } });

    // Several timer periods later: not one sync request, and syncNow refuses without asking.
    await sleep(400);
    expect(syncRequests()).toEqual([]);
    const refused = await failure(call(c, 'syncNow', {}));
    expect(refused).toMatchObject({ code: 'forbidden', details: { reason: 'password_change_required' } });
    expect(syncRequests()).toEqual([]);
    expect((await call(c, 'getSyncStatus', {})).lastSyncAt).toBeNull();

    // A mismatched confirmation is caught in main: the platform never sees it.
    const mismatch = await failure(call(c, 'changePassword', { currentPassword: TEMPORARY, newPassword: FINAL, newPasswordConfirmation: `${FINAL}!` }));
    expect(mismatch).toMatchObject({ code: 'password_mismatch', fieldErrors: { newPasswordConfirmation: ['password_mismatch'] } });
    expect(proxy.forwarded.filter((r) => r.includes('change-password'))).toEqual([]);

    // The platform's answers come back as field errors; a wrong current password is not an expired session.
    const wrong = await failure(call(c, 'changePassword', { currentPassword: 'NaoEhEssa123', newPassword: FINAL, newPasswordConfirmation: FINAL }));
    expect(wrong).toMatchObject({ code: 'invalid_credentials', fieldErrors: { currentPassword: ['invalid_credentials'] } });
    const weak = await failure(call(c, 'changePassword', { currentPassword: TEMPORARY, newPassword: 'curta1', newPasswordConfirmation: 'curta1' }));
    expect(weak.code).toBe('password_policy');
    expect(weak.fieldErrors?.newPassword).toContain('too_short');
    const same = await failure(call(c, 'changePassword', { currentPassword: TEMPORARY, newPassword: TEMPORARY, newPasswordConfirmation: TEMPORARY }));
    expect(same).toMatchObject({ code: 'password_policy', fieldErrors: { newPassword: ['same_as_current'] } });
    expect((await call(c, 'getSession', {})).status).toBe('signedIn');
    expect(syncRequests()).toEqual([]);

    const changed = await call(c, 'changePassword', { currentPassword: TEMPORARY, newPassword: FINAL, newPasswordConfirmation: FINAL });
    expect(changed).toMatchObject({ status: 'signedIn', user: { id: supervisorId, mustChangePassword: false } });

    // The first sync starts by itself; syncNow joins it (or runs the next one).
    const status = await call(c, 'syncNow', {});
    expect(status).toMatchObject({ state: 'idle', lastError: null });
    expect(status.lastSyncAt).not.toBeNull();
    const token = await signIn(platform.url, 'admin');
    const all = await client(platform.url, token).get('/api/v1/users?limit=1000');
    expect(status.userCount).toBe(all.body.items.length);
    expect(syncRequests().some((r) => r.startsWith('GET /api/v1/users'))).toBe(true);
    // The cached copy of the supervisor is the changed one.
    expect((await call(c, 'getUser', { id: supervisorId })).user.mustChangePassword).toBe(false);

    // On the platform: the new password signs in, the temporary one no longer does.
    expect((await http(platform.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: FINAL } })).status).toBe(200);
    expect((await http(platform.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: TEMPORARY } })).status).toBe(401);
  });

  it('R9: a restored session whose password is still temporary does not sync at start; offline, the change is refused', async () => {
    await adminSetsSupervisorPassword();
    const secrets = new MemorySecretStore();
    const first = await open(secrets);
    await call(first, 'signIn', { account: 'demo', login: 'supervisor', password: TEMPORARY });
    await first.dispose();
    proxy.forwarded.length = 0;

    const again = await open(secrets);
    const restored = await call(again, 'getSession', {});
    expect(restored).toMatchObject({ status: 'signedIn', user: { login: 'supervisor', mustChangePassword: true } });
    // The restore asked /me (allowed), and nothing that would answer 403.
    expect(proxy.forwarded.some((r) => r.startsWith('GET /api/v1/me'))).toBe(true);
    await sleep(400);
    expect(syncRequests()).toEqual([]);

    await proxy.close();
    const input = { currentPassword: TEMPORARY, newPassword: FINAL, newPasswordConfirmation: FINAL };
    // The first try finds the platform gone; from then on the write is refused as offline (C1).
    expect((await failure(call(again, 'changePassword', input))).code).toBe('network_error');
    expect((await failure(call(again, 'changePassword', input))).code).toBe('offline');
    expect((await call(again, 'getSession', {})).user?.mustChangePassword).toBe(true);
  });
});
