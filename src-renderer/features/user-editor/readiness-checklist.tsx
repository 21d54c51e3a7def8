/** R7: the readiness checklist of the confirmed user; each missing step links to where it is fixed. */
import { useTranslation } from 'react-i18next';
import { computeReadiness, type ReadinessItem, type User } from '../../../src-shared/domain';
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

/** The checklist panel. */
export function ReadinessChecklist({ user, onFix }: { user: User; onFix(item: ReadinessItem): void }) {
  const { t } = useTranslation();
  const readiness = computeReadiness(user);
  return (
    <aside className="panel readiness" aria-labelledby="readiness-title">
      <h2 id="readiness-title">{t('editor.readiness')}</h2>
      <p className={readiness.ready ? 'readiness-summary ok' : 'readiness-summary warn'}>
        {readiness.ready ? t('editor.readinessReady') : t('editor.readinessNotReady')}
      </p>
      <ul className="checklist">
        {readiness.checks.map(({ item, ok }) => (
          <li key={item} className={ok ? 'check ok' : 'check missing'}>
            <span className="check-icon" aria-hidden="true">
              {ok ? '✓' : '○'}
            </span>
            <span className="check-label">
              {t(`editor.readinessItems.${item}`)}
              <span className="sr-only">: {ok ? t('common.on') : t('common.off')}</span>
            </span>
            {!ok ? (
              <button type="button" className="link-button" onClick={() => onFix(item)} aria-label={`${t('editor.fixIt')}: ${t(`editor.readinessItems.${item}`)}`}>
                {t('editor.fixIt')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
