/**
 * Importar usuários (CSV), issue 11: choose a file (a file input: the native dialog in Electron),
 * read the dry run against the cache row by row (create / change with the diff / unchanged / error
 * with the reason in the forms' words), then apply: the article's confirmation first when existing
 * users change (R4), progress per chunk, the report of failures and "retry the failed ones".
 */
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { CSV_USER_HEADERS, type CsvUserColumn } from '../../../src-shared/csv-columns';
import { permissions } from '../../../src-shared/domain';
import type { CsvImportRow } from '../../../src-shared/ipc-contract';
import { ConfirmFooter } from '../../ui/confirm-footer';
import { Dialog } from '../../ui/dialog';
import { ScreenTitle } from '../../ui/focus';
import { useFieldErrorText, useLocale } from '../../ui/format';
import { ErrorNotice, Notice, Reason } from '../../ui/notice';
import { showValue } from '../history/history-format';
import { useHistoryWords } from '../history/use-history-words';
import { useQueuesStore } from '../queues/queues-store';
import { useAccess } from '../session/access';
import { useSessionStore } from '../session/session-store';
import { useNavigationStore } from '../shell/navigation-store';
import { useImportStore } from './import-store';

const STATUSES = ['create', 'change', 'unchanged', 'error'] as const;

/** The import screen. */
export function CsvImportScreen() {
  const { t } = useTranslation();
  const locale = useLocale();
  const go = useNavigationStore((s) => s.go);
  const profile = useSessionStore((s) => s.session?.user?.profile ?? null);
  const apply = useAccess('canEditUsers');
  const fieldText = useFieldErrorText();
  const fileId = useId();
  const fileErrorId = useId();
  const applyReasonId = useId();
  const { phase, fileName, fileError, preview, error, choose, requestApply, reset } = useImportStore(
    useShallow((s) => ({ phase: s.phase, fileName: s.fileName, fileError: s.fileError, preview: s.preview, error: s.error, choose: s.choose, requestApply: s.requestApply, reset: s.reset })),
  );
  const { loaded, load } = useQueuesStore(useShallow((s) => ({ loaded: s.loaded, load: s.load })));
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  useEffect(() => reset, [reset]);

  // R2: a profile that may not edit users gets no import at all (the platform would answer 403).
  if (!profile || !permissions.canEditUsers(profile)) {
    return (
      <section className="screen" aria-labelledby="csv-import-title">
        <ScreenTitle id="csv-import-title">{t('csvImport.title')}</ScreenTitle>
        <Notice tone="warning">{t('reasons.readOnly', { profile: profile ? t(`profiles.${profile}`) : '—' })}</Notice>
      </section>
    );
  }

  const rows = preview?.rows ?? [];
  const counts = Object.fromEntries(STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length])) as Record<(typeof STATUSES)[number], number>;
  const applicable = counts.create + counts.change;
  return (
    <section className="screen csv-import-screen" aria-labelledby="csv-import-title">
      <header className="screen-header">
        <div>
          <p className="breadcrumb">
            <button type="button" className="link-button" onClick={() => go({ screen: 'users' })}>
              {t('csvImport.back')}
            </button>{' '}
            {t('shell.breadcrumbUsers')}
          </p>
          <ScreenTitle id="csv-import-title">{t('csvImport.title')}</ScreenTitle>
        </div>
      </header>
      <p className="muted">{t('csvImport.intro')}</p>
      <div className="field">
        <label htmlFor={fileId}>{t('csvImport.file')}</label>
        {/* The native input stays the control (keyboard, screen readers, the file dialog) but is
            drawn over a button in the console's language: Chromium labels its own in the
            system's language ("Choose File" on a Portuguese screen). */}
        <div className="file-picker">
          <input
            id={fileId}
            type="file"
            className="file-input"
            accept=".csv,text/csv"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? fileErrorId : undefined}
            disabled={phase === 'reading' || phase === 'applying'}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void choose(file);
              e.target.value = '';
            }}
          />
          <span className="button" aria-hidden="true">
            {t('csvImport.chooseFile')}
          </span>
          <span className="muted" aria-hidden="true">
            {fileName ?? t('csvImport.noFileChosen')}
          </span>
        </div>
        {fileError ? (
          <p id={fileErrorId} className="field-error" role="alert">
            {fileName ? `${fileName}: ` : ''}
            {fieldText(fileError)}
          </p>
        ) : null}
      </div>
      {phase === 'reading' ? <p role="status">{t('csvImport.reading')}</p> : null}
      <ErrorNotice error={phase === 'report' ? null : error} />
      {preview && phase !== 'reading' ? (
        <>
          <h2>{t('csvImport.previewTitle', { fileName: fileName ?? '' })}</h2>
          <p className="bulk-summary" role="status">
            {t('csvImport.summary', { ...counts, n: rows.length.toLocaleString(locale) })}
          </p>
          {preview.ignoredColumns.length > 0 ? <Notice tone="warning">{t('csvImport.ignoredColumns', { list: preview.ignoredColumns.join(', ') })}</Notice> : null}
          {phase === 'preview' ? (
            <div className="row">
              <button
                type="button"
                className="button button-primary"
                disabled={applicable === 0 || !apply.allowed}
                aria-describedby={!apply.allowed ? applyReasonId : undefined}
                onClick={requestApply}
              >
                {t('csvImport.apply', { count: applicable })}
              </button>
              {!apply.allowed && apply.reason ? <Reason id={applyReasonId}>{apply.reason}</Reason> : null}
            </div>
          ) : null}
          <ImportTable rows={rows} />
        </>
      ) : null}
      <ConfirmDialog />
      <ApplyDialog />
    </section>
  );
}

