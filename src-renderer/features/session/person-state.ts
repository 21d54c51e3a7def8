/**
 * C6: what the renderer holds for the signed-in person (search text, filters, selection, drafts,
 * lists, results) is forgotten when the session ends, so the next person at this computer starts
 * from nothing. Every store registers its reset here when its module loads; the session store
 * calls `forgetPerson()` on sign-out, on expiry and on a refused session.
 */

const resets = new Set<() => void>();

/** Registers a store's reset (run on every sign-out). */
export function forgetOnSignOut(reset: () => void): void {
  resets.add(reset);
}

/** Resets every registered store. */
export function forgetPerson(): void {
  for (const reset of resets) reset();
}

/** How many stores registered (lets a test prove every store did). */
export function registeredResets(): number {
  return resets.size;
}
