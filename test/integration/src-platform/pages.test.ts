import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxResponseSchema } from '../../../src-shared/platform-api';
import { MAX_ATTEMPTS, retryDelayMs } from '../../../src-platform/mail/mailer';
import { client, http, linkIn, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('platform pages: mailbox, reset page, OpenAPI (R5)', () => {
  let p: TestPlatform;
  let support: ReturnType<typeof client>;
  let browser: Browser;
  beforeAll(async () => {
    p = await startTestPlatform();
    support = client(p.url, await signIn(p.url, 'suporte'));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await p.stop();
  });

  it('R5: a person walks the reset flow in Chromium: mailbox page → reset link → new password → confirmation email', async () => {
    const created = await support.post('/api/v1/users', { name: 'Pessoa Navegador', email: 'navegador@example.com', login: 'navegador', profile: 'agent', webrtcEnabled: true });
    expect(created.status).toBe(201);
    await p.mailbox.waitFor((m) => m.to.includes('navegador@example.com') && m.kind === 'password_reset');
    // A Portuguese browser: the reset page follows the browser's language.
    const page = await browser.newPage({ locale: 'pt-BR' });
    await page.goto(p.mailboxUrl!);
    await page.getByText('Redefinição de senha').first().waitFor();
    await page.locator('article', { hasText: 'navegador@example.com' }).locator('a[href*="/reset-password?token="]').click();
    await page.getByLabel('Nova senha', { exact: true }).fill('Navegador-Ipe-Amarelo-26');
    await page.getByLabel('Confirme a nova senha').fill('Navegador-Ipe-Amarelo-26');
    await page.getByRole('button', { name: 'Salvar nova senha' }).click();
    await page.getByRole('status').waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Sua senha foi definida');
    await p.mailbox.waitFor((m) => m.to.includes('navegador@example.com') && m.kind === 'password_changed');
    expect((await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'navegador', password: 'Navegador-Ipe-Amarelo-26' } })).status).toBe(200);
    // The used link now shows the clear error instead of the form.
    await page.goBack();
    expect(await page.getByRole('alert').textContent()).toBe('Este link de redefinição é inválido, já foi usado ou expirou.');
    expect(await page.locator('form').count()).toBe(0);
    await page.close();
  });

  it('R5: the mailbox page escapes what users typed and sends a strict CSP', async () => {
    const evil = '<img src=x onerror="alert(1)">';
    const created = await support.post('/api/v1/users', { name: evil, email: 'xss@example.com', login: 'xss-user', profile: 'agent' });
    expect(created.status).toBe(201);
    await p.mailbox.waitFor((m) => m.to.includes('xss@example.com'));
    const page = await http(p.mailboxUrl!, 'GET', '');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).not.toContain(evil);
    expect(page.body).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;');
    const key = new URL(p.mailboxUrl!).searchParams.get('key')!;
    const json = MailboxResponseSchema.parse((await http(p.url, 'GET', `/api/v1/dev/mailbox?key=${key}`)).body);
    expect(json.items[0]?.to).toContain('xss@example.com');
  });

  it('R5: the reset page refuses unknown tokens with the clear message', async () => {
    const page = await http(p.url, 'GET', '/reset-password?token=%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
    expect(page.status).toBe(400);
    expect(page.body).toContain('Este link de redefinição é inválido, já foi usado ou expirou.');
    expect(page.body).not.toContain('<script>');
  });

  it('R5: the reset page speaks one language, the browser\'s first choice (pt-BR by default), errors included, in a <main> card', async () => {
    await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'agente07' } });
    const mail = await p.mailbox.waitFor((m) => m.kind === 'password_reset' && m.to.includes('agente07'));
    const path = new URL(linkIn(mail.text)).pathname + new URL(linkIn(mail.text)).search;
    const en = await http(p.url, 'GET', path, { headers: { 'accept-language': 'en-US,en;q=0.9,pt-BR;q=0.5' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toMatch(/<main[^>]*>/);
    expect(en.body).toContain('Reset password');
    expect(en.body).not.toMatch(/Redefinir|Nova senha|Salvar/);
    const pt = await http(p.url, 'GET', path);
    expect(pt.body).toContain('<html lang="pt-BR">');
    expect(pt.body).toContain('Salvar nova senha');
    expect(pt.body).not.toMatch(/Reset password|New password/);
    // A refusal is in the page's language too.
    const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
    const form = (password: string, confirmation: string) => new URLSearchParams({ token, password, passwordConfirmation: confirmation }).toString();
    const mismatch = await http(p.url, 'POST', '/reset-password', {
      raw: form('Teclado-Azul-Marinho-26', 'Teclado-Azul-Marinho-27'),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', origin: p.url },
    });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body).toContain('<html lang="en">');
    expect(mismatch.body).not.toMatch(/senha|Redefinir/i);
    const bad = await http(p.url, 'GET', '/reset-password?token=nope', { headers: { 'accept-language': 'en' } });
    expect(bad.body).toContain('This reset link is invalid');
  });

  it('R5: after a new password the page links to where the agent signs in (by default the article\'s address)', async () => {
    await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'agente10' } });
    const mail = await p.mailbox.waitFor((m) => m.kind === 'password_reset' && m.to.includes('agente10'));
    const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
    const done = await http(p.url, 'POST', '/reset-password', {
      raw: new URLSearchParams({ token, password: 'Teclado-Azul-Marinho-26', passwordConfirmation: 'Teclado-Azul-Marinho-26' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: p.url },
    });
    expect(done.status).toBe(200);
    expect(done.body).toContain('href="https://app.smartspace.us/login"');
    expect(done.body).toContain('Entrar na plataforma');
  });

  it('R1: the OpenAPI document describes the routes with their zod request schemas', async () => {
    const doc = (await http(p.url, 'GET', '/api/v1/openapi.json')).body;
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/auth/login', '/api/v1/users', '/api/v1/users/{id}', '/api/v1/queues', '/api/v1/extensions', '/api/v1/accounts/current/identity-provider']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    const login = doc.paths['/api/v1/auth/login'].post.requestBody.content['application/json'].schema;
    expect(login.required).toEqual(expect.arrayContaining(['account', 'login', 'password']));
    expect(login.additionalProperties).toBe(false);
    const list = doc.paths['/api/v1/users'].get.responses;
    expect(list['200'].content['application/json'].schema.properties).toHaveProperty('cursor');
    // Issue 12: each 4XX one status at a time, with its error codes.
    expect(list['401'].description).toContain('`unauthorized`');
  });
});

