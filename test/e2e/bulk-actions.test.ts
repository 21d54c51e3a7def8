/**
 * Issue 11 (C7): a bulk queue assignment in Chromium through the browser host. The administrator
 * picks users with checkboxes (and a Shift-click range), previews: the platform's dry run names who
 * changes, who is refused and why (R8), and which users will be logged out of which queues (R4);
 * one "Sim" under the article's sentence applies it; the report shows the result and the failures,
 * and "retry the failed ones" previews them again. Real platform, browser host and Chromium.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src-shared/domain';
import { platformApi, screenshot, screenshotOnFailure, signIn, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e('bulk-actions');
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

async function users(...logins: string[]): Promise<Record<string, User>> {
  const api = await platformApi(env.platform.url, 'admin');
  const out: Record<string, User> = {};
  for (const login of logins) {
    const { items } = await api.request<{ items: User[] }>('GET', `/users?q=${encodeURIComponent(login)}&limit=50`);
    out[login] = items.find((u) => u.login === login)!;
  }
  return out;
}

describe('bulk actions (issue 11, C7)', () => {
  it('C7/R4/R8: select users (checkbox and Shift-click), preview names the queues users will be logged out of and who is refused, Sim applies, the report offers to retry the failed ones', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await page.getByLabel('Buscar usuários').fill('agente0');
    // agente01..agente09 in login order: agente01 is logged into Suporte Técnico and Chat do Site.
    await page.getByText('9 usuários', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Login' }).click();
    // Wait for the filtered, login-sorted rows before picking (a click on a row still being replaced would pick another user).
    await page.locator('[role="row"][aria-rowindex="2"]').getByText('agente01', { exact: true }).waitFor();
    await page.locator('[role="row"][aria-rowindex="4"]').getByText('agente03', { exact: true }).waitFor();
    const boxes = page.getByRole('checkbox', { name: /^Selecionar / });
    await boxes.nth(0).click(); // agente01
    await boxes.nth(2).click({ modifiers: ['Shift'] }); // agente02, agente03 by range
    await page.getByText('3 usuários selecionados').waitFor();
    await page.getByLabel('Ação em lote').selectOption('addQueues');
    await page.getByLabel('Fila', { exact: true }).last().selectOption({ label: 'WhatsApp Atendimento (WhatsApp)' });
    await page.getByRole('button', { name: 'Pré-visualizar' }).click();

    const dialog = page.getByRole('alertdialog', { name: 'Pré-visualização da ação em lote' });
    await dialog.waitFor();
    await dialog.getByText('Você editou o usuário. Ao confirmar esta edição, o sistema realizará o logout do usuário na(s) fila(s). Deseja confirmar?').waitFor();
    await dialog.getByText('Estes usuários estão logados em filas e serão desconectados (logout):').waitFor();
    const u = await users('agente01', 'agente02', 'agente03');
    await dialog.getByText(`${u.agente01!.name}: Chat do Site, Suporte Técnico`).waitFor();
    // agente02 and agente03 have no omnichannel: R8 refuses them, with the reason.
    expect(await dialog.getByText('Somente usuários habilitados para uso omnichannel podem entrar em filas de chat.').count()).toBe(2);
    await dialog.getByText('1 serão alterados, 2 recusados, 0 sem alteração; 1 serão desconectados de filas.').waitFor();
    await screenshot(page, 'bulk-preview');

    await dialog.getByRole('button', { name: 'Sim' }).click();
    const report = page.getByRole('dialog', { name: 'Resultado da ação em lote' });
    await report.waitFor();
    await report.getByText('1 concluídos, 2 com falha.').waitFor();
    await report.getByText(`${u.agente01!.name} foi desconectado de: Chat do Site, Suporte Técnico`).waitFor();
    await screenshot(page, 'bulk-report');

    const after = await users('agente01', 'agente02');
    expect(after.agente01!.chatQueueIds).toContain('q-chat-whatsapp');
    expect(after.agente01!.version).toBeGreaterThan(u.agente01!.version);
    expect(after.agente02).toEqual(u.agente02);
    const api = await platformApi(env.platform.url, 'admin');
    expect((await api.request<{ items: unknown[] }>('GET', `/users/${u.agente01!.id}/queue-sessions`)).items).toEqual([]);

    // Retry the failed ones: a new preview of just those two, still refused by R8.
    await report.getByRole('button', { name: 'Tentar novamente os que falharam (2)' }).click();
    await dialog.waitFor();
    await dialog.getByText('0 serão alterados, 2 recusados, 0 sem alteração; 0 serão desconectados de filas.').waitFor();
    await dialog.getByRole('button', { name: 'Fechar' }).click();
  });

  it('C7: "select all N matching this filter" covers the whole filter, not only the rows on screen', async () => {
    const { page } = env;
    await page.getByLabel('Buscar usuários').fill('agente1');
    await page.getByText('10 usuários', { exact: true }).waitFor();
    await page.getByRole('checkbox', { name: /^Selecionar / }).first().click();
    await page.getByRole('button', { name: 'Selecionar todos os 10 usuários que atendem ao filtro' }).click();
    await page.getByText('10 usuários selecionados').waitFor();
    await page.getByLabel('Ação em lote').selectOption('assignFreeExtension');
    await page.getByRole('button', { name: 'Pré-visualizar' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Pré-visualização da ação em lote' });
    await dialog.waitFor();
    expect(await dialog.getByRole('row').count()).toBe(11);
    await dialog.getByRole('button', { name: 'Não' }).click();
  });
});
