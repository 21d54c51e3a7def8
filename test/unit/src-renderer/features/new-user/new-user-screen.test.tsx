// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeUser, sessionFor } from '../../fake-console-api';
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
