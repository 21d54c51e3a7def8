/**
 * Focus that tells where you are (WCAG 2.4.3): each screen's heading takes focus when the screen
 * appears, and a result message takes it when an action ends, so screen readers announce it and a
 * keyboard user continues from there instead of from `<body>`.
 */
import { useEffect, useRef, type ReactNode } from 'react';

/** Focuses the returned element once it is mounted (after any dialog that closed in the same update gave focus back). */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return ref;
}

/** A screen's `<h1>`: focusable by script only, and focused when it appears. */
export function ScreenTitle({ id, children }: { id?: string; children: ReactNode }) {
  const ref = useFocusOnMount<HTMLHeadingElement>();
  return (
    <h1 id={id} ref={ref} tabIndex={-1} className="screen-title">
      {children}
    </h1>
  );
}

/**
 * Focuses the current screen's title after the next paint: a menu entry chosen for the screen
 * already shown still announces where the user is (the screen does not remount).
 */
export function focusScreenTitle(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('.screen-title')?.focus({ preventScroll: true }));
}

/** Moves focus to the first control marked invalid inside `container` (an invalid Save). */
export function focusFirstInvalid(container: ParentNode | null | undefined): boolean {
  const first = container?.querySelector<HTMLElement>('[aria-invalid="true"]');
  first?.focus();
  return !!first;
}
