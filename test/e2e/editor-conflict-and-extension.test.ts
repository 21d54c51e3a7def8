/**
 * The editor against concurrent changes and extensions, for real: another administrator saves the
 * same user first (the platform answers 412 stale_version through main), the editor shows both
 * versions and reapplies the admin's edit on top; then an extension is associated (R10) and the
 * user's email arrives at the SMTP sink.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src-shared/domain';
import { userEtag } from '../../src-shared/platform-api';
import { platformApi, screenshot, screenshotOnFailure, signIn, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;
let agent: User;

beforeAll(async () => {
  env = await startE2e('conflict');
  const api = await platformApi(env.platform.url, 'admin');
  const { items } = await api.request<{ items: User[] }>('GET', '/users?q=agente04&limit=10');
  agent = items.find((u) => u.login === 'agente04')!;
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

async function openAgent() {
  const { page } = env;
  await page.getByLabel('Buscar usuários').fill(agent.login);
  await page.getByRole('row', { name: new RegExp(agent.login) }).click();
  await page.getByRole('heading', { level: 1, name: agent.name }).waitFor();
}

describe('editor: conflicts and extensions', () => {
  it('stale_version: someone else saved first; the editor shows both versions and "Reaplicar minhas alterações" saves on top', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await openAgent();
    await page.getByLabel('Nome').fill('Nome Pelo Console');

    // Another administrator (the support login) changes the email first.
    const other = await platformApi(env.platform.url, 'suporte');
    const current = await other.request<{ user: User }>('GET', `/users/${agent.id}`);
    await other.request('PATCH', `/users/${agent.id}`, { email: 'outro.email@example.com' }, { 'if-match': userEtag(current.user) });

    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sim' }).click();
    const conflict = page.getByRole('dialog', { name: 'Outra pessoa salvou este usuário antes' });
    await conflict.waitFor();
    await conflict.getByRole('cell', { name: 'outro.email@example.com' }).waitFor();
    await conflict.getByRole('cell', { name: 'Nome Pelo Console' }).waitFor();
    await screenshot(page, '19-editor-conflict');
    await conflict.getByRole('button', { name: 'Reaplicar minhas alterações' }).click();
    expect(await page.getByLabel('Nome').inputValue()).toBe('Nome Pelo Console');
    expect(await page.getByLabel('E-mail').inputValue()).toBe('outro.email@example.com');

    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sim' }).click();
    await page.getByText('Usuário salvo pela plataforma.', { exact: false }).waitFor();
    const saved = await other.request<{ user: User }>('GET', `/users/${agent.id}`);
    expect(saved.user.name).toBe('Nome Pelo Console');
    expect(saved.user.email).toBe('outro.email@example.com');
    agent = saved.user;

    // The audit trail shows both saves, newest first, with who made them.
    await page.getByRole('tab', { name: 'Histórico' }).click();
    const rows = page.getByRole('table').getByRole('row');
    await rows.nth(2).waitFor();
    expect(await rows.nth(1).textContent()).toContain('Administradora Demo');
    await page.getByRole('table').getByText(/Nome: .* → Nome Pelo Console/).waitFor();
    await page.getByRole('table').getByText(/E-mail: .* → outro\.email@example\.com/).waitFor();
    await screenshot(page, '21-editor-audit');
  });

  it('R10: the administrator associates a free extension; the user is emailed', async () => {
    const { page, platform } = env;
    await page.getByRole('tab', { name: 'Ramal' }).click();
    const select = page.getByLabel('Ramal livre');
    await select.locator('option').first().waitFor({ state: 'attached' });
    const number = (await select.locator('option:checked').textContent())!;
    await page.getByRole('button', { name: 'Associar ramal' }).click();
    await page.getByText(`Ramal ${number} associado. O usuário foi avisado por e-mail.`).waitFor();
    await screenshot(page, '20-editor-extension');
    const mail = await platform.mailbox.waitFor((m) => m.kind === 'extension_associated' && m.to.includes('outro.email@example.com'), 15_000);
    expect(mail.text).toContain(number);
    const api = await platformApi(platform.url, 'admin');
    const { user } = await api.request<{ user: User }>('GET', `/users/${agent.id}`);
    expect(user.extension?.number).toBe(number);
  });
});

