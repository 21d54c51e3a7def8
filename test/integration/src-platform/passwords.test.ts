/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies are checked by the assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, findUser, http, linkIn, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

/** Posts the reset page's form like a browser does. */
async function submitResetForm(base: string, token: string, password: string, confirmation = password) {
  const body = new URLSearchParams({ token, password, passwordConfirmation: confirmation }).toString();
  return http(base, 'POST', '/reset-password', { raw: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

describe('password reset by email (R5) and set by an administrator (R9)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let adminToken: string;
  beforeAll(async () => {
    p = await startTestPlatform({ publicUrl: 'https://console.example.test' });
    adminToken = await signIn(p.url, 'admin');
    admin = client(p.url, adminToken);
  });
  afterAll(async () => p.stop());

  it('R5: the reset link comes from the configured public URL, never from the Host header', async () => {
    const user = await findUser(p.url, adminToken, 'agente21');
    const result = await admin.post(`/api/v1/users/${user.id}/password-reset`, undefined, { host: 'evil.example.com', 'x-forwarded-host': 'evil.example.com' });
    expect(result.status).toBe(202);
    const mail = await p.mailbox.waitFor((m) => m.to.includes(user.email) && m.kind === 'password_reset');
    expect(linkIn(mail.text)).toMatch(/^https:\/\/console\.example\.test\/reset-password\?token=[A-Za-z0-9_-]{43}$/);
  });
});

describe('password reset flow over the platform pages (R5, R9)', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let adminToken: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    adminToken = await signIn(p.url, 'admin');
    admin = client(p.url, adminToken);
  });
  afterAll(async () => p.stop());

  it('R5: Redefinir senha emails a single-use link; the page sets the password; a confirmation email follows', async () => {
    const user = await findUser(p.url, adminToken, 'agente04');
    expect(user.passwordSet).toBe(false);
    const result = await admin.post(`/api/v1/users/${user.id}/password-reset`);
    expect(result.status).toBe(202);
    expect(result.body.sentTo).toBe(user.email);
    const mail = await p.mailbox.waitFor((m) => m.to.includes(user.email) && m.kind === 'password_reset');
    expect(mail.subject).toBe('Redefinição de senha');
    const link = linkIn(mail.text);
    expect(link.startsWith(`${p.url}/reset-password?token=`)).toBe(true);
    const token = new URL(link).searchParams.get('token') as string;
    // ≥128 bits: 32 random bytes in base64url.
    expect(Buffer.from(token, 'base64url').length).toBe(32);
    // Hashed at rest: the database never holds the token itself.
    const stored = await p.query<{ token_hash: string }>('select token_hash from reset_tokens');
    expect(stored.some((r) => r.token_hash.includes(token))).toBe(false);

    const page = await http(p.url, 'GET', new URL(link).pathname + new URL(link).search);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.body).toContain('<form method="post" action="/reset-password">');

    const weak = await submitResetForm(p.url, token, 'short1');
    expect(weak.status).toBe(422);
    expect(weak.body).toContain('A senha não atende à política');
    const done = await submitResetForm(p.url, token, 'Nova-Cerejeira-Molhada-26');
    expect(done.status).toBe(200);
    expect(done.body).toContain('Senha alterada');

    const changed = await p.mailbox.waitFor((m) => m.to.includes(user.email) && m.kind === 'password_changed');
    expect(changed.subject).toBe('Senha alterada');
    expect((await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'agente04', password: 'Nova-Cerejeira-Molhada-26' } })).status).toBe(200);
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user.passwordSet).toBe(true);

    // Single use: the same link no longer works.
    const again = await submitResetForm(p.url, token, 'Outra-Seriema-Veloz-26');
    expect(again.status).toBe(422);
    expect(again.body).toContain('Este link de redefinição é inválido, já foi usado ou expirou.');
    expect((await http(p.url, 'GET', `/reset-password?token=${token}`)).status).toBe(400);
  });

  it('R5: a link expires, and a newer reset invalidates the older link', async () => {
    const user = await findUser(p.url, adminToken, 'agente14');
    await admin.post(`/api/v1/users/${user.id}/password-reset`);
    const first = new URL(linkIn((await p.mailbox.waitFor((m) => m.to.includes(user.email) && m.kind === 'password_reset')).text)).searchParams.get('token') as string;
    await admin.post(`/api/v1/users/${user.id}/password-reset`);
    // The outbox worker sends it after the answer (issue 9 class 6).
    const isReset = (m: { to: string; kind: string | null }) => m.to.includes(user.email) && m.kind === 'password_reset';
    await p.mailbox.waitFor((m) => isReset(m) && !m.text.includes(first));
    const all = p.mailbox.list().filter(isReset);
    expect(all.length).toBe(2);
    const second = new URL(linkIn(all[1]?.text ?? '')).searchParams.get('token') as string;
    expect(second).not.toBe(first);
    const old = await http(p.url, 'POST', '/api/v1/auth/reset-password', { body: { token: first, password: 'Nova-Cerejeira-Molhada-26', passwordConfirmation: 'Nova-Cerejeira-Molhada-26' } });
    expect(old.status).toBe(422);
    expect(old.body.error.code).toBe('reset_token_invalid');
    p.advance(61 * 60_000);
    const expired = await http(p.url, 'POST', '/api/v1/auth/reset-password', { body: { token: second, password: 'Nova-Cerejeira-Molhada-26', passwordConfirmation: 'Nova-Cerejeira-Molhada-26' } });
    expect(expired.status).toBe(422);
    expect(expired.body.error.code).toBe('reset_token_invalid');
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user.version).toBe(user.version);
  });

  it('R5: forgot-password emails a link for a known login and answers the same for an unknown one', async () => {
    const known = await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'agente20' } });
    const unknown = await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'nobody-at-all' } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
    const mail = await p.mailbox.waitFor((m) => m.to.includes('agente20@') && m.kind === 'password_reset');
    const token = new URL(linkIn(mail.text)).searchParams.get('token') as string;
    const set = await http(p.url, 'POST', '/api/v1/auth/reset-password', { body: { token, password: 'Esqueci-Caju-Dourado-26', passwordConfirmation: 'Esqueci-Caju-Dourado-26' } });
    expect(set.status).toBe(200);
  });

  it('R9: the administrator sets a temporary password: policy checked, argon2id hash, change required, email, audit', async () => {
    const user = await findUser(p.url, adminToken, 'agente24');
    const weak = await admin.put(`/api/v1/users/${user.id}/password`, { password: 'abc', passwordConfirmation: 'abc' });
    expect(weak.status).toBe(422);
    expect(weak.body.error.code).toBe('password_policy');
    expect(weak.body.error.fieldErrors.password).toEqual(expect.arrayContaining(['too_short', 'too_common']));
    const same = await admin.put(`/api/v1/users/${user.id}/password`, { password: 'agente24', passwordConfirmation: 'agente24' });
    expect(same.status).toBe(422);
    const mismatch = await admin.put(`/api/v1/users/${user.id}/password`, { password: 'Temporaria-Jabuticaba-26', passwordConfirmation: 'Temporaria-Jabuticaba-27' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('password_mismatch');
    expect((await admin.get(`/api/v1/users/${user.id}`)).body.user.version).toBe(user.version);

    const ok = await admin.put(`/api/v1/users/${user.id}/password`, { password: 'Temporaria-Jabuticaba-26', passwordConfirmation: 'Temporaria-Jabuticaba-26' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ passwordSet: true, mustChangePassword: true });
    const [row] = await p.query<{ password_hash: string }>('select password_hash from users where id = ?', user.id);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
    expect(row?.password_hash).not.toContain('Temporaria-Jabuticaba-26');
    const mail = await p.mailbox.waitFor((m) => m.to.includes(user.email) && m.kind === 'password_changed');
    expect(mail.text).toContain('temporária');
    const audit = (await admin.get(`/api/v1/users/${user.id}/audit`)).body.items;
    const entry = audit.find((a: any) => a.action === 'user.password_set_by_administrator');
    expect(entry).toMatchObject({ actorName: 'Administradora Demo', after: { temporary: true } });
    expect(JSON.stringify(audit)).not.toContain('Temporaria-Jabuticaba-26');

    // The user must change it at the next login before doing anything else.
    const supervisorLike = await findUser(p.url, adminToken, 'supervisor');
    await admin.put(`/api/v1/users/${supervisorLike.id}/password`, { password: 'Temporaria-Jabuticaba-26', passwordConfirmation: 'Temporaria-Jabuticaba-26' });
    const session = await http(p.url, 'POST', '/api/v1/auth/login', { body: { account: 'demo', login: 'supervisor', password: 'Temporaria-Jabuticaba-26' } });
    expect(session.status).toBe(200);
    expect(session.body.user.mustChangePassword).toBe(true);
    const sup = client(p.url, session.body.token);
    const blocked = await sup.get('/api/v1/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.details).toEqual({ reason: 'password_change_required' });
    const change = await sup.post('/api/v1/auth/change-password', { currentPassword: 'Temporaria-Jabuticaba-26', newPassword: 'Minha-Pitanga-Serena-26' });
    expect(change.status).toBe(200);
    expect(change.body.user.mustChangePassword).toBe(false);
    expect((await sup.get('/api/v1/users')).status).toBe(200);
  });

  it('R9: change-password checks the current password and the policy', async () => {
    const token = await signIn(p.url, 'agente25');
    const api = client(p.url, token);
    expect((await api.post('/api/v1/auth/change-password', { currentPassword: 'wrong-one-1', newPassword: 'Minha-Pitanga-Serena-26' })).status).toBe(401);
    expect((await api.post('/api/v1/auth/change-password', { currentPassword: 'Girassol-Pesqueiro-93', newPassword: 'curta' })).status).toBe(422);
  });
});

describe('forgot-password limits (R5)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform();
  });
  afterAll(async () => p.stop());

  it('R5: at most 5 reset emails per login in the window; later requests answer the same and send nothing', async () => {
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: 'agente40' } }));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202, 202]);
    await p.idle();
    expect(p.mailbox.list().filter((m) => m.to.includes('agente40@')).length).toBe(5);
  });

  it('R5: too many forgot-password requests from one IP answer 429 with Retry-After', async () => {
    let last: Awaited<ReturnType<typeof http>> | undefined;
    for (let i = 0; i < 40; i++) {
      last = await http(p.url, 'POST', '/api/v1/auth/forgot-password', { body: { account: 'demo', login: `ninguem-${i}` } });
      if (last.status === 429) break;
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
