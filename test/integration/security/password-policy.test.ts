/**
 * Issue 9 class 7: the platform applies the src-shared password policy on every path that sets a
 * password (administrator, own change, reset link through the API and the reset page), with the
 * same problem codes and the same messages. A real platform on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src-shared/errors';
import { PASSWORD_PROBLEM_MESSAGES, PASSWORD_RULES } from '../../../src-shared/password-policy';
import { DEMO_PASSWORD } from '../../../src-platform/server';
import { client, findUser, http, linkIn, signIn, startTestPlatform, type TestPlatform } from '../../support/platform';

const STRONG = 'Vento-Norte-Mangueira-71';
const POLICY_MESSAGE = errorMessage('password_policy', 'pt-BR');

describe('issue 9 class 7: one password policy on every path', { timeout: 90_000 }, () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;
  let adminToken: string;
  beforeAll(async () => {
    p = await startTestPlatform();
    adminToken = await signIn(p.url, 'admin');
    admin = client(p.url, adminToken);
  });
  afterAll(async () => p?.stop());

  const cases: [string, string][] = [
    ['x7$Kq9!mZ2@', 'too_short'],
    ['senha1234567', 'too_common'],
    ['password1234', 'too_common'],
    ['ContactCenterDemo2026', 'guessable_from_context'],
    ['Omniconsole2026!', 'guessable_from_context'],
    ['Girassol\tPesqueiro-93', 'control_character'],
  ];

  it('issue 9 class 7: the administrator’s set-password refuses short, common, context-guessable and control-character passwords, and nothing changes', async () => {
    const agent = await findUser(p.url, adminToken, 'agente15');
    for (const [password, problem] of cases) {
      const refused = await admin.put(`/api/v1/users/${agent.id}/password`, { password, passwordConfirmation: password });
      expect(refused.status, password).toBe(422);
      expect(refused.body.error.code).toBe('password_policy');
      expect(refused.body.error.message).toBe(POLICY_MESSAGE);
      expect(refused.body.error.fieldErrors.password, password).toContain(problem);
    }
    // Guessable from this user's own login.
    const own = await admin.put(`/api/v1/users/${agent.id}/password`, { password: 'agente15-agente15', passwordConfirmation: 'agente15-agente15' });
    expect(own.body.error.fieldErrors.password).toContain('guessable_from_context');
    expect((await admin.get(`/api/v1/users/${agent.id}`)).body.user.version).toBe(agent.version);
    // A long passphrase, no digits or symbols required: accepted.
    const ok = await admin.put(`/api/v1/users/${agent.id}/password`, { password: 'cavalo correto bateria grampo', passwordConfirmation: 'cavalo correto bateria grampo' });
    expect(ok.status).toBe(200);
  });

  it('issue 9 class 7: change-password applies the same rule, and the demo password meets it', async () => {
    const api = client(p.url, await signIn(p.url, 'supervisor', 'demo', DEMO_PASSWORD));
    const refused = await api.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: 'supervisor.demo1' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fieldErrors.newPassword).toEqual(['guessable_from_context']);
    expect((await api.post('/api/v1/auth/change-password', { currentPassword: DEMO_PASSWORD, newPassword: STRONG })).status).toBe(200);
  });

  it('issue 9 class 7: the reset link (API and page) applies the same rule and shows the same messages', async () => {
    const agent = await findUser(p.url, adminToken, 'agente16');
    expect((await admin.post(`/api/v1/users/${agent.id}/password-reset`)).status).toBe(202);
    const mail = await p.mailbox.waitFor((m) => m.to.includes(agent.email) && m.kind === 'password_reset');
    const token = new URL(linkIn(mail.text)).searchParams.get('token')!;
    const api = await http(p.url, 'POST', '/api/v1/auth/reset-password', { body: { token, password: 'senha1234567', passwordConfirmation: 'senha1234567' } });
    expect(api.status).toBe(422);
    expect(api.body.error.fieldErrors.password).toEqual(['too_common']);
    // The page lists the rules in the console's words, and names the problem the same way.
    const form = await http(p.url, 'GET', `/reset-password?token=${encodeURIComponent(token)}`);
    for (const rule of PASSWORD_RULES) expect(form.body).toContain(PASSWORD_PROBLEM_MESSAGES[rule]['pt-BR']);
    const body = new URLSearchParams({ token, password: 'Omniconsole2026!', passwordConfirmation: 'Omniconsole2026!' }).toString();
    const page = await http(p.url, 'POST', '/reset-password', { raw: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(page.status).toBe(422);
    expect(page.body).toContain(POLICY_MESSAGE);
    expect(page.body).toContain(PASSWORD_PROBLEM_MESSAGES.guessable_from_context['pt-BR']);
    // The token was not used up by the refusals.
    const accepted = await http(p.url, 'POST', '/api/v1/auth/reset-password', { body: { token, password: STRONG, passwordConfirmation: STRONG } });
    expect(accepted.status).toBe(200);
  });
});
