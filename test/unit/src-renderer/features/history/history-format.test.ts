import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../../../../src-shared/domain';
import { describeAuditEntry, describeDiff, type HistoryWords } from '../../../../../src-renderer/features/history/history-format';
import { createI18n } from '../../../../../src-renderer/i18n';

const words: HistoryWords = {
  field: (k) => ({ name: 'Nome', webrtcEnabled: 'WebRTC', extension: 'Ramal', voiceQueueIds: 'Filas de Voz', queueName: 'Fila', queues: 'Filas', number: 'Ramal', profile: 'Perfil', expiresAt: 'Expira em' })[k],
  yes: 'Sim',
  no: 'Não',
  profile: (p) => (p === 'agent' ? 'Atendente' : p),
  queueName: (id) => ({ 'q-vendas': 'Vendas', 'q-site': 'Chat do Site' })[id] ?? id,
  dateTime: (iso) => `local(${iso})`,
  action: (a) => `label(${a})`,
  steps: (list) => `Etapas: ${list}`,
};

describe('readable history (issue 11)', () => {
  it('every audit event type has a label in pt-BR and in English', () => {
    for (const locale of ['pt-BR', 'en'] as const) {
      const i18n = createI18n(locale);
      for (const action of AUDIT_ACTIONS) {
        expect(i18n.exists(`history.actions.${action}`), `${locale} ${action}`).toBe(true);
        expect(i18n.t(`history.actions.${action}`)).not.toContain('.');
      }
    }
  });

  it('booleans are yes/no, queue ids are names, extensions are numbers, bookkeeping is hidden', () => {
    expect(
      describeDiff(
        { webrtcEnabled: false, version: 1, voiceQueueIds: ['q-vendas'], extension: null, name: 'A' },
        { webrtcEnabled: true, version: 2, voiceQueueIds: ['q-vendas', 'q-x'], extension: { id: 'e1', number: '1022' }, name: 'A' },
        words,
      ),
    ).toEqual(['WebRTC: Não → Sim', 'Filas de Voz: Vendas → Vendas, q-x', 'Ramal: — → 1022']);
  });

  it('the queues a user was logged out of are named; a batch entry names its steps and its diff', () => {
    expect(describeAuditEntry({ action: 'user.queue_logout', before: [{ queueId: 'q-vendas', queueName: 'Vendas', kind: 'voice' }], after: null }, words)).toEqual(['Filas: Vendas']);
    expect(
      describeAuditEntry(
        { action: 'user.batch_updated', before: { name: 'A', webrtcEnabled: false }, after: { user: { name: 'A', webrtcEnabled: true }, steps: [{ action: 'user.updated' }, { action: 'queue.member_added' }] } },
        words,
      ),
    ).toEqual(['Etapas: label(user.updated), label(queue.member_added)', 'WebRTC: Não → Sim']);
  });

  it('a created user shows what was chosen; instants are local', () => {
    expect(describeAuditEntry({ action: 'user.created', before: null, after: { id: 'u1', name: 'Eva', login: 'eva', profile: 'agent', webrtcEnabled: true, passwordSet: false, version: 1 } }, words)).toEqual([
      'Nome: Eva',
      'login: eva',
      'Perfil: Atendente',
      'WebRTC: Sim',
    ]);
    expect(describeAuditEntry({ action: 'user.password_reset_requested', before: null, after: { expiresAt: '2026-01-02T10:00:00.000Z' } }, words)).toEqual(['Expira em: local(2026-01-02T10:00:00.000Z)']);
  });
});
