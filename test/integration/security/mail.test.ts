/**
 * Issue 9 class 5 (the development mailbox exists only when asked for, behind a per-run secret; the
 * outbox keeps no usable reset link) and class 6 (mail is sent by the outbox worker, never inside a
 * request: answers do not wait for an SMTP server that never answers). Real platforms on 127.0.0.1
 * and a real smtp-server behind a TCP gate that holds connections silent until opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPlatform } from '../../../src-main/platform/embedded-platform';
import { startSmtpSink, type SmtpSink } from '../../../src-platform/mail/smtp-sink';
import { client, findUser, http, linkIn, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('issue 9 class 5: the development mailbox', () => {
  it('issue 9 class 5: without SMTP_URL and without --demo there is no mailbox', async () => {
    const p = await startTestPlatform({ demo: false });
    try {
      expect(p.embeddedMail).toBe(false);
      expect(p.mailboxUrl).toBeNull();
      expect((await http(p.url, 'GET', '/mailbox')).status).toBe(404);
      expect((await http(p.url, 'GET', '/api/v1/dev/mailbox')).status).toBe(404);
    } finally {
      await p.stop();
    }
  });

  it('issue 9 class 5: asked for (demo), the mailbox needs the per-run key, even from this machine', async () => {
    const p = await startTestPlatform();
    try {
      const key = new URL(p.mailboxUrl!).searchParams.get('key')!;
      expect(key.length).toBeGreaterThanOrEqual(32);
      expect((await http(p.url, 'GET', '/mailbox')).status).toBe(404);
      expect((await http(p.url, 'GET', '/api/v1/dev/mailbox')).status).toBe(404);
      const wrong = (key[0] === 'A' ? 'B' : 'A') + key.slice(1);
      expect((await http(p.url, 'GET', `/mailbox?key=${wrong}`)).status).toBe(404);
      expect((await http(p.url, 'GET', `/api/v1/dev/mailbox?key=${wrong}`)).status).toBe(404);
      expect((await http(p.url, 'GET', `/mailbox?key=${key}`)).status).toBe(200);
      expect((await http(p.url, 'GET', `/api/v1/dev/mailbox?key=${key}`)).status).toBe(200);
    } finally {
      await p.stop();
    }
  });

  it("issue 9 class 5: the console's embedded platform has a mailbox only behind an unguessable key that changes every run", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-embedded-'));
    try {
      const keys: string[] = [];
      for (let run = 0; run < 2; run++) {
        const platform = await startEmbeddedPlatform(dir);
        try {
          const key = new URL(platform.mailboxUrl!).searchParams.get('key')!;
          expect(key).toMatch(/^[A-Za-z0-9_-]{32,}$/);
          keys.push(key);
          expect((await http(platform.url, 'GET', '/mailbox')).status).toBe(404);
          expect((await http(platform.url, 'GET', '/api/v1/dev/mailbox')).status).toBe(404);
          expect((await http(platform.url, 'GET', `/mailbox?key=${key}`)).status).toBe(200);
        } finally {
          await platform.close();
        }
      }
      expect(keys[0]).not.toBe(keys[1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('issue 9 class 5: once sent, the outbox keeps no usable reset link', async () => {
    const p = await startTestPlatform();
    try {
      const token = await signIn(p.url, 'admin');
      const agent = await findUser(p.url, token, 'agente11');
      expect((await client(p.url, token).post(`/api/v1/users/${agent.id}/password-reset`)).status).toBe(202);
      const mail = await p.mailbox.waitFor((m) => m.to.includes(agent.email) && m.kind === 'password_reset');
      const resetToken = new URL(linkIn(mail.text)).searchParams.get('token')!;
      await p.idle();
      const rows = await p.query<{ status: string; body_text: string; body_html: string | null }>(`select status, body_text, body_html from outbox where to_address = ?`, agent.email);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('sent');
      expect(rows[0]!.body_html).toBeNull();
      expect(rows[0]!.body_text).toContain('/reset-password?token=[removido]');
      const everything = JSON.stringify(await p.query('select * from outbox'));
      expect(everything).not.toContain(resetToken);
      expect(everything).not.toContain(encodeURIComponent(resetToken));
      // The link still works for its owner: only the stored copy is gone.
      expect((await http(p.url, 'GET', `/reset-password?token=${encodeURIComponent(resetToken)}`)).status).toBe(200);
    } finally {
      await p.stop();
    }
  });
});

/** A TCP gate in front of a real SMTP server: connections are held silent until `open()`. */
async function startGate(target: SmtpSink): Promise<{ url: string; open(): void; close(): Promise<void> }> {
  const held: Socket[] = [];
  const sockets = new Set<Socket>();
  let isOpen = false;
  const targetPort = Number(new URL(target.url).port);
  const pipe = (socket: Socket) => {
    const upstream = createConnection(targetPort, '127.0.0.1');
    sockets.add(upstream);
    socket.pipe(upstream).pipe(socket);
    upstream.on('error', () => socket.destroy());
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (isOpen) pipe(socket);
    else held.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    open() {
      isOpen = true;
      for (const socket of held.splice(0)) pipe(socket);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('issue 9 class 6: mail is sent by the outbox worker, never inside a request', () => {
  let smtp: SmtpSink;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let p: TestPlatform;
  beforeAll(async () => {
    smtp = await startSmtpSink(() => new Date());
    gate = await startGate(smtp);
    p = await startTestPlatform({ smtpUrl: gate.url });
  });
  afterAll(async () => {
    await p?.stop();
    await gate?.close();
    await smtp?.close();
  });

  /** How long a call takes to answer (a correctness bound here: the answer must not wait for SMTP). */
  async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; result: T }> {
    const started = performance.now();
    const result = await call();
    return { ms: performance.now() - started, result };
  }

  it('issue 9 class 6: with an SMTP server that never answers, forgot-password (known or unknown login), admin reset and user creation answer at once; the mail goes out once it answers', async () => {
    const support = client(p.url, await signIn(p.url, 'suporte'));
    const agent = await findUser(p.url, await signIn(p.url, 'suporte'), 'agente12');
    const known = await timed(() => http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'agente13' } }));
    const unknown = await timed(() => http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'ninguem-aqui' } }));
    const reset = await timed(() => support.post(`/api/v1/users/${agent.id}/password-reset`));
    const created = await timed(() => support.post('/api/v1/users', { name: 'Correio Parado', email: 'parado@example.com', login: 'correio-parado', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true }));
    expect([known.result.status, unknown.result.status, reset.result.status, created.result.status]).toEqual([202, 202, 202, 201]);
    expect(known.result.body).toEqual(unknown.result.body);
    for (const call of [known, unknown, reset, created]) expect(call.ms).toBeLessThan(1000);
    expect(smtp.mailbox.list()).toEqual([]);
    // The server starts answering: every queued email goes out, on the connections already waiting.
    gate.open();
    await smtp.mailbox.waitFor((m) => m.to.includes('agente13@') && m.kind === 'password_reset', 20_000);
    await smtp.mailbox.waitFor((m) => m.to.includes(agent.email) && m.kind === 'password_reset', 20_000);
    await smtp.mailbox.waitFor((m) => m.to.includes('parado@example.com') && m.kind === 'password_reset', 20_000);
    await smtp.mailbox.waitFor((m) => m.to.includes('parado@example.com') && m.kind === 'extension_associated', 20_000);
    await p.idle();
    expect(smtp.mailbox.list()).toHaveLength(4);
    expect((await p.query<{ status: string }>('select status from outbox')).map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
  }, 60_000);
});
