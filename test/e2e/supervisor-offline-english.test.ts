/**
 * Profiles, languages and offline review in Chromium: a supervisor reviews read-only (R2), the
 * console switches to English and keeps the choice (C5), and with the platform stopped the console
 * starts from its cache, says so, and disables every write with the reason (C1).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, screenshotOnFailure, signIn, signOut, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e('review');
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

describe('review, language and offline', () => {
  it('sign-in: a wrong password gets a clear error and keeps the form', async () => {
    const { page } = env;
    await page.goto(env.host.url);
    await page.getByLabel('Conta').fill('demo');
    await page.getByLabel('Login', { exact: true }).fill('supervisor');
    await page.getByLabel('Senha', { exact: true }).fill('senha-errada-1');
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByRole('alert').getByText('Conta, login ou senha inválidos.').waitFor();
    expect(await page.getByLabel('Login', { exact: true }).inputValue()).toBe('supervisor');
    await screenshot(page, '00-sign-in-error');
  });

  it('R5: "Esqueci minha senha" on the sign-in screen emails a reset link to the registered address', async () => {
    const { page, platform } = env;
    await page.getByRole('button', { name: 'Esqueci minha senha' }).click();
    await page.getByLabel('Login', { exact: true }).last().fill('agente05');
    await page.getByRole('button', { name: 'Enviar link' }).click();
    await page.getByText('Se o login existir, um link de redefinição foi enviado para o e-mail cadastrado.').waitFor();
    const mail = await platform.mailbox.waitFor((m) => m.kind === 'password_reset' && m.to.includes('agente05@'), 15_000);
    expect(mail.text).toMatch(/reset-password\?token=/);
    await screenshot(page, '00-sign-in-forgot');
  });

  it('R2: a supervisor sees everything read-only, with the reason, and can still navigate by keyboard', async () => {
    const { page } = env;
    await signIn(env, 'supervisor');
    await page.getByText('Perfil Supervisor: consulta somente leitura.', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: /\+Novo/ }).isDisabled()).toBe(true);

    // Keyboard: focus the grid, move down twice, Enter opens the third user.
    const grid = page.getByRole('grid', { name: 'Lista de usuários' });
    await grid.getByRole('row').nth(3).waitFor();
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await grid.locator('[role="row"][aria-rowindex="4"][aria-selected="true"]').waitFor();
    const third = (await grid.locator('[role="row"][aria-selected="true"] [role="gridcell"]').first().textContent())!.replace(/inativo$/, '');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: third }).waitFor();

    expect(await page.getByLabel('Nome').isDisabled()).toBe(true);
    expect(await page.getByLabel('Habilitar WebRTC').isDisabled()).toBe(true);
    expect(await page.getByLabel('Habilitar agente para uso omnichannel').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Salvar', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('note').getByText(/Perfil Supervisor: consulta somente leitura/).waitFor();
    await page.getByRole('button', { name: /Ações/ }).click();
    const reset = page.getByRole('menuitem', { name: /Redefinir senha/ });
    expect(await reset.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Senha' }).click();
    expect(await page.getByLabel('Nova senha', { exact: true }).isDisabled()).toBe(true);
    await screenshot(page, '13-supervisor-editor');

    await page.getByRole('navigation').getByRole('button', { name: 'Metrics' }).click();
    await page.getByRole('menuitem', { name: 'Call Centers' }).click();
    await page.getByRole('button', { name: /Suporte Técnico/ }).click();
    await page.getByRole('heading', { name: 'Membros de Suporte Técnico' }).waitFor();
    expect(await page.getByRole('button', { name: /\+Novo/ }).isDisabled()).toBe(true);
    const removes = page.getByRole('button', { name: /^Remover: / });
    expect(await removes.count()).toBeGreaterThan(0);
    expect(await removes.first().isDisabled()).toBe(true);
    await screenshot(page, '14-supervisor-queues');
    await signOut(page);
  });

  it('C5: English works everywhere and the choice survives a reload', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await page.getByRole('banner').getByLabel('Idioma').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByText('Settings > Users').waitFor();
    await page.getByRole('navigation').getByRole('button', { name: 'Settings' }).waitFor();
    await page.getByLabel('Search users').fill('agente01');
    await page.getByRole('row', { name: /agente01/ }).click();
    await page.getByRole('group', { name: 'Agent screen options' }).waitFor();
    await page.getByLabel('Enable agent for omnichannel use').waitFor();
    await screenshot(page, '15-english-editor');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    await page.getByRole('banner').getByLabel('Language').selectOption('pt-BR');
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
  });

  it('C1: with the platform stopped, the console starts from the cache, read-only, with the offline banner and the data age', async () => {
    const { page } = env;
    await page.getByRole('navigation').getByRole('button', { name: 'Configurações' }).click();
    await page.getByRole('menuitem', { name: 'Usuários' }).click();
    await page.getByText(/^\d+ usuários$/).waitFor();
    const onlineCount = await page.locator('.count').textContent();
    expect(onlineCount).toMatch(/^5\d usuários$/);
    await env.platform.close();
    const host = await env.restartHost();
    await page.goto(host.url);
    await page.getByText(/Sem conexão com a plataforma desde .+ Exibindo dados do cache de/).waitFor();
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    await page.getByText(/^\d+ usuários$/).waitFor();
    expect(await page.locator('.count').textContent()).toBe(onlineCount);
    await page.getByRole('grid').getByRole('row', { name: /agente01/ }).waitFor();
    expect(await page.getByRole('button', { name: /\+Novo/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sincronizar agora' }).isDisabled()).toBe(true);
    await screenshot(page, '16-offline-users');

    await page.getByLabel('Buscar usuários').fill('agente01');
    await page.getByRole('row', { name: /agente01/ }).click();
    await page.getByRole('group', { name: 'Opções da tela do Atendente' }).waitFor();
    expect(await page.getByLabel('Habilitar WebRTC').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Salvar', exact: true }).isDisabled()).toBe(true);
    // One notice: offline, the data's age, and that changes are disabled (Save points to it).
    await page.getByRole('alert').getByText(/Sem conexão com a plataforma desde .+ alterações estão desabilitadas/).waitFor();
    expect(await page.getByRole('button', { name: 'Salvar', exact: true }).getAttribute('aria-describedby')).toBe('frame-notice');
    await screenshot(page, '17-offline-editor');
  });
});
