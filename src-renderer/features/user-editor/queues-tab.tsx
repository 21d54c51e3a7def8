/** R8: the user's voice and chat queues, with add/remove; the R8 rules are checked before sending. */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueKind, User } from '../../../src-shared/domain';
import { queueEligibilityRule } from '../../../src-shared/rules';
import { ActionNotices } from '../../ui/notice';
import { useFieldErrorText } from '../../ui/format';
import type { Access } from '../session/access';
import { queuesOfKind, useQueuesStore } from '../queues/queues-store';
import { useEditorStore } from './editor-store';
import { useShallow } from 'zustand/react/shallow';

/** The Filas tab. */
export function QueuesTab({ user, access, focus }: { user: User; access: Access; focus?: string }) {
  const { t } = useTranslation();
  const { loaded, load } = useQueuesStore(useShallow((s) => ({ loaded: s.loaded, load: s.load })));
  const state = useEditorStore((s) => s.queueAction);
  const allQueues = useQueuesStore((s) => s.queues);
  const queueName = (id: string) => allQueues.find((q) => q.id === id)?.name ?? id;
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  return (
    <section className="tab-section" aria-label={t('editor.tabQueues')}>
      <div className="two-columns">
        <QueueKindBlock user={user} kind="voice" access={access} autoFocus={focus === 'voice'} />
        <QueueKindBlock user={user} kind="chat" access={access} autoFocus={focus === 'chat'} />
      </div>
      {/* Errors show in the block of the kind acted on. */}
      <ActionNotices
        state={state}
        showError={false}
        done={(r) => (!r ? null : r.kind === 'added' ? t('editor.queueAdded', { name: queueName(r.queueId) }) : t('editor.queueRemoved', { name: queueName(r.queueId) }))}
      />
    </section>
  );
}

function QueueKindBlock({ user, kind, access, autoFocus }: { user: User; kind: QueueKind; access: Access; autoFocus: boolean }) {
  const { t } = useTranslation();
  const errorText = useFieldErrorText();
  // Select the stable array and derive: a selector returning a new array would re-render forever.
  const allQueues = useQueuesStore((s) => s.queues);
  const queues = queuesOfKind(allQueues, kind);
  const { queueAction: state, addToQueue, removeFromQueue } = useEditorStore(useShallow((s) => ({ queueAction: s.queueAction, addToQueue: s.addToQueue, removeFromQueue: s.removeFromQueue })));
  const [choice, setChoice] = useState('');
  const [ruleError, setRuleError] = useState<string | null>(null);
  const [lastKind, setLastKind] = useState<QueueKind | null>(null);
  const selectId = useId();
  const memberIds = kind === 'voice' ? user.voiceQueueIds : user.chatQueueIds;
  const members = queues.filter((q) => memberIds.includes(q.id));
  const candidates = queues.filter((q) => !memberIds.includes(q.id));
  const selected = candidates.some((q) => q.id === choice) ? choice : (candidates[0]?.id ?? '');
  const busy = state.status === 'busy';
  const disabled = !access.allowed || busy;
  const title = kind === 'voice' ? t('editor.queuesVoice') : t('editor.queuesChat');

  function onAdd() {
    const rule = queueEligibilityRule(user, kind);
    setLastKind(kind);
    if (rule) {
      setRuleError(rule);
      return;
    }
    setRuleError(null);
    void addToQueue(selected);
  }

  return (
    <div className="panel" aria-label={title} role="group">
      <h2>{title}</h2>
      {members.length === 0 ? (
        <p className="muted">{t('editor.queuesNone')}</p>
      ) : (
        <ul className="plain-list">
          {members.map((q) => (
            <li key={q.id} className="list-row">
              <span>
                {q.name} <span className="tag">{t(`channels.${q.channel}`)}</span>
              </span>
              <button
                type="button"
                className="button button-small"
                disabled={disabled}
                aria-label={`${t('common.remove')}: ${q.name}`}
                onClick={() => {
                  setLastKind(kind);
                  void removeFromQueue(q.id);
                }}
              >
                {t('common.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {candidates.length > 0 ? (
        <div className="row gap align-end">
          <div className="field field-compact grow">
            <label htmlFor={selectId}>{`${t('editor.queueAddLabel')} (${title})`}</label>
            <select id={selectId} value={selected} disabled={disabled} autoFocus={autoFocus} onChange={(e) => setChoice(e.target.value)}>
              {candidates.map((q) => (
                <option key={q.id} value={q.id}>
                  {q.name} ({t(`channels.${q.channel}`)})
                </option>
              ))}
            </select>
          </div>
          <button type="button" className="button button-primary" disabled={disabled || !selected} onClick={onAdd}>
            {t('common.add')}
          </button>
        </div>
      ) : null}
      {ruleError ? (
        <p className="field-error" role="alert">
          {errorText(ruleError)}
        </p>
      ) : null}
      <ActionNotices state={state} showError={lastKind === kind} />
    </div>
  );
}
