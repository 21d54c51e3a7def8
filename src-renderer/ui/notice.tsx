/** Status messages: `Notice` (polite live region), `ErrorNotice` (alert, from a ConsoleError) and `ActionNotices` (an action's busy/done/error). */
import { useEffect, useRef, type ReactNode } from 'react';
import { useErrorText } from './format';
import type { ConsoleError } from '../api';

/**
 * A status line; `tone` sets its colour and whether it is an alert. `autoFocus`: the result of an
 * action the user just took takes focus when it appears, so it is announced and the keyboard
 * continues from there (after a dialog closed, focus would otherwise fall to `<body>`).
 */
export function Notice({ tone = 'info', autoFocus = false, children }: { tone?: 'info' | 'success' | 'warning' | 'error'; autoFocus?: boolean; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const message = typeof children === 'string' ? children : null;
  useEffect(() => {
    if (autoFocus) ref.current?.focus({ preventScroll: false });
    // A new message in the same place (another add, another remove) takes focus again.
  }, [autoFocus, message]);
  return (
    <div ref={ref} tabIndex={autoFocus ? -1 : undefined} className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** Shows a console error in the current language (by code, so switching language translates it). */
export function ErrorNotice({ error, autoFocus = false }: { error: ConsoleError | null; autoFocus?: boolean }) {
  const text = useErrorText();
  if (!error) return null;
  return (
    <Notice tone="error" autoFocus={autoFocus}>
      {text(error)}
    </Notice>
  );
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

/** Where an action is (the editor's side actions: reset, password, extension, queues). */
export interface ActionProgress<T> {
  status: 'idle' | 'busy' | 'done' | 'error';
  result?: T;
  error?: ConsoleError | null;
}

/**
 * The notices of one action, the same for every action: `busy` while it runs (when given), what
 * `done` says about its result as a focused success notice (none when it returns null), and its
 * error in the user's language (`showError` false: another place shows it; `focusError`: the error
 * takes focus).
 */
export function ActionNotices<T>({
  state,
  busy,
  done,
  showError = true,
  focusError = false,
}: {
  state: ActionProgress<T>;
  busy?: string;
  done?: (result: T | undefined) => string | null;
  showError?: boolean;
  focusError?: boolean;
}) {
  const doneText = state.status === 'done' && done ? done(state.result) : null;
  return (
    <>
      {busy !== undefined && state.status === 'busy' ? <Notice tone="info">{busy}</Notice> : null}
      {doneText !== null ? (
        <Notice tone="success" autoFocus>
          {doneText}
        </Notice>
      ) : null}
      {showError && state.status === 'error' ? <ErrorNotice error={state.error ?? null} autoFocus={focusError} /> : null}
    </>
  );
}
