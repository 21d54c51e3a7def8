/**
 * Issue 12, operable: health and readiness, the structured JSON log (request ids, no secrets),
 * Prometheus metrics behind their own option, and graceful shutdown of a platform process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformProcess } from '../../support/platform-process';
import { client, findUser, http, linkIn, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';
import { createTestDatabase } from '../../support/test-database';
import { DEMO_PASSWORD } from '../../../src-platform/server';

describe('operations: health, logs, metrics (issue 12)', () => {
  let p: TestPlatform;
  const log: string[] = [];
  beforeAll(async () => {
    p = await startTestPlatform({ logger: { level: 'info', stream: { write: (line) => void log.push(line) } }, metrics: true });
  });
  afterAll(async () => {
    await p?.stop();
  });

  it('issue 12: /healthz answers while the process lives; /readyz once the database answers with every migration applied', async () => {
    const health = await http(p.url, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await http(p.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('issue 12: a full reset flow leaves JSON log lines with request ids and none of its secrets', async () => {
    const secretPassword = 'Segredo-Novo-2026!x';
    const from = log.length;
    const admin = client(p.url, await signIn(p.url, 'admin'));
    const user = await findUser(p.url, (await signIn(p.url, 'admin')), 'supervisor');
    expect((await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'supervisor' } })).status).toBe(202);
    const mail = await p.mailbox.waitFor((m) => m.to.includes(user.email) && m.kind === 'password_reset');
    const link = linkIn(mail.text);
    const resetToken = new URL(link).searchParams.get('token') as string;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const reset = await http(p.url, 'POST', '/api/v1/auth/reset-password', { body: { token: resetToken, password: secretPassword, passwordConfirmation: secretPassword } });
    expect(reset.status).toBe(200);
    const session = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: secretPassword } });
    expect(session.status).toBe(200);
    const bearer = session.body.token as string;
    const me = await http(p.url, 'GET', '/api/v1/me', { token: bearer, headers: { 'idempotency-key': 'chave-secreta-123' } });
    expect(me.status).toBe(200);
    const requestId = me.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await admin.get(`/api/v1/users/${user.id}`)).status).toBe(200);
    expect((await http(p.url, 'POST', '/api/v1/auth/logout', { token: bearer })).status).toBe(204);

    const lines = log.slice(from).join('');
    const entries = lines.trim().split('\n').map((line) => JSON.parse(line) as { requestId?: string; req?: { url: string } });
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.some((e) => e.requestId === requestId)).toBe(true);
    // The reset page's request was logged, with the token taken out of its URL.
    expect(entries.some((e) => e.req?.url.startsWith('/reset-password?token=[redacted]'))).toBe(true);
    for (const secret of [resetToken, link, secretPassword, bearer, 'chave-secreta-123']) expect(lines).not.toContain(secret);
  });

  it('issue 12: /metrics serves request latency by route, outbox depth and login failures', async () => {
    await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'admin', password: 'errada-de-novo' } });
    const admin = client(p.url, await signIn(p.url, 'admin'));
    const someone = await findUser(p.url, await signIn(p.url, 'admin'), 'agente03');
    expect((await admin.get(`/api/v1/users/${someone.id}`)).status).toBe(200);
    const metrics = await http(p.url, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = metrics.body as string;
    expect(text).toMatch(/omniconsole_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/users\/:id"[^}]*\}/);
    // Route patterns, never raw URLs: no user id in a label.
    expect(text).not.toContain(someone.id);
    expect(text).toMatch(/omniconsole_outbox_messages\{status="failed"\} \d+/);
    expect(text).toMatch(/omniconsole_login_failures_total\{reason="invalid_credentials"\} [1-9]/);
  });

  it('issue 12: metrics are off unless asked for', async () => {
    const plain = await startTestPlatform();
    try {
      expect((await http(plain.url, 'GET', '/metrics')).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

describe('graceful shutdown (issue 12)', () => {
  it('issue 12: on SIGTERM a platform process finishes the request in flight, then exits 0 and stops accepting', async () => {
    const database = await createTestDatabase();
    const args = database.dialect === 'postgres' ? ['--database-url', database.target, '--demo'] : ['--data', database.dir, '--demo'];
    const platform = await startPlatformProcess(args);
    try {
      // A login takes a while (argon2id): SIGTERM lands while it is in flight.
      const inFlight = http(platform.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'admin', password: DEMO_PASSWORD } });
      const logged = Date.now();
      while (!/"url":"\/api\/v1\/auth\/login"/.test(platform.output()) && Date.now() - logged < 10_000) await new Promise((r) => setTimeout(r, 10));
      const exit = platform.stop('SIGTERM');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.body.token).toBeTruthy();
      expect(await exit).toBe(0);
      await expect(fetch(`${platform.url}/healthz`)).rejects.toThrow();
    } finally {
      await platform.stop('SIGKILL');
      await database.drop();
    }
  }, 120_000);
});
