// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { describeChanges } from '../../../../../src-renderer/features/user-editor/audit-tab';
import { makeUser, sessionFor } from '../../fake-console-api';
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

  it('the audit trail lists who changed which field', async () => {
    const admin = makeUser({ profile: 'administrator' });
    const agent = makeUser();
    renderApp({
      session: sessionFor(admin),
      users: [admin, agent],
      route: { screen: 'user', id: agent.id, tab: 'audit' },
      handlers: {
        getUserAudit: () => ({
          items: [
            {
              id: 'a1',
              accountId: 'acc1',
              at: '2026-01-02T10:00:00.000Z',
              actorId: admin.id,
              actorName: 'Ana Admin',
              action: 'user.update',
              targetType: 'user',
              targetId: agent.id,
              before: { webrtcEnabled: false, version: 1 },
              after: { webrtcEnabled: true, version: 2 },
            },
          ],
        }),
      },
    });
    expect(await screen.findByText('Ana Admin')).toBeTruthy();
    expect(screen.getByText('Habilitar WebRTC: false → true')).toBeTruthy();
  });

  it('describeChanges ignores bookkeeping fields and unchanged values', () => {
    expect(describeChanges({ before: { name: 'A', version: 1, email: 'x' }, after: { name: 'B', version: 2, email: 'x' } })).toEqual(['name: A → B']);
    expect(describeChanges({ before: null, after: { name: 'B' } })).toEqual(['name: — → B']);
  });
});
