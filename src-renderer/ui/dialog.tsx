/**
 * Accessible modal dialog: `role="dialog"`, `aria-modal`, labelled by its title, focus moved in on
 * open, trapped with Tab, restored on close, Escape closes (unless `busy`).
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

type DialogProps = {
  title: string;
  children: ReactNode;
  /** The buttons row. */
  footer: ReactNode;
  onClose(): void;
  busy?: boolean;
  role?: 'dialog' | 'alertdialog';
  /** Wider dialog for comparisons. */
  wide?: boolean;
};

/** A modal dialog rendered over the current screen. */
export function Dialog({ title, children, footer, onClose, busy = false, role = 'dialog', wide = false }: DialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const node = ref.current;
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node?.querySelector<HTMLElement>('button, input, select');
    first?.focus();
    return () => {
      // Give focus back only if it was in the dialog (now gone): a result that took focus meanwhile keeps it.
      const active = document.activeElement;
      if (!active || active === document.body || node?.contains(active)) previous?.focus?.();
    };
  }, []);

  function onKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'Escape' && !busy) {
      e.stopPropagation();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const focusables = Array.from(ref.current.querySelectorAll<HTMLElement>('button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]'));
    if (focusables.length === 0) return;
    const first = focusables[0]!;
    const last = focusables[focusables.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="dialog-backdrop">
      <div ref={ref} className={wide ? 'dialog dialog-wide' : 'dialog'} role={role} aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        <div id={bodyId} className="dialog-body">
          {children}
        </div>
        <div className="dialog-footer">{footer}</div>
      </div>
    </div>
  );
}
