// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { SELF_MANAGED_MESSAGE_PT } from '../../../../../src-shared/errors';
import { makeUser, sessionFor } from '../../fake-console-api';
import { descriptionOf, renderApp } from '../../render-app';

const R4_TEXT = 'Você editou o usuário. Ao confirmar esta edição, o sistema realizará o logout do usuário na(s) fila(s). Deseja confirmar?';

afterEach(cleanup);

function setup(opts: { profile?: 'administrator' | 'supervisor' | 'support'; online?: boolean; selfManaged?: boolean; handlers?: Parameters<typeof renderApp>[0]['handlers'] } = {}) {
  const admin = makeUser({ name: 'Ana Admin', profile: opts.profile ?? 'administrator', webrtcEnabled: true });
  const agent = makeUser({ name: 'Bruno Agente', login: 'bruno', selfManaged: opts.selfManaged ?? false });
  const fake = renderApp({
    session: sessionFor(admin, { online: opts.online ?? true }),
    users: [admin, agent],
    route: { screen: 'user', id: agent.id, tab: 'data' },
    handlers: opts.handlers,
  });
  return { ...fake, admin, agent, user: userEvent.setup() };
}

describe('user editor', () => {
  it('R3: omnichannel without WebRTC shows the error on the field and Save sends nothing', async () => {
    const { user, callsOf } = setup();
    const omni = await screen.findByLabelText('Habilitar agente para uso omnichannel');
    expect(screen.getByRole('group', { name: 'Opções da tela do Atendente' })).toBeTruthy();
    await user.click(omni);
    const alert = await screen.findByText('Habilite o WebRTC para habilitar o agente para uso omnichannel.');
    expect(alert.getAttribute('role')).toBe('alert');
    expect(omni.getAttribute('aria-invalid')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(callsOf('saveUser')).toHaveLength(0);
    // Enabling WebRTC clears the error.
    await user.click(screen.getByLabelText('Habilitar WebRTC'));
    expect(screen.queryByText('Habilite o WebRTC para habilitar o agente para uso omnichannel.')).toBeNull();
  });

  it('R4: Save shows the exact dialog; Não keeps the edits and sends nothing', async () => {
    const { user, callsOf } = setup();
    await user.click(await screen.findByLabelText('Habilitar WebRTC'));
    await user.click(screen.getByLabelText('Habilitar agente para uso omnichannel'));
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(within(dialog).getByText(R4_TEXT)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Não' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect((screen.getByLabelText('Habilitar WebRTC') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Habilitar agente para uso omnichannel') as HTMLInputElement).checked).toBe(true);
    expect(callsOf('saveUser')).toHaveLength(0);
  });

  it('R4: Sim saves with confirmQueueLogout and shows the queues the platform logged the user out of', async () => {
    const { user, callsOf, agent } = setup({
      handlers: {
        saveUser: ({ changes }) => ({
          user: { ...makeUser({ id: 'x' }), ...changes, id: agent.id, name: agent.name, login: agent.login, version: 2 },
          loggedOutQueues: [
            { queueId: 'q1', queueName: 'Suporte Voz', kind: 'voice' },
            { queueId: 'q2', queueName: 'WhatsApp Vendas', kind: 'chat' },
          ],
        }),
      },
    });
    await user.click(await screen.findByLabelText('Habilitar WebRTC'));
    await user.click(screen.getByLabelText('Habilitar agente para uso omnichannel'));
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Sim' }));
    await screen.findByText(/Logout realizado nas filas: Suporte Voz, WhatsApp Vendas\./);
    expect(callsOf('saveUser')).toEqual([
      { id: agent.id, baseVersion: 1, changes: { webrtcEnabled: true, omnichannelEnabled: true }, confirmQueueLogout: true },
    ]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // 17.3: after Sim, focus is on the result (not fallen out of the page onto <body>).
    await waitFor(() => expect(document.activeElement?.textContent).toMatch(/^Usuário salvo pela plataforma\./));
  });

  it('17.3: opening a user puts focus on its heading; an invalid Save moves focus to the first field in error', async () => {
    const { user, agent } = setup();
    const heading = await screen.findByRole('heading', { level: 1, name: agent.name });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    await user.click(screen.getByLabelText('Habilitar agente para uso omnichannel'));
    (screen.getByLabelText('Nome') as HTMLInputElement).focus();
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    const omni = screen.getByLabelText('Habilitar agente para uso omnichannel');
    await waitFor(() => expect(document.activeElement).toBe(omni));
    expect(omni.getAttribute('aria-invalid')).toBe('true');
  });

  it('R4: a platform refusal (webrtc_required) is shown on the field, nothing claimed saved', async () => {
    const { user } = setup({ handlers: { saveUser: () => ({ code: 'webrtc_required', message: 'x', fieldErrors: { omnichannelEnabled: ['webrtc_required'] } }) } });
    await user.type(await screen.findByLabelText('Nome'), ' Jr');
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Sim' }));
    await screen.findByText('Habilite o WebRTC para habilitar o agente para uso omnichannel.', { selector: '.field-error' });
    expect(screen.queryByText('Usuário salvo pela plataforma.', { exact: false })).toBeNull();
  });

  it('stale_version shows both versions; Reaplicar keeps my edit on the new version, Recarregar drops it', async () => {
    const { user, agent, callsOf } = setup({
      handlers: {
        saveUser: () => ({ code: 'stale_version', message: 'stale', details: { current: { ...agent, email: 'novo@example.com', version: 5 } } }),
      },
    });
    const name = await screen.findByLabelText('Nome');
    await user.clear(name);
    await user.type(name, 'Bruno Silva');
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Sim' }));
    const conflict = await screen.findByRole('dialog', { name: 'Outra pessoa salvou este usuário antes' });
    expect(within(conflict).getByText('novo@example.com')).toBeTruthy();
    expect(within(conflict).getByText('Bruno Silva')).toBeTruthy();
    await user.click(within(conflict).getByRole('button', { name: 'Reaplicar minhas alterações' }));
    expect((screen.getByLabelText('Nome') as HTMLInputElement).value).toBe('Bruno Silva');
    expect((screen.getByLabelText('E-mail') as HTMLInputElement).value).toBe('novo@example.com');
    // The next save is based on the server's version 5.
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Sim' }));
    await screen.findByRole('dialog', { name: 'Outra pessoa salvou este usuário antes' });
    expect(callsOf('saveUser')[1]).toMatchObject({ baseVersion: 5, changes: { name: 'Bruno Silva' } });
    await user.click(screen.getByRole('button', { name: 'Recarregar' }));
    expect((screen.getByLabelText('Nome') as HTMLInputElement).value).toBe(agent.name);
  });

  it('R5: Ações > Redefinir senha asks first, naming the address; Cancelar sends nothing; then the result takes focus', async () => {
    const { user, agent, callsOf } = setup({ handlers: { resetPassword: () => ({ sentTo: agent.email, expiresAt: '2026-01-03T10:00:00.000Z' }) } });
    await user.click(await screen.findByRole('button', { name: /Ações/ }));
    await user.click(screen.getByRole('menuitem', { name: /Redefinir senha/ }));
    const confirm = await screen.findByRole('dialog', { name: 'Redefinir senha' });
    expect(confirm.textContent).toContain(agent.email);
    await user.click(within(confirm).getByRole('button', { name: 'Cancelar' }));
    expect(callsOf('resetPassword')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: /Ações/ }));
    await user.click(screen.getByRole('menuitem', { name: /Redefinir senha/ }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Redefinir senha' })).getByRole('button', { name: 'Enviar e-mail' }));
    const sent = await screen.findByText(new RegExp(`E-mail de redefinição de senha enviado para o endereço cadastrado: ${agent.email}`));
    expect(callsOf('resetPassword')).toEqual([{ id: agent.id }]);
    await waitFor(() => expect(document.activeElement).toBe(sent));
  });

  it('R11: a self-managed user cannot get a reset; the menu and the Senha tab show the R11 message', async () => {
    const { user, callsOf } = setup({ selfManaged: true });
    await user.click(await screen.findByRole('button', { name: /Ações/ }));
    const item = screen.getByRole('menuitem', { name: /Redefinir senha/ });
    expect(item.getAttribute('aria-disabled')).toBe('true');
    expect(within(item).getByText(SELF_MANAGED_MESSAGE_PT)).toBeTruthy();
    await user.click(item);
    expect(callsOf('resetPassword')).toHaveLength(0);
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('tab', { name: 'Senha' }));
    // Only the R11 message: no temporary-password box, no greyed form.
    const panel = screen.getByRole('tabpanel');
    expect(within(panel).getByText(SELF_MANAGED_MESSAGE_PT)).toBeTruthy();
    expect(within(panel).queryByLabelText('Nova senha')).toBeNull();
    expect(within(panel).queryByText(/senha temporária/)).toBeNull();
  });

  it('R2: a supervisor sees the user read-only with the reason', async () => {
    const { user } = setup({ profile: 'supervisor' });
    const name = (await screen.findByLabelText('Nome')) as HTMLInputElement;
    expect(name.disabled).toBe(true);
    expect((screen.getByLabelText('Habilitar WebRTC') as HTMLInputElement).disabled).toBe(true);
    const save = screen.getByRole('button', { name: 'Salvar' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    expect(descriptionOf(save)).toMatch(/Perfil Supervisor: consulta somente leitura/);
    await user.click(screen.getByRole('button', { name: /Ações/ }));
    expect(screen.getByRole('menuitem', { name: /Redefinir senha/ }).getAttribute('aria-disabled')).toBe('true');
  });

  it('C1: offline, every write is disabled with the reason', async () => {
    setup({ online: false });
    const name = (await screen.findByLabelText('Nome')) as HTMLInputElement;
    expect(name.disabled).toBe(true);
    // One notice says offline and that the data comes from the cache; Save points to it.
    expect(descriptionOf(screen.getByRole('button', { name: 'Salvar' }))).toMatch(/Sem conexão com a plataforma desde .*alterações estão desabilitadas/);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.queryByText(/Dados do cache local/)).toBeNull();
  });

  it('R7: the checklist shows what is missing and links to where it is fixed', async () => {
    const { user } = setup();
    const panel = await screen.findByRole('complementary', { name: 'Prontidão do atendente' });
    expect(within(panel).getByText('Ainda não é um agente: faltam etapas.')).toBeTruthy();
    await user.click(within(panel).getByRole('button', { name: 'Resolver: Ramal associado' }));
    expect(screen.getByRole('tab', { name: 'Ramal' }).getAttribute('aria-selected')).toBe('true');
    await user.click(within(panel).getByRole('button', { name: 'Resolver: WebRTC habilitado' }));
    await waitFor(() => expect(document.activeElement?.id).toBe('editor-webrtcEnabled'));
  });
});

