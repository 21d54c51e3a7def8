/**
 * The article's confirmation buttons (R4: "… Sim / Não"): "Não" first and focused when the dialog
 * opens (answering by Enter never confirms by accident), "Sim" the primary action.
 */
import { useTranslation } from 'react-i18next';

type ConfirmFooterProps = {
  /** "Não": closes without doing anything. */
  onNo(): void;
  /** "Sim": does what the dialog asked about. */
  onYes(): void | Promise<unknown>;
  /** While the answer runs: both buttons disabled, "Sim" says "Salvando…" and is `aria-busy`. */
  busy?: boolean;
};

/** The Não / Sim buttons of a confirmation dialog's footer. */
export function ConfirmFooter({ onNo, onYes, busy }: ConfirmFooterProps) {
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className="button" onClick={onNo} disabled={busy} data-autofocus>
        {t('common.no')}
      </button>
      <button type="button" className="button button-primary" onClick={() => void onYes()} disabled={busy} aria-busy={busy}>
        {busy ? t('common.saving') : t('common.yes')}
      </button>
    </>
  );
}
