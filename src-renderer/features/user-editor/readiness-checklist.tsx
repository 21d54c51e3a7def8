/**
 * R7: the readiness checklist of the confirmed user; each missing step links to where it is fixed.
 * The headline and the items come from one `computeReadiness`, so they never disagree: an item is
 * "missing" only when it keeps the user from being ready.
 */
import { useTranslation } from 'react-i18next';
import { computeReadiness, READINESS_LINK_ITEMS, type ReadinessItem, type ReadinessStatus, type User } from '../../../src-shared/domain';
import type { EditorTab } from '../shell/navigation-store';

/** Where each readiness item is fixed: the editor tab and the control to focus. */
export const FIX_LOCATION: Record<ReadinessItem, { tab: EditorTab; focus?: string }> = {
  webrtc: { tab: 'data', focus: 'webrtcEnabled' },
  omnichannel: { tab: 'data', focus: 'omnichannelEnabled' },
  password: { tab: 'password' },
  extension: { tab: 'extension' },
  voiceQueues: { tab: 'queues', focus: 'voice' },
  chatQueues: { tab: 'queues', focus: 'chat' },
};

const ICON: Record<ReadinessStatus, string> = { done: '✓', missing: '○', optional: '–', not_applicable: '–' };

/** The checklist panel. */
export function ReadinessChecklist({ user, onFix }: { user: User; onFix(item: ReadinessItem): void }) {
  const { t } = useTranslation();
  const readiness = computeReadiness(user);
  if (!readiness.applies) {
    // R7 is about agents: support, administrators and supervisors are never "not yet an agent".
    return (
      <aside className="panel readiness" aria-labelledby="readiness-title">
        <h2 id="readiness-title">{t('editor.readiness')}</h2>
        <p className="readiness-summary muted">{t('editor.readinessNotApplicable', { profile: t(`profiles.${user.profile}`) })}</p>
      </aside>
    );
  }
  return (
    <aside className="panel readiness" aria-labelledby="readiness-title">
      <h2 id="readiness-title">{t('editor.readiness')}</h2>
      <p className={readiness.ready ? 'readiness-summary ok' : 'readiness-summary warn'}>
        {readiness.ready ? t('editor.readinessReady') : t('editor.readinessNotReady')}
      </p>
      <ul className="checklist">
        {readiness.checks.map(({ item, status }) => (
          <li key={item} className={`check check-${status}`}>
            <span className="check-icon" aria-hidden="true">
              {ICON[status]}
            </span>
            <span className="check-label">
              {t(`editor.readinessItems.${item}`)}
              <span className="sr-only">: {t(`editor.readinessStatus.${status}`)}</span>
              {status === 'not_applicable' ? <span className="check-note">{t('editor.readinessPasswordSelfManaged')}</span> : null}
              {status === 'optional' ? <span className="check-note">{t('editor.readinessOptional')}</span> : null}
            </span>
            {status === 'missing' ? (
              <button type="button" className="link-button" onClick={() => onFix(item)} aria-label={`${t('editor.fixIt')}: ${t(`editor.readinessItems.${item}`)}`}>
                {t('editor.fixIt')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {readiness.missing.some((item) => READINESS_LINK_ITEMS.includes(item)) ? (
        <p className="muted small">{t('editor.readinessLinkHint')}</p>
      ) : null}
    </aside>
  );
}
