/** The user's audit trail: who changed what and when (before/after of each change). */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../src-shared/domain';
import { formatDateTime, useLocale } from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { useEditorStore } from './editor-store';

/** Locale keys of the user fields an audit entry may show. */
const FIELD_LABELS: Record<string, string> = {
  name: 'editor.name',
  email: 'editor.email',
  login: 'editor.login',
  profile: 'editor.profile',
  active: 'editor.active',
  webrtcEnabled: 'editor.webrtc',
  omnichannelEnabled: 'editor.omnichannel',
};

/** Lists the fields an audit entry changed as `field: before → after` (`label` names a field). */
export function describeChanges(entry: Pick<AuditEntry, 'before' | 'after'>, label: (field: string) => string = (f) => f): string[] {
  const before = (entry.before && typeof entry.before === 'object' ? entry.before : {}) as Record<string, unknown>;
  const after = (entry.after && typeof entry.after === 'object' ? entry.after : {}) as Record<string, unknown>;
  const skip = new Set(['version', 'updatedAt', 'createdAt', 'id', 'accountId']);
  const keys = Array.from(new Set([...Object.keys(before), ...Object.keys(after)])).filter((k) => !skip.has(k));
  const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${label(k)}: ${show(before[k])} → ${show(after[k])}`);
}

/** The Histórico tab. */
export function AuditTab() {
  const { t } = useTranslation();
  const locale = useLocale();
  const audit = useEditorStore((s) => s.audit);
  const auditError = useEditorStore((s) => s.auditError);
  const loadAudit = useEditorStore((s) => s.loadAudit);
  const version = useEditorStore((s) => s.user?.version);
  useEffect(() => {
    void loadAudit();
  }, [loadAudit, version]);
  return (
    <section className="tab-section" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('editor.auditTitle')}</h2>
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
            {[...audit]
              .sort((a, b) => b.at.localeCompare(a.at))
              .map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{formatDateTime(entry.at, locale)}</td>
                  <td>{entry.actorName ?? t('editor.auditSystem')}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    {describeChanges(entry, (f) => (FIELD_LABELS[f] ? t(FIELD_LABELS[f]) : f)).map((line) => (
                      <div key={line} className="small">
                        {line}
                      </div>
                    ))}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
