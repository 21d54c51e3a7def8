/**
 * Issue 9 classes 11 and 12 in Chromium through the browser host: an administrator syncs and signs
 * out (the sign-out offer); an agent is refused at sign-in and sees nothing (R2); the next person
 * starts from an empty search and no selection; after a sign-out that removes the data, an offline
 * start shows nothing (C6).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../src-shared/errors';
import { DEMO_PASSWORD, screenshot, screenshotOnFailure, signIn, signOut, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e('trust');
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

/** Every byte of the browser host's cache files. */
function cacheBytes(): string {
  const base = join(env.dir, 'console', 'cache.sqlite');
  return ['', '-wal', '-shm'].filter((s) => existsSync(base + s)).map((s) => readFileSync(base + s).toString('latin1')).join('');
}

describe('issue 9 classes 11 and 12 in Chromium', () => {
  it('issue 9 class 12 / C6: an administrator syncs, searches, opens a user, and "Sair" offers to remove this account\'s data', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await page.getByText(/^Sincronizado /).first().waitFor();
    await page.getByLabel('Buscar usuários').fill('agente07');
    await page.getByText('1 usuário', { exact: true }).waitFor();
    await page.getByRole('row', { name: /agente07/ }).click();
    await page.getByLabel('Nome').fill('Rascunho da administradora');
    await page.getByRole('banner').getByRole('button', { name: 'Sair', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Sair do Omniconsole' });
    await dialog.getByText('consulta offline', { exact: false }).waitFor();
    await screenshot(page, '40-sign-out-offer');
    await dialog.getByRole('button', { name: 'Sair e manter os dados' }).click();
    await page.getByRole('button', { name: 'Entrar', exact: true }).waitFor();
  });

  it('issue 9 class 11 / R2: an agent is refused at sign-in with a clear message in both languages and sees nothing', async () => {
    const { page } = env;
    await page.getByLabel('Conta').fill('demo');
    await page.getByLabel('Login', { exact: true }).fill('agente01');
    await page.getByLabel('Senha', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByRole('alert').getByText(ERROR_MESSAGES.console_access_denied['pt-BR']).waitFor();
    await screenshot(page, '41-agent-refused');
    expect(await page.getByRole('heading', { name: 'Usuários' }).count()).toBe(0);
    expect(await page.getByText('agente07').count()).toBe(0);
    expect(env.host.services.auth.currentUser).toBeNull();
    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('alert').getByText(ERROR_MESSAGES.console_access_denied.en).waitFor();
    await screenshot(page, '41-agent-refused-en');
    await page.getByLabel('Language').selectOption('pt-BR');
  });

  it('issue 9 class 12 / C6: the next person starts with no search text, no selection and no draft; sign-out can remove the data from this computer', async () => {
    const { page } = env;
    // On the same page, no reload: whatever the renderer held must be gone by itself.
    await page.getByLabel('Login', { exact: true }).fill('supervisor');
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    expect(await page.getByLabel('Buscar usuários').inputValue()).toBe('');
    expect(await page.getByText('Rascunho da administradora').count()).toBe(0);
    await page.getByRole('row', { name: /agente01/ }).waitFor();
    const someone = (await env.host.services.directory.searchUsers({ query: 'agente07' })).items[0]!.id;
    expect(cacheBytes()).toContain(someone);
    await signOut(page, { removeCachedData: true });
    expect(cacheBytes()).not.toContain(someone);
  });

  it('issue 9 class 12 / C6: an offline start with no stored session shows the sign-in screen and nothing cached', async () => {
    const { page } = env;
    await env.platform.close();
    await env.restartHost();
    await page.goto(env.host.url);
    await page.getByRole('button', { name: 'Entrar', exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: 'Usuários' }).count()).toBe(0);
    expect(env.host.services.auth.getSession()).toMatchObject({ status: 'signedOut', user: null });
    await screenshot(page, '42-offline-start-signed-out');
  });
});
