// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../../../../src-shared/domain';
import { makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);

const TEMPORARY = 'Temporaria-Jabuticaba-26';
const FINAL = 'Definitiva-Carambola-27x';

const supervisor = (over: Partial<User> = {}) => makeUser({ name: 'Sara Supervisora', login: 'supervisor', profile: 'supervisor', mustChangePassword: true, ...over });

/** The inline error paragraph of the field labelled `label` (via aria-describedby). */
function errorOf(label: string): string | null {
  const input = screen.getByLabelText(label);
  if (input.getAttribute('aria-invalid') !== 'true') return null;
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)).find((el) => el?.getAttribute('role') === 'alert')?.textContent ?? null;
}

describe('Trocar senha (R9)', () => {
  it('R9: a user whose password is temporary gets Trocar senha instead of the users screen; errors inline before and after sending; success opens the users screen', async () => {
    const me = supervisor();
    let answers = 0;
    const { callsOf } = renderApp({
      session: sessionFor(me),
      users: [me],
      handlers: {
        changePassword: () => {
          answers += 1;
          // First answer: the platform says the current password is wrong; then it accepts.
          if (answers === 1) return { code: 'invalid_credentials', message: 'x', fieldErrors: { currentPassword: ['invalid_credentials'] } };
          return sessionFor({ ...me, mustChangePassword: false, version: me.version + 1 });
        },
      },
    });
    expect(await screen.findByRole('heading', { name: 'Trocar senha' })).toBeTruthy();
    expect(screen.queryByText('Configurações > Usuários')).toBeNull();
    expect(screen.getByText('Sua senha foi definida por um administrador e é temporária. Crie uma senha nova para continuar.')).toBeTruthy();
    // The policy hints of the Senha tab, ticking as the new password meets them.
    const policy = screen.getByRole('group', { name: 'Política de senha' });
    expect(within(policy).getAllByRole('listitem').map((li) => li.textContent?.trim())).toEqual([
      '• Mínimo de 12 caracteres',
      '• Sem caracteres de controle (como tabulação ou quebra de linha)',
      '• Não pode ser deduzida do login, nome, e-mail, conta ou do produto',
      '• Não pode ser uma senha comum ou fácil de adivinhar',
    ]);

    const user = userEvent.setup();
    const submit = screen.getByRole('button', { name: 'Trocar senha' });
    await user.click(submit);
    await waitFor(() => expect(errorOf('Senha atual')).toBe('Informe a senha atual.'));
    expect(errorOf('Nova senha')).toBe('A senha não atende à política: mínimo de 12 caracteres, sem caracteres de controle, nem comum nem deduzível do login, nome, e-mail, conta ou produto.');
    expect(errorOf('Confirme a nova senha')).toBeNull();

    await user.type(screen.getByLabelText('Senha atual'), TEMPORARY);
    await user.type(screen.getByLabelText('Nova senha'), FINAL);
    // Length ticks at once; "common" and "guessable" once the dictionaries have answered.
    await waitFor(() => expect(within(policy).getAllByRole('listitem').every((li) => li.className === 'ok')).toBe(true), { timeout: 10_000 });
    await user.type(screen.getByLabelText('Confirme a nova senha'), `${FINAL}?`);
    // Editing a field clears its error.
    expect(errorOf('Senha atual')).toBeNull();
    await user.click(submit);
    await waitFor(() => expect(errorOf('Confirme a nova senha')).toBe('As senhas não conferem.'));
    await user.clear(screen.getByLabelText('Nova senha'));
    await user.type(screen.getByLabelText('Nova senha'), TEMPORARY);
    await user.clear(screen.getByLabelText('Confirme a nova senha'));
    await user.type(screen.getByLabelText('Confirme a nova senha'), TEMPORARY);
    await user.click(submit);
    await waitFor(() => expect(errorOf('Nova senha')).toBe('A nova senha deve ser diferente da atual.'));
    expect(callsOf('changePassword')).toHaveLength(0);

    await user.clear(screen.getByLabelText('Nova senha'));
    await user.type(screen.getByLabelText('Nova senha'), FINAL);
    await user.clear(screen.getByLabelText('Confirme a nova senha'));
    await user.type(screen.getByLabelText('Confirme a nova senha'), FINAL);
    await user.click(submit);
    // The platform's refusal lands on its field, worded for this form.
    await screen.findByText('A senha atual está incorreta.');
    expect(errorOf('Senha atual')).toBe('A senha atual está incorreta.');
    expect(screen.getByRole('heading', { name: 'Trocar senha' })).toBeTruthy();

    await user.clear(screen.getByLabelText('Senha atual'));
    await user.type(screen.getByLabelText('Senha atual'), TEMPORARY);
    await user.click(submit);
    await screen.findByText('Configurações > Usuários');
    expect(screen.queryByRole('heading', { name: 'Trocar senha' })).toBeNull();
    expect(callsOf('changePassword')).toEqual([
      { currentPassword: TEMPORARY, newPassword: FINAL, newPasswordConfirmation: FINAL },
      { currentPassword: TEMPORARY, newPassword: FINAL, newPasswordConfirmation: FINAL },
    ]);
  });

  it('R9: policy problems named by the platform show as the policy message on the new password', async () => {
    const me = supervisor();
    renderApp({
      session: sessionFor(me),
      handlers: { changePassword: () => ({ code: 'password_policy', message: 'x', fieldErrors: { newPassword: ['too_short', 'too_common'] } }) },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Senha atual'), TEMPORARY);
    await user.type(screen.getByLabelText('Nova senha'), FINAL);
    await user.type(screen.getByLabelText('Confirme a nova senha'), FINAL);
    await user.click(screen.getByRole('button', { name: 'Trocar senha' }));
    await screen.findByText(/não atende à política/);
    expect(errorOf('Nova senha')).toBe('A senha não atende à política: mínimo de 12 caracteres, sem caracteres de controle, nem comum nem deduzível do login, nome, e-mail, conta ou produto.');
  });

  it('R9: offline, the form is disabled with the reason; in English the screen is "Change password"', async () => {
    const me = supervisor();
    renderApp({ session: sessionFor(me, { online: false }), handlers: { getSettings: () => ({ locale: 'en' }) } });
    expect(await screen.findByRole('heading', { name: 'Change password' })).toBeTruthy();
    expect(screen.getByText('Your password was set by an administrator and is temporary. Create a new password to continue.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Change password' }).hasAttribute('disabled')).toBe(true);
    expect((screen.getByLabelText('Current password') as HTMLInputElement).disabled).toBe(true);
    expect(screen.getByRole('group', { name: 'Password policy' })).toBeTruthy();
    expect(screen.getByText('No connection to the platform: changes are disabled.')).toBeTruthy();
  });

  it('a user whose password is final goes straight to the users screen', async () => {
    const me = supervisor({ mustChangePassword: false });
    renderApp({ session: sessionFor(me), users: [me] });
    await screen.findByText('Configurações > Usuários');
    expect(screen.queryByRole('heading', { name: 'Trocar senha' })).toBeNull();
  });
});
