// @vitest-environment jsdom
import { cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);

describe('Senha tab', () => {
  it('R9: checks the policy and the confirmation before sending, then reports the temporary password', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser({ login: 'carla', name: 'Carla' });
    const { callsOf } = renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'password' },
      handlers: { setPassword: () => ({ user: { ...agent, passwordSet: true, mustChangePassword: true, version: 2 } }) },
    });
    const user = userEvent.setup();
    expect(await screen.findByText(/Esta é uma senha temporária/)).toBeTruthy();
    await user.type(screen.getByLabelText('Nova senha'), 'curta1');
    await user.type(screen.getByLabelText('Confirme a nova senha'), 'outra');
    await user.click(screen.getByRole('button', { name: 'Definir senha' }));
    // The same policy as the platform (issue 9 class 7), checked before sending.
    expect(await screen.findByText(/A senha não atende à política/)).toBeTruthy();
    expect(screen.getByText('As senhas não conferem.')).toBeTruthy();
    expect(callsOf('setPassword')).toHaveLength(0);

    await user.clear(screen.getByLabelText('Nova senha'));
    await user.clear(screen.getByLabelText('Confirme a nova senha'));
    await user.type(screen.getByLabelText('Nova senha'), 'Temporaria-Jabuticaba-26');
    await user.type(screen.getByLabelText('Confirme a nova senha'), 'Temporaria-Jabuticaba-26');
    // Editing a field clears its stale error.
    expect(screen.queryByText(/A senha não atende à política/)).toBeNull();
    expect(screen.queryByText('As senhas não conferem.')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Definir senha' }));
    await screen.findByText('Senha definida. O usuário foi avisado por e-mail e deverá alterá-la no próximo login.');
    expect(callsOf('setPassword')).toEqual([{ id: agent.id, password: 'Temporaria-Jabuticaba-26', passwordConfirmation: 'Temporaria-Jabuticaba-26' }]);
    expect(screen.getByText('O usuário deve trocar a senha no próximo login.')).toBeTruthy();
  });

  it('R9: a platform policy refusal is shown on the field', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser({ login: 'dora' });
    renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'password' },
      handlers: { setPassword: () => ({ code: 'password_policy', message: 'x', fieldErrors: { password: ['password_policy'] } }) },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Nova senha'), 'Valida-Arara-Tranquila-56');
    await user.type(screen.getByLabelText('Confirme a nova senha'), 'Valida-Arara-Tranquila-56');
    await user.click(screen.getByRole('button', { name: 'Definir senha' }));
    expect((await screen.findAllByText(/A senha não atende à política/)).length).toBeGreaterThan(0);
    expect(screen.queryByText(/Senha definida\. O usuário/)).toBeNull();
  });

  it('R9: the problems the platform names (too_short, too_common) read as the policy message, once, never as codes', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser({ login: 'dora' });
    renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'password' },
      // The shape the platform really sends (src-platform/domain/passwords.ts).
      handlers: { setPassword: () => ({ code: 'password_policy', message: 'x', fieldErrors: { password: ['too_short', 'too_common'] } }) },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Nova senha'), 'Valida-Arara-Tranquila-56');
    await user.type(screen.getByLabelText('Confirme a nova senha'), 'Valida-Arara-Tranquila-56');
    await user.click(screen.getByRole('button', { name: 'Definir senha' }));
    const field = (await screen.findByLabelText('Nova senha')).closest('.field')!;
    await waitFor(() => expect(field.querySelector('.field-error')?.textContent).toBe('A senha não atende à política: mínimo de 12 caracteres, sem caracteres de controle, nem comum nem deduzível do login, nome, e-mail, conta ou produto.'));
    expect(screen.queryByText(/too_short|too_common/)).toBeNull();
  });
});
