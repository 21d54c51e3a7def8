/**
 * Bulk actions on the users table (issue 11, C7): the selection (checkboxes, Shift-click ranges,
 * "select all N matching this filter"), the action, the platform's preview, one confirmation, the
 * apply in chunks with progress, and the per-user report with "retry the failed ones". The table
 * itself refreshes from main's change events, never from here.
 */
import { create } from 'zustand';
import type { BulkAction } from '../../../src-shared/bulk';
import type { BulkApplyOutput, BulkPreviewItem, UserFilters } from '../../../src-shared/ipc-contract';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { forgetOnSignOut } from '../session/person-state';

/** Users per apply request: small enough for a progress bar that moves. */
export const APPLY_CHUNK = 50;

/** Where the bulk flow is. */
export type BulkPhase = 'idle' | 'previewing' | 'preview' | 'applying' | 'report';

/** One user's outcome in the report. */
export type BulkReportItem = BulkApplyOutput['results'][number] & { name: string; login: string };

type BulkStore = {
  /** Ids picked one by one (or by Shift-click ranges). */
  selected: ReadonlySet<string>;
  /** "Select all N matching this filter": every user of the current search, not just the loaded rows. */
  allMatching: { query: string; filters: UserFilters; total: number } | null;
  /** The row index of the last plain click (the start of a Shift-click range). */
  anchor: number | null;
  action: BulkAction | null;
  phase: BulkPhase;
  preview: BulkPreviewItem[] | null;
  progress: { done: number; total: number } | null;
  report: BulkReportItem[] | null;
  error: ConsoleError | null;
  toggle(id: string, index: number): void;
  /** Shift-click: selects every row from the anchor to `index` (ids of the loaded rows in between). */
  selectRange(ids: string[], index: number): void;
  selectAllMatching(query: string, filters: UserFilters, total: number): void;
  clear(): void;
  setAction(action: BulkAction | null): void;
  /** Asks main for the platform's dry run of the action on the selection. */
  requestPreview(): Promise<void>;
  /** "Não" / close: back to the table with the selection kept. */
  cancel(): void;
  /** "Sim": applies to the users the preview says will change, in chunks. */
  confirm(): Promise<void>;
  /** Selects the users that failed and previews the same action for them again. */
  retryFailed(): Promise<void>;
};

const initial = { selected: new Set<string>(), allMatching: null, anchor: null, action: null, phase: 'idle' as BulkPhase, preview: null, progress: null, report: null, error: null };

/** The bulk store. */
export const useBulkStore = create<BulkStore>()((set, get) => ({
  ...initial,
  toggle(id, index) {
    const selected = new Set(get().selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    set({ selected, anchor: index, allMatching: null });
  },
  selectRange(ids, index) {
    const selected = new Set(get().selected);
    for (const id of ids) selected.add(id);
    set({ selected, anchor: index, allMatching: null });
  },
  selectAllMatching(query, filters, total) {
    set({ allMatching: { query, filters, total } });
  },
  clear() {
    set({ selected: new Set(), allMatching: null, anchor: null });
  },
  setAction(action) {
    set({ action });
  },
  async requestPreview() {
    const { action, selected, allMatching } = get();
    if (!action || (!allMatching && selected.size === 0)) return;
    set({ phase: 'previewing', preview: null, report: null, error: null });
    try {
      const target = allMatching ? { matching: { query: allMatching.query, filters: allMatching.filters } } : { ids: [...selected] };
      const { items } = await call('previewBulk', { target, action });
      if (get().phase === 'previewing') set({ phase: 'preview', preview: items });
    } catch (err) {
      set({ phase: 'idle', error: toConsoleError(err) });
    }
  },
  cancel() {
    if (get().phase === 'applying') return;
    set({ phase: 'idle', preview: null, progress: null, report: null });
  },
  async confirm() {
    const { action, preview } = get();
    if (!action || !preview) return;
    const todo = preview.filter((p) => p.status === 'change');
    const names = new Map(preview.map((p) => [p.userId, p]));
    set({ phase: 'applying', progress: { done: 0, total: todo.length }, error: null });
    const report: BulkReportItem[] = preview
      .filter((p) => p.status === 'refused' || p.status === 'conflict')
      .map((p) => ({ userId: p.userId, name: p.name, login: p.login, status: p.status as 'refused' | 'conflict', changed: false, loggedOutQueues: [], error: p.error }));
    for (let i = 0; i < todo.length; i += APPLY_CHUNK) {
      const chunk = todo.slice(i, i + APPLY_CHUNK);
      try {
        const { results } = await call('applyBulk', { action, users: chunk.map((p) => ({ id: p.userId, version: p.version })), confirmQueueLogout: true });
        for (const r of results) report.push({ ...r, name: names.get(r.userId)?.name ?? r.userId, login: names.get(r.userId)?.login ?? '' });
      } catch (err) {
        // The chunk did not reach the platform (offline, timeout): its users are failures to retry.
        const error = toConsoleError(err);
        for (const p of chunk) report.push({ userId: p.userId, name: p.name, login: p.login, status: 'refused', changed: false, loggedOutQueues: [], error: { code: error.code, message: error.message } });
      }
      set({ progress: { done: Math.min(i + APPLY_CHUNK, todo.length), total: todo.length } });
    }
    set({ phase: 'report', report });
  },
  async retryFailed() {
    const failed = (get().report ?? []).filter((r) => r.status !== 'ok').map((r) => r.userId);
    if (failed.length === 0) return;
    set({ selected: new Set(failed), allMatching: null, phase: 'idle', report: null, preview: null });
    await get().requestPreview();
  },
}));

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetBulkStore(): void {
  useBulkStore.setState({ ...initial, selected: new Set() });
}
forgetOnSignOut(resetBulkStore);
