/**
 * Issue 12, several instances: two platform processes on one PostgreSQL database, as a deployment
 * behind one address runs them. Everything shared lives in the database, so a lockout, a stored
 * Idempotency-Key answer, a version and a session earned on one instance hold on the other, and an
 * email is sent once whichever instance sends it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../../src-platform/mail/smtp-sink';
import { call, composeConsole, DEMO_ADMIN, startCuttingProxy, waitFor } from '../../support/console-harness';
import { startPlatformProcess, type PlatformProcess } from '../../support/platform-process';
import { client, http, signIn } from '../../support/platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

describe('several platform instances on one PostgreSQL database (issue 12)', () => {
  let database: TestDatabase;
  let smtp: SmtpSink;
  let a: PlatformProcess;
  let b: PlatformProcess;
  const started: PlatformProcess[] = [];
  const start = async (extra: string[] = []) => {
    const p = await startPlatformProcess(['--database-url', database.target, ...extra], { SMTP_URL: smtp.url });
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpSink(() => new Date());
    // The first seeds the demo data; the second finds it there.
    a = await start(['--demo']);
    b = await start(['--demo']);
  }, 120_000);
  afterAll(async () => {
    for (const p of started) await p.stop('SIGKILL');
    await smtp?.close();
    await database?.drop();
  });

  it('issue 12: a login lockout earned on one instance holds on the other', async () => {
    for (let i = 0; i < 10; i++) {
      const wrong = await http(a.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: `wrong-${i}` } });
      expect(wrong.status).toBe(401);
    }
    const onB = await http(b.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: DEMO_ADMIN.password } });
    expect(onB.status).toBe(429);
    expect(Number(onB.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('issue 12: an Idempotency-Key answered on one instance replays on the other, and the user exists once', async () => {
    const token = await signIn(a.url, 'admin');
    const body = { name: 'Dupla Instância', email: 'dupla@example.com', login: 'dupla', profile: 'agent', active: true, webrtcEnabled: false, omnichannelEnabled: false };
    const first = await client(a.url, token).post('/api/v1/users', body, { 'idempotency-key': 'k-dupla' });
    expect(first.status).toBe(201);
    const again = await client(b.url, token).post('/api/v1/users', body, { 'idempotency-key': 'k-dupla' });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.user.id).toBe(first.body.user.id);
    expect(await database.query('select id from users where login = ?', 'dupla')).toHaveLength(1);
  });

  it('issue 12: the same Idempotency-Key sent to both instances at once writes once; both answers are the one stored answer, never a 500', async () => {
    const token = await signIn(a.url, 'admin');
    const users = (await client(a.url, token).get('/api/v1/users?limit=1000&q=agente2')).body.items.slice(0, 6);
    expect(users.length).toBe(6);
    // Several rounds, each a pair sent at the same moment (the same body, If-Match and key).
    for (const [i, user] of (users as Array<{ id: string; version: number }>).entries()) {
      const key = `k-race-${i}`;
      const body = { name: `Corrida ${i}`, confirmQueueLogout: true };
      const headers = { 'if-match': `"u-${user.id}-${user.version}"`, 'idempotency-key': key };
      const [onA, onB] = await Promise.all([client(a.url, token).patch(`/api/v1/users/${user.id}`, body, headers), client(b.url, token).patch(`/api/v1/users/${user.id}`, body, headers)]);
      expect([onA.status, onB.status], JSON.stringify([onA.body, onB.body])).toEqual([200, 200]);
      expect(onB.body).toEqual(onA.body);
      expect(onB.headers.get('etag')).toBe(onA.headers.get('etag'));
      // One ran the edit, the other replayed its stored answer.
      expect([onA, onB].filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
      const stored = await database.query<{ status_code: number; response_json: string | { body: unknown } }>('select status_code, response_json from idempotency_keys where key = ?', key);
      expect(stored).toHaveLength(1);
      const saved = typeof stored[0]!.response_json === 'string' ? (JSON.parse(stored[0]!.response_json) as { body: unknown }) : stored[0]!.response_json;
      expect(stored[0]!.status_code).toBe(200);
      expect(saved.body).toEqual(onA.body);
      // Exactly one write: one version bump, one audit entry.
      expect(onA.body.user.version).toBe(user.version + 1);
      const [row] = await database.query<{ version: number; name: string }>('select version, name from users where id = ?', user.id);
      expect(row).toEqual({ version: user.version + 1, name: `Corrida ${i}` });
      expect(await database.query(`select id from audit_entries where action = 'user.updated' and target_id = ?`, user.id)).toHaveLength(1);
    }
    // A keyed reset sent to both at once: one email queued, the same 202 twice.
    const agents = (await client(a.url, token).get('/api/v1/users?limit=1000&q=agente3')).body.items.slice(0, 4) as Array<{ id: string; email: string }>;
    for (const [i, user] of agents.entries()) {
      const queued = async () => (await database.query(`select id from outbox where kind = 'password_reset' and to_address = ?`, user.email)).length;
      const before = await queued();
      const headers = { 'idempotency-key': `k-race-reset-${i}` };
      const [onA, onB] = await Promise.all([client(a.url, token).post(`/api/v1/users/${user.id}/password-reset`, undefined, headers), client(b.url, token).post(`/api/v1/users/${user.id}/password-reset`, undefined, headers)]);
      expect([onA.status, onB.status], JSON.stringify([onA.body, onB.body])).toEqual([202, 202]);
      expect(onB.body).toEqual(onA.body);
      expect([onA, onB].filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
      expect(await queued()).toBe(before + 1);
    }
  });

  it('issue 12: an edit on one instance makes the old If-Match stale on the other (412 with the current user)', async () => {
    const token = await signIn(b.url, 'admin');
    const found = (await client(a.url, token).get('/api/v1/users?limit=1000&q=agente07')).body.items[0];
    const etag = `"${found.version}"`;
    const got = await client(a.url, token).get(`/api/v1/users/${found.id}`);
    const fresh = got.headers.get('etag') ?? etag;
    const first = await client(a.url, token).patch(`/api/v1/users/${found.id}`, { name: 'Editado em A', confirmQueueLogout: true }, { 'if-match': fresh });
    expect(first.status).toBe(200);
    const second = await client(b.url, token).patch(`/api/v1/users/${found.id}`, { name: 'Editado em B', confirmQueueLogout: true }, { 'if-match': fresh });
    expect(second.status).toBe(412);
    expect(second.body.error.code).toBe('stale_version');
    expect(second.body.error.details.current.name).toBe('Editado em A');
  });

  it('issue 12: emails queued on both instances are each sent exactly once', async () => {
    const token = await signIn(a.url, 'admin');
    const agents = (await client(a.url, token).get('/api/v1/users?limit=1000&q=agente1')).body.items.filter((u: { passwordSet: boolean }) => u.passwordSet).slice(0, 8);
    expect(agents.length).toBeGreaterThan(3);
    await Promise.all(agents.map((u: { id: string }, i: number) => client(i % 2 ? a.url : b.url, token).post(`/api/v1/users/${u.id}/password-reset`)));
    const addresses: string[] = agents.map((u: { email: string }) => u.email);
    await waitFor(() => addresses.every((to) => smtp.mailbox.list().some((m) => m.to.includes(to))), 20_000, 'every reset email');
    const rows = await database.query<{ status: string }>(`select status from outbox where kind = 'password_reset' and to_address in (${addresses.map(() => '?').join(', ')})`, ...addresses);
    await waitFor(async () => (await database.query<{ status: string }>(`select status from outbox where status <> 'sent'`)).length === 0, 20_000, 'an empty outbox');
    for (const to of addresses) expect(smtp.mailbox.list().filter((m) => m.to.includes(to) && m.kind === 'password_reset')).toHaveLength(1);
    expect(rows).toHaveLength(addresses.length);
  });

  it('issue 12: the console keeps working when its instance stops and another answers at the same address', async () => {
    // The one address the console knows: a proxy whose upstream is switched.
    const proxy = await startCuttingProxy(a.url, () => false);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'omni-instances-'));
    const c = await composeConsole({ dataDir, platformUrl: proxy.url });
    try {
      await call(c, 'signIn', DEMO_ADMIN);
      await call(c, 'syncNow', {});
      const before = await call(c, 'searchUsers', { query: 'agente09' });
      // Instance A stops (graceful shutdown); the address now leads to B.
      expect(await a.stop('SIGTERM')).toBe(0);
      proxy.switchTo(b.url);
      // A heartbeat probe that reached the address while A was stopping saw it offline (a banner,
      // saves refused); the next probe, now answered by B, brings it back.
      await waitFor(async () => (await call(c, 'getSession', {})).online, 10_000, 'the console online through B');
      const user = before.items[0]!;
      const saved = await call(c, 'saveUser', { id: user.id, baseVersion: user.version, changes: { name: 'Salvo pela instância B' }, confirmQueueLogout: true });
      // The console synced through B too (same cursor space: one change log in the database).
      await call(c, 'syncNow', {});
      expect(saved.user.name).toBe('Salvo pela instância B');
      const onB = await client(b.url, await signIn(b.url, 'admin')).get(`/api/v1/users/${user.id}`);
      expect(onB.body.user.name).toBe('Salvo pela instância B');
    } finally {
      await c.dispose();
      await proxy.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
