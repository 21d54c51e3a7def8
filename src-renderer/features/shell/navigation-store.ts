/** Which screen is shown. A tiny in-memory router (the console has no URLs to share) with a
 * leave guard, so unsaved edits are never dropped silently. */
import { create } from 'zustand';
import type { QueueKind } from '../../../src-shared/domain';
import { forgetOnSignOut } from '../session/person-state';

/** Tabs of the user editor. */
export type EditorTab = 'data' | 'password' | 'extension' | 'queues' | 'audit';

/** A screen of the console. */
export type Route =
  | { screen: 'users' }
  | { screen: 'user'; id: string; tab: EditorTab; focus?: string }
  | { screen: 'new-user' }
  | { screen: 'csv-import' }
  | { screen: 'queues'; kind: QueueKind; queueId?: string };

/** Returns true when going to `next` would lose something and must be confirmed. */
export type LeaveGuard = (next: Route) => boolean;

type NavigationStore = {
  route: Route;
  /** A navigation waiting for the user to confirm leaving. */
  pending: Route | null;
  guard: LeaveGuard | null;
  go(route: Route): void;
  /** Installs (or, with null, removes) the leave guard; returns a function that removes it. */
  setGuard(guard: LeaveGuard | null): () => void;
  confirmLeave(): void;
  cancelLeave(): void;
};

/** The navigation store. */
export const useNavigationStore = create<NavigationStore>()((set, get) => ({
  route: { screen: 'users' },
  pending: null,
  guard: null,
  go: (route) => {
    const guard = get().guard;
    if (guard?.(route)) set({ pending: route });
    else set({ route, pending: null });
  },
  setGuard: (guard) => {
    set({ guard });
    return () => {
      if (get().guard === guard) set({ guard: null });
    };
  },
  confirmLeave: () => {
    const pending = get().pending;
    if (pending) set({ route: pending, pending: null, guard: null });
  },
  cancelLeave: () => set({ pending: null }),
}));

/** Back to the users list with no pending navigation or guard (on sign-out, C6: the next session starts there). */
export function resetNavigationStore(): void {
  useNavigationStore.setState({ route: { screen: 'users' }, pending: null, guard: null });
}
forgetOnSignOut(resetNavigationStore);
