import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposedConsole } from '../../../src-main/compose';
import { call, codeOf, composeConsole, DEMO_ADMIN } from '../../support/console-harness';
import { tempDir } from '../../support/console-fixtures';
import { client, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

/** Issue 11 (CSV): the exports through main, against a real platform on 127.0.0.1. */
describe('CSV export through main (issue 11)', () => {
  let platform: TestPlatform;
  let data: ReturnType<typeof tempDir>;
  let c: ComposedConsole;

  beforeAll(async () => {
    platform = await startTestPlatform();
    data = tempDir();
    c = await composeConsole({ dataDir: data.dir, platformUrl: platform.url });
    await call(c, 'signIn', DEMO_ADMIN);
    await call(c, 'syncNow', {});
  });
  afterAll(async () => {
    await c.dispose();
    await platform.stop();
    data.cleanup();
  });

  it('users: the table\'s filtered view from the cache, pt-BR (";", BOM) then English (",")', async () => {
    const view = { query: '', filters: { profile: 'agent' as const, omnichannel: true }, sort: { by: 'login' as const, dir: 'asc' as const } };
    const shown = await call(c, 'searchUsers', { ...view, limit: 500 });
    const file = await call(c, 'exportUsersCsv', view);
    expect(file.fileName).toBe('usuarios.csv');
    expect(file.content.startsWith('\ufeffNome;')).toBe(true);
    const rows = parse(file.content, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(file.rows).toBe(shown.total);
    expect(rows.map((r) => r.Login)).toEqual(shown.items.map((u) => u.login));
    expect(new Set(rows.map((r) => r['Habilitar agente para uso omnichannel']))).toEqual(new Set(['Sim']));
    await call(c, 'setSettings', { locale: 'en' });
    const english = await call(c, 'exportUsersCsv', view);
    await call(c, 'setSettings', { locale: 'pt-BR' });
    expect(english.fileName).toBe('users.csv');
    expect(english.content.startsWith('\ufeffName,Email,Login,')).toBe(true);
  });

  it("audit: a user's trail and the account's (every page), from the platform", async () => {
    const user = (await call(c, 'searchUsers', { query: 'agente03' })).items[0]!;
    await call(c, 'saveUser', { id: user.id, baseVersion: user.version, changes: { name: '=cmd|\' /C calc\'!A0' }, confirmQueueLogout: true });
    const mine = await call(c, 'exportAuditCsv', { userId: user.id });
    expect(mine.fileName).toBe('auditoria-agente03.csv');
    const rows = parse(mine.content, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(mine.rows);
    expect(rows[0]).toMatchObject({ Quem: 'Administradora Demo', 'Ação': 'user.updated', Alvo: user.id });
    // The new name is written as text, never as a formula (CSV injection).
    expect(rows[0]!.Depois).toContain('=cmd');
    expect(mine.content).not.toMatch(/[;\n]=cmd/);
    const account = await call(c, 'exportAuditCsv', {});
    expect(account.fileName).toBe('auditoria-conta.csv');
    expect(account.rows).toBeGreaterThanOrEqual(mine.rows);
  });

  it('GET /audit pages the account trail newest first without gaps or repeats; supervisors may read it, no token may not', async () => {
    const admin = client(platform.url, await signIn(platform.url, 'admin'));
    const ext = (await admin.get('/api/v1/extensions')).body.items.length;
    for (let i = 0; i < 4; i++) await admin.post('/api/v1/extensions', { number: String(7700 + ext + i) }, { 'idempotency-key': crypto.randomUUID() });
    const api = client(platform.url, await signIn(platform.url, 'supervisor'));
    const all = (await api.get('/api/v1/audit')).body;
    expect(all.items.length).toBeGreaterThan(2);
    const first = (await api.get('/api/v1/audit?limit=2')).body;
    const second = (await api.get(`/api/v1/audit?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)).body;
    expect([...first.items, ...second.items].map((e: { id: string }) => e.id)).toEqual(all.items.slice(0, 4).map((e: { id: string }) => e.id));
    expect((await client(platform.url).get('/api/v1/audit')).status).toBe(401);
    expect((await api.get('/api/v1/audit?cursor=x')).status).toBe(400);
  });

  it('the export operations are schema-checked and need a session', async () => {
    expect(await codeOf(c, 'exportAuditCsv', { userId: 'a\u0000b' })).toBe('validation_failed');
    expect(await codeOf(c, 'exportUsersCsv', { query: '', filters: {}, sort: { by: 'password' as never, dir: 'asc' } })).toBe('validation_failed');
    await call(c, 'signOut', {});
    expect(await codeOf(c, 'exportUsersCsv', { query: '', filters: {}, sort: { by: 'name', dir: 'asc' } })).toBe('not_signed_in');
  });
});
