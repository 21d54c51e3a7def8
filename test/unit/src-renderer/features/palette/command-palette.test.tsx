// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useNavigationStore } from '../../../../../src-renderer/features/shell/navigation-store';
import { searchKey } from '../../../../../src-shared/search';
import { makeQueue, makeUser, rowOf, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

beforeAll(() => {
  // jsdom has neither; cmdk measures its list and scrolls the active option into view.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  Element.prototype.scrollIntoView ??= function scrollIntoView() {};
});
afterEach(cleanup);

describe('command palette (issue 11)', () => {
  const admin = makeUser({ profile: 'administrator', name: 'Ana Admin' });
  const jose = makeUser({ name: 'José Antônio', login: 'jose.antonio' });
  const vendas = makeQueue({ id: 'q-vendas', name: 'Vendas' });

  it('Ctrl+K opens it; typing asks the local search (the cache) for users; Enter opens the user', async () => {
    const { callsOf } = renderApp({
      session: sessionFor(admin),
      users: [admin, jose],
      queues: [vendas],
      handlers: {
        // The cache's search, as main answers it: accent- and case-insensitive substring.
        searchUsers: ({ query = '' }) => {
          const found = [admin, jose].filter((u) => searchKey(`${u.name} ${u.login}`).includes(searchKey(query)));
          return { total: found.length, items: found.map(rowOf) };
        },
      },
    });
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 1, name: 'Usuários' });
    await user.keyboard('{Control>}k{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Ir para' });
    const input = within(dialog).getByRole('combobox', { name: 'Buscar usuário, fila, tela ou ação' });
    expect(document.activeElement).toBe(input);
    await user.keyboard('jose');
    await within(dialog).findByRole('option', { name: /José Antônio/ });
    expect(callsOf('searchUsers').at(-1)).toMatchObject({ query: 'jose', limit: 8 });
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog', { name: 'Ir para' })).toBeNull();
    expect(useNavigationStore.getState().route).toEqual({ screen: 'user', id: jose.id, tab: 'data' });
  });

  it('arrows move through screens, queues and actions; a queue opens its screen; Escape closes and gives focus back', async () => {
    // The local search finds nobody for these queries.
    renderApp({ session: sessionFor(admin), users: [admin], queues: [vendas], handlers: { searchUsers: () => ({ total: 0, items: [] }) } });
    const user = userEvent.setup();
    const button = await screen.findByRole('button', { name: /Ir para…/ });
    await user.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Ir para' });
    await within(dialog).findByRole('option', { name: /Vendas/ });
    await user.keyboard('vend');
    expect(within(dialog).getAllByRole('option').map((o) => o.textContent)).toEqual(['VendasFilas de Voz · Voz']);
    await user.keyboard('{Enter}');
    expect(useNavigationStore.getState().route).toEqual({ screen: 'queues', kind: 'voice', queueId: 'q-vendas' });

    await user.keyboard('{Control>}k{/Control}');
    const again = await screen.findByRole('dialog', { name: 'Ir para' });
    const first = within(again).getAllByRole('option')[0]!;
    expect(first.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowDown}');
    expect(within(again).getAllByRole('option')[1]!.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Ir para' })).toBeNull();
  });

  it('users found for an earlier query are never listed under a later one, so Enter cannot open them while its answer is on its way', async () => {
    const fabio = makeUser({ name: 'Fábio Oliveira', login: 'agente07' });
    let answerVendas: (value: { total: number; items: ReturnType<typeof rowOf>[] }) => void = () => undefined;
    renderApp({
      session: sessionFor(admin),
      users: [admin, fabio],
      queues: [vendas],
      handlers: {
        // "v" finds Fábio at once; the answer for the longer query is slow (a loaded machine).
        searchUsers: ({ query = '' }) =>
          query === 'v' ? { total: 1, items: [rowOf(fabio)] } : new Promise((resolve) => (query === 'vendas' ? (answerVendas = resolve) : undefined)),
      },
    });
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 1, name: 'Usuários' });
    await user.keyboard('{Control>}k{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Ir para' });
    await user.keyboard('v');
    await within(dialog).findByRole('option', { name: /Fábio Oliveira/ });
    await user.keyboard('endas');
    await within(dialog).findByRole('option', { name: /Vendas/ });
    expect(within(dialog).queryByRole('option', { name: /Fábio Oliveira/ })).toBeNull();
    await user.keyboard('{Enter}');
    expect(useNavigationStore.getState().route).toEqual({ screen: 'queues', kind: 'voice', queueId: 'q-vendas' });
    answerVendas({ total: 0, items: [] });
  });

  it('R2/C1: what the profile or the connection does not allow is listed but disabled, with the reason', async () => {
    const supervisor = makeUser({ profile: 'supervisor' });
    renderApp({ session: sessionFor(supervisor, { online: false }), users: [supervisor] });
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 1, name: 'Usuários' });
    await user.keyboard('{Control>}k{/Control}');
    const dialog = await screen.findByRole('dialog', { name: 'Ir para' });
    const newUser = within(dialog).getByRole('option', { name: /Novo usuário/ });
    expect(newUser.getAttribute('aria-disabled')).toBe('true');
    expect(newUser.textContent).toContain('Seu perfil (Supervisor) permite apenas consulta.');
    expect(within(dialog).getByRole('option', { name: /Sincronizar agora/ }).getAttribute('aria-disabled')).toBe('true');
    await user.click(newUser);
    expect(useNavigationStore.getState().route).toEqual({ screen: 'users' });
  });
});
