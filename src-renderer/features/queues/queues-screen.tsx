/**
 * Queues (R8): "Filas de Voz" and "Filas de Chat" (WebChat, WhatsApp), "+Novo", and the members of
 * the selected queue with add/remove; the R8 rule errors appear on the user they apply to.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHAT_CHANNELS, type QueueKind } from '../../../src-shared/domain';
import { ConsoleError, toConsoleError } from '../../api';
import { useFieldErrorText } from '../../ui/format';
import { ScreenHeader } from '../../ui/screen-header';
import { queueEligibilityRule } from '../../../src-shared/rules';
import { ErrorNotice, Notice, Reason } from '../../ui/notice';
import { useAccess, type Access } from '../session/access';
import { useNavigationStore } from '../shell/navigation-store';
import { IncompleteCacheNotice } from '../sync-status/sync-status';
import { useQueueMembersStore } from './queue-members-store';
import { queuesOfKind, useQueuesStore } from './queues-store';
import { useShallow } from 'zustand/react/shallow';

/** The queues screen for `kind`, with `queueId` selected. */
export function QueuesScreen({ kind, queueId }: { kind: QueueKind; queueId?: string }) {
  const { t } = useTranslation();
  const go = useNavigationStore((s) => s.go);
  const { queues, loaded, load, error } = useQueuesStore(useShallow((s) => ({ queues: s.queues, loaded: s.loaded, load: s.load, error: s.error })));
  const access = useAccess('canManageQueues');
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);
  const list = queuesOfKind(queues, kind);
  const selected = list.find((q) => q.id === queueId) ?? null;

  return (
    <section className="screen" aria-labelledby="queues-title">
      <ScreenHeader
        titleId="queues-title"
        titleKey={kind}
        breadcrumb={kind === 'voice' ? t('shell.breadcrumbVoice') : t('shell.breadcrumbChat')}
        title={kind === 'voice' ? t('queues.voice') : t('queues.chat')}
        actions={
          <button type="button" className="button button-primary" disabled={!access.allowed} onClick={() => setCreating(true)}>
            {t('queues.new')} <span className="sr-only">{kind === 'voice' ? t('queues.newVoice') : t('queues.newChat')}</span>
          </button>
        }
      />
      {access.reason && !access.inBanner ? <Reason>{access.reason}</Reason> : null}
      <ErrorNotice error={error} />
      {/* One screen per menu entry (Metrics > Call Centers, Omnichannel > Filas de chat): no second level of tabs. */}
      <div>
        {creating && access.allowed ? (
          <NewQueueForm
            kind={kind}
            onDone={(id) => {
              setCreating(false);
              if (id) go({ screen: 'queues', kind, queueId: id });
            }}
          />
        ) : null}
        <div className="queues-layout">
          <div className="panel">
            {!loaded ? (
              <p className="muted">{t('app.loading')}</p>
            ) : list.length === 0 ? (
              <p className="muted">{t('queues.empty')}</p>
            ) : (
              <ul className="queue-list" aria-label={kind === 'voice' ? t('queues.voice') : t('queues.chat')}>
                {list.map((q) => (
                  <li key={q.id}>
                    <button
                      type="button"
                      className={`queue-item${q.id === selected?.id ? ' is-active' : ''}`}
                      aria-current={q.id === selected?.id ? 'true' : undefined}
                      onClick={() => go({ screen: 'queues', kind, queueId: q.id })}
                    >
                      <span className="strong">{q.name}</span>
                      <span className="muted small">
                        {t(`channels.${q.channel}`)} · {t('queues.members', { count: q.memberCount })}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="panel">
            {selected ? <QueueMembers queueId={selected.id} name={selected.name} kind={kind} access={access} /> : <p className="muted">{t('queues.selectQueue')}</p>}
          </div>
        </div>
      </div>
    </section>
  );
}

function NewQueueForm({ kind, onDone }: { kind: QueueKind; onDone(id: string | null): void }) {
  const { t } = useTranslation();
  const create = useQueuesStore((s) => s.create);
  const [name, setName] = useState('');
  const [channel, setChannel] = useState<(typeof CHAT_CHANNELS)[number]>('webchat');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ConsoleError | null>(null);
  const [nameError, setNameError] = useState(false);
  const nameId = useId();
  const channelId = useId();
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(true);
      return;
    }
    setNameError(false);
    setBusy(true);
    setError(null);
    try {
      const queue = await create(kind === 'voice' ? { kind, name: name.trim() } : { kind, name: name.trim(), channel });
      onDone(queue.id);
    } catch (err) {
      setError(toConsoleError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="panel new-queue" onSubmit={(e) => void onSubmit(e)} noValidate aria-label={kind === 'voice' ? t('queues.newVoice') : t('queues.newChat')}>
      <h2>{kind === 'voice' ? t('queues.newVoice') : t('queues.newChat')}</h2>
      <div className="row gap align-end">
        <div className={`field field-compact grow${nameError ? ' has-error' : ''}`}>
          <label htmlFor={nameId}>{t('queues.name')}</label>
          <input id={nameId} value={name} autoFocus aria-invalid={nameError} onChange={(e) => setName(e.target.value)} />
        </div>
        {kind === 'chat' ? (
          <div className="field field-compact">
            <label htmlFor={channelId}>{t('queues.channel')}</label>
            <select id={channelId} value={channel} onChange={(e) => setChannel(e.target.value as (typeof CHAT_CHANNELS)[number])}>
              {CHAT_CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {t(`channels.${c}`)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('queues.creating') : t('queues.create')}
        </button>
        <button type="button" className="button" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
      {nameError ? (
        <p className="field-error" role="alert">
          {t('form.queueName')}
        </p>
      ) : null}
      <ErrorNotice error={error} />
    </form>
  );
}

function QueueMembers({ queueId, name, kind, access }: { queueId: string; name: string; kind: QueueKind; access: Access }) {
  const { t } = useTranslation();
  const errorText = useFieldErrorText();
  const store = useQueueMembersStore(useShallow((s) => ({ select: s.select, findCandidates: s.findCandidates, add: s.add, busyUserId: s.busyUserId, candidates: s.candidates, done: s.done, error: s.error, errorUserId: s.errorUserId, memberTotal: s.memberTotal, members: s.members, refuse: s.refuse, remove: s.remove })));
  const { select, findCandidates } = store;
  const [query, setQuery] = useState('');
  const searchId = useId();
  useEffect(() => {
    void select(queueId);
    setQuery('');
  }, [queueId, select]);
  useEffect(() => {
    const timer = setTimeout(() => void findCandidates(query), 200);
    return () => clearTimeout(timer);
  }, [query, findCandidates]);
  const disabled = !access.allowed || store.busyUserId !== null;
  const memberIds = new Set((store.members ?? []).map((m) => m.id));
  const errorFor = (userId: string) =>
    store.error && store.errorUserId === userId ? (
      <p className="field-error" role="alert">
        {errorText(store.error.code)}
      </p>
    ) : null;

  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title">{t('queues.membersTitle', { name })}</h2>
      <IncompleteCacheNotice />
      {store.done ? (
        <Notice tone="success" autoFocus>{store.done.kind === 'added' ? t('queues.memberAdded', { user: store.done.name }) : t('queues.memberRemoved', { user: store.done.name })}</Notice>
      ) : null}
      {store.error && !store.errorUserId ? <ErrorNotice error={store.error} /> : null}
      {store.members === null ? (
        <p className="muted">{t('app.loading')}</p>
      ) : store.members.length === 0 ? (
        <p className="muted">{t('queues.membersEmpty')}</p>
      ) : (
        <ul className="plain-list" aria-label={t('queues.membersTitle', { name })}>
          {store.members.map((m) => (
            <li key={m.id} className="list-row-block">
              <div className="list-row">
                <span>
                  <span className="strong">{m.name}</span> <span className="muted small">{m.login}</span>
                </span>
                <button type="button" className="button button-small" disabled={disabled} aria-label={`${t('common.remove')}: ${m.name}`} onClick={() => void store.remove(m)}>
                  {store.busyUserId === m.id ? t('common.removing') : t('common.remove')}
                </button>
              </div>
              {errorFor(m.id)}
            </li>
          ))}
        </ul>
      )}
      {store.members && store.memberTotal > store.members.length ? (
        <p className="muted small">{t('queues.membersCapped', { shown: store.members.length, total: store.memberTotal })}</p>
      ) : null}
      <h3>{t('queues.addMember')}</h3>
      <div className="field">
        <label htmlFor={searchId}>{t('queues.findUser')}</label>
        <input id={searchId} type="search" value={query} placeholder={t('queues.findUserPlaceholder')} disabled={!access.allowed} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {query.trim() && store.candidates.length === 0 ? <p className="muted">{t('queues.noMatch')}</p> : null}
      <ul className="plain-list">
        {store.candidates
          .filter((c) => !memberIds.has(c.id))
          .map((c) => (
            <li key={c.id} className="list-row-block">
              <div className="list-row">
                <span>
                  <span className="strong">{c.name}</span> <span className="muted small">{c.login}</span>
                </span>
                <button
                  type="button"
                  className="button button-small button-primary"
                  disabled={disabled}
                  aria-label={`${t('common.add')}: ${c.name}`}
                  onClick={() => {
                    // R8: check the rule first; the platform enforces it too (422).
                    const rule = queueEligibilityRule(c, kind);
                    if (rule) store.refuse(c, new ConsoleError({ code: rule, message: rule }));
                    else void store.add(c);
                  }}
                >
                  {t('common.add')}
                </button>
              </div>
              {errorFor(c.id)}
            </li>
          ))}
      </ul>
    </section>
  );
}
