// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { makeQueue, makeUser, sessionFor } from '../../fake-console-api';
import { renderApp } from '../../render-app';

afterEach(cleanup);

describe('Ramal tab and audit trail', () => {
  it('R10: associates a free extension and shows the number the platform confirmed', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser({ name: 'Hugo' });
    const extensions = [
      { id: 'e1', accountId: 'acc1', number: '1001', userId: 'someone' },
      { id: 'e2', accountId: 'acc1', number: '1002', userId: null },
      { id: 'e3', accountId: 'acc1', number: '1003', userId: null },
    ];
    const { callsOf } = renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'extension' },
      handlers: {
        listExtensions: () => ({ items: extensions }),
        assignExtension: ({ extensionId }) => ({ user: { ...agent, extension: { id: extensionId, number: '1003' }, version: 2 } }),
      },
    });
    const user = userEvent.setup();
    const select = (await screen.findByLabelText('Ramal livre')) as HTMLSelectElement;
    await screen.findByRole('option', { name: '1003' });
    // Only free extensions are offered.
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['1002', '1003']);
    await user.selectOptions(select, 'e3');
    await user.click(screen.getByRole('button', { name: 'Associar ramal' }));
    await screen.findByText('Ramal 1003 associado. O usuário foi avisado por e-mail.');
    expect(screen.getByText('Ramal associado: 1003', { selector: 'p' })).toBeTruthy();
    expect(callsOf('assignExtension')).toEqual([{ userId: agent.id, extensionId: 'e3' }]);
  });

  it('R10: an extension already taken is reported and nothing is claimed', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser();
    renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'extension' },
      handlers: {
        listExtensions: () => ({ items: [{ id: 'e2', accountId: 'acc1', number: '1002', userId: null }] }),
        assignExtension: () => ({ code: 'extension_taken', message: 'x' }),
      },
    });
    const user = userEvent.setup();
    await screen.findByRole('option', { name: '1002' });
    await user.click(screen.getByRole('button', { name: 'Associar ramal' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Este ramal já está associado a outro usuário.');
    expect(screen.getByText('Nenhum ramal associado.')).toBeTruthy();
  });

  it('issue 11: the audit trail is readable: event labels, yes/no, queue names, extension numbers, filter by type', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser();
    const entry = (id: string, at: string, action: string, before: unknown, after: unknown) => ({ id, accountId: 'acc1', at, actorId: admin.id, actorName: 'Ana Admin', action, targetType: 'user', targetId: agent.id, before, after });
    renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      queues: [makeQueue({ id: 'q-voice-vendas', name: 'Vendas' })],
      route: { screen: 'user', id: agent.id, tab: 'audit' },
      handlers: {
        getUserAudit: () => ({
          items: [
            entry('a1', '2026-01-02T10:00:00.000Z', 'user.updated', { webrtcEnabled: false, version: 1, voiceQueueIds: [] }, { webrtcEnabled: true, version: 2, voiceQueueIds: ['q-voice-vendas'] }),
            entry('a2', '2026-01-02T11:00:00.000Z', 'extension.associated', null, { id: 'e1', number: '1022' }),
            entry('a3', '2026-01-02T12:00:00.000Z', 'queue.member_added', null, { queueId: 'q-voice-vendas', queueName: 'Vendas' }),
          ],
        }),
      },
    });
    expect((await screen.findAllByText('Ana Admin')).length).toBe(3);
    expect(screen.getByText('WebRTC: Não → Sim')).toBeTruthy();
    expect(screen.getByText('Filas de Voz: — → Vendas')).toBeTruthy();
    expect(screen.getByText('Ramal: 1022')).toBeTruthy();
    expect(screen.getByText('Fila: Vendas')).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Dados alterados' })).toBeTruthy();
    expect(screen.queryByText(/true|false|user\.updated/)).toBeNull();
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Tipo de evento'), 'Ramal associado');
    expect(screen.getByText('Ramal: 1022')).toBeTruthy();
    expect(screen.queryByText('WebRTC: Não → Sim')).toBeNull();
    expect(screen.getAllByRole('row')).toHaveLength(2);
  });

  it('issue 11: a failed load of the history is an error with a retry, never an empty list', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser();
    renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'audit' },
      handlers: { getUserAudit: () => ({ code: 'forbidden', message: 'x' }) },
    });
    expect(await screen.findByRole('button', { name: 'Tentar novamente' })).toBeTruthy();
    expect(screen.queryByText('Nenhum registro.')).toBeNull();
  });
});
