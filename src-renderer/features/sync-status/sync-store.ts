/** Sync status (C2): what main reports through `getSyncStatus` and `onDidChangeSyncStatus`. */
import { create } from 'zustand';
import type { SyncStatus } from '../../../src-shared/ipc-contract';
import { call, on, toConsoleError, type ConsoleError } from '../../api';
import { forgetOnSignOut } from '../session/person-state';

type SyncStore = {
  status: SyncStatus | null;
  requesting: boolean;
  error: ConsoleError | null;
  load(): Promise<void>;
  syncNow(): Promise<void>;
  subscribe(): () => void;
};

const initial = { status: null, requesting: false, error: null };

/** The sync store. */
export const useSyncStore = create<SyncStore>()((set) => ({
  ...initial,
  async load() {
    try {
      set({ status: await call('getSyncStatus', {}) });
    } catch (err) {
      set({ error: toConsoleError(err) });
    }
  },
  async syncNow() {
    set({ requesting: true, error: null });
    try {
      set({ status: await call('syncNow', {}), requesting: false });
    } catch (err) {
      set({ requesting: false, error: toConsoleError(err) });
    }
  },
  subscribe() {
    return on('onDidChangeSyncStatus', (status) => set({ status }));
  },
}));

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetSyncStore(): void {
  useSyncStore.setState(initial);
}
forgetOnSignOut(resetSyncStore);