describe('R7 readiness that can be reached', () => {
  it('R7/R11: a self-managed agent has no "Senha definida" to resolve (it signs in with Microsoft), and can be ready without it', async () => {
    const admin = makeUser({ name: 'Ana Admin', profile: 'administrator' });
    const agent = makeUser({ name: 'Sofia SSO', selfManaged: true, passwordSet: false, webrtcEnabled: true, omnichannelEnabled: true, chatQueueIds: ['qc'] });
    renderApp({ session: sessionFor(admin), users: [admin, agent], route: { screen: 'user', id: agent.id, tab: 'data' } });
    const panel = await screen.findByRole('complementary', { name: 'Prontidão do atendente' });
    expect(within(panel).getByText('Pronto para atender como agente omnichannel.')).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: /Resolver/ })).toBeNull();
    expect(within(panel).getByText('Não se aplica: entra com a Microsoft.')).toBeTruthy();
  });

  it('R7: an administrator is not "not yet an agent"; the checklist says readiness does not apply', async () => {
    const admin = makeUser({ name: 'Ana Admin', profile: 'administrator' });
    const other = makeUser({ name: 'Carla Admin', profile: 'administrator' });
    renderApp({ session: sessionFor(admin), users: [admin, other], route: { screen: 'user', id: other.id, tab: 'data' } });
    const panel = await screen.findByRole('complementary', { name: 'Prontidão do atendente' });
    expect(panel.textContent).toContain('Não se aplica: o perfil Administrador não atende como agente.');
    expect(panel.textContent).not.toContain('Ainda não é um agente');
    expect(within(panel).queryByRole('button')).toBeNull();
  });

  it('R7: with an extension the agent is ready and the queues are optional, not "missing" (headline and items agree)', async () => {
    const admin = makeUser({ name: 'Ana Admin', profile: 'administrator' });
    const agent = makeUser({ name: 'Rui Ramal', webrtcEnabled: true, omnichannelEnabled: true, passwordSet: true, extension: { id: 'e1', number: '2001' } });
    renderApp({ session: sessionFor(admin), users: [admin, agent], route: { screen: 'user', id: agent.id, tab: 'data' } });
    const panel = await screen.findByRole('complementary', { name: 'Prontidão do atendente' });
    expect(within(panel).getByText('Pronto para atender como agente omnichannel.')).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: /Resolver/ })).toBeNull();
    expect(within(panel).getAllByText('Opcional: já tem ramal ou fila.')).toHaveLength(2);
  });
});

