/**
 * Support creates an omnichannel user (R6) and the emails arrive; an administrator creates a chat
 * queue, assigns voice and chat queues (R8, with a rule error shown where it applies) and sets a
 * temporary password on the Senha tab (R9). Real platform, SMTP sink, browser host and Chromium.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Queue, User } from '../../src-shared/domain';
import { platformApi, screenshot, screenshotOnFailure, signIn, signOut, startE2e, type E2eEnv } from '../support/e2e-harness';

let env: E2eEnv;
const email = 'marina.nova@example.com';

beforeAll(async () => {
  env = await startE2e('new-user');
});
afterEach(async (ctx) => screenshotOnFailure(env, ctx));
afterAll(async () => env?.close());

async function findUser(login: string): Promise<User> {
  const api = await platformApi(env.platform.url, 'admin');
  const { items } = await api.request<{ items: User[] }>('GET', `/users?q=${encodeURIComponent(login)}&limit=50`);
  const user = items.find((u) => u.login === login);
  if (!user) throw new Error(`no user ${login}`);
  return user;
}

describe('new omnichannel user and queues', () => {
  it('R6: an administrator may create users but not with omnichannel, and sees why', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await page.getByRole('button', { name: /\+Novo/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Novo usuário' }).waitFor();
    expect(await page.getByLabel('Habilitar agente para uso omnichannel').isDisabled()).toBe(true);
    await page.getByText('Criar usuário já habilitado para uso omnichannel é ação exclusiva do Suporte.').waitFor();
    await signOut(page);
  });

  it('R6: support creates an omnichannel user; the screen and the SMTP server show the reset link and the extension email', async () => {
    const { page, platform } = env;
    await signIn(env, 'suporte');
    await page.getByRole('button', { name: /\+Novo/ }).click();
    await page.getByLabel('Nome').fill('Marina Nova');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Login', { exact: true }).fill('marina.nova');
    await page.getByLabel('Habilitar WebRTC').check();
    await page.getByLabel('Habilitar agente para uso omnichannel').check();
    await screenshot(page, '07-new-user-form');
    await page.getByRole('button', { name: 'Criar usuário' }).click();
    await page.getByText('Usuário Marina Nova criado.').waitFor();
    await page.getByText(`Link para redefinição de senha para ${email}`).waitFor();
    await page.getByText(`Notificação de ramal associado para ${email}`).waitFor();
    const extensionText = await page.getByText(/^Ramal associado: \d+$/).textContent();
    await screenshot(page, '08-new-user-created');

    const created = await findUser('marina.nova');
    expect(created.omnichannelEnabled).toBe(true);
    expect(extensionText).toBe(`Ramal associado: ${created.extension?.number}`);
    const extensionMail = await platform.mailbox.waitFor((m) => m.kind === 'extension_associated' && m.to.includes(email), 15_000);
    expect(extensionMail.text).toContain(created.extension!.number);
    await platform.mailbox.waitFor((m) => m.kind === 'password_reset' && m.to.includes(email), 15_000);
    await signOut(page);
  });

  it('R8: an administrator creates a chat queue with +Novo and adds members; the R8 error shows on a user without omnichannel', async () => {
    const { page } = env;
    await signIn(env, 'admin');
    await page.getByRole('navigation').getByRole('button', { name: 'Omnichannel' }).click();
    await page.getByRole('menuitem', { name: 'Filas de chat' }).click();
    await page.getByRole('heading', { level: 1, name: 'Filas de Chat' }).waitFor();
    await page.getByRole('button', { name: /\+Novo/ }).click();
    await page.getByLabel('Nome da fila').fill('WhatsApp Vendas');
    await page.getByLabel('Canal').selectOption('whatsapp');
    await page.getByRole('button', { name: 'Criar fila' }).click();
    await page.getByRole('heading', { name: 'Membros de WhatsApp Vendas' }).waitFor();

    // agente02 has WebRTC but not omnichannel: refused, with the reason on that user.
    await page.getByLabel('Buscar usuário').fill('agente02');
    await page.getByRole('button', { name: /^Adicionar: / }).first().click();
    await page.getByText('Somente usuários habilitados para uso omnichannel podem entrar em filas de chat.').waitFor();
    await screenshot(page, '09-queues-chat-r8-error');

    await page.getByLabel('Buscar usuário').fill('Marina');
    await page.getByRole('button', { name: 'Adicionar: Marina Nova' }).click();
    await page.getByText('Marina Nova adicionado à fila.').waitFor();
    await page.getByRole('list', { name: 'Membros de WhatsApp Vendas' }).getByText('Marina Nova').waitFor();
    await screenshot(page, '10-queues-chat-members');

    const api = await platformApi(env.platform.url, 'admin');
    const { items } = await api.request<{ items: Queue[] }>('GET', '/queues');
    const queue = items.find((q) => q.name === 'WhatsApp Vendas')!;
    expect(queue.channel).toBe('whatsapp');
    const marina = await findUser('marina.nova');
    const agente02 = await findUser('agente02');
    expect(queue.memberIds).toEqual([marina.id]);
    expect(agente02.chatQueueIds).not.toContain(queue.id);
  });

  it('R8: the administrator assigns a voice and a chat queue in the user editor', async () => {
    const { page } = env;
    await page.getByRole('navigation').getByRole('button', { name: 'Configurações' }).click();
    await page.getByRole('menuitem', { name: 'Usuários' }).click();
    await page.getByLabel('Buscar usuários').fill('marina');
    await page.getByRole('row', { name: /marina\.nova/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Marina Nova' }).waitFor();
    await page.getByRole('tab', { name: 'Filas' }).click();
    await page.getByLabel('Adicionar à fila (Filas de Voz)').selectOption({ label: 'Vendas (Voz)' });
    await page.getByRole('group', { name: 'Filas de Voz' }).getByRole('button', { name: 'Adicionar' }).click();
    await page.getByText('Usuário adicionado à fila Vendas.').waitFor();
    await page.getByLabel('Adicionar à fila (Filas de Chat)').selectOption({ label: 'Chat do Site (WebChat)' });
    await page.getByRole('group', { name: 'Filas de Chat' }).getByRole('button', { name: 'Adicionar' }).click();
    await page.getByText('Usuário adicionado à fila Chat do Site.').waitFor();
    await screenshot(page, '11-editor-queues');
    const marina = await findUser('marina.nova');
    expect(marina.voiceQueueIds).toEqual(['q-voice-vendas']);
    expect(marina.chatQueueIds).toHaveLength(2);
    expect(marina.chatQueueIds).toContain('q-chat-site');

    // Remove: the queue created on the queues screen.
    await page.getByRole('group', { name: 'Filas de Chat' }).getByRole('button', { name: 'Remover: WhatsApp Vendas' }).click();
    await page.getByText('Usuário removido da fila WhatsApp Vendas.').waitFor();
    expect((await findUser('marina.nova')).chatQueueIds).toEqual(['q-chat-site']);
  });

  it('R9: the administrator sets a temporary password on the Senha tab; the user is emailed', async () => {
    const { page, platform } = env;
    await page.getByRole('tab', { name: 'Senha' }).click();
    await page.getByLabel('Nova senha', { exact: true }).fill('curta');
    await page.getByLabel('Confirme a nova senha').fill('curta');
    await page.getByRole('button', { name: 'Definir senha' }).click();
    await page.getByText(/A senha não atende à política/).waitFor();
    await page.getByLabel('Nova senha', { exact: true }).fill('Temporaria-Jabuticaba-26');
    await page.getByLabel('Confirme a nova senha').fill('Temporaria-Jabuticaba-26');
    await screenshot(page, '12-editor-password-tab');
    await page.getByRole('button', { name: 'Definir senha' }).click();
    await page.getByText('Senha definida. O usuário foi avisado por e-mail e deverá alterá-la no próximo login.').waitFor();
    const mail = await platform.mailbox.waitFor((m) => m.kind === 'password_changed' && m.to.includes(email), 15_000);
    expect(mail.text).toContain('temporária');
    const marina = await findUser('marina.nova');
    expect(marina.passwordSet).toBe(true);
    expect(marina.mustChangePassword).toBe(true);
    // R7: with WebRTC, omnichannel, a password and queues, the checklist says ready.
    await page.getByText('Pronto para atender como agente omnichannel.').waitFor();
  });
});
