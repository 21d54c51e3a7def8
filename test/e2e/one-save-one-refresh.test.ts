/**
 * Issue 14 "one refresh path": main's change events drive every renderer refresh, and stores never
 * refetch by hand after a write. Counts the operations the page sends over the real browser-host
 * bridge (Chromium, real platform) around one save: one `saveUser`, then one users-list refresh.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, screenshotOnFailure, signIn, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;
/** Every operation the page invoked, in order (channel names without the `omni:` prefix). */
const sent: string[] = [];

beforeAll(async () => {
  env = await startE2e('refresh');
  env.page.on('websocket', (ws) =>
    ws.on('framesent', ({ payload }) => {
      try {
        const frame = JSON.parse(String(payload)) as { type?: string; channel?: string };
        if (frame.type === 'invoke' && frame.channel) sent.push(frame.channel.replace(/^omni:/, ''));
      } catch {
        // Not one of the bridge's frames.
      }
    }),
  );
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

describe('one save, one refresh (issue 14)', () => {
  it('saving a user sends saveUser once and refreshes the users list once, from main\'s change event', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await page.getByLabel('Buscar usuários').fill('agente05');
    await page.getByRole('row', { name: /agente05/ }).click();
    await page.getByRole('group', { name: 'Opções da tela do Atendente' }).waitFor();
    await page.getByLabel('Nome', { exact: true }).fill('Agente Cinco Renomeado');

    const from = sent.length;
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Sim' }).click();
    await page.getByText('Usuário salvo pela plataforma.', { exact: false }).waitFor();
    // Main emits onDidChangeData before it answers the save, so the refresh it causes was sent
    // before this marker; the marker's own answer flushes the bridge.
    await page.evaluate(() => window.consoleApi!.getSettings({}));
    const during = sent.slice(from, sent.lastIndexOf('getSettings'));
    await screenshot(page, '20-one-save-one-refresh');

    expect(during.filter((op) => op === 'saveUser')).toHaveLength(1);
    expect(during.filter((op) => op === 'searchUsers')).toHaveLength(1);
    // The open editor re-reads its user at most once for the same event.
    expect(during.filter((op) => op === 'getUser').length).toBeLessThanOrEqual(1);
  });
});
