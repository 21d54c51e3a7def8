// @vitest-environment jsdom
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../../../../src-shared/ipc-contract';
import { useChangePasswordStore } from '../../../../../src-renderer/features/change-password/change-password-store';
import { useNewUserStore } from '../../../../../src-renderer/features/new-user/new-user-store';
import { useQueueMembersStore } from '../../../../../src-renderer/features/queues/queue-members-store';
import { useQueuesStore } from '../../../../../src-renderer/features/queues/queues-store';
import { registeredResets } from '../../../../../src-renderer/features/session/person-state';
import { useSessionStore } from '../../../../../src-renderer/features/session/session-store';
import { useNavigationStore } from '../../../../../src-renderer/features/shell/navigation-store';
import { useSignInStore } from '../../../../../src-renderer/features/sign-in/sign-in-store';
import { useSyncStore } from '../../../../../src-renderer/features/sync-status/sync-store';
import { useEditorStore } from '../../../../../src-renderer/features/user-editor/editor-store';
import { useUsersStore } from '../../../../../src-renderer/features/users/users-store';
import { makeQueue, makeUser, sessionFor } from '../../fake-console-api';
import { renderApp, resetStores } from '../../render-app';

afterEach(cleanup);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });
  HTMLElement.prototype.scrollTo = function scrollTo() {};
});

/** Every store's data (functions left out), to compare with the state before anyone signed in. */
function snapshot() {
  const stores = {
    users: useUsersStore,
    editor: useEditorStore,
    newUser: useNewUserStore,
    queues: useQueuesStore,
    members: useQueueMembersStore,
    sync: useSyncStore,
    changePassword: useChangePasswordStore,
    signIn: useSignInStore,
    navigation: useNavigationStore,
  };
  return Object.fromEntries(
    Object.entries(stores).map(([name, store]) => [
      name,
      Object.fromEntries(Object.entries(store.getState() as Record<string, unknown>).filter(([key, v]) => typeof v !== 'function' && key !== 'generation')),
    ]),
  );
}

const SRC = resolve(import.meta.dirname, '../../../../../src-renderer');
function storeFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? storeFiles(join(dir, e.name)) : /\bcreate<\w+>\(\)/.test(readFileSync(join(dir, e.name), 'utf8')) ? [join(dir, e.name)] : [],
  );
}

describe('issue 9 class 12 / C6: nothing of the previous person stays in the renderer', () => {
  it('issue 9 class 12 / C6: every store except the session itself registers its reset for sign-out', () => {
    const stores = storeFiles().filter((f) => !f.endsWith('session-store.ts'));
    expect(stores.length).toBeGreaterThan(5);
    expect(registeredResets()).toBe(stores.length);
  });

  it('issue 9 class 12 / C6: "Sair" offers to remove this account\'s data; after sign-out search text, selection, drafts and lists are gone', async () => {
    resetStores();
    const before = snapshot();
    const admin = makeUser({ profile: 'administrator', name: 'Admin Pessoa' });
    const ana = makeUser({ name: 'Ana Confidencial', login: 'ana' });
    let session: SessionState = sessionFor(admin);
    const { callsOf } = renderApp({
      session,
      users: [admin, ana],
      queues: [makeQueue({ name: 'Fila Secreta' })],
      handlers: {
        getSession: () => session,
        signOut: () => {
          session = { ...session, status: 'signedOut', user: null, account: null, lastSyncAt: null, method: null };
          return { ok: true };
        },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Buscar usuários'), 'Confid');
    await waitFor(() => expect(callsOf('searchUsers').some((c) => c.query === 'Confid')).toBe(true));
    await waitFor(() => expect(useUsersStore.getState().loading).toBe(false));
    await user.click(await screen.findByText('Ana Confidencial'));
    const name = await screen.findByLabelText('Nome');
    await user.clear(name);
    await user.type(name, 'Rascunho não salvo');
    await act(() => useQueuesStore.getState().load());
    expect(useEditorStore.getState().draft?.name).toBe('Rascunho não salvo');
    expect(useUsersStore.getState().query).toBe('Confid');
    expect(useQueuesStore.getState().queues).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Sair' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sair do Omniconsole' });
    expect(dialog.textContent).toContain('consulta offline');
    await user.click(screen.getByRole('button', { name: 'Sair e remover os dados deste computador' }));
    await screen.findByRole('button', { name: 'Entrar' });
    expect(callsOf('signOut')).toEqual([{ removeCachedData: true }]);

    await waitFor(() => expect(snapshot()).toEqual(before));
    expect(useSessionStore.getState().session).toMatchObject({ status: 'signedOut', user: null, account: null, lastSyncAt: null });
    expect(screen.queryByText(/Confid|Fila Secreta|Rascunho/)).toBeNull();
  });

  it('issue 9 class 12 / C6: "Cancelar" keeps the session; "Sair e manter os dados" signs out keeping the cache', async () => {
    let session: SessionState = sessionFor(makeUser({ profile: 'supervisor' }));
    const { callsOf } = renderApp({
      session,
      handlers: {
        getSession: () => session,
        signOut: () => {
          session = { ...session, status: 'signedOut', user: null, account: null };
          return { ok: true };
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sair' }));
    await user.click(await screen.findByRole('button', { name: 'Cancelar' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(callsOf('signOut')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Sair' }));
    await user.click(await screen.findByRole('button', { name: 'Sair e manter os dados' }));
    await screen.findByRole('button', { name: 'Entrar' });
    expect(callsOf('signOut')).toEqual([{ removeCachedData: false }]);
  });

  it('issue 9 class 12 / C6: an expired session also forgets the person\'s search and selection', async () => {
    const ana = makeUser({ name: 'Ana Expirada' });
    const { emit } = renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })), users: [ana] });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Buscar usuários'), 'Expir');
    await user.click(await screen.findByText('Ana Expirada'));
    await screen.findByLabelText('Nome');
    act(() => emit('onDidExpireSession', { code: 'session_expired' }));
    await screen.findByText('Sua sessão expirou. Faça login novamente.');
    expect(useUsersStore.getState().query).toBe('');
    expect(useEditorStore.getState().id).toBeNull();
    expect(useNavigationStore.getState().route).toEqual({ screen: 'users' });
  });
});
