/**
 * Issue 11 ("More") in Chromium: a user created with an extension and queues in one step (R8,
 * R10, with the R8 error inline first); readable history; with the platform stopped, Histórico
 * shows the versions this computer synced, with a diff, marked local. Real platform, browser host
 * and Chromium; the command palette by keyboard only (Ctrl+K); axe-core on each screen (0 serious
 * or critical).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Extension, Queue, User } from '../../src-shared/domain';
import { platformApi, screenshot, screenshotOnFailure, signIn, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e('create-history-palette');
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

async function axe(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const counted = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    counted.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe on ${screen}`,
  ).toEqual([]);
}

describe('issue 11: creation with queues and extension', () => {
  it('R8/R10: an administrator creates a user with an extension and a voice and a chat queue in one step; R8 is said inline first', async () => {
    const { page } = env;
    const api = await platformApi(env.platform.url, 'admin');
    const free = (await api.request<{ items: Extension[] }>('GET', '/extensions')).items.filter((e) => e.userId === null);
    const chosen = free[1]!;
    await signIn(env, 'admin');
    await page.getByRole('button', { name: /\+Novo/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Novo usuário' }).waitFor();
    await page.getByLabel('Nome').fill('Otávio Filas');
    await page.getByLabel('E-mail').fill('otavio.filas@example.com');
    await page.getByLabel('Login', { exact: true }).fill('otavio.filas');
    await page.getByLabel('Habilitar WebRTC').check();
    const section = page.getByRole('group', { name: 'Ramal e filas' });
    await section.getByLabel('Vendas (Voz)').check();
    await section.getByLabel('Chat do Site (WebChat)').check();
    // R8 before sending: no extension yet, no omnichannel (an administrator cannot enable it on creation, R6).
    await page.getByRole('button', { name: 'Criar usuário' }).click();
    await section.getByText('Somente usuários com ramal podem entrar em filas de voz.').waitFor();
    await section.getByText('Somente usuários habilitados para uso omnichannel podem entrar em filas de chat.').waitFor();
    await screenshot(page, 'issue11-new-user-r8-inline');
    await section.getByLabel('Chat do Site (WebChat)').uncheck();
    await section.getByLabel('Ramal').selectOption({ label: chosen.number });
    await axe(page, 'new user with queues');
    await screenshot(page, 'issue11-new-user-form');
    await page.getByRole('button', { name: 'Criar usuário' }).click();
    await page.getByText('Usuário Otávio Filas criado.').waitFor();
    await page.getByText(`Ramal associado: ${chosen.number}`).waitFor();
    await page.getByText('Filas: Vendas').waitFor();
    await screenshot(page, 'issue11-new-user-created');

    const { items } = await api.request<{ items: User[] }>('GET', '/users?q=otavio.filas');
    const created = items.find((u) => u.login === 'otavio.filas')!;
    expect(created).toMatchObject({ extension: { id: chosen.id, number: chosen.number }, voiceQueueIds: ['q-voice-vendas'], chatQueueIds: [], version: 1 });
    const queues = (await api.request<{ items: Queue[] }>('GET', '/queues')).items;
    expect(queues.find((q) => q.id === 'q-voice-vendas')!.memberIds).toContain(created.id);
  });

  it('command palette by keyboard only: Ctrl+K, a user, a queue, a screen, Escape; axe clean, nothing the CSP refuses', async () => {
    const { page } = env;
    await page.getByRole('navigation').getByRole('button', { name: 'Configurações' }).click();
    await page.getByRole('menuitem', { name: 'Usuários' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    const api = await platformApi(env.platform.url, 'admin');
    const { items } = await api.request<{ items: User[] }>('GET', '/users?q=agente03');
    const agent = items.find((u) => u.login === 'agente03')!;

    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Ir para' });
    await palette.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('combobox');
    await page.keyboard.type('agente03');
    await palette.getByRole('option', { name: new RegExp(agent.name) }).waitFor();
    await axe(page, 'command palette');
    await screenshot(page, 'issue11-palette-user');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: agent.name }).waitFor();
    expect(await palette.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(agent.name);

    // A queue: its screen opens on it.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('vendas');
    await palette.getByRole('option', { name: /Vendas/ }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Filas de Voz' }).waitFor();
    await page.getByRole('heading', { name: 'Membros de Vendas' }).waitFor();

    // A screen, chosen with the arrows among the matches.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('filas');
    await palette.getByRole('option', { name: /Omnichannel > Filas de chat/ }).waitFor();
    for (let i = 0; i < 10 && (await palette.getByRole('option', { selected: true }).textContent()) !== 'Omnichannel > Filas de chat'; i++) await page.keyboard.press('ArrowDown');
    await screenshot(page, 'issue11-palette-screens');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Filas de Chat' }).waitFor();

    // Escape closes and gives focus back where it was.
    await page.getByRole('button', { name: /Ir para…/ }).focus();
    await page.keyboard.press('Control+k');
    await palette.waitFor();
    await page.keyboard.press('Escape');
    expect(await palette.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Ir para…');
    expect(env.cspViolations).toEqual([]);
  });

  // Last: it stops the platform.
  it('offline local history: with the platform stopped, Histórico shows the synced versions with a diff, marked local', async () => {
    const { page } = env;
    const api = await platformApi(env.platform.url, 'admin');
    const { items } = await api.request<{ items: User[] }>('GET', '/users?q=agente05');
    const agent = items.find((u) => u.login === 'agente05')!;
    await page.getByRole('navigation').getByRole('button', { name: 'Configurações' }).click();
    await page.getByRole('menuitem', { name: 'Usuários' }).click();
    // The console has synced this version; another administrator renames the user; the console syncs again.
    await page.getByRole('button', { name: 'Sincronizar agora' }).click();
    await api.request('PATCH', `/users/${agent.id}`, { name: 'Agente Renomeada', confirmQueueLogout: true }, { 'if-match': `"u-${agent.id}-${agent.version}"` });
    await page.getByRole('button', { name: 'Sincronizar agora' }).click();
    await page.getByLabel('Buscar usuários').fill('Agente Renomeada');
    await page.getByRole('grid').getByRole('row', { name: /agente05/ }).waitFor();
    // Online, the Histórico is the platform's, readable.
    await page.getByRole('row', { name: /agente05/ }).click();
    await page.getByRole('tab', { name: 'Histórico' }).click();
    await page.getByRole('table').getByText(`Nome: ${agent.name} → Agente Renomeada`).waitFor();
    await page.getByRole('cell', { name: 'Dados alterados' }).waitFor();
    await axe(page, 'history');
    await screenshot(page, 'issue11-history-readable');

    await env.platform.close();
    const host = await env.restartHost();
    await page.goto(host.url);
    await page.getByText(/Sem conexão com a plataforma desde/).first().waitFor();
    await page.getByLabel('Buscar usuários').fill('agente05');
    await page.getByRole('row', { name: /agente05/ }).click();
    await page.getByRole('tab', { name: 'Histórico' }).click();
    const local = page.getByRole('region', { name: /Histórico local \(sem conexão\)/ });
    await local.getByText('Local', { exact: true }).waitFor();
    await local.getByText(`Nome: ${agent.name} → Agente Renomeada`).waitFor();
    await local.getByText('Primeira versão sincronizada').waitFor();
    expect(await page.getByText('Nenhum registro.').count()).toBe(0);
    await axe(page, 'local history');
    await screenshot(page, 'issue11-local-history-offline');
  });
});
