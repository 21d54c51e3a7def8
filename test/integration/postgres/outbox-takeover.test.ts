/**
 * Issue 12, several instances: a crashed instance's outbox claim is taken over after its lease.
 * Instance A claims a reset email and is in the middle of sending it (the SMTP server holds that
 * first delivery unanswered) when it is killed with SIGKILL; instance B, on the same PostgreSQL
 * database, sends it once the lease (a short one here, `--mail-lease-seconds`) has expired. The
 * SMTP server is a real one (smtp-server) and counts what it accepts: exactly one delivery.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/console-harness';
import { startPlatformProcess, type PlatformProcess } from '../../support/platform-process';
import { client, signIn } from '../../support/platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

/** An SMTP server that accepts every message but leaves the first one to `holdFor` unanswered. */
async function startHoldingSmtp(holdFor: () => string | null) {
  const delivered: string[] = [];
  const held: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      stream.resume();
      stream.once('end', () => {
        if (to === holdFor() && held.length === 0) {
          // The sender now waits for an answer that never comes (its connection dies with it).
          held.push(to);
          return;
        }
        delivered.push(to);
        callback();
      });
    },
  });
  // A sender killed mid-message is a reset connection, not a failure of the test.
  server.on('error', () => undefined);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    delivered,
    held,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

describe('issue 12: a crashed instance’s outbox claim is taken over after the lease', () => {
  let database: TestDatabase;
  let smtp: Awaited<ReturnType<typeof startHoldingSmtp>>;
  let target: string | null = null;
  const started: PlatformProcess[] = [];
  const start = async (extra: string[] = []) => {
    const p = await startPlatformProcess(['--database-url', database.target, '--mail-lease-seconds', '2', '--mail-poll-seconds', '1', '--housekeeping-minutes', '0', ...extra], { SMTP_URL: smtp.url, LOG_LEVEL: 'warn' });
    started.push(p);
    return p;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startHoldingSmtp(() => target);
  }, 60_000);
  afterAll(async () => {
    for (const p of started) await p.stop('SIGKILL');
    await smtp?.close();
    await database?.drop();
  });

  it('issue 12: A is killed with SIGKILL mid-send; B sends the email after the lease expires, exactly once', async () => {
    const a = await start(['--demo']);
    const admin = client(a.url, await signIn(a.url, 'admin'));
    const user = (await admin.get('/api/v1/users?limit=1000&q=agente12')).body.items.find((u: { login: string }) => u.login === 'agente12') as { id: string; email: string };
    target = user.email;
    const reset = await admin.post(`/api/v1/users/${user.id}/password-reset`, undefined, { 'idempotency-key': 'takeover-1' });
    expect(reset.status).toBe(202);

    // A has claimed the email and is sending it: the server holds the delivery, the row is leased.
    await waitFor(() => smtp.held.includes(user.email), 20_000, 'A in the middle of the send');
    const [claimed] = await database.query<{ status: string; attempts: number; next_attempt_at: string; created_at: string }>(`select status, attempts, next_attempt_at, created_at from outbox where kind = 'password_reset' and to_address = ?`, user.email);
    expect(claimed).toMatchObject({ status: 'pending', attempts: 0 });
    // Queued due at once; the claim moved it to the end of A's lease.
    expect(Date.parse(claimed!.next_attempt_at)).toBeGreaterThan(Date.parse(claimed!.created_at));
    expect(smtp.delivered).not.toContain(user.email);

    expect(await a.stop('SIGKILL')).toBeNull();
    await start();
    await waitFor(() => smtp.delivered.includes(user.email), 20_000, 'B sends the email after the lease');
    await waitFor(async () => (await database.query(`select id from outbox where status <> 'sent'`)).length === 0, 20_000, 'an empty outbox');
    const [sent] = await database.query<{ status: string; attempts: number }>(`select status, attempts from outbox where kind = 'password_reset' and to_address = ?`, user.email);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1 });
    // A few more rounds of B's worker (1 s each) change nothing: one delivery, one row.
    const rounds = Date.now();
    await waitFor(() => Date.now() - rounds > 3_000, 10_000, 'three worker rounds');
    expect(smtp.delivered.filter((to) => to === user.email)).toHaveLength(1);
    expect(smtp.held).toEqual([user.email]);
  }, 120_000);
});