function ImportTable({ rows }: { rows: CsvImportRow[] }) {
  const { t } = useTranslation();
  const words = useHistoryWords();
  const fieldText = useFieldErrorText();
  const locale = useLocale();
  const fieldName = (field: string) => (field === 'row' ? t('csvImport.row') : field in CSV_USER_HEADERS ? CSV_USER_HEADERS[field as CsvUserColumn][locale] : field);
  return (
    <div className="bulk-table-wrap csv-import-table">
      <table className="bulk-table">
        <caption className="sr-only">{t('csvImport.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('csvImport.line')}</th>
            <th scope="col">{t('users.colLogin')}</th>
            <th scope="col">{t('bulk.colStatus')}</th>
            <th scope="col">{t('bulk.colWhat')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.line} data-status={r.status}>
              <td>{r.line}</td>
              <th scope="row">
                {r.login || '—'} {r.name ? <span className="muted">({r.name})</span> : null}
              </th>
              <td>
                <span className={`pill ${r.status === 'error' ? 'pill-warn' : r.status === 'unchanged' ? '' : 'pill-ok'}`}>{t(`csvImport.status.${r.status}`)}</span>
              </td>
              <td>
                {r.status === 'error' ? (
                  <ul className="bulk-changes">
                    {r.errors.map((e) => (
                      <li key={`${e.field}:${e.entry}`} className="bulk-reason">
                        {fieldName(e.field)}: {fieldText(e.entry)}
                      </li>
                    ))}
                  </ul>
                ) : r.status === 'unchanged' ? (
                  <span className="muted">{t('bulk.nothingToDo')}</span>
                ) : (
                  <ul className="bulk-changes">
                    {r.changes.map((c) => (
                      <li key={c.field}>
                        {words.field(c.field) ?? c.field}: {r.status === 'change' ? <>{showValue(c.field, c.before, words)} → </> : null}
                        <strong>{showValue(c.field, c.after, words)}</strong>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** R4: the article's question before existing users change. */
function ConfirmDialog() {
  const { t } = useTranslation();
  const { phase, apply, cancelConfirm } = useImportStore(useShallow((s) => ({ phase: s.phase, apply: s.apply, cancelConfirm: s.cancelConfirm })));
  if (phase !== 'confirm') return null;
  return (
    <Dialog
      role="alertdialog"
      title={t('csvImport.confirmTitle')}
      onClose={cancelConfirm}
      footer={<ConfirmFooter onNo={cancelConfirm} onYes={() => apply(true)} />}
    >
      <p className="strong">{t('editor.confirmText')}</p>
    </Dialog>
  );
}

/** Progress while applying, then the report (failures, retry). */
function ApplyDialog() {
  const { t } = useTranslation();
  const locale = useLocale();
  const fieldText = useFieldErrorText();
  const { phase, progress, error, apply, retryFailed, reset } = useImportStore(
    useShallow((s) => ({ phase: s.phase, progress: s.progress, error: s.error, apply: s.apply, retryFailed: s.retryFailed, reset: s.reset })),
  );
  const go = useNavigationStore((s) => s.go);
  if (phase !== 'applying' && phase !== 'report') return null;
  const results = progress?.results ?? [];
  const ok = results.filter((r) => r.status === 'ok').length;
  const failed = results.filter((r) => r.status === 'refused' || r.status === 'conflict');
  const pending = progress ? progress.pendingChunks > 0 : error !== null;
  if (phase === 'applying') {
    return (
      <Dialog
        title={t('csvImport.applyingTitle')}
        busy
        onClose={() => {}}
        footer={<progress max={progress?.total || 1} value={progress?.done ?? 0} aria-label={t('bulk.progress', { done: progress?.done ?? 0, total: progress?.total ?? 0 })} />}
      >
        <p role="status">{t('bulk.progress', { done: progress?.done ?? 0, total: progress?.total ?? 0 })}</p>
      </Dialog>
    );
  }
  return (
    <Dialog
      wide
      title={t('csvImport.reportTitle')}
      onClose={() => (reset(), go({ screen: 'users' }))}
      footer={
        <>
          {pending ? (
            <button type="button" className="button button-primary" onClick={() => void apply(true)}>
              {t('csvImport.resume')}
            </button>
          ) : null}
          {!pending && failed.length > 0 ? (
            <button type="button" className="button button-primary" onClick={() => void retryFailed()}>
              {t('bulk.retryFailed', { count: failed.length })}
            </button>
          ) : null}
          <button type="button" className="button" onClick={() => (reset(), go({ screen: 'users' }))} data-autofocus>
            {t('csvImport.backToUsers')}
          </button>
        </>
      }
    >
      <ErrorNotice error={error} />
      <p className="bulk-summary" role="status">
        {t('bulk.reportSummary', { ok: ok.toLocaleString(locale), failed: failed.length.toLocaleString(locale) })}
      </p>
      {failed.length > 0 ? (
        <table className="bulk-table">
          <caption>{t('bulk.failedCaption')}</caption>
          <tbody>
            {failed.map((r) => (
              <tr key={r.line} data-status={r.status}>
                <td>{r.line}</td>
                <th scope="row">{r.login}</th>
                <td>{t(`bulk.status.${r.status}`)}</td>
                <td className="bulk-reason">{r.error ? fieldText(r.error.code) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Dialog>
  );
}
