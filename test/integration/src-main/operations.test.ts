import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../src-main/auth/secret-store';
import { SESSION_SECRET_KEY } from '../../../src-main/auth/auth-service';
import type { ComposedConsole } from '../../../src-main/compose';
import { call, codeOf, composeConsole, record, waitFor, DEMO_ADMIN } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const DEMO = DEMO_ADMIN;

let platform: TestPlatform;
let data: ReturnType<typeof tempDir>;
const consoles: ComposedConsole[] = [];
beforeEach(async () => {
  platform = await startTestPlatform();
  data = tempDir();
});
afterEach(async () => {
  for (const c of consoles.splice(0)) await c.dispose();
  await platform.stop();
  data.cleanup();
});

async function open(extra: Partial<Parameters<typeof composeConsole>[0]> = {}) {
  const c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url, ...extra });
  consoles.push(c);
  return c;
}

describe('console operations on a real platform', () => {
  it('the session token stays in main, encrypted at rest through the secret store, and is restored at start; sign-out forgets it', async () => {
    const secrets = new MemorySecretStore();
    const first = await open({ secretStore: secrets });
    const session = await call(first, 'signIn', DEMO);
    expect(JSON.stringify(session)).not.toMatch(/token/i);
    expect(await secrets.get(SESSION_SECRET_KEY)).toContain('"token"');
    await first.dispose();
    const second = await open({ secretStore: secrets });
    expect(await call(second, 'getSession', {})).toMatchObject({ status: 'signedIn', online: true, user: { login: 'admin' } });
    expect(await call(second, 'signOut', {})).toEqual({ ok: true });
    expect(await secrets.get(SESSION_SECRET_KEY)).toBeNull();
    expect((await call(second, 'getSession', {})).status).toBe('signedOut');
  });

  it('without a safe secret store the session still works for this run, and nothing is stored', async () => {
    const refusing = {
      get: async () => null,
      set: async () => {
        throw new Error('OS encryption is unavailable');
      },
      delete: async () => undefined,
    };
    const errors: string[] = [];
    const c = await open({ secretStore: refusing, logError: (_e, context) => errors.push(context) });
    expect(await call(c, 'signIn', DEMO)).toMatchObject({ status: 'signedIn' });
    expect((await call(c, 'syncNow', {})).state).toBe('idle');
    expect(errors).toContain('persist session');
  });

  it('C2: the background timer syncs changes made elsewhere without syncNow', async () => {
    const c = await open({ syncIntervalMs: 200 });
    await call(c, 'signIn', DEMO);
    await waitFor(async () => (await call(c, 'getSyncStatus', {})).lastSyncAt, 10_000, 'first sync');
    const token = await signIn(platform.url, 'admin');
    const created = await client(platform.url, token).post('/api/v1/users', { name: 'Criada Fora', email: 'criada.fora@example.com', login: 'criada.fora', profile: 'agent' });
    expect(created.status).toBe(201);
    await waitFor(async () => (await call(c, 'searchUsers', { query: 'criada fora' })).total === 1, 10_000, 'timer sync');
  });

  it('R8/R10: queue membership and extension changes go to the platform and into the cache at once', async () => {
    const c = await open();
    const changes = record(c, 'onDidChangeData');
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const user = (await call(c, 'searchUsers', { filters: { profile: 'agent', hasExtension: false } })).items[0]!;
    const free = (await call(c, 'listExtensions', {})).items.find((e) => e.userId === null)!;
    const assigned = await call(c, 'assignExtension', { userId: user.id, extensionId: free.id });
    expect(assigned.user.extension?.id).toBe(free.id);
    expect((await call(c, 'listExtensions', {})).items.find((e) => e.id === free.id)?.userId).toBe(user.id);
    const voice = (await call(c, 'listQueues', {})).items.find((q) => q.kind === 'voice')!;
    const added = await call(c, 'addQueueMember', { queueId: voice.id, userId: user.id });
    expect(added.queue).toMatchObject({ id: voice.id, memberCount: voice.memberCount + 1 });
    expect((await call(c, 'listQueues', {})).items.find((q) => q.id === voice.id)?.memberCount).toBe(voice.memberCount + 1);
    expect((await call(c, 'searchUsers', { filters: { queueId: voice.id } })).items.map((u) => u.id)).toContain(user.id);
    expect((await call(c, 'getUser', { id: user.id })).user.readiness.checks.find((x) => x.item === 'voiceQueues')?.ok).toBe(true);
    await call(c, 'removeQueueMember', { queueId: voice.id, userId: user.id });
    expect((await call(c, 'searchUsers', { filters: { queueId: voice.id } })).items.map((u) => u.id)).not.toContain(user.id);
    await call(c, 'releaseExtension', { userId: user.id });
    expect((await call(c, 'getUser', { id: user.id })).user.extension).toBeNull();
    expect(changes.some((e) => e.kinds.includes('extensions'))).toBe(true);
    expect(changes.some((e) => e.kinds.includes('queues'))).toBe(true);
    // R8: a chat queue refuses a user without omnichannel; the platform's code crosses unchanged.
    const chat = (await call(c, 'listQueues', {})).items.find((q) => q.kind === 'chat')!;
    if (!user.omnichannelEnabled) expect(await codeOf(c, 'addQueueMember', { queueId: chat.id, userId: user.id })).toBe('chat_queue_requires_omnichannel');
  });

  it('forged senders and malformed arguments (fast-check) never reach the services or the platform', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const token = await signIn(platform.url, 'admin');
    const countOnPlatform = async () => ((await client(platform.url, token).get('/api/v1/users?limit=1000')).body.items as unknown[]).length;
    const before = await countOnPlatform();
    const forged = [
      { kind: 'electron', url: 'https://evil.example/', isTopFrame: true },
      { kind: 'electron', url: 'app://console/index.html', isTopFrame: false },
      { kind: 'browser-host', authenticated: false },
    ];
    for (const sender of forged) {
      const r = await c.router.handle(sender, 'createUser', { name: 'Forjado', email: 'forjado@example.com', login: 'forjado', profile: 'agent' });
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await c.router.handle(sender, 'signOut', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    await fc.assert(
      fc.asyncProperty(
        fc.record({ name: fc.anything(), email: fc.anything(), login: fc.anything(), profile: fc.anything(), extra: fc.anything() }, { requiredKeys: ['extra'] }),
        async (input) => {
          const r = await c.router.handle({ kind: 'browser-host', authenticated: true }, 'createUser', input);
          expect(r).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
        },
      ),
      { numRuns: 100 },
    );
    expect(await countOnPlatform()).toBe(before);
    expect((await call(c, 'getSession', {})).status).toBe('signedIn');
  });

  it('C5: error messages follow the console language setting', async () => {
    const c = await open();
    expect((await call(c, 'getSettings', {})).locale).toBe('pt-BR');
    const pt = await c.router.handle({ kind: 'browser-host', authenticated: true }, 'signIn', { ...DEMO, password: 'wrong-password-1' });
    expect(pt).toMatchObject({ ok: false, error: { code: 'invalid_credentials', message: 'Conta, login ou senha inválidos.' } });
    await call(c, 'setSettings', { locale: 'en' });
    const en = await c.router.handle({ kind: 'browser-host', authenticated: true }, 'signIn', { ...DEMO, password: 'wrong-password-1' });
    expect(en).toMatchObject({ ok: false, error: { code: 'invalid_credentials', message: 'Invalid account, login or password.' } });
  });

  it('R5/R9: password reset and administrator-set password run through the platform', async () => {
    const c = await open();
    await call(c, 'signIn', DEMO);
    await call(c, 'syncNow', {});
    const user = (await call(c, 'searchUsers', { query: 'supervisor' })).items[0]!;
    const reset = await call(c, 'resetPassword', { id: user.id });
    expect(reset.sentTo).toBe(user.email);
    const set = await call(c, 'setPassword', { id: user.id, password: 'Nova-Cerejeira-Molhada-26x', passwordConfirmation: 'Nova-Cerejeira-Molhada-26x' });
    expect(set.user.mustChangePassword).toBe(true);
    expect((await call(c, 'getUser', { id: user.id })).user.mustChangePassword).toBe(true);
    const mismatch = await codeOf(c, 'setPassword', { id: user.id, password: 'Nova-Cerejeira-Molhada-26x', passwordConfirmation: 'Outra-Seriema-Veloz-26' });
    expect(mismatch).toBe('password_mismatch');
  });
});
