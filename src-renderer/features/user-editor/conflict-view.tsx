/** A save refused with `stale_version`: both versions side by side, "Recarregar" or "Reaplicar minhas alterações". */
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/dialog';
import { DRAFT_FIELDS, draftOf, type Draft, type DraftField } from './draft';
import { useEditorStore } from './editor-store';
import { useShallow } from 'zustand/react/shallow';

const LABELS: Record<DraftField, string> = {
  name: 'editor.name',
  email: 'editor.email',
  login: 'editor.login',
  profile: 'editor.profile',
  active: 'editor.active',
  webrtcEnabled: 'editor.webrtc',
  omnichannelEnabled: 'editor.omnichannel',
};

/** The conflict dialog. */
export function ConflictView() {
  const { t } = useTranslation();
  const { conflict, reloadFromConflict, reapplyFromConflict } = useEditorStore(useShallow((s) => ({ conflict: s.conflict, reloadFromConflict: s.reloadFromConflict, reapplyFromConflict: s.reapplyFromConflict })));
  if (!conflict) return null;
  const theirs = draftOf(conflict.theirs);
  const mine = conflict.mine;
  const show = (d: Draft, f: DraftField) => {
    const v = d[f];
    if (typeof v === 'boolean') return v ? t('common.on') : t('common.off');
    if (f === 'profile') return t(`profiles.${v}`);
    return String(v);
  };
  return (
    <Dialog
      wide
      title={t('editor.conflictTitle')}
      onClose={reloadFromConflict}
      footer={
        <>
          <button type="button" className="button" onClick={reloadFromConflict}>
            {t('editor.reload')}
          </button>
          <button type="button" className="button button-primary" onClick={reapplyFromConflict} data-autofocus>
            {t('editor.reapply')}
          </button>
        </>
      }
    >
      <p>{t('editor.conflictText', { theirs: conflict.theirs.version, mine: conflict.base.version })}</p>
      <table className="compare-table">
        <thead>
          <tr>
            <th scope="col">{t('editor.conflictField')}</th>
            <th scope="col">{t('editor.conflictMine')}</th>
            <th scope="col">{t('editor.conflictTheirs')}</th>
          </tr>
        </thead>
        <tbody>
          {DRAFT_FIELDS.map((f) => (
            <tr key={f} className={mine[f] !== theirs[f] ? 'is-different' : undefined}>
              <th scope="row">{t(LABELS[f])}</th>
              <td>{show(mine, f)}</td>
              <td>{show(theirs, f)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
