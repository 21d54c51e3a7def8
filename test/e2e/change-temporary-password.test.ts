/**
 * R9 end to end in Chromium: an administrator sets the supervisor's password (temporary) through
 * the platform API; the supervisor signs in to the console, lands on "Trocar senha" instead of
 * the users screen, meets the inline errors (before sending and from the platform), changes the
 * password, and reaches the users screen with the synced list. Real platform, browser host, SMTP sink.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src-shared/domain';
import { DEMO_PASSWORD, platformApi, screenshot, screenshotOnFailure, startE2e, type E2eEnv } from '../support/e2e-harness';

const TEMPORARY = 'Temporaria-Jabuticaba-26';
const FINAL = 'Definitiva-Carambola-27x';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e('change-password');
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

describe('change of a temporary password', () => {
  it('R9: the supervisor signs in with the password an administrator set, changes it on "Trocar senha", then sees the synced users', async () => {
    const { page, platform } = env;
    const admin = await platformApi(platform.url, 'admin');
    const { items } = await admin.request<{ items: User[] }>('GET', '/users?q=supervisor&limit=50');
    const supervisor = items.find((u) => u.login === 'supervisor')!;
    const set = await admin.request<{ user: User }>('PUT', `/users/${supervisor.id}/password`, { password: TEMPORARY, passwordConfirmation: TEMPORARY });
    expect(set.user.mustChangePassword).toBe(true);

    await page.goto(env.host.url);
    await page.getByLabel('Conta').fill('demo');
    await page.getByLabel('Login', { exact: true }).fill('supervisor');
    await page.getByLabel('Senha', { exact: true }).fill(TEMPORARY);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Trocar senha' }).waitFor();
    expect(await page.getByRole('heading', { level: 1, name: 'Usuários' }).count()).toBe(0);
    await page.getByRole('group', { name: 'Política de senha' }).getByText('Mínimo de 12 caracteres').waitFor();

    // Before sending: the confirmation does not match (the platform is not asked).
    await page.getByLabel('Senha atual').fill(TEMPORARY);
    await page.getByLabel('Nova senha', { exact: true }).fill(FINAL);
    await page.getByLabel('Confirme a nova senha').fill(`${FINAL}?`);
    await page.getByRole('button', { name: 'Trocar senha' }).click();
    await page.getByText('As senhas não conferem.').waitFor();

    // From the platform: the current password is wrong; the error sits under its field.
    await page.getByLabel('Confirme a nova senha').fill(FINAL);
    await page.getByLabel('Senha atual').fill('NaoEhEssa123');
    await page.getByRole('button', { name: 'Trocar senha' }).click();
    await page.getByText('A senha atual está incorreta.').waitFor();
    expect(await page.getByLabel('Senha atual').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '20-change-password');

    await page.getByLabel('Senha atual').fill(TEMPORARY);
    await page.getByRole('button', { name: 'Trocar senha' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
    // The first sync ran after the change: the list shows the account's users.
    await page.getByRole('grid', { name: 'Lista de usuários' }).getByRole('row').nth(3).waitFor();
    await page.getByText('Perfil Supervisor: consulta somente leitura.', { exact: false }).waitFor();
    await screenshot(page, '21-after-password-change');

    // On the platform: the new password is the supervisor's, no longer temporary, and emailed about.
    const me = await (await platformApi(platform.url, 'supervisor', FINAL)).request<{ user: User }>('GET', '/me');
    expect(me.user.mustChangePassword).toBe(false);
    await expect(platformApi(platform.url, 'supervisor', TEMPORARY)).rejects.toThrow(/401/);
    await expect(platformApi(platform.url, 'supervisor', DEMO_PASSWORD)).rejects.toThrow(/401/);
    // The change by the user herself, not the administrator's earlier one ("…é temporária").
    const mail = await platform.mailbox.waitFor((m) => m.kind === 'password_changed' && m.to.includes(supervisor.email) && /Se não foi você/.test(m.text), 15_000);
    expect(mail.text).not.toMatch(/temporária/);
  });
});
