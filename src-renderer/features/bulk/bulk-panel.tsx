/**
 * The users table's bulk bar and its dialog (issue 11, C7): pick an action for the selected users,
 * see the platform's preview (per user what changes, who is refused and why, who will be logged out
 * of which queues, R4), confirm once with the article's sentence (Sim / Não), follow the progress,
 * read the per-user report and retry the failed ones.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { BULK_ACTION_KINDS, bulkActionEdits, type BulkAction, type BulkActionKind } from '../../../src-shared/bulk';
import { errorMessage } from '../../../src-shared/errors';
import type { BulkPreviewItem } from '../../../src-shared/ipc-contract';
import type { DiffValue, FieldChange } from '../../../src-shared/user-diff';
import { ConfirmFooter } from '../../ui/confirm-footer';
import { Dialog } from '../../ui/dialog';
import { useLocale } from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { QueueOptions } from '../queues/queue-options';
import { useQueuesStore } from '../queues/queues-store';
import { useAccess } from '../session/access';
import { useUsersStore } from '../users/users-store';
import { useBulkStore, type BulkReportItem } from './bulk-store';

/** The bar above the table while users are selected. */
export function BulkBar() {
  const { t } = useTranslation();
  const locale = useLocale();
  const access = useAccess('canEditUsers');
  const { selected, allMatching, action, phase, error, clear, selectAllMatching, setAction, requestPreview } = useBulkStore(
    useShallow((s) => ({
      selected: s.selected,
      allMatching: s.allMatching,
      action: s.action,
      phase: s.phase,
      error: s.error,
      clear: s.clear,
      selectAllMatching: s.selectAllMatching,
      setAction: s.setAction,
      requestPreview: s.requestPreview,
    })),
  );
  // The query and filters are read when the button is pressed: a keystroke does not render this bar.
  const total = useUsersStore((s) => s.total);
  const queues = useQueuesStore((s) => s.queues);
  const [kind, setKind] = useState<BulkActionKind | ''>('');
  const [queueId, setQueueId] = useState('');
  const actionId = useId();
  const queueFieldId = useId();
  const count = allMatching ? allMatching.total : selected.size;
  if (count === 0 || !access.allowed) return null;

  const needsQueue = kind === 'addQueues' || kind === 'removeQueues';
  function choose(nextKind: BulkActionKind | '', nextQueue: string) {
    setKind(nextKind);
    setQueueId(nextQueue);
    if (nextKind === '' || ((nextKind === 'addQueues' || nextKind === 'removeQueues') && !nextQueue)) setAction(null);
    else if (nextKind === 'addQueues' || nextKind === 'removeQueues') setAction({ kind: nextKind, queueIds: [nextQueue] });
    else setAction({ kind: nextKind } as BulkAction);
  }

  return (
    <div className="bulk-bar" role="region" aria-label={t('bulk.region')}>
      <span className="strong" role="status">
        {t('bulk.selected', { count, n: count.toLocaleString(locale) })}
      </span>
      {!allMatching && total !== null && total > selected.size ? (
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={() => {
            const { query, filters } = useUsersStore.getState();
            selectAllMatching(query, filters, total);
          }}
        >
          {t('bulk.selectAllMatching', { count: total, n: total.toLocaleString(locale) })}
        </button>
      ) : null}
      <div className="field field-compact">
        <label htmlFor={actionId}>{t('bulk.action')}</label>
        <select id={actionId} value={kind} onChange={(e) => choose(e.target.value as BulkActionKind | '', queueId)}>
          <option value="">{t('bulk.chooseAction')}</option>
          {BULK_ACTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`bulk.actions.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {needsQueue ? (
        <div className="field field-compact">
          <label htmlFor={queueFieldId}>{t('bulk.queue')}</label>
          <select id={queueFieldId} value={queueId} onChange={(e) => choose(kind, e.target.value)}>
            <option value="">{t('bulk.chooseQueue')}</option>
            <QueueOptions queues={queues} />
          </select>
        </div>
      ) : null}
      <button type="button" className="button button-primary button-small" disabled={!action || phase === 'previewing'} aria-busy={phase === 'previewing'} onClick={() => void requestPreview()}>
        {phase === 'previewing' ? t('bulk.previewing') : t('bulk.preview')}
      </button>
      <button type="button" className="button button-small button-ghost" onClick={clear}>
        {t('bulk.clear')}
      </button>
      <ErrorNotice error={error} />
      <BulkDialog />
    </div>
  );
}

/** Formats one diff value: yes/no, an extension number, queue names. */
function useValueText(): (field: FieldChange['field'], value: DiffValue) => string {
  const { t } = useTranslation();
  const queues = useQueuesStore((s) => s.queues);
  return (field, value) => {
    if (value === null) return t('common.none');
    if (typeof value === 'boolean') return value ? t('common.on') : t('common.off');
    if (Array.isArray(value)) return value.length === 0 ? t('common.none') : value.map((id) => queues.find((q) => q.id === id)?.name ?? id).join(', ');
    if (field === 'profile') return t(`profiles.${value}`);
    return value;
  };
}

function Changes({ item }: { item: BulkPreviewItem }) {
  const { t } = useTranslation();
  const value = useValueText();
  const locale = useLocale();
  if (item.error) return <span className="bulk-reason">{errorMessage(item.error.code, locale)}</span>;
  if (item.status === 'unchanged') return <span className="muted">{t('bulk.nothingToDo')}</span>;
  return (
    <ul className="bulk-changes">
      {item.changes.map((c) => (
        <li key={c.field}>
          {t(`history.fields.${c.field}`)}: {value(c.field, c.before)} → <strong>{value(c.field, c.after)}</strong>
        </li>
      ))}
      {item.emails.map((m) => (
        <li key={m.kind}>{t('bulk.emailTo', { to: m.to })}</li>
      ))}
    </ul>
  );
}

/** Preview → confirmation → progress → report. */
function BulkDialog() {
  const { t } = useTranslation();
  const { phase, preview, progress, report, action, cancel, confirm, retryFailed } = useBulkStore(
    useShallow((s) => ({ phase: s.phase, preview: s.preview, progress: s.progress, report: s.report, action: s.action, cancel: s.cancel, confirm: s.confirm, retryFailed: s.retryFailed })),
  );
  if (phase !== 'preview' && phase !== 'applying' && phase !== 'report') return null;
  if (phase === 'report' && report) return <BulkReport report={report} onClose={cancel} onRetry={() => void retryFailed()} />;
  const items = preview ?? [];
  const changing = items.filter((i) => i.status === 'change');
  const refused = items.filter((i) => i.status === 'refused' || i.status === 'conflict');
  const loggingOut = changing.filter((i) => i.logsOutOf.length > 0);
  const applying = phase === 'applying';
  const edits = action ? bulkActionEdits(action) : true;
  return (
    <Dialog
      wide
      role="alertdialog"
      title={t('bulk.previewTitle')}
      busy={applying}
      onClose={cancel}
      footer={
        applying ? (
          <progress max={progress?.total ?? 1} value={progress?.done ?? 0} aria-label={t('bulk.progress', { done: progress?.done ?? 0, total: progress?.total ?? 0 })} />
        ) : changing.length === 0 ? (
          <button type="button" className="button" onClick={cancel} data-autofocus>
            {t('common.close')}
          </button>
        ) : (
          <ConfirmFooter onNo={cancel} onYes={confirm} />
        )
      }
    >
      <p className="bulk-summary">
        {t('bulk.summary', { change: changing.length, refused: refused.length, unchanged: items.length - changing.length - refused.length, logout: loggingOut.length })}
      </p>
      {applying ? (
        <p role="status">{t('bulk.progress', { done: progress?.done ?? 0, total: progress?.total ?? 0 })}</p>
      ) : changing.length > 0 ? (
        // R4: the article's sentence covers the whole batch; the reset alone asks its own question.
        <p className="strong">{edits ? t('editor.confirmText') : t('bulk.confirmResets', { count: changing.length })}</p>
      ) : null}
      {loggingOut.length > 0 ? (
        <div className="notice notice-warning" role="note">
          <p className="strong">{t('bulk.logoutTitle')}</p>
          <ul>
            {loggingOut.map((i) => (
              <li key={i.userId}>
                {t('bulk.logoutLine', { name: i.name, queues: i.logsOutOf.map((q) => q.queueName).join(', ') })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="bulk-table-wrap">
        <table className="bulk-table">
          <caption className="sr-only">{t('bulk.previewTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('users.colName')}</th>
              <th scope="col">{t('bulk.colStatus')}</th>
              <th scope="col">{t('bulk.colWhat')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.userId} data-status={i.status}>
                <th scope="row">
                  {i.name} <span className="muted">({i.login})</span>
                </th>
                <td>
                  <span className={`pill ${i.status === 'change' ? 'pill-ok' : i.status === 'unchanged' ? '' : 'pill-warn'}`}>{t(`bulk.status.${i.status}`)}</span>
                </td>
                <td>
                  <Changes item={i} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Dialog>
  );
}

function BulkReport({ report, onClose, onRetry }: { report: BulkReportItem[]; onClose(): void; onRetry(): void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const ok = report.filter((r) => r.status === 'ok');
  const failed = report.filter((r) => r.status !== 'ok');
  const loggedOut = ok.filter((r) => r.loggedOutQueues.length > 0);
  return (
    <Dialog
      wide
      title={t('bulk.reportTitle')}
      onClose={onClose}
      footer={
        <>
          {failed.length > 0 ? (
            <button type="button" className="button button-primary" onClick={onRetry}>
              {t('bulk.retryFailed', { count: failed.length })}
            </button>
          ) : null}
          <button type="button" className="button" onClick={onClose} data-autofocus>
            {t('common.close')}
          </button>
        </>
      }
    >
      <p className="bulk-summary" role="status">
        {t('bulk.reportSummary', { ok: ok.length, failed: failed.length })}
      </p>
      {loggedOut.length > 0 ? (
        <ul className="bulk-changes">
          {loggedOut.map((r) => (
            <li key={r.userId}>{t('bulk.loggedOutLine', { name: r.name, queues: r.loggedOutQueues.map((q) => q.queueName).join(', ') })}</li>
          ))}
        </ul>
      ) : null}
      {failed.length > 0 ? (
        <table className="bulk-table">
          <caption>{t('bulk.failedCaption')}</caption>
          <tbody>
            {failed.map((r) => (
              <tr key={r.userId} data-status={r.status}>
                <th scope="row">
                  {r.name} <span className="muted">({r.login})</span>
                </th>
                <td>{t(`bulk.status.${r.status}`)}</td>
                <td className="bulk-reason">{r.error ? errorMessage(r.error.code, locale) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Dialog>
  );
}
