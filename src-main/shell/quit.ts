/**
 * Quitting the console: the sync stops, the cache closes and the embedded platform closes before the
 * process exits, so no write is cut; a part that hangs does not keep the app open past a deadline.
 * Pure (no Electron), so it is tested under Node; `main.ts` calls it from `will-quit`.
 */

/** How long quitting waits for the services before the process exits anyway. */
export const QUIT_DEADLINE_MS = 5_000;

/** How a quit ended: everything closed, the deadline passed first, or closing failed. */
export type QuitOutcome = 'closed' | 'deadline' | 'failed';

/** Runs `dispose`, resolving when it settles or when `deadlineMs` passes, whichever comes first. */
export async function disposeWithDeadline(dispose: () => Promise<void>, deadlineMs: number, logError: (err: unknown) => void = () => {}): Promise<QuitOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<QuitOutcome>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), deadlineMs);
  });
  const closing = dispose().then(
    (): QuitOutcome => 'closed',
    (err: unknown): QuitOutcome => {
      logError(err);
      return 'failed';
    },
  );
  try {
    return await Promise.race([closing, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
