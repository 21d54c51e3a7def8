/** Status messages: `Notice` (polite live region) and `ErrorNotice` (alert, from a ConsoleError). */
import type { ReactNode } from 'react';
import { useErrorText } from './format';
import type { ConsoleError } from '../api';

/** A status line; `tone` sets its colour and whether it is an alert. */
export function Notice({ tone = 'info', children }: { tone?: 'info' | 'success' | 'warning' | 'error'; children: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** Shows a console error in the current language (by code, so switching language translates it). */
export function ErrorNotice({ error }: { error: ConsoleError | null }) {
  const text = useErrorText();
  if (!error) return null;
  return <Notice tone="error">{text(error)}</Notice>;
}

/** The reason a control is disabled, shown next to it (never silently missing, R2/C1). */
export function Reason({ id, children }: { id?: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="reason" id={id}>
      {children}
    </p>
  );
}
