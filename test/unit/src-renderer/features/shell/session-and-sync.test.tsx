// @vitest-environment jsdom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);

describe('frame: session, connection and sync events', () => {
  it('an expired session returns to sign-in with the reason', async () => {
    const { emit } = renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })) });
    await screen.findByRole('heading', { level: 1, name: 'Usuários' });
    act(() => emit('onDidExpireSession', { code: 'session_expired' }));
    expect(await screen.findByText('Sua sessão expirou. Faça login novamente.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Entrar' })).toBeTruthy();
  });

  it('C1: losing the connection shows the offline banner and disables writes; reconnecting restores them', async () => {
    const { emit } = renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })) });
    const create = await screen.findByRole('button', { name: /\+Novo/ });
    expect((create as HTMLButtonElement).disabled).toBe(false);
    act(() => emit('onDidChangeConnection', { online: false, offlineSince: '2026-01-02T10:00:00.000Z' }));
    expect(await screen.findByText(/Sem conexão com a plataforma desde/)).toBeTruthy();
    expect((screen.getByRole('button', { name: /\+Novo/ }) as HTMLButtonElement).disabled).toBe(true);
    act(() => emit('onDidChangeConnection', { online: true, offlineSince: null }));
    expect(screen.queryByText(/Sem conexão com a plataforma desde/)).toBeNull();
    expect((screen.getByRole('button', { name: /\+Novo/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('C2: sync progress is shown while main syncs; "Sincronizar agora" asks main and shows its answer', async () => {
    const { emit, callsOf } = renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      handlers: {
        syncNow: () => ({ state: 'idle', online: true, lastSyncAt: new Date().toISOString(), offlineSince: null, userCount: 7, progress: null, lastError: null, incomplete: null }),
      },
    });
    await screen.findByRole('heading', { level: 1, name: 'Usuários' });
    act(() =>
      emit('onDidChangeSyncStatus', {
        state: 'syncing',
        online: true,
        lastSyncAt: null,
        offlineSince: null,
        userCount: 0,
        progress: { phase: 'full', done: 500, total: 2000 },
        lastError: null,
        incomplete: null,
      }),
    );
    expect(await screen.findByText('Sincronizando… 500 de 2000')).toBeTruthy();
    expect(screen.getByRole('progressbar')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Sincronizar agora' }) as HTMLButtonElement).disabled).toBe(true);
    act(() =>
      emit('onDidChangeSyncStatus', { state: 'idle', online: true, lastSyncAt: new Date().toISOString(), offlineSince: null, userCount: 5, progress: null, lastError: null, incomplete: null }),
    );
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sincronizar agora' }));
    expect(await screen.findByText(/7 usuários no cache/)).toBeTruthy();
    expect(callsOf('syncNow')).toHaveLength(1);
  });
});

describe('sync failures', () => {
  it('C2: a failed sync says why, in the current language', async () => {
    const { emit } = renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })) });
    await screen.findByRole('heading', { level: 1, name: 'Usuários' });
    act(() =>
      emit('onDidChangeSyncStatus', {
        state: 'error',
        online: true,
        lastSyncAt: null,
        offlineSince: null,
        userCount: 3,
        progress: null,
        lastError: { code: 'timeout', message: 'timeout' },
        incomplete: null,
      }),
    );
    expect((await screen.findByText(/Falha na sincronização/)).textContent).toBe('Falha na sincronização: A plataforma demorou demais para responder.');
  });
});

describe('editor follows synced changes', () => {
  it('C2/R7: when main reports changed users, the open editor re-reads the user and keeps unsaved edits', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser({ name: 'Ivo', passwordSet: false });
    let current = agent;
    const { emit } = renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'data' },
      handlers: { getUser: () => ({ user: { ...current, readiness: { checks: [], missing: [], ready: false, applies: true } }, stale: false }) },
    });
    const user = userEvent.setup();
    const panel = await screen.findByRole('complementary', { name: 'Prontidão do atendente' });
    expect(screen.getByRole('button', { name: 'Resolver: Senha definida' })).toBeTruthy();
    await user.type(screen.getByLabelText('Nome'), ' Editado');
    current = { ...agent, passwordSet: true, version: agent.version + 1 };
    act(() => emit('onDidChangeData', { kinds: ['users'] }));
    await waitFor(() => expect(panel.querySelector('[aria-label="Resolver: Senha definida"]')).toBeNull());
    expect((screen.getByLabelText('Nome') as HTMLInputElement).value).toBe('Ivo Editado');
  });

  it('issue 16: an incomplete first sync is said wherever users are counted or listed, offline included (how much, since when)', async () => {
    const since = new Date(Date.now() - 5 * 60_000).toISOString();
    renderApp({
      session: { ...sessionFor(makeUser({ profile: 'administrator' })), online: false },
      handlers: {
        getSyncStatus: () => ({
          state: 'error',
          online: false,
          lastSyncAt: null,
          offlineSince: since,
          userCount: 400,
          progress: null,
          lastError: { code: 'offline', message: 'offline' },
          incomplete: { since, cached: 400, total: 653 },
        }),
      },
    });
    expect(
      await screen.findByText('Cache incompleto: 400 de 653 usuários. A primeira sincronização começou há 5 minutos e não terminou; listas e contagens mostram só esses usuários até ela ser retomada.'),
    ).toBeTruthy();
    expect(screen.getByText('Primeira sincronização não concluída')).toBeTruthy();
    expect(screen.getByText(/400 de 653 usuários no cache/)).toBeTruthy();
  });
});
