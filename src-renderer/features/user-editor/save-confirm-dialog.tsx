/** R4: "Você editou o usuário. Ao confirmar esta edição, …" with Sim / Não. */
import { useTranslation } from 'react-i18next';
import { ConfirmFooter } from '../../ui/confirm-footer';
import { Dialog } from '../../ui/dialog';
import { useEditorStore } from './editor-store';
import { useShallow } from 'zustand/react/shallow';

/** The save confirmation shown before every save of an existing user. */
export function SaveConfirmDialog() {
  const { t } = useTranslation();
  const { phase, sessions, cancelSave, confirmSave } = useEditorStore(useShallow((s) => ({ phase: s.phase, sessions: s.sessions, cancelSave: s.cancelSave, confirmSave: s.confirmSave })));
  if (phase === 'idle') return null;
  const saving = phase === 'saving';
  return (
    <Dialog
      role="alertdialog"
      title={t('editor.confirmTitle')}
      busy={saving}
      onClose={cancelSave}
      footer={<ConfirmFooter onNo={cancelSave} onYes={confirmSave} busy={saving} />}
    >
      <p>{t('editor.confirmText')}</p>
      {sessions === null ? null : sessions.length > 0 ? (
        <p className="muted">{t('editor.activeSessions', { queues: sessions.map((s) => s.queueName).join(', ') })}</p>
      ) : (
        <p className="muted">{t('editor.noActiveSessions')}</p>
      )}
    </Dialog>
  );
}
