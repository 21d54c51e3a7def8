// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeQueue as queue, makeUser, rowOf, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);


describe('queues screen', () => {
  it('R8: creates a chat queue with its channel through +Novo', async () => {
    const created = queue({ id: 'qc', kind: 'chat', channel: 'whatsapp', name: 'Vendas' });
    const { callsOf } = renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      route: { screen: 'queues', kind: 'chat' },
      handlers: { createQueue: () => ({ queue: created }) },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /\+Novo/ }));
    await user.type(screen.getByLabelText('Nome da fila'), 'Vendas');
    await user.selectOptions(screen.getByLabelText('Canal'), 'whatsapp');
    await user.click(screen.getByRole('button', { name: 'Criar fila' }));
    expect(await screen.findByRole('button', { name: /Vendas/ })).toBeTruthy();
    expect(callsOf('createQueue')).toEqual([{ kind: 'chat', name: 'Vendas', channel: 'whatsapp' }]);
  });

  it('R8: only an omnichannel user may join a chat queue; the error shows on that user', async () => {
    const plain = makeUser({ name: 'Sem Omni', login: 'semomni' });
    const omni = makeUser({ name: 'Com Omni', login: 'comomni', webrtcEnabled: true, omnichannelEnabled: true });
    const chat = queue({ id: 'qc', kind: 'chat', channel: 'webchat', name: 'Site' });
    const { callsOf } = renderApp({
      session: sessionFor(makeUser({ profile: 'administrator' })),
      queues: [chat],
      route: { screen: 'queues', kind: 'chat', queueId: 'qc' },
      handlers: {
        searchUsers: ({ query, filters }) => {
          if (filters?.queueId) return { total: 0, items: [] };
          return { total: 2, items: [plain, omni].filter((u) => u.name.toLowerCase().includes((query ?? '').toLowerCase())).map(rowOf) };
        },
        addQueueMember: () => ({ queue: { ...chat, memberCount: 1 }, user: { ...omni, chatQueueIds: ['qc'] } }),
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Buscar usuário'), 'omni');
    await user.click(await screen.findByRole('button', { name: 'Adicionar: Sem Omni' }));
    expect(await screen.findByText('Somente usuários habilitados para uso omnichannel podem entrar em filas de chat.')).toBeTruthy();
    expect(callsOf('addQueueMember')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Adicionar: Com Omni' }));
    await screen.findByText('Com Omni adicionado à fila.');
    expect(callsOf('addQueueMember')).toEqual([{ queueId: 'qc', userId: omni.id }]);
  });

  it('R2: a supervisor sees queues but +Novo is disabled with the reason', async () => {
    renderApp({ session: sessionFor(makeUser({ profile: 'supervisor' })), queues: [queue({ id: 'qv', name: 'Suporte' })], route: { screen: 'queues', kind: 'voice' } });
    const list = await screen.findByRole('list', { name: 'Filas de Voz' });
    expect(within(list).getByText('Suporte')).toBeTruthy();
    expect((screen.getByRole('button', { name: /\+Novo/ }) as HTMLButtonElement).disabled).toBe(true);
    // The reason is the frame's one read-only notice, not a second line on the screen.
    expect(screen.getByRole('note').textContent).toMatch(/Perfil Supervisor: consulta somente leitura/);
    expect(screen.queryByText('Seu perfil (Supervisor) permite apenas consulta.')).toBeNull();
  });
});
