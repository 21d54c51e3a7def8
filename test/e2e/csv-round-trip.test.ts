/**
 * Issue 11 (CSV) in Chromium through the browser host: the users of the table's filtered view and
 * a user's audit trail are exported as files (a download in the browser; Electron's native save
 * dialog takes the same blob). Real platform, browser host and Chromium.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, screenshotOnFailure, signIn, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;

beforeAll(async () => {
  env = await startE2e('csv-round-trip');
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

async function download(action: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([env.page.waitForEvent('download'), action()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

describe('CSV (issue 11)', () => {
  it('exports the filtered view of users (BOM, ";" in pt-BR) and a user\'s audit trail', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await page.getByLabel('Buscar usuários').fill('agente0');
    await page.getByText('9 usuários', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'CSV' }).click();
    await screenshot(page, 'csv-menu');
    const users = await download(() => page.getByRole('menuitem', { name: 'Exportar usuários desta visão (CSV)' }).click());
    expect(users.name).toBe('usuarios.csv');
    expect(users.text.startsWith('\ufeffNome;E-mail;Login;Perfil;')).toBe(true);
    const rows = parse(users.text, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.Login).sort()).toEqual(['agente01', 'agente02', 'agente03', 'agente04', 'agente05', 'agente06', 'agente07', 'agente08', 'agente09']);
    await page.getByText('9 usuários exportados em usuarios.csv.').waitFor();

    await page.getByRole('row', { name: /agente01/ }).click();
    await page.getByRole('tab', { name: 'Histórico' }).click();
    const audit = await download(() => page.getByRole('button', { name: 'Exportar histórico (CSV)' }).click());
    expect(audit.name).toBe('auditoria-agente01.csv');
    expect(audit.text.startsWith('\ufeffQuando (UTC);Quem;Ação;Tipo;Alvo;Antes;Depois\r\n')).toBe(true);
    await screenshot(page, 'csv-audit-export');
  });
});