describe('mail through an external SMTP server', () => {
  it('R5: with smtpUrl set, mail goes to that server and the mailbox pages do not exist', async () => {
    const { startSmtpSink } = await import('../../../src-platform/mail/smtp-sink');
    const external = await startSmtpSink(() => new Date());
    const p = await startTestPlatform({ smtpUrl: external.url });
    try {
      const support = client(p.url, await signIn(p.url, 'suporte'));
      await support.post('/api/v1/users', { name: 'Externo', email: 'externo@example.com', login: 'externo', profile: 'agent' });
      const mail = await external.mailbox.waitFor((m) => m.to.includes('externo@example.com'));
      expect(mail.kind).toBe('password_reset');
      expect((await http(p.url, 'GET', '/mailbox')).status).toBe(404);
      expect((await http(p.url, 'GET', '/api/v1/dev/mailbox')).status).toBe(404);
    } finally {
      await p.stop();
      await external.close();
    }
  });

  it('R5/R6: when the SMTP server is down the user is still created, its emails are queued, and they go out once it is back', async () => {
    const { createServer } = await import('node:net');
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const p = await startTestPlatform({ smtpUrl: `smtp://127.0.0.1:${port}`, mailRetryIntervalMs: 0 });
    const { startSmtpSink } = await import('../../../src-platform/mail/smtp-sink');
    let back: Awaited<ReturnType<typeof startSmtpSink>> | null = null;
    try {
      const support = client(p.url, await signIn(p.url, 'suporte'));
      const created = await support.post('/api/v1/users', { name: 'Sem Correio', email: 'semcorreio@example.com', login: 'sem-correio', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true });
      expect(created.status).toBe(201);
      // Queued with the user (issue 9 class 6); the outbox worker sends them.
      expect(created.body.emailsSent.map((m: { kind: string }) => m.kind)).toEqual(['password_reset', 'extension_associated']);
      expect(created.body.extension).not.toBeNull();
      const outbox = () => p.query<{ kind: string; status: string; attempts: number }>('select kind, status, attempts from outbox order by kind desc');
      // The worker's first attempt (started after the commit) fails; waiting for it, nothing else is due.
      expect(await p.retryMail()).toBe(0);
      expect(await outbox()).toEqual([
        { kind: 'password_reset', status: 'retrying', attempts: 1 },
        { kind: 'extension_associated', status: 'retrying', attempts: 1 },
      ]);
      // Not due yet: nothing is tried again before the backoff has passed.
      expect(await p.retryMail()).toBe(0);
      // The SMTP server comes back on its address; after the backoff both emails go out.
      back = await startSmtpSink(() => new Date(), port);
      p.advance(retryDelayMs(1));
      expect(await p.retryMail()).toBe(2);
      const reset = await back.mailbox.waitFor((m) => m.to.includes('semcorreio@example.com') && m.kind === 'password_reset');
      expect(linkIn(reset.text)).toMatch(/\/reset-password\?token=/);
      await back.mailbox.waitFor((m) => m.to.includes('semcorreio@example.com') && m.kind === 'extension_associated');
      expect((await outbox()).map((m) => [m.status, m.attempts])).toEqual([
        ['sent', 2],
        ['sent', 2],
      ]);
      expect(await p.retryMail()).toBe(0);
    } finally {
      // The platform first: its pooled SMTP connection would keep the server from closing.
      await p.stop();
      await back?.close();
    }
  });

  it('R5: an email that keeps failing is given up after its last attempt, with the error kept', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const p = await startTestPlatform({ smtpUrl: `smtp://127.0.0.1:${port}`, mailRetryIntervalMs: 0 });
    try {
      const admin = client(p.url, await signIn(p.url, 'admin'));
      const user = (await admin.get('/api/v1/users?q=agente05')).body.items[0];
      expect((await admin.post(`/api/v1/users/${user.id}/password-reset`)).status).toBe(202);
      // The worker's first attempt, after the commit.
      expect(await p.retryMail()).toBe(0);
      for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
        p.advance(retryDelayMs(attempt));
        expect(await p.retryMail()).toBe(0);
      }
      const [row] = await p.query<{ status: string; attempts: number; next_attempt_at: string | null; error: string | null }>('select status, attempts, next_attempt_at, error from outbox');
      expect(row).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, next_attempt_at: null });
      expect(row!.error).toBeTruthy();
      p.advance(60 * 60_000);
      expect(await p.retryMail()).toBe(0);
      expect((await p.query<{ attempts: number }>('select attempts from outbox'))[0]!.attempts).toBe(MAX_ATTEMPTS);
    } finally {
      await p.stop();
    }
  });

  it('R5: the mailbox (live reset links) answers only this machine, even when listening on every interface', async (ctx) => {
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) {
      ctx.skip('this machine has no non-loopback IPv4 address to call from');
      return;
    }
    // The external address is one of its host names (issue 9 class 4: others get 421).
    const p = await startTestPlatform({ host: '0.0.0.0', allowedHosts: [external] });
    try {
      const port = new URL(p.url).port;
      const key = new URL(p.mailboxUrl!).searchParams.get('key')!;
      expect((await http(`http://127.0.0.1:${port}`, 'GET', `/mailbox?key=${key}`)).status).toBe(200);
      expect((await http(`http://${external}:${port}`, 'GET', `/mailbox?key=${key}`)).status).toBe(404);
      expect((await http(`http://${external}:${port}`, 'GET', `/api/v1/dev/mailbox?key=${key}`)).status).toBe(404);
      expect((await http(`http://${external}:${port}`, 'GET', '/api/v1/auth/providers?account=demo')).status).toBe(200);
    } finally {
      await p.stop();
    }
  });
});