describe('leaving with unsaved edits', () => {
  it('asks before dropping edits; "Continuar editando" keeps them, "Descartar e sair" leaves', async () => {
    const { user } = setup();
    await user.type(await screen.findByLabelText('Nome'), ' X');
    await user.click(screen.getByRole('button', { name: /Voltar/ }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Descartar alterações?' });
    await user.click(within(dialog).getByRole('button', { name: 'Continuar editando' }));
    expect((screen.getByLabelText('Nome') as HTMLInputElement).value).toBe('Bruno Agente X');
    // Tabs of the same user never ask.
    await user.click(screen.getByRole('tab', { name: 'Senha' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    // The article's menu: Configurações > Usuários.
    await user.click(within(screen.getByRole('navigation')).getByRole('button', { name: 'Configurações' }));
    await user.click(screen.getByRole('menuitem', { name: 'Usuários' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Descartar e sair' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Usuários' })).toBeTruthy();
  });
});

describe('R4 dialog by keyboard', () => {
  it('R4: focus starts on Não; Escape answers Não and keeps the edits', async () => {
    const { user, callsOf } = setup();
    await user.type(await screen.findByLabelText('Nome'), ' Y');
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    const dialog = await screen.findByRole('alertdialog');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Não' }));
    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Sim' }));
    await user.keyboard('{Tab}');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Não' }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect((screen.getByLabelText('Nome') as HTMLInputElement).value).toBe('Bruno Agente Y');
    expect(callsOf('saveUser')).toHaveLength(0);
  });
});

describe('Support users', () => {
  it('R2: an administrator sees a Support user read-only with the reason, and cannot give the Support profile', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const staff = makeUser({ name: 'Sara Suporte', profile: 'support' });
    const agent = makeUser({ name: 'Téo' });
    renderApp({ session: sessionFor(admin), users: [admin, staff, agent], route: { screen: 'user', id: staff.id, tab: 'data' } });
    expect(((await screen.findByLabelText('Nome')) as HTMLInputElement).disabled).toBe(true);
    expect(screen.getAllByText('Somente o Suporte altera usuários do perfil Suporte.').length).toBeGreaterThan(0);
    cleanup();
    renderApp({ session: sessionFor(admin), users: [admin, agent], route: { screen: 'user', id: agent.id, tab: 'data' } });
    const option = (await screen.findByRole('option', { name: 'Suporte (exclusivo do Suporte)' })) as HTMLOptionElement;
    expect(option.disabled).toBe(true);
    expect(((await screen.findByLabelText('Nome')) as HTMLInputElement).disabled).toBe(false);
  });
});
