/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionResponseSchema, MeResponseSchema, ProvidersResponseSchema } from '../../../src-shared/platform-api';
import { client, http, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

describe('platform auth (R2, R9, R11)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => p.stop());

  it('R2: login returns a bearer session with expiry; /me answers who and where', async () => {
    const login = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'admin', password: 'Girassol-Pesqueiro-93' } });
    expect(login.status).toBe(200);
    const session = SessionResponseSchema.parse(login.body);
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(session.user.profile).toBe('administrator');
    const me = await client(p.url, session.token).get('/api/v1/me');
    expect(me.status).toBe(200);
    const parsed = MeResponseSchema.parse(me.body);
    expect(parsed.user.login).toBe('admin');
    expect(parsed.account.slug).toBe('demo');
  });

  it('R2: the session token is stored only as a hash', async () => {
    const token = await signIn(p.url, 'supervisor');
    const rows = await p.query<{ token_hash: string }>('select token_hash from sessions');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('R2: wrong password, unknown login and unknown account give the same generic 401', async () => {
    const attempts = [
      { account: 'demo', login: 'admin', password: 'wrong-password-1' },
      { account: 'demo', login: 'nobody-here', password: 'wrong-password-1' },
      { account: 'no-such-account', login: 'admin', password: 'Girassol-Pesqueiro-93' },
    ];
    const bodies = [];
    for (const body of attempts) {
      const result = await http(p.url, 'POST', '/api/v1/auth/login', { body });
      expect(result.status).toBe(401);
      bodies.push(result.body);
    }
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0].error.code).toBe('invalid_credentials');
  });

  it('R2: error messages follow Accept-Language (pt-BR default, English on request)', async () => {
    const pt = await http(p.url, 'GET', '/api/v1/me');
    const en = await http(p.url, 'GET', '/api/v1/me', { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(pt.status).toBe(401);
    expect(pt.body.error.message).toBe('Faça login para continuar.');
    expect(en.body.error.message).toBe('Sign in to continue.');
  });

  it('R2: logout ends the session', async () => {
    const token = await signIn(p.url, 'supervisor');
    const api = client(p.url, token);
    expect((await api.post('/api/v1/auth/logout')).status).toBe(204);
    const me = await api.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthorized');
  });

  it('R2: an agent may sign in but every console route answers 403', async () => {
    const token = await signIn(p.url, 'agente01');
    const api = client(p.url, token);
    expect((await api.get('/api/v1/me')).status).toBe(200);
    for (const url of ['/api/v1/users', '/api/v1/queues', '/api/v1/queue-summaries', '/api/v1/extensions', '/api/v1/accounts/current']) {
      const result = await api.get(url);
      expect(result.status, url).toBe(403);
      expect(result.body.error.code).toBe('forbidden');
    }
  });

  it('R2: support signs into any account; an administrator only into their own', async () => {
    const support = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'autogerenciada', login: 'suporte', password: 'Girassol-Pesqueiro-93' } });
    expect(support.status).toBe(200);
    expect(support.body.account.slug).toBe('autogerenciada');
    const users = await client(p.url, support.body.token).get('/api/v1/users');
    expect(users.body.items.map((u: any) => u.login).sort()).toEqual(['helena', 'igor', 'julia']);
    const admin = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'autogerenciada', login: 'admin', password: 'Girassol-Pesqueiro-93' } });
    expect(admin.status).not.toBe(200);
  });

  it('R11: /auth/providers tells whether Microsoft sign-in is enabled and with which authority', async () => {
    const demo = await http(p.url, 'GET', '/api/v1/auth/providers?account=demo');
    expect(demo.status).toBe(200);
    expect(ProvidersResponseSchema.parse(demo.body)).toMatchObject({ password: true, microsoft: null, selfManaged: false });
    const self = await http(p.url, 'GET', '/api/v1/auth/providers?account=autogerenciada');
    const parsed = ProvidersResponseSchema.parse(self.body);
    expect(parsed.selfManaged).toBe(true);
    expect(parsed.password).toBe(false);
    expect(parsed.microsoft?.authority).toMatch(/^https:\/\/login\.microsoftonline\.com\/.+\/v2\.0$/);
    expect((await http(p.url, 'GET', '/api/v1/auth/providers?account=unknown-one')).status).toBe(404);
  });
});

describe('platform login limits and session expiry (R2)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => p.stop());

  it('R2: repeated failures for one login answer 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: `bad-password-${i}` } });
      expect(r.status).toBe(401);
    }
    const blocked = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: 'Girassol-Pesqueiro-93' } });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another login from the same IP is not blocked by the per-login limit.
    expect((await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'admin', password: 'Girassol-Pesqueiro-93' } })).status).toBe(200);
    // After the window the login works again.
    p.advance(16 * 60_000);
    expect((await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: 'Girassol-Pesqueiro-93' } })).status).toBe(200);
  });

  it('R2: many failures from one IP across logins answer 429', async () => {
    let last = 0;
    for (let i = 0; i < 101; i++) {
      const r = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: `ghost-${i}`, password: 'bad-password-1' } });
      last = r.status;
      if (last === 429) break;
    }
    expect(last).toBe(429);
    p.advance(16 * 60_000);
  });

  it('R2: a session expires (401 session_expired)', async () => {
    const token = await signIn(p.url, 'admin');
    expect((await client(p.url, token).get('/api/v1/me')).status).toBe(200);
    p.advance(13 * 60 * 60_000);
    const me = await client(p.url, token).get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('session_expired');
  });
});
