/**
 * Issue 11 (CSV) in Chromium through the browser host: the users of the table's filtered view and
 * a user's audit trail are exported as files (a download in the browser; Electron's native save
 * dialog takes the same blob); the exported file, edited, comes back through the import: the dry
 * run shows a create, a change with its diff, unchanged rows and an error with the forms' reason,
 * the apply asks the article's question (R4), and the table shows the result. Real platform,
 * browser host and Chromium.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
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

  it('round trip: export → edit → dry run (create, change with diff, unchanged, error) → Sim → the table shows the result', async () => {
    const { page } = env;
    await page.getByRole('menuitem', { name: 'Usuários' }).or(page.getByText('← Voltar')).first().click();
    await page.getByLabel('Buscar usuários').fill('agente0');
    await page.getByText('9 usuários', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'CSV' }).click();
    const exported = await download(() => page.getByRole('menuitem', { name: 'Exportar usuários desta visão (CSV)' }).click());
    const [header, ...records] = parse(exported.text, { bom: true, delimiter: ';' }) as string[][];
    const col = (name: string) => header!.indexOf(name);
    const row = (login: string) => records.find((r) => r[col('Login')] === login)!;
    row('agente02')[col('Nome')] = 'Larissa Importada';
    // R3: omnichannel without WebRTC is refused, with the form's message.
    row('agente03')[col('Habilitar agente para uso omnichannel')] = 'Sim';
    const added = [...header!.map(() => '')];
    added[col('Nome')] = 'Nova do CSV';
    added[col('E-mail')] = 'nova.csv@demo.omniconsole.example';
    added[col('Login')] = 'nova.csv';
    added[col('Perfil')] = 'Atendente';
    added[col('Habilitar WebRTC')] = 'Sim';
    added[col('Habilitar agente para uso omnichannel')] = 'Não';
    // Columns in another order and the file in English headers would do too; keep the export's shape.
    const edited = stringify([header!, ...records, added], { bom: true, delimiter: ';' });

    await page.getByRole('button', { name: 'CSV' }).click();
    await page.getByRole('menuitem', { name: 'Importar usuários (CSV)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Importar usuários (CSV)' }).waitFor();
    // The file field speaks the console's language, not Chromium's ("Choose File").
    await page.locator('.file-picker').getByText('Escolher arquivo', { exact: true }).waitFor();
    await page.locator('.file-picker').getByText('Nenhum arquivo escolhido', { exact: true }).waitFor();
    await screenshot(page, 'csv-import-empty');
    await page.getByLabel('Arquivo CSV').setInputFiles({ name: 'usuarios.csv', mimeType: 'text/csv', buffer: Buffer.from(edited, 'utf8') });
    await page.locator('.file-picker').getByText('usuarios.csv', { exact: true }).waitFor();
    await page.getByText('10 linhas: 1 serão criados, 1 alterados, 7 sem alteração, 1 com erro.').waitFor();
    const table = page.getByRole('table', { name: 'Resultado da simulação, linha a linha' });
    await table.getByRole('row', { name: /agente02/ }).getByText('Nome: Larissa Silva → Larissa Importada').waitFor();
    await table.getByRole('row', { name: /agente03/ }).getByText('Habilitar agente para uso omnichannel: Habilite o WebRTC para habilitar o agente para uso omnichannel.').waitFor();
    await table.getByRole('row', { name: /nova\.csv/ }).getByText('Criar').waitFor();
    await screenshot(page, 'csv-import-dry-run');

    await page.getByRole('button', { name: 'Aplicar 2 linhas' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirmar importação' });
    await confirm.getByText('Você editou o usuário. Ao confirmar esta edição, o sistema realizará o logout do usuário na(s) fila(s). Deseja confirmar?').waitFor();
    await screenshot(page, 'csv-import-confirm');
    await confirm.getByRole('button', { name: 'Sim' }).click();
    const report = page.getByRole('dialog', { name: 'Resultado da importação' });
    await report.getByText('2 concluídos, 0 com falha.').waitFor();
    await screenshot(page, 'csv-import-report');
    await report.getByRole('button', { name: 'Voltar para Usuários' }).click();
    await page.getByLabel('Buscar usuários').fill('Importada');
    await page.getByRole('grid').getByText('Larissa Importada').waitFor();
    await page.getByLabel('Buscar usuários').fill('nova.csv');
    await page.getByRole('grid').getByText('Nova do CSV').waitFor();
  });
});
