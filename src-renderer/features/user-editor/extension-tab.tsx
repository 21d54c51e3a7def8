/** R10: the user's extension ("Ramal"): associate a free one, or release it. */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../src-shared/domain';
import { ActionNotices } from '../../ui/notice';
import type { Access } from '../session/access';
import { sortByText } from '../../../src-shared/search';
import { useEditorStore } from './editor-store';
import { useShallow } from 'zustand/react/shallow';

/** The Ramal tab. */
export function ExtensionTab({ user, access }: { user: User; access: Access }) {
  const { t } = useTranslation();
  const { extensions, extension: state, loadExtensions, assignExtension, releaseExtension } = useEditorStore(useShallow((s) => ({ extensions: s.extensions, extension: s.extension, loadExtensions: s.loadExtensions, assignExtension: s.assignExtension, releaseExtension: s.releaseExtension })));
  const [choice, setChoice] = useState('');
  const selectId = useId();
  useEffect(() => {
    void loadExtensions();
  }, [loadExtensions]);
  const free = sortByText(
    (extensions ?? []).filter((e) => e.userId === null),
    (e) => e.number,
  );
  const busy = state.status === 'busy';
  const disabled = !access.allowed || busy;
  const selected = free.some((e) => e.id === choice) ? choice : (free[0]?.id ?? '');

  return (
    <section aria-labelledby="extension-title" className="tab-section">
      <h2 id="extension-title">{t('editor.extensionTitle')}</h2>
      {user.extension ? (
        <div className="row gap">
          <p className="strong">{t('editor.extensionCurrent', { number: user.extension.number })}</p>
          <button type="button" className="button" disabled={disabled} onClick={() => void releaseExtension()}>
            {t('editor.extensionRelease')}
          </button>
        </div>
      ) : (
        <>
          <p className="muted">{t('editor.extensionNone')}</p>
          {extensions !== null && free.length === 0 ? (
            <p className="muted">{t('editor.extensionNoFree')}</p>
          ) : (
            <div className="row gap align-end">
              <div className="field field-compact">
                <label htmlFor={selectId}>{t('editor.extensionSelect')}</label>
                <select id={selectId} value={selected} disabled={disabled} onChange={(e) => setChoice(e.target.value)}>
                  {free.map((e) => (
                    <option key={e.id} value={e.id}>
                      {e.number}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="button button-primary" disabled={disabled || !selected} onClick={() => void assignExtension(selected)}>
                {t('editor.extensionAssign')}
              </button>
            </div>
          )}
        </>
      )}
      <ActionNotices state={state} done={(r) => (!r ? null : r.kind === 'assigned' ? t('editor.extensionAssigned', { number: r.number ?? '' }) : t('editor.extensionReleased'))} />
    </section>
  );
}
