/** Which screen is shown. A tiny in-memory router: the console has no URLs to share. */
import { create } from 'zustand';
import type { QueueKind } from '../../../src-shared/domain';

/** Tabs of the user editor. */
export type EditorTab = 'data' | 'password' | 'extension' | 'queues' | 'audit';

/** A screen of the console. */
export type Route =
  | { screen: 'users' }
  | { screen: 'user'; id: string; tab: EditorTab; focus?: string }
  | { screen: 'new-user' }
  | { screen: 'queues'; kind: QueueKind; queueId?: string };

type NavigationStore = { route: Route; go(route: Route): void };

/** The navigation store. */
export const useNavigationStore = create<NavigationStore>()((set) => ({
  route: { screen: 'users' },
  go: (route) => set({ route }),
}));
