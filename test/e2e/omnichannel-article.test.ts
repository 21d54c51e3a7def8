/**
 * The vendor article end to end, in Chromium through the browser host against a real platform and
 * its SMTP sink: an administrator makes an existing agent (logged into a queue) an omnichannel
 * agent (R3 error first, R4 dialog, queues logged out), then resets the password by email (R5).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Extension, User } from '../../src-shared/domain';
import { platformApi, screenshot, screenshotOnFailure, signIn, startE2e, type E2eEnv } from '../support/e2e-harness';

const R4_TEXT = 'Você editou o usuário. Ao confirmar esta edição, o sistema realizará o logout do usuário na(s) fila(s). Deseja confirmar?';

let env: E2eEnv;
let agent: User;

beforeAll(async () => {
  env = await startE2e('article');
  // Arrange: an agent without WebRTC or omnichannel who is logged into the voice queue "Vendas".
  const api = await platformApi(env.platform.url, 'admin');
  const { items } = await api.request<{ items: User[] }>('GET', '/users?q=agente03&limit=10');
  agent = items.find((u) => u.login === 'agente03')!;
  expect(agent.webrtcEnabled).toBe(false);
  expect(agent.omnichannelEnabled).toBe(false);
  const { items: extensions } = await api.request<{ items: Extension[] }>('GET', '/extensions');
  const free = extensions.find((e) => e.userId === null)!;
  await api.request('PUT', `/users/${agent.id}/extension`, { extensionId: free.id });
  await api.request('PUT', `/queues/q-voice-vendas/members/${agent.id}`);
  await api.request('POST', '/queues/q-voice-vendas/sessions', { userId: agent.id });
  const sessions = await api.request<{ items: unknown[] }>('GET', `/users/${agent.id}/queue-sessions`);
  expect(sessions.items).toHaveLength(1);
});

afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

describe('article: enabling an omnichannel agent', () => {
  it('R3, R4: the administrator sees the R3 error first, confirms the R4 dialog and sees the queues logged out', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await screenshot(page, '01-users');
    await page.getByLabel('Buscar usuários').fill('agente03');
    await page.getByRole('row', { name: /agente03/ }).click();
    await page.getByRole('heading', { level: 1, name: agent.name }).waitFor();
    await page.getByRole('group', { name: 'Opções da tela do Atendente' }).waitFor();

    // R3: omnichannel without WebRTC: inline error and Save does not reach the platform.
    await page.getByLabel('Habilitar agente para uso omnichannel').check();
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await expect.poll(() => page.locator('.field-error').first().textContent()).toBe('Habilite o WebRTC para habilitar o agente para uso omnichannel.');
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await screenshot(page, '02-editor-r3-error');

    await page.getByLabel('Habilitar WebRTC').check();
    expect(await page.locator('.field-error').count()).toBe(0);

    // R4: the exact dialog; "Não" keeps the edits.
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText(R4_TEXT, { exact: true }).waitFor();
    await dialog.getByText('Sessões ativas nas filas: Vendas').waitFor();
    await screenshot(page, '03-editor-r4-dialog');
    await dialog.getByRole('button', { name: 'Não' }).click();
    expect(await page.getByLabel('Habilitar WebRTC').isChecked()).toBe(true);
    expect(await page.getByLabel('Habilitar agente para uso omnichannel').isChecked()).toBe(true);
    const api = await platformApi(env.platform.url, 'admin');
    const unchanged = await api.request<{ user: User }>('GET', `/users/${agent.id}`);
    expect(unchanged.user.omnichannelEnabled).toBe(false);

    // "Sim" saves and reports the queues the platform logged the user out of.
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sim' }).click();
    await page.getByText('Logout realizado nas filas: Vendas.', { exact: false }).waitFor();
    await screenshot(page, '04-editor-saved');
    const saved = await api.request<{ user: User }>('GET', `/users/${agent.id}`);
    expect(saved.user.webrtcEnabled).toBe(true);
    expect(saved.user.omnichannelEnabled).toBe(true);
    const sessions = await api.request<{ items: unknown[] }>('GET', `/users/${agent.id}/queue-sessions`);
    expect(sessions.items).toHaveLength(0);
  });

  it('R5: Ações > Redefinir senha emails the link; the link sets the password; the password-changed email arrives', async () => {
    const { page, platform } = env;
    await page.getByRole('button', { name: /Ações/ }).click();
    await page.getByRole('menuitem', { name: /Redefinir senha/ }).click();
    // A confirmation names the address the email goes to before anything is sent.
    const confirm = page.getByRole('dialog', { name: 'Redefinir senha' });
    await confirm.getByText(agent.email, { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'Enviar e-mail' }).click();
    await page.getByText(`E-mail de redefinição de senha enviado para o endereço cadastrado: ${agent.email}`, { exact: false }).waitFor();
    await screenshot(page, '05-editor-reset-sent');

    const mail = await platform.mailbox.waitFor((m) => m.kind === 'password_reset' && m.to.includes(agent.email), 15_000);
    const link = /https?:\/\/\S+reset-password\?token=\S+/.exec(mail.text)?.[0];
    expect(link).toBeTruthy();
    const resetPage = await env.context.newPage();
    await resetPage.goto(link!);
    await resetPage.getByLabel('Nova senha', { exact: true }).fill('Nova-Cerejeira-Molhada-26');
    await resetPage.getByLabel('Confirme a nova senha').fill('Nova-Cerejeira-Molhada-26');
    await screenshot(resetPage, '06-reset-page');
    await resetPage.getByRole('button', { name: 'Salvar nova senha' }).click();
    await resetPage.getByRole('heading', { name: 'Senha alterada' }).waitFor();
    await resetPage.close();
    const changed = await platform.mailbox.waitFor((m) => m.kind === 'password_changed' && m.to.includes(agent.email), 15_000);
    expect(changed.subject).toBe('Senha alterada');

    // C2/R7: after "Sincronizar agora" the console learns the password is set; the checklist follows.
    const readiness = page.getByRole('complementary', { name: 'Prontidão do atendente' });
    expect(await readiness.getByRole('button', { name: 'Resolver: Senha definida' }).count()).toBe(1);
    await page.getByRole('button', { name: /Voltar/ }).click();
    await page.getByRole('button', { name: 'Sincronizar agora' }).click();
    await page.getByText(/^Sincronizado há/).waitFor();
    await page.getByRole('row', { name: /agente03/ }).click();
    await readiness.getByText('Pronto para atender como agente omnichannel.').waitFor();
    expect(await readiness.getByRole('button', { name: 'Resolver: Senha definida' }).count()).toBe(0);

    // R7: the agent can now sign in to the platform with the new password.
    await expect(platformApi(platform.url, agent.login, 'Nova-Cerejeira-Molhada-26')).resolves.toBeTruthy();
  });

  it('issue 14: the CSP without inline styles refused nothing on these screens (dialogs, menus, notices)', () => {
    expect(env.cspViolations).toEqual([]);
  });
});
