// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { SELF_MANAGED_MESSAGE_PT } from '../../../../../src-shared/errors';
import type { ProvidersResponse } from '../../../../../src-shared/platform-api';
import { makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);

const signedOut = { ...sessionFor(makeUser()), status: 'signedOut' as const, user: null, account: null };
const providers = (over: Partial<ProvidersResponse> = {}): ProvidersResponse => ({
  password: true,
  microsoft: null,
  selfManaged: false,
  ...over,
});

/** Issue 9 class 13: two Microsoft accounts cached (Igor's name as given), the Microsoft button clicked. */
async function openMicrosoftPicker(igorName: string | null) {
  const microsoft = { authority: 'https://login.example/t/v2.0', tenantId: 't', clientId: 'c', scopes: [] };
  const cached = [
    { homeAccountId: 'h-helena', username: 'helena@contoso.example', name: 'Helena' },
    { homeAccountId: 'h-igor', username: 'igor@contoso.example', name: igorName },
  ];
  const { callsOf } = renderApp({
    session: signedOut,
    handlers: {
      getProviders: () => providers({ microsoft, selfManaged: true }),
      listMicrosoftAccounts: () => ({ accounts: cached }),
      signInMicrosoft: () => new Promise(() => {}),
    },
  });
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Conta'), 'contoso');
  await user.click(await screen.findByRole('button', { name: 'Entrar com Microsoft' }, { timeout: 2000 }));
  return { callsOf, user };
}

