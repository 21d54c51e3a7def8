/**
 * CSV export (issue 11): the users of the table's current view (its search, filters and order, from
 * the cache) and a user's or the account's audit trail (from the platform). Main writes the file;
 * the renderer saves it (native save dialog in Electron, a download in a browser).
 */
import { create } from 'zustand';
import type { UserFilters } from '../../../src-shared/ipc-contract';
import type { UserSortField } from '../../../src-shared/search';
import { toSearchText } from '../../../src-shared/text';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { saveFile } from '../../ui/save-file';
import { forgetOnSignOut } from '../session/person-state';

/** What was exported last (for the notice), or what failed. */
type ExportStore = {
  busy: 'users' | 'audit' | null;
  done: { kind: 'users' | 'audit'; rows: number; fileName: string } | null;
  error: ConsoleError | null;
  /** Which export the error belongs to. */
  failed: 'users' | 'audit' | null;
  exportUsers(view: { query: string; filters: UserFilters; sort: { by: UserSortField; dir: 'asc' | 'desc' } }): Promise<void>;
  /** A user's audit trail (`userId`) or the account's. */
  exportAudit(userId?: string): Promise<void>;
};

const initial = { busy: null, done: null, error: null, failed: null };

/** The export store. */
export const useExportStore = create<ExportStore>()((set, get) => ({
  ...initial,
  async exportUsers(view) {
    if (get().busy) return;
    set({ busy: 'users', done: null, error: null, failed: null });
    try {
      const file = await call('exportUsersCsv', { ...view, query: toSearchText(view.query) });
      saveFile(file);
      set({ busy: null, done: { kind: 'users', rows: file.rows, fileName: file.fileName } });
    } catch (err) {
      set({ busy: null, error: toConsoleError(err), failed: 'users' });
    }
  },
  async exportAudit(userId) {
    if (get().busy) return;
    set({ busy: 'audit', done: null, error: null, failed: null });
    try {
      const file = await call('exportAuditCsv', userId ? { userId } : {});
      saveFile(file);
      set({ busy: null, done: { kind: 'audit', rows: file.rows, fileName: file.fileName } });
    } catch (err) {
      set({ busy: null, error: toConsoleError(err), failed: 'audit' });
    }
  },
}));

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetExportStore(): void {
  useExportStore.setState(initial);
}
forgetOnSignOut(resetExportStore);
