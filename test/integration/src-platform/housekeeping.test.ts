/**
 * Issue 16 item 3, retention: the housekeeping job removes what has no further use (sent mail
 * after its days, expired reset tokens, idempotency answers after 24 h, expired sessions, old
 * failure counts) in batches, keeps the audit trail unless a period is set, and never touches mail
 * still waiting to go. Runs on SQLite and, in the integration-pg project, on PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/console-harness';
import { client, findUser, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const DAY = 24 * 60 * 60_000;

describe('retention: the housekeeping job (issue 16 item 3)', () => {
  let p: TestPlatform | undefined;
  afterEach(async () => {
    await p?.stop();
    p = undefined;
  });

  const count = async (table: string, where = '1 = 1', ...params: unknown[]) => Number((await p!.query<{ n: number }>(`select count(*) as n from ${table} where ${where}`, ...params))[0]!.n);

  /** Two reset emails through the API (sent), and the audit entries they leave. */
  async function sendResets(token: string): Promise<void> {
    const admin = client(p!.url, token);
    for (const login of ['agente01', 'agente02']) {
      const user = await findUser(p!.url, token, login);
      expect((await admin.post(`/api/v1/users/${user.id}/password-reset`)).status).toBe(202);
    }
    await waitFor(async () => (await count('outbox', "kind = 'password_reset' and status = 'sent'")) >= 2, 20_000, 'the reset emails sent');
  }

  it('issue 16.3: sent mail goes after its days, mail still waiting to go stays, and so does the audit of every email', async () => {
    p = await startTestPlatform({ retention: { mailDays: 30, intervalMs: 0 } });
    const token = await signIn(p.url, 'admin');
    await sendResets(token);
    const sent = await count('outbox', "status = 'sent'");
    const audit = await count('audit_entries');
    // A message still waiting for its next attempt (SMTP was down): never removed.
    const at = new Date(Date.now() - 40 * DAY).toISOString();
    await p.query(
      "insert into outbox (id, account_id, to_address, subject, body_text, kind, status, error, created_at, body_html, attempts, next_attempt_at) values (?, null, 'espera@example.com', 'x', 'x', 'password_reset', 'retrying', 'down', ?, null, 2, ?)",
      randomUUID(),
      at,
      new Date(Date.now() + 60 * DAY).toISOString(),
    );

    // 29 days later nothing is old enough.
    p.advance(29 * DAY);
    expect((await p.housekeeping()).mail).toBe(0);
    expect(await count('outbox', "status = 'sent'")).toBe(sent);

    p.advance(2 * DAY);
    const report = await p.housekeeping();
    expect(report.mail).toBe(sent);
    expect(await count('outbox', "status = 'sent'")).toBe(0);
    expect(await count('outbox', "status = 'retrying'")).toBe(1);
    // The audit still says who asked for which reset, to which address, and when.
    expect(await count('audit_entries')).toBe(audit);
    expect(await count('audit_entries', "action = 'user.password_reset_requested'")).toBeGreaterThanOrEqual(2);
  });

  it('issue 16.3: expired reset tokens, idempotency answers after 24 h, expired sessions and old failure counts go; live ones stay', async () => {
    p = await startTestPlatform({ retention: { intervalMs: 0 } });
    const token = await signIn(p.url, 'admin');
    await sendResets(token);
    const admin = client(p.url, token);
    const body = { number: '7788' };
    expect((await admin.post('/api/v1/extensions', body, { 'idempotency-key': 'k-retention' })).status).toBe(201);
    expect((await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: 'errada-123' } })).status).toBe(401);
    const tokens = await count('reset_tokens');
    expect(tokens).toBeGreaterThan(0);
    expect(await count('idempotency_keys')).toBe(1);
    expect(await count('limit_failures')).toBeGreaterThan(0);

    // Nothing has expired yet: a pass removes none of it.
    const early = await p.housekeeping();
    expect([early.resetTokens, early.idempotencyKeys, early.limitFailures]).toEqual([0, 0, 0]);

    // Two hours on: the reset links (60 minutes) have expired; the key (24 h) and the session (12 h) live.
    p.advance(2 * 60 * 60_000);
    const later = await p.housekeeping();
    expect(later.resetTokens).toBe(tokens);
    expect(await count('reset_tokens')).toBe(0);
    expect(await count('idempotency_keys')).toBe(1);
    expect((await admin.post('/api/v1/extensions', body, { 'idempotency-key': 'k-retention' })).headers.get('idempotent-replayed')).toBe('true');

    // A day on: the answer, the session and the failure counts have had their time.
    p.advance(DAY);
    const day = await p.housekeeping();
    expect(day.idempotencyKeys).toBe(1);
    expect(day.sessions).toBeGreaterThan(0);
    expect(day.limitFailures).toBeGreaterThan(0);
    expect([await count('idempotency_keys'), await count('sessions'), await count('limit_failures')]).toEqual([0, 0, 0]);
  });

  it('issue 16.3: the audit trail is kept by default, and goes after its period only when one is set', async () => {
    p = await startTestPlatform({ retention: { intervalMs: 0 } });
    await sendResets(await signIn(p.url, 'admin'));
    const audit = await count('audit_entries');
    p.advance(5 * 365 * DAY);
    expect((await p.housekeeping()).audit).toBe(0);
    expect(await count('audit_entries')).toBe(audit);
    await p.stop();

    p = await startTestPlatform({ retention: { auditDays: 365, intervalMs: 0 } });
    await sendResets(await signIn(p.url, 'admin'));
    const kept = await count('audit_entries');
    p.advance(364 * DAY);
    expect((await p.housekeeping()).audit).toBe(0);
    p.advance(2 * DAY);
    expect((await p.housekeeping()).audit).toBe(kept);
    expect(await count('audit_entries')).toBe(0);
  });

  it('issue 16.3: many rows go in small batches while the platform keeps answering', async () => {
    p = await startTestPlatform({ retention: { intervalMs: 0, batchSize: 7 } });
    const old = new Date(Date.now() - 40 * DAY).toISOString();
    for (let i = 0; i < 60; i++) {
      await p.query(
        "insert into outbox (id, account_id, to_address, subject, body_text, kind, status, error, created_at, body_html, attempts, next_attempt_at) values (?, null, ?, 's', 't', 'password_reset', 'sent', null, ?, null, 1, null)",
        randomUUID(),
        `old${i}@example.com`,
        old,
      );
    }
    const token = await signIn(p.url, 'supervisor');
    // Requests while the pass runs are answered as usual.
    const [report, ...answers] = await Promise.all([p.housekeeping(), ...Array.from({ length: 10 }, () => http(p!.url, 'GET', '/api/v1/me', { token }))]);
    expect(report!.mail).toBe(60);
    for (const answer of answers) expect((answer as { status: number }).status).toBe(200);
    expect(await count('outbox', 'created_at = ?', old)).toBe(0);
  });
});
