import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposedConsole } from '../../../src-main/compose';
import { call, codeOf, composeConsole, type CuttingProxy } from '../../support/console-harness';
import { startSignedInConsole, type SignedInConsole } from '../../support/signed-in-console';
import { tempDir } from '../../support/console-fixtures';
import type { TestPlatform } from '../../support/platform';
import { DEMO_ACCOUNT_SLUG, DEMO_PASSWORD } from '../../../src-platform';

/** Issue 11 (CSV import) through main against a real platform: dry run sends nothing, apply resumes without double effects, R2. */
describe('CSV import through main (issue 11)', () => {
  let platform: TestPlatform;
  let proxy: CuttingProxy;
  let setup: SignedInConsole;
  let c: ComposedConsole;
  let cutting = false;

  const stage = async (csv: string) => {
    const importId = crypto.randomUUID();
    const bytes = Buffer.from(csv, 'utf8');
    await call(c, 'stageCsvImport', { importId, offset: 0, size: bytes.length, data: bytes.toString('base64') });
    return importId;
  };

  beforeAll(async () => {
    setup = await startSignedInConsole((req) => cutting && req.url === '/api/v1/users/batch', 100);
    ({ platform, proxy, c } = setup);
  });
  afterAll(() => setup.close());

  it('the dry run reads the cache only: nothing reaches the platform', async () => {
    const before = proxy.forwarded.length;
    const importId = await stage('Login;Nome;E-mail\nagente04;Elisa Outra;agente04@demo.omniconsole.example\nnovo.a;Novo A;novo.a@demo.omniconsole.example\n');
    const preview = await call(c, 'previewCsvImport', { importId });
    expect(preview.rows.map((r) => r.status)).toEqual(['change', 'create']);
    // Only the connection monitor's probes may have gone out, never a write or a users read.
    expect(proxy.forwarded.slice(before).filter((l) => !l.startsWith('GET /api/v1/auth/providers'))).toEqual([]);
  });

  it('apply: a lost answer leaves the chunk pending; resuming resends it with the same key and the platform replays it (no second user, no conflict)', async () => {
    const importId = await stage('Login;Nome;E-mail;Perfil\nnovo.b;Novo B;novo.b@demo.omniconsole.example;Atendente\nagente05;Márcio Renomeado;agente05@demo.omniconsole.example;Atendente\n');
    await call(c, 'previewCsvImport', { importId });
    cutting = true;
    expect(await codeOf(c, 'applyCsvImport', { importId, confirmQueueLogout: true })).toMatch(/network_error|timeout/);
    cutting = false;
    // The lost answer made the console offline (C1); it notices the platform again at once on a recheck.
    await expect.poll(async () => (await call(c, 'getSession', {})).online, { timeout: 10_000 }).toBe(true);
    const cut = proxy.cut.filter((l) => l === 'POST /api/v1/users/batch').length;
    expect(cut).toBeGreaterThan(0);
    const progress = await call(c, 'applyCsvImport', { importId, confirmQueueLogout: true });
    // The replay: the same answer as the first (cut) request, not login_taken or stale_version.
    expect(progress.results.map((r) => [r.login, r.status])).toEqual([
      ['novo.b', 'ok'],
      ['agente05', 'ok'],
    ]);
    expect(progress.pendingChunks).toBe(0);
    const found = await call(c, 'searchUsers', { query: 'novo.b' });
    expect(found.total).toBe(1);
    expect((await call(c, 'searchUsers', { query: 'agente05' })).items[0]!.name).toBe('Márcio Renomeado');
    // Done: another apply sends nothing.
    const sent = proxy.forwarded.length;
    await call(c, 'applyCsvImport', { importId, confirmQueueLogout: true });
    expect(proxy.forwarded.slice(sent).filter((l) => l.includes('batch'))).toEqual([]);
  });

  it('a user changed on the platform after the dry run is a conflict, never overwritten; retry of the failed ones dry-runs it again', async () => {
    const importId = await stage('Login;Nome\nagente06;Úrsula do CSV\n');
    await call(c, 'previewCsvImport', { importId });
    const u = (await call(c, 'searchUsers', { query: 'agente06' })).items[0]!;
    await call(c, 'saveUser', { id: u.id, baseVersion: u.version, changes: { name: 'Mudou Antes' }, confirmQueueLogout: true });
    const progress = await call(c, 'applyCsvImport', { importId, confirmQueueLogout: true });
    expect(progress.results).toMatchObject([{ login: 'agente06', status: 'conflict' }]);
    const retry = await call(c, 'retryCsvImport', { importId });
    expect(retry.rows).toMatchObject([{ login: 'agente06', status: 'change', changes: [{ field: 'name', before: 'Mudou Antes', after: 'Úrsula do CSV' }] }]);
  });

  it('R2: a supervisor cannot stage, preview or apply (forbidden), and the platform refuses its batch (403)', async () => {
    const dir = tempDir();
    const s = await composeConsole({ dataDir: dir.dir, platformUrl: platform.url });
    await call(s, 'signIn', { account: DEMO_ACCOUNT_SLUG, login: 'supervisor', password: DEMO_PASSWORD });
    const bytes = Buffer.from('Login;Nome\nagente07;X\n');
    expect(await codeOf(s, 'stageCsvImport', { importId: crypto.randomUUID(), offset: 0, size: bytes.length, data: bytes.toString('base64') })).toBe('forbidden');
    expect(await codeOf(s, 'applyCsvImport', { importId: crypto.randomUUID(), confirmQueueLogout: true })).toBe('forbidden');
    const token = (await fetch(`${platform.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'demo', login: 'supervisor', password: DEMO_PASSWORD }) }).then((r) => r.json())) as { token: string };
    const answer = await fetch(`${platform.url}/api/v1/users/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}`, 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ items: [{ op: 'create', user: { name: 'X', email: 'x@demo.omniconsole.example', login: 'xxx', profile: 'agent' } }] }),
    });
    expect(answer.status).toBe(403);
    await s.dispose();
    dir.cleanup();
  });

  it('bad input changes nothing: a part out of order, a file over the limit, a base64 that is not', async () => {
    const importId = crypto.randomUUID();
    expect(await codeOf(c, 'stageCsvImport', { importId, offset: 10, size: 20, data: 'QUJD' })).toBe('validation_failed');
    expect(await codeOf(c, 'stageCsvImport', { importId, offset: 0, size: 50 * 1024 * 1024, data: 'QUJD' })).toBe('validation_failed');
    expect(await codeOf(c, 'stageCsvImport', { importId, offset: 0, size: 3, data: '<script>' })).toBe('validation_failed');
    expect(await codeOf(c, 'previewCsvImport', { importId })).toBe('validation_failed');
  });
});
