/**
 * Issue 9 class 4 (Host header / DNS rebinding) and class 9 (JSON-only API, same-origin form posts):
 * a real platform on 127.0.0.1, raw HTTP with the headers an attacker's page would cause, and
 * Debian's Chromium loading a page from a name rebound to 127.0.0.1 and from another origin.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/browser-flags';
import { client, findUser, linkIn, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';
import { rawRequest } from './raw-http';

const JSON_TYPE = { 'content-type': 'application/json' };

describe('issue 9 class 4: the platform answers only for the host names it serves', () => {
  let p: TestPlatform;
  let port: string;
  beforeAll(async () => {
    p = await startTestPlatform({ publicUrl: 'https://plataforma.example.com', allowedHosts: ['console.interno'] });
    port = new URL(p.url).port;
  });
  afterAll(async () => p?.stop());

  it('issue 9 class 4: loopback names, the public URL host and configured names are answered', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST', 'plataforma.example.com', `console.interno:${port}`]) {
      const answer = await rawRequest(p.url, 'GET', '/api/v1/auth/providers?account=demo', { host });
      expect(answer.status, host).toBe(200);
    }
  });

  it('issue 9 class 4: any other Host (a rebound name, a missing or malformed one) gets 421 and changes nothing', async () => {
    const login = JSON.stringify({ account: 'demo', login: 'admin', password: 'not-the-password-0' });
    const sessionsBefore = (await p.query<{ n: number }>('select count(*) n from sessions'))[0]!.n;
    for (const host of [`rebind.attacker.example:${port}`, 'attacker.example', `127.0.0.1.attacker.example:${port}`, `localhost.:${port}`, '127.0.0.2', `[::1]x:${port}`, '']) {
      const providers = await rawRequest(p.url, 'GET', '/api/v1/auth/providers?account=demo', { host });
      expect(providers.status, host).toBe(421);
      expect(JSON.parse(providers.text).error.code).toBe('misdirected_request');
      const attempt = await rawRequest(p.url, 'POST', '/api/v1/auth/login', { host, ...JSON_TYPE }, login);
      expect(attempt.status, host).toBe(421);
      expect((await rawRequest(p.url, 'GET', '/reset-password?token=x', { host })).status, host).toBe(421);
    }
    expect((await p.query<{ n: number }>('select count(*) n from sessions'))[0]!.n).toBe(sessionsBefore);
    // The refusal is in the request's language.
    const english = await rawRequest(p.url, 'GET', '/api/v1/me', { host: 'attacker.example', 'accept-language': 'en' });
    expect(JSON.parse(english.text).error.message).toBe('This platform does not answer for this host name.');
  });

  it('issue 9 class 4: a page on a name rebound to 127.0.0.1 (DNS rebinding) cannot read or drive the API in Chromium', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP rebind.attacker.example 127.0.0.1'] });
    try {
      const page = await browser.newPage();
      const rebound = `http://rebind.attacker.example:${port}`;
      // The attacker's name now points at the platform: its pages load from the platform itself.
      const first = await page.goto(`${rebound}/api/v1/auth/providers?account=demo`);
      expect(first?.status()).toBe(421);
      // Same-origin script on the rebound name: every call is refused before any route runs.
      const statuses = await page.evaluate(async () => {
        const providers = await fetch('/api/v1/auth/providers?account=demo');
        const loginAttempt = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'demo', login: 'admin', password: 'x' }) });
        return [providers.status, loginAttempt.status];
      });
      expect(statuses).toEqual([421, 421]);
    } finally {
      await browser.close();
    }
  });
});

describe('issue 9 class 9: the JSON API reads application/json only; the reset form refuses cross-site posts', () => {
  let p: TestPlatform;
  let attacker: Server;
  let attackerUrl: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    // Another origin on this machine, as any web page the administrator might have open.
    attacker = createServer((req, res) => {
      const html = decodeURIComponent(new URL(req.url ?? '/', 'http://x').searchParams.get('html') ?? '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => attacker?.close(() => resolve()));
    await p?.stop();
  });

  const resetMails = (email: string) => p.mailbox.list().filter((m) => m.to.includes(email) && m.kind === 'password_reset').length;

  it('issue 9 class 9: text/plain, form and multipart bodies are refused with 415 and change nothing', async () => {
    const host = new URL(p.url).host;
    const agent = { account: 'demo', login: 'agente03' };
    const email = 'agente03@demo.omniconsole.example';
    const before = resetMails(email);
    const bodies: [string, string][] = [
      ['text/plain', JSON.stringify(agent)],
      ['text/plain;charset=UTF-8', JSON.stringify(agent)],
      ['application/x-www-form-urlencoded', 'account=demo&login=agente03'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="account"\r\n\r\ndemo\r\n--x--\r\n'],
      ['application/json-patch+json', JSON.stringify(agent)],
      ['application/jsonx', JSON.stringify(agent)],
    ];
    for (const [type, body] of bodies) {
      const answer = await rawRequest(p.url, 'POST', '/api/v1/auth/forgot-password', { host, 'content-type': type }, body);
      expect(answer.status, type).toBe(415);
      expect(JSON.parse(answer.text).error.code).toBe('unsupported_media_type');
    }
    // Without a Content-Type a body is no JSON either.
    expect((await rawRequest(p.url, 'POST', '/api/v1/auth/forgot-password', { host }, JSON.stringify(agent))).status).toBe(415);
    const token = await signIn(p.url, 'admin');
    const target = await findUser(p.url, token, 'agente03');
    const patch = await rawRequest(p.url, 'PATCH', `/api/v1/users/${target.id}`, { host, authorization: `Bearer ${token}`, 'if-match': `"${target.version}"`, 'content-type': 'text/plain' }, JSON.stringify({ name: 'Mudado' }));
    expect(patch.status).toBe(415);
    expect((await findUser(p.url, token, 'agente03')).name).toBe(target.name);
    await p.idle();
    expect(resetMails(email)).toBe(before);
    // JSON with a charset parameter is JSON.
    const ok = await rawRequest(p.url, 'POST', '/api/v1/auth/forgot-password', { host, 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(agent));
    expect(ok.status).toBe(202);
  });

  it('issue 9 class 9: the reset page refuses a post from another origin (Origin or Sec-Fetch-Site) and accepts its own', async () => {
    const admin = client(p.url, await signIn(p.url, 'admin'));
    const user = await findUser(p.url, (await signIn(p.url, 'admin')), 'agente04');
    expect((await admin.post(`/api/v1/users/${user.id}/password-reset`)).status).toBe(202);
    const mail = await p.mailbox.waitFor((m) => m.to.includes('agente04@') && m.kind === 'password_reset');
    const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
    const host = new URL(p.url).host;
    const password = 'Vento-Norte-Mangueira-71';
    const form = `token=${encodeURIComponent(token)}&password=${encodeURIComponent(password)}&passwordConfirmation=${encodeURIComponent(password)}`;
    const urlencoded = { host, 'content-type': 'application/x-www-form-urlencoded' };
    const crossSite: Record<string, string>[] = [{ origin: 'https://attacker.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site', origin: p.url }];
    for (const headers of crossSite) {
      const refused = await rawRequest(p.url, 'POST', '/reset-password', { ...urlencoded, ...headers }, form);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(refused.text).toContain('Envio recusado: o formulário não veio desta plataforma.');
    }
    // The form route reads forms only.
    expect((await rawRequest(p.url, 'POST', '/reset-password', { host, 'content-type': 'text/plain', origin: p.url }, form)).status).toBe(415);
    // Nothing changed: the link still works, and its own page's post is accepted.
    expect((await rawRequest(p.url, 'GET', `/reset-password?token=${encodeURIComponent(token)}`, { host })).status).toBe(200);
    const accepted = await rawRequest(p.url, 'POST', '/reset-password', { ...urlencoded, origin: p.url, 'sec-fetch-site': 'same-origin' }, form);
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('Sua senha foi definida');
  });

  it('issue 9 class 9: in Chromium, another site’s auto-submitted forms reach neither the API nor the reset page', async () => {
    const admin = client(p.url, await signIn(p.url, 'admin'));
    const user = await findUser(p.url, await signIn(p.url, 'admin'), 'agente06');
    expect((await admin.post(`/api/v1/users/${user.id}/password-reset`)).status).toBe(202);
    const mail = await p.mailbox.waitFor((m) => m.to.includes('agente06@') && m.kind === 'password_reset');
    const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
    const before = resetMails('agente07@');
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      // A Portuguese browser: the reset page follows the browser's language.
      const page = await browser.newPage({ locale: 'pt-BR' });
      const post = async (action: string, fields: Record<string, string>, enctype = 'application/x-www-form-urlencoded') => {
        const inputs = Object.entries(fields)
          .map(([k, v]) => `<input name="${k}" value="${v.replace(/"/g, '&quot;')}">`)
          .join('');
        const html = `<form method="post" enctype="${enctype}" action="${p.url}${action}">${inputs}</form><script>document.forms[0].submit()</script>`;
        const answer = page.waitForResponse((r) => r.url().startsWith(p.url + action));
        await page.goto(`${attackerUrl}/?html=${encodeURIComponent(html)}`);
        return (await answer).status();
      };
      expect(await post('/api/v1/auth/forgot-password', { account: 'demo', login: 'agente07' })).toBe(415);
      expect(await post('/api/v1/auth/forgot-password', { '{"account":"demo","login":"agente07","x":"': '"}' }, 'text/plain')).toBe(415);
      const password = 'Serra-Azul-Cantareira-88';
      expect(await post('/reset-password', { token, password, passwordConfirmation: password })).toBe(403);
      // The platform's own reset page, in the same browser, still works with the same link.
      await page.goto(linkIn(mail.text));
      await page.getByLabel('Nova senha', { exact: true }).fill(password);
      await page.getByLabel('Confirme a nova senha').fill(password);
      await page.getByRole('button', { name: 'Salvar nova senha' }).click();
      expect(await page.getByRole('status').textContent()).toContain('Sua senha foi definida');
    } finally {
      await browser.close();
    }
    await p.idle();
    expect(resetMails('agente07@')).toBe(before);
  });
});
