// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeQueue as queue, makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);


describe('Filas tab', () => {
  it('R8: a voice queue needs an extension (checked before sending); an added chat queue comes from the platform answer', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser({ name: 'Gil', webrtcEnabled: true, omnichannelEnabled: true });
    const voice = queue({ id: 'qv', name: 'Vendas' });
    const chat = queue({ id: 'qc', kind: 'chat', channel: 'webchat', name: 'Site' });
    const { callsOf } = renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      queues: [voice, chat],
      route: { screen: 'user', id: agent.id, tab: 'queues' },
      handlers: {
        addQueueMember: ({ queueId }) => ({ queue: { ...chat, memberCount: 1 }, user: { ...agent, chatQueueIds: [queueId], version: 2 } }),
      },
    });
    const user = userEvent.setup();
    const voiceGroup = await screen.findByRole('group', { name: 'Filas de Voz' });
    await user.click(within(voiceGroup).getByRole('button', { name: 'Adicionar' }));
    expect(within(voiceGroup).getByText('Somente usuários com ramal podem entrar em filas de voz.')).toBeTruthy();
    expect(callsOf('addQueueMember')).toHaveLength(0);

    const chatGroup = screen.getByRole('group', { name: 'Filas de Chat' });
    await user.click(within(chatGroup).getByRole('button', { name: 'Adicionar' }));
    await screen.findByText('Usuário adicionado à fila Site.');
    expect(within(chatGroup).getByRole('button', { name: 'Remover: Site' })).toBeTruthy();
    expect(callsOf('addQueueMember')).toEqual([{ queueId: 'qc', userId: agent.id }]);
  });
});
