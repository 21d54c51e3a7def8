// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeQueue, makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);

async function fill(user: ReturnType<typeof userEvent.setup>) {
  await user.type(await screen.findByLabelText('Nome'), 'Eva Nova');
  await user.type(screen.getByLabelText('E-mail'), 'eva@example.com');
  await user.type(screen.getByLabelText('Login'), 'eva');
}

describe('new user', () => {
  it('R6: an administrator cannot enable omnichannel on creation and sees why', async () => {
    renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })), route: { screen: 'new-user' } });
    const omni = (await screen.findByLabelText('Habilitar agente para uso omnichannel')) as HTMLInputElement;
    expect(omni.disabled).toBe(true);
    expect(screen.getByText('Criar usuário já habilitado para uso omnichannel é ação exclusiva do Suporte.')).toBeTruthy();
  });

  it('R6: support creates an omnichannel user and sees the emails sent and the extension associated', async () => {
    const created = makeUser({ name: 'Eva Nova', login: 'eva', email: 'eva@example.com', webrtcEnabled: true, omnichannelEnabled: true, extension: { id: 'e1', number: '2001' } });
    const { callsOf } = renderApp({
      session: sessionFor(makeUser({ profile: 'support' })),
      route: { screen: 'new-user' },
      handlers: {
        createUser: () => ({
          user: created,
          emailsSent: [
            { kind: 'password_reset', to: 'eva@example.com' },
            { kind: 'extension_associated', to: 'eva@example.com' },
          ],
          extension: { id: 'e1', number: '2001' },
        }),
      },
    });
    const user = userEvent.setup();
    await fill(user);
    await user.click(screen.getByLabelText('Habilitar agente para uso omnichannel'));
    await user.click(screen.getByRole('button', { name: 'Criar usuário' }));
    // R3 first: WebRTC is required.
    expect(await screen.findByText('Habilite o WebRTC para habilitar o agente para uso omnichannel.')).toBeTruthy();
    expect(callsOf('createUser')).toHaveLength(0);
    await user.click(screen.getByLabelText('Habilitar WebRTC'));
    await user.click(screen.getByRole('button', { name: 'Criar usuário' }));
    await screen.findByText('Usuário Eva Nova criado.');
    expect(screen.getByText('Link para redefinição de senha para eva@example.com')).toBeTruthy();
    expect(screen.getByText('Notificação de ramal associado para eva@example.com')).toBeTruthy();
    expect(screen.getByText('Ramal associado: 2001')).toBeTruthy();
    expect(callsOf('createUser')).toEqual([
      { name: 'Eva Nova', email: 'eva@example.com', login: 'eva', profile: 'agent', active: true, webrtcEnabled: true, omnichannelEnabled: true },
    ]);
  });

  it('shows login_taken on the login field', async () => {
    renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      route: { screen: 'new-user' },
      handlers: { createUser: () => ({ code: 'login_taken', message: 'x' }) },
    });
    const user = userEvent.setup();
    await fill(user);
    await user.click(screen.getByRole('button', { name: 'Criar usuário' }));
    expect((await screen.findAllByText('Este login já está em uso nesta conta.')).length).toBeGreaterThan(0);
    expect(screen.getByLabelText('Login').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('new user with an extension and queues in the same step (issue 11, R8, R10)', () => {
  const voice = makeQueue({ id: 'qv', kind: 'voice', channel: 'voice', name: 'Vendas' });
  const chat = makeQueue({ id: 'qc', kind: 'chat', channel: 'webchat', name: 'Chat do Site' });
  const extensions = [
    { id: 'e1', accountId: 'acc1', number: '2001', userId: null },
    { id: 'e2', accountId: 'acc1', number: '2002', userId: 'someone' },
  ];

  it('R10: a form opened before the first sync brought the extensions offers them once main says they changed', async () => {
    let cached: typeof extensions = [];
    const { emit } = renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      route: { screen: 'new-user' },
      queues: [voice, chat],
      handlers: { listExtensions: () => ({ items: cached }) },
    });
    const select = (await screen.findByLabelText('Ramal')) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).not.toContain('2001');
    cached = extensions;
    emit('onDidChangeData', { kinds: ['extensions'] });
    await waitFor(() => expect([...select.options].map((o) => o.textContent)).toContain('2001'));
  });

  it('R8: a chat queue for a user without omnichannel is refused inline, before sending, naming the queue', async () => {
    const { callsOf } = renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      route: { screen: 'new-user' },
      queues: [voice, chat],
      handlers: { listExtensions: () => ({ items: extensions }) },
    });
    const user = userEvent.setup();
    await fill(user);
    await user.click(await screen.findByLabelText('Chat do Site (WebChat)'));
    await user.click(screen.getByLabelText('Vendas (Voz)'));
    await user.click(screen.getByRole('button', { name: 'Criar usuário' }));
    expect(await screen.findByText('Somente usuários habilitados para uso omnichannel podem entrar em filas de chat.')).toBeTruthy();
    expect(screen.getByText('Somente usuários com ramal podem entrar em filas de voz.')).toBeTruthy();
    expect(screen.getByLabelText('Chat do Site (WebChat)').getAttribute('aria-invalid')).toBe('true');
    expect(callsOf('createUser')).toHaveLength(0);
  });

  it('R10: only free extensions are offered; with one chosen, a voice queue is sent in the same request', async () => {
    const created = makeUser({ name: 'Eva Nova', login: 'eva', email: 'eva@example.com', extension: { id: 'e1', number: '2001' }, voiceQueueIds: ['qv'] });
    const { callsOf } = renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      route: { screen: 'new-user' },
      queues: [voice, chat],
      handlers: {
        listExtensions: () => ({ items: extensions }),
        createUser: () => ({ user: created, emailsSent: [{ kind: 'password_reset', to: 'eva@example.com' }], extension: { id: 'e1', number: '2001' } }),
      },
    });
    const user = userEvent.setup();
    await fill(user);
    const select = (await screen.findByLabelText('Ramal')) as HTMLSelectElement;
    await screen.findByRole('option', { name: '2001' });
    expect([...select.options].map((o) => o.textContent)).toEqual(['Nenhum', '2001']);
    await user.selectOptions(select, '2001');
    await user.click(screen.getByLabelText('Vendas (Voz)'));
    await user.click(screen.getByRole('button', { name: 'Criar usuário' }));
    await screen.findByText('Usuário Eva Nova criado.');
    expect(screen.getByText('Filas: Vendas')).toBeTruthy();
    expect(callsOf('createUser')).toEqual([
      { name: 'Eva Nova', email: 'eva@example.com', login: 'eva', profile: 'agent', active: true, webrtcEnabled: false, omnichannelEnabled: false, extensionId: 'e1', queueIds: ['qv'] },
    ]);
  });

  it('R10: an extension taken meanwhile (the platform answers 409) shows the error on the extension field', async () => {
    renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      route: { screen: 'new-user' },
      queues: [voice],
      handlers: {
        listExtensions: () => ({ items: extensions }),
        createUser: () => ({ code: 'extension_taken', message: 'x', fieldErrors: { extensionId: ['extension_taken'] } }),
      },
    });
    const user = userEvent.setup();
    await fill(user);
    await screen.findByRole('option', { name: '2001' });
    await user.selectOptions(screen.getByLabelText('Ramal'), '2001');
    await user.click(screen.getByRole('button', { name: 'Criar usuário' }));
    expect((await screen.findAllByText('Este ramal já está associado a outro usuário.')).length).toBeGreaterThan(0);
    expect(screen.getByLabelText('Ramal').getAttribute('aria-invalid')).toBe('true');
  });
});
