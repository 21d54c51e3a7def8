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

describe('local history (issue 11)', () => {
  it('when the platform cannot be reached, Histórico shows the synced versions with what changed, marked local', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const v1 = makeUser({ name: 'Nome Antigo', webrtcEnabled: false, version: 1, updatedAt: '2026-01-01T10:00:00.000Z' });
    const v2 = { ...v1, name: 'Nome Novo', webrtcEnabled: true, version: 3, updatedAt: '2026-01-02T10:00:00.000Z' };
    const { callsOf } = renderApp({
      session: sessionFor(admin, { online: false }),
      users: [admin, v2],
      route: { screen: 'user', id: v2.id, tab: 'audit' },
      handlers: {
        getUserAudit: () => ({ code: 'network_error', message: 'x' }),
        getUserLocalHistory: () => ({ items: [{ version: 3, updatedAt: v2.updatedAt, user: v2 }, { version: 1, updatedAt: v1.updatedAt, user: v1 }] }),
      },
    });
    expect(await screen.findByRole('heading', { name: /Histórico local \(sem conexão\)/ })).toBeTruthy();
    expect(screen.getByText('Local')).toBeTruthy();
    expect(screen.getByText(/exibindo as versões deste usuário que este computador sincronizou/)).toBeTruthy();
    expect(screen.getByText('Nome: Nome Antigo → Nome Novo')).toBeTruthy();
    expect(screen.getByText('WebRTC: Não → Sim')).toBeTruthy();
    expect(screen.getByText('Versão 3')).toBeTruthy();
    expect(screen.getByText('Primeira versão sincronizada')).toBeTruthy();
    expect(screen.queryByText('Nenhum registro.')).toBeNull();
    expect(callsOf('getUserLocalHistory')).toEqual([{ id: v2.id }]);
  });

  it('any other failure is the error, not the local history', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser();
    const { callsOf } = renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'audit' },
      handlers: { getUserAudit: () => ({ code: 'forbidden', message: 'x' }) },
    });
    await screen.findByRole('button', { name: 'Tentar novamente' });
    expect(callsOf('getUserLocalHistory')).toEqual([]);
  });
});
