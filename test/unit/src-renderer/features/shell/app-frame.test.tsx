// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);

describe('the frame follows the article', () => {
  it('menus as the article names them: Configurações > Usuários, Metrics > Call Centers, Omnichannel > Filas de chat', async () => {
    renderApp({ session: sessionFor(makeUser({ profile: 'administrator' })) });
    const user = userEvent.setup();
    const nav = await screen.findByRole('navigation', { name: 'Navegação principal' });
    expect(within(nav).getAllByRole('button').map((b) => b.textContent?.replace('▾', '').trim())).toEqual(['Configurações', 'Metrics', 'Omnichannel']);

    await user.click(within(nav).getByRole('button', { name: 'Metrics' }));
    await user.click(screen.getByRole('menuitem', { name: 'Call Centers' }));
    const voice = await screen.findByRole('heading', { level: 1, name: 'Filas de Voz' });
    // 17.3: a screen change puts focus on the new screen's heading.
    await waitFor(() => expect(document.activeElement).toBe(voice));
    expect(screen.getByText('Metrics > Call Centers')).toBeTruthy();
    // No entry shown twice: the queue screens have no second level of tabs.
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.getByRole('button', { name: /\+Novo/ })).toBeTruthy();

    await user.click(within(nav).getByRole('button', { name: 'Omnichannel' }));
    await user.click(screen.getByRole('menuitem', { name: 'Filas de chat' }));
    const chat = await screen.findByRole('heading', { level: 1, name: 'Filas de Chat' });
    await waitFor(() => expect(document.activeElement).toBe(chat));
    expect(screen.getByText('Omnichannel > Filas de chat')).toBeTruthy();

    await user.click(within(nav).getByRole('button', { name: 'Configurações' }));
    await user.click(screen.getByRole('menuitem', { name: 'Usuários' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Usuários' })).toBeTruthy();
  });

  it('C1/R2: offline and read-only are one notice, not stacked banners', async () => {
    renderApp({ session: sessionFor(makeUser({ profile: 'supervisor' }), { online: false }) });
    const notice = await screen.findByRole('alert');
    expect(notice.textContent).toMatch(/Sem conexão com a plataforma desde/);
    expect(notice.textContent).toMatch(/Perfil Supervisor: consulta somente leitura/);
    expect(screen.queryByRole('note')).toBeNull();
    expect(document.querySelectorAll('.banner')).toHaveLength(1);
  });
});