describe('sign-in screen', () => {
  it('signs in with account, login and password and lands on Configurações > Usuários', async () => {
    const admin = makeUser({ name: 'Ana Admin', profile: 'administrator' });
    const { callsOf } = renderApp({
      session: signedOut,
      users: [admin],
      handlers: { getProviders: () => providers(), signIn: () => sessionFor(admin) },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Conta'), 'demo');
    await user.type(screen.getByLabelText('Login'), 'admin');
    await user.type(screen.getByLabelText('Senha'), 'Girassol-Pesqueiro-93');
    await user.click(screen.getByRole('button', { name: 'Entrar' }));
    await screen.findByText('Configurações > Usuários');
    expect(callsOf('signIn')).toEqual([{ account: 'demo', login: 'admin', password: 'Girassol-Pesqueiro-93' }]);
  });

  it('shows a clear error for wrong credentials and stays on the form', async () => {
    renderApp({ session: signedOut, handlers: { getProviders: () => providers(), signIn: () => ({ code: 'invalid_credentials', message: 'x' }) } });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Conta'), 'demo');
    await user.type(screen.getByLabelText('Login'), 'admin');
    await user.type(screen.getByLabelText('Senha'), 'errada');
    await user.click(screen.getByRole('button', { name: 'Entrar' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Conta, login ou senha inválidos.');
  });

  it('refuses an empty form without calling main', async () => {
    const { callsOf } = renderApp({ session: signedOut });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Entrar' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Preencha conta, login e senha.');
    expect(callsOf('signIn')).toHaveLength(0);
  });

  it('R11: a self-managed account shows the Microsoft button and answers "Esqueci minha senha" with the R11 message', async () => {
    const microsoft = { authority: 'https://login.example/t/v2.0', clientId: 'c', scopes: ['api://c/.default'] };
    const { callsOf } = renderApp({ session: signedOut, handlers: { getProviders: () => providers({ microsoft, selfManaged: true }) } });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Conta'), 'contoso');
    expect(await screen.findByRole('button', { name: 'Entrar com Microsoft' }, { timeout: 2000 })).toBeTruthy();
    // Only the Microsoft button: no password fields to fill in vain, and the message says to use it.
    expect(screen.queryByLabelText('Senha')).toBeNull();
    expect(screen.queryByLabelText('Login')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Entrar' })).toBeNull();
    expect(screen.getByText(/use o botão Entrar com Microsoft/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Esqueci minha senha' }));
    expect(screen.getByText(SELF_MANAGED_MESSAGE_PT)).toBeTruthy();
    expect(callsOf('forgotPassword')).toHaveLength(0);
  });

  it('R11: the Microsoft button calls signInMicrosoft for the account, says where to continue, and shows a refusal', async () => {
    const microsoft = { authority: 'https://login.example/t/v2.0', clientId: 'c', scopes: [] };
    let answer: (v: { code: 'identity_provider_disabled'; message: string }) => void = () => {};
    const { callsOf } = renderApp({
      session: signedOut,
      handlers: {
        getProviders: () => providers({ microsoft, selfManaged: true }),
        signInMicrosoft: () => new Promise((resolve) => (answer = resolve)),
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Conta'), 'contoso');
    await user.click(await screen.findByRole('button', { name: 'Entrar com Microsoft' }, { timeout: 2000 }));
    expect(await screen.findByText('Conclua o login da Microsoft na janela do navegador que foi aberta.')).toBeTruthy();
    expect(callsOf('signInMicrosoft')).toEqual([{ account: 'contoso' }]);
    answer({ code: 'identity_provider_disabled', message: 'x' });
    expect((await screen.findByRole('alert')).textContent).toBe('O login Microsoft não está habilitado nesta conta.');
  });

  it('issue 9 class 13 / C3: while waiting for the browser, Cancelar asks main to stop and returns to the form without an error', async () => {
    const microsoft = { authority: 'https://login.example/t/v2.0', tenantId: 't', clientId: 'c', scopes: [] };
    let answer: (v: { code: 'cancelled'; message: string }) => void = () => {};
    const { callsOf } = renderApp({
      session: signedOut,
      handlers: {
        getProviders: () => providers({ microsoft, selfManaged: true }),
        signInMicrosoft: () => new Promise((resolve) => (answer = resolve)),
        cancelMicrosoftSignIn: () => {
          answer({ code: 'cancelled', message: 'x' });
          return { ok: true as const };
        },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Conta'), 'contoso');
    await user.click(await screen.findByRole('button', { name: 'Entrar com Microsoft' }, { timeout: 2000 }));
    await screen.findByText('Conclua o login da Microsoft na janela do navegador que foi aberta.');
    await user.click(screen.getByRole('button', { name: 'Cancelar' }));
    expect(callsOf('cancelMicrosoftSignIn')).toEqual([{}]);
    expect(await screen.findByRole('button', { name: 'Entrar com Microsoft' })).toHaveProperty('disabled', false);
    expect(screen.queryByText('Conclua o login da Microsoft na janela do navegador que foi aberta.')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('issue 9 class 13: with several Microsoft accounts on this computer, the person picks one (or another account) before anything is sent', async () => {
    const { callsOf, user } = await openMicrosoftPicker('Igor');
    const picker = await screen.findByRole('group', { name: 'Mais de uma conta Microsoft está guardada neste computador. Escolha com qual entrar.' });
    expect(picker).toBeTruthy();
    // Nothing is sent until the person chooses: no cached account is used silently.
    expect(callsOf('signInMicrosoft')).toEqual([]);
    expect(screen.getByRole('button', { name: 'Continuar como Helena (helena@contoso.example)' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Continuar como Igor (igor@contoso.example)' }));
    expect(callsOf('signInMicrosoft')).toEqual([{ account: 'contoso', homeAccountId: 'h-igor' }]);
    expect(screen.queryByRole('group', { name: /Mais de uma conta Microsoft/ })).toBeNull();
  });

  it('issue 9 class 13: "Usar outra conta Microsoft" signs in through the browser without any cached account', async () => {
    const { callsOf, user } = await openMicrosoftPicker(null);
    expect(await screen.findByRole('button', { name: 'igor@contoso.example' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Usar outra conta Microsoft' }));
    expect(callsOf('signInMicrosoft')).toEqual([{ account: 'contoso', homeAccountId: null }]);
    expect(await screen.findByText('Conclua o login da Microsoft na janela do navegador que foi aberta.')).toBeTruthy();
  });

  it('R5: "Esqueci minha senha" sends the reset link request for a password account', async () => {
    const { callsOf } = renderApp({ session: signedOut, handlers: { getProviders: () => providers(), forgotPassword: () => ({ ok: true as const }) } });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Conta'), 'demo');
    await user.type(screen.getByLabelText('Login'), 'bruno');
    expect(screen.queryByRole('button', { name: 'Entrar com Microsoft' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Esqueci minha senha' }));
    await user.click(screen.getByRole('button', { name: 'Enviar link' }));
    await screen.findByText('Se o login existir, um link de redefinição foi enviado para o e-mail cadastrado.');
    expect(callsOf('forgotPassword')).toEqual([{ account: 'demo', login: 'bruno' }]);
  });

  it('C5: switching to English translates the screen and persists the choice', async () => {
    const { callsOf } = renderApp({ session: signedOut });
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText('Idioma'), 'en');
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Forgot my password' })).toBeTruthy();
    expect(callsOf('setSettings')).toEqual([{ locale: 'en' }]);
  });
});
