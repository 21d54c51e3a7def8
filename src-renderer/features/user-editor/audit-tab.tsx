/**
 * The Histórico tab: the user's audit trail, readable (issue 11): each event type by its label,
 * instants in the local time zone, queue names and extension numbers, yes/no, a filter by type.
 * A failed load is an error, never an empty list; when the platform cannot be reached, the
 * versions this computer synced are shown instead, marked as local history.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, Notice } from '../../ui/notice';
import { describeAuditEntry, describeDiff, type HistoryWords } from '../history/history-format';
import { localTimeZone, useHistoryWords } from '../history/use-history-words';
import { useEditorStore, type LocalVersion } from './editor-store';
import { ExportNotice } from '../csv/csv-menu';
import { useExportStore } from '../csv/export-store';

/** The Histórico tab. */
export function AuditTab() {
  const { t } = useTranslation();
  const words = useHistoryWords();
  const audit = useEditorStore((s) => s.audit);
  const auditError = useEditorStore((s) => s.auditError);
  const localHistory = useEditorStore((s) => s.localHistory);
  const loadAudit = useEditorStore((s) => s.loadAudit);
  const version = useEditorStore((s) => s.user?.version);
  const [type, setType] = useState('');
  const filterId = useId();
  const userId = useEditorStore((s) => s.user?.id);
  const exportAudit = useExportStore((s) => s.exportAudit);
  const exporting = useExportStore((s) => s.busy !== null);
  useEffect(() => {
    void loadAudit();
  }, [loadAudit, version]);
  if (localHistory) return <LocalHistory versions={localHistory} words={words} onRetry={() => void loadAudit()} />;
  const types = [...new Set((audit ?? []).map((e) => e.action))].sort((a, b) => words.action(a).localeCompare(words.action(b)));
  const shown = [...(audit ?? [])].filter((e) => !type || e.action === type).sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section className="tab-section" aria-labelledby="audit-title">
      <div className="tab-section-header">
        <h2 id="audit-title">{t('editor.auditTitle')}</h2>
        <button type="button" className="button button-small" disabled={!userId || exporting} aria-busy={exporting} onClick={() => void exportAudit(userId)}>
          {exporting ? t('csv.exporting') : t('csv.exportUserAudit')}
        </button>
      </div>
      <ExportNotice kind="audit" />
      {auditError ? (
        <>
          <ErrorNotice error={auditError} />
          <button type="button" className="button" onClick={() => void loadAudit()}>
            {t('common.retry')}
          </button>
        </>
      ) : audit === null ? (
        <p className="muted">{t('app.loading')}</p>
      ) : audit.length === 0 ? (
        <p className="muted">{t('editor.auditEmpty')}</p>
      ) : (
        <>
          <p className="muted small">{t('history.timeZone', { zone: localTimeZone() })}</p>
          <div className="row gap align-end">
            <div className="field field-compact">
              <label htmlFor={filterId}>{t('history.filterLabel')}</label>
              <select id={filterId} value={type} onChange={(e) => setType(e.target.value)}>
                <option value="">{t('history.allTypes')}</option>
                {types.map((a) => (
                  <option key={a} value={a}>
                    {words.action(a)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {shown.length === 0 ? (
            <p className="muted">{t('history.noneOfType')}</p>
          ) : (
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('editor.auditWhen')}</th>
                  <th scope="col">{t('editor.auditWho')}</th>
                  <th scope="col">{t('editor.auditWhat')}</th>
                  <th scope="col">{t('editor.auditChanges')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((entry) => (
                  <tr key={entry.id}>
                    <td className="nowrap">{words.dateTime(entry.at)}</td>
                    <td>{entry.actorName ?? t('editor.auditSystem')}</td>
                    <td>{words.action(entry.action)}</td>
                    <ChangeLines lines={describeAuditEntry(entry, words)} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/**
 * Issue 11: the platform cannot be reached, so the history is what this computer synced: each
 * version with what changed from the one before, clearly marked as local (no one's name: the
 * cache does not know who made a change).
 */
function LocalHistory({ versions, words, onRetry }: { versions: LocalVersion[]; words: HistoryWords; onRetry(): void }) {
  const { t } = useTranslation();
  return (
    <section className="tab-section local-history" aria-labelledby="local-history-title">
      <h2 id="local-history-title">
        {t('history.localTitle')} <span className="tag tag-warn">{t('history.localBadge')}</span>
      </h2>
      <Notice tone="warning">{t('history.localNotice')}</Notice>
      <p className="muted small">{t('history.timeZone', { zone: localTimeZone() })}</p>
      {versions.length === 0 ? (
        <p className="muted">{t('history.localEmpty')}</p>
      ) : (
        <table className="data-table" aria-labelledby="local-history-title">
          <thead>
            <tr>
              <th scope="col">{t('history.localVersionColumn')}</th>
              <th scope="col">{t('history.localChangedAt')}</th>
              <th scope="col">{t('editor.auditChanges')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v, i) => {
              const previous = versions[i + 1];
              const lines = previous ? describeDiff(previous.user, v.user, words) : [t('history.localFirst')];
              return (
                <tr key={v.version}>
                  <td className="nowrap">{t('history.localVersion', { version: v.version })}</td>
                  <td className="nowrap">{words.dateTime(v.updatedAt)}</td>
                  <ChangeLines lines={lines} />
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <button type="button" className="button" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </section>
  );
}

/** The "Alterações" cell: one line per change. */
function ChangeLines({ lines }: { lines: string[] }) {
  return (
    <td>
      {lines.map((line) => (
        <div key={line} className="small">
          {line}
        </div>
      ))}
    </td>
  );
}
