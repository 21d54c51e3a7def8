// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../../../../src-shared/domain';
import { isWellFormedText } from '../../../../../src-shared/text';
import { makeUser, rowOf, sessionFor } from '../../fake-console-api';
import { descriptionOf, renderApp } from '../../render-app';

afterEach(cleanup);
beforeAll(() => {
  // jsdom has no layout: give the table's scroll element a size so the virtualizer renders rows.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1200 });
  HTMLElement.prototype.scrollTo = function scrollTo() {};
});

function many(n: number): User[] {
  return Array.from({ length: n }, (_, i) => makeUser({ name: `Pessoa ${String(i).padStart(6, '0')}`, login: `p${i}` }));
}

/** The app as an administrator, main's search answered by a name filter over `users`. */
function renderWithUsers(users: User[]) {
  return renderApp({
    session: sessionFor(makeUser({ profile: 'administrator' })),
    users,
    handlers: {
      searchUsers: ({ query = '', offset = 0, limit = 100 }) => {
        const hits = query ? users.filter((u) => u.name.includes(query)) : users;
        return { total: hits.length, items: hits.slice(offset, offset + limit).map(rowOf) };
      },
    },
  });
}

describe('users screen', () => {
  it('pages through 100 000 users without asking for them all, and searches as you type', async () => {
    const users = many(100_000);
    const { callsOf } = renderWithUsers(users);
    expect(await screen.findByText('100.000 usuários')).toBeTruthy();
    expect(await screen.findByText('Pessoa 000000')).toBeTruthy();
    expect(screen.getAllByRole('row').length).toBeLessThan(200);
    expect(callsOf('searchUsers').every((c) => (c.limit ?? 0) <= 100)).toBe(true);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Buscar usuários'), '099999');
    expect(await screen.findByText('1 usuário')).toBeTruthy();
    expect(await screen.findByText('Pessoa 099999')).toBeTruthy();
  });

  it('issue 10: while a keystroke\'s search runs, the previous rows stay (no flash of empty rows); its answer replaces them', async () => {
    const users = many(30);
    let release: (() => void) | null = null;
    renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      users,
      handlers: {
        searchUsers: async ({ query = '', offset = 0, limit = 100 }) => {
          if (query) await new Promise<void>((resolve) => (release = resolve));
          const hits = query ? users.filter((u) => u.name.includes(query)) : users;
          return { total: hits.length, items: hits.slice(offset, offset + limit).map(rowOf) };
        },
      },
    });
    await screen.findByText('Pessoa 000000');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Buscar usuários'), '7');
    await waitFor(() => expect(release).not.toBeNull());
    // The answer is not in yet: the rows of the empty search are still there, none "Carregando…".
    expect(screen.getByText('Pessoa 000000')).toBeTruthy();
    expect(screen.queryByText('Carregando…')).toBeNull();
    release!();
    expect(await screen.findByText('3 usuários')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Pessoa 000000')).toBeNull());
    expect(screen.getByText('Pessoa 000017')).toBeTruthy();
  });

  it('issue 10: each keystroke asks main once, during the keystroke\'s own event (no debounce, no second search)', async () => {
    const users = many(30);
    const { callsOf } = renderWithUsers(users);
    await screen.findByText('Pessoa 000000');
    const before = callsOf('searchUsers').length;
    // A listener on the window runs at the end of the input event's own dispatch: the search is
    // already asked by then (no timer in front of it), and only once.
    const askedByEventEnd: number[] = [];
    const listener = () => askedByEventEnd.push(callsOf('searchUsers').length - before);
    window.addEventListener('input', listener);
    try {
      const user = userEvent.setup();
      await user.type(screen.getByLabelText('Buscar usuários'), '17');
      expect(await screen.findByText('1 usuário')).toBeTruthy();
    } finally {
      window.removeEventListener('input', listener);
    }
    expect(askedByEventEnd).toEqual([1, 2]);
    expect(callsOf('searchUsers').slice(before).map((c) => c.query)).toEqual(['1', '17']);
  });

  it('issue 17.2: search text pasted with a tab or line break is searched as spaces, never sent ill-formed to main', async () => {
    const users = many(3);
    const { callsOf } = renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      users,
      handlers: {
        searchUsers: ({ query = '', offset = 0, limit = 100 }) => {
          const hits = query.trim() ? users.filter((u) => u.name.includes(query.trim())) : users;
          return { total: hits.length, items: hits.slice(offset, offset + limit).map(rowOf) };
        },
      },
    });
    await screen.findByText('Pessoa 000000');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Buscar usuários'));
    await user.paste('Pessoa 000001\t\u0007');
    expect(await screen.findByText('1 usuário')).toBeTruthy();
    const queries = callsOf('searchUsers').map((c) => c.query ?? '');
    expect(queries).toContain('Pessoa 000001  ');
    expect(queries.every((q) => isWellFormedText(q))).toBe(true);
  });

  it('no row looks selected before the user selects one; focusing the grid by keyboard starts on the first', async () => {
    renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })), users: many(3) });
    const grid = await screen.findByRole('grid', { name: 'Lista de usuários' });
    await screen.findByText('Pessoa 000000');
    expect(grid.querySelectorAll('[aria-selected="true"], .is-active')).toHaveLength(0);
    expect(grid.getAttribute('aria-activedescendant')).toBeNull();
    grid.focus();
    await waitFor(() => expect(document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')?.textContent).toContain('Pessoa 000000'));
  });

  it('yes/no marks are the same glyphs and classes in every column, each with a spoken label', async () => {
    renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })), users: [makeUser({ name: 'Sem Nada', webrtcEnabled: false, omnichannelEnabled: false, extension: null })] });
    const row = await screen.findByRole('row', { name: /Sem Nada/ });
    const marks = within(row).getAllByRole('img');
    expect(marks.map((m) => m.getAttribute('aria-label'))).toEqual(['WebRTC: Não', 'Omnichannel: Não', 'Ramal: Não']);
    expect(new Set(marks.map((m) => `${m.className}|${m.textContent}`)).size).toBe(1);
  });

  it('keyboard: arrows move the active row and Enter opens the editor', async () => {
    const users = many(5);
    renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })), users });
    const grid = await screen.findByRole('grid', { name: 'Lista de usuários' });
    await screen.findByText('Pessoa 000000');
    const user = userEvent.setup();
    grid.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    await waitFor(() => expect(document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')?.textContent).toContain('Pessoa 000002'));
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Pessoa 000002' })).toBeTruthy();
  });

  it('column headers sort (aria-sort follows) and the readiness filter can ask for a missing item', async () => {
    const { callsOf } = renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })), users: many(3) });
    const user = userEvent.setup();
    const nameHeader = await screen.findByRole('columnheader', { name: /Nome/ });
    expect(nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await user.click(screen.getByRole('button', { name: /Nome/ }));
    await waitFor(() => expect(callsOf('searchUsers').at(-1)?.sort).toEqual({ by: 'name', dir: 'desc' }));
    expect(nameHeader.getAttribute('aria-sort')).toBe('descending');
    await user.click(screen.getByRole('button', { name: /E-mail/ }));
    await waitFor(() => expect(callsOf('searchUsers').at(-1)?.sort).toEqual({ by: 'email', dir: 'asc' }));
    await user.selectOptions(screen.getByLabelText('Prontidão'), 'Falta: Em fila de chat');
    await waitFor(() => expect(callsOf('searchUsers').at(-1)?.filters).toEqual({ missing: 'chatQueues' }));
    await user.selectOptions(screen.getByLabelText('Prontidão'), 'Pronto');
    await waitFor(() => expect(callsOf('searchUsers').at(-1)?.filters).toEqual({ ready: true }));
  });

  it('filters go to searchUsers', async () => {
    const { callsOf } = renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })), users: many(3) });
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText('Omnichannel'), 'true');
    await user.selectOptions(screen.getByLabelText('Perfil'), 'agent');
    await waitFor(() => expect(callsOf('searchUsers').at(-1)?.filters).toEqual({ omnichannel: true, profile: 'agent' }));
  });

  it('C1: offline shows the banner with the data age and disables +Novo and sync with the reason', async () => {
    renderApp({ session: sessionFor(makeUser({ profile: 'administrator' }), { online: false }), users: many(2) });
    expect((await screen.findByText(/Sem conexão com a plataforma desde/)).textContent).toMatch(/Exibindo dados do cache de há/);
    const create = screen.getByRole('button', { name: /\+Novo/ }) as HTMLButtonElement;
    const sync = screen.getByRole('button', { name: 'Sincronizar agora' }) as HTMLButtonElement;
    expect(create.disabled).toBe(true);
    expect(sync.disabled).toBe(true);
    // The reason is the one offline notice (not repeated on the screen); both buttons point to it.
    expect(descriptionOf(create)).toMatch(/alterações estão desabilitadas/);
    expect(descriptionOf(sync)).toMatch(/alterações estão desabilitadas/);
    expect(screen.getAllByRole('alert')).toHaveLength(1);
  });
});
