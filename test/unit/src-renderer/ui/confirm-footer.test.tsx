// @vitest-environment jsdom
/** R4: the article's Não / Sim buttons, as every confirmation dialog (editor save, bulk, CSV import) shows them. */
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../../../../src-renderer/i18n';
import { ConfirmFooter } from '../../../../src-renderer/ui/confirm-footer';
import { Dialog } from '../../../../src-renderer/ui/dialog';

afterEach(cleanup);

function renderConfirm(props: { busy?: boolean; onYes?: () => void }) {
  const onNo = vi.fn();
  const onYes = vi.fn(props.onYes);
  render(
    <I18nextProvider i18n={createI18n('pt-BR')}>
      <Dialog role="alertdialog" title="Confirmar edição" onClose={onNo} busy={props.busy} footer={<ConfirmFooter onNo={onNo} onYes={onYes} busy={props.busy} />}>
        <p>Você editou o usuário.</p>
      </Dialog>
    </I18nextProvider>,
  );
  return { onNo, onYes, dialog: screen.getByRole('alertdialog', { name: 'Confirmar edição' }) };
}

describe('ConfirmFooter (R4: Sim / Não)', () => {
  it('R4: Não then Sim, focus starts on Não (Enter never confirms by accident); each answers once', async () => {
    const { onNo, onYes, dialog } = renderConfirm({});
    const buttons = Array.from(dialog.querySelectorAll('.dialog-footer button'));
    expect(buttons.map((b) => b.textContent)).toEqual(['Não', 'Sim']);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Não' }));
    // Without a busy state nothing is disabled or marked busy.
    expect(buttons.map((b) => [b.hasAttribute('disabled'), b.getAttribute('aria-busy')])).toEqual([
      [false, null],
      [false, null],
    ]);
    const user = userEvent.setup();
    await user.keyboard('{Enter}');
    expect(onNo).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('button', { name: 'Sim' }));
    expect(onYes).toHaveBeenCalledTimes(1);
    expect(onNo).toHaveBeenCalledTimes(1);
  });

  it('R4: while the answer runs both buttons are disabled, Sim reads "Salvando…" and is aria-busy', () => {
    const { dialog } = renderConfirm({ busy: true });
    const yes = screen.getByRole('button', { name: 'Salvando…' });
    expect(yes.getAttribute('aria-busy')).toBe('true');
    expect(Array.from(dialog.querySelectorAll('.dialog-footer button')).map((b) => b.hasAttribute('disabled'))).toEqual([true, true]);
    expect(screen.queryByRole('button', { name: 'Sim' })).toBeNull();
  });
});
