/**
 * Users list (Configurações > Usuários): query, filters and the pages of results fetched from
 * main's cache through `searchUsers`. Pages load on demand as the virtualized table scrolls, so
 * 100 000 cached users never cross the IPC boundary at once.
 */
import { create } from 'zustand';
import type { UserFilters, UserRow } from '../../../src-shared/ipc-contract';
import { toSearchText } from '../../../src-shared/text';
import type { UserSortField } from '../../../src-shared/search';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { forgetOnSignOut } from '../session/person-state';

/** Rows per `searchUsers` request: about two screens of the grid (its height and overscan); smaller pages answer a keystroke sooner. */
export const PAGE_SIZE = 50;

/** Sortable columns of `searchUsers`. */
export type SortBy = UserSortField;
/** The list's order. */
export type Sort = { by: SortBy; dir: 'asc' | 'desc' };

type UsersStore = {
  query: string;
  sort: Sort;
  filters: UserFilters;
  total: number | null;
  /** The query the shown rows answer (the grid says it in `data-query`, for the keystroke bench). */
  shownQuery: string | null;
  /** The query and filters the shown rows answer (a new one starts the keyboard cursor at the top). */
  shownSearch: string | null;
  pages: Record<number, UserRow[]>;
  /** The search `pages` answer: until a new search's first page arrives, the previous rows stay. */
  pagesGeneration: number;
  /** Bumps on every new search so late answers of an older search are dropped. */
  generation: number;
  loading: boolean;
  error: ConsoleError | null;
  /** Each of these starts the new search at once, within the caller's event (no timer, no render first). */
  setQuery(query: string): void;
  /** Sorts by a column; the same column again flips the direction. */
  setSort(by: SortBy): void;
  setFilter<K extends keyof UserFilters>(key: K, value: UserFilters[K] | undefined): void;
  /** Sets several filters at once (`undefined` removes one): one search, not one per filter. */
  patchFilters(patch: Partial<UserFilters>): void;
  clearFilters(): void;
  /** Starts a new search with the current query and filters (page 0). */
  search(): Promise<void>;
  /** Makes sure the pages covering rows `start..end` are loaded. */
  ensureRange(start: number, end: number): void;
  /** Reloads the loaded pages (after a sync or a change made elsewhere). */
  refresh(): Promise<void>;
  rowAt(index: number): UserRow | undefined;
};

const inflight = new Set<string>();
const initial = { query: '', sort: { by: 'name', dir: 'asc' } as Sort, filters: {}, total: null, shownQuery: null, shownSearch: null, pages: {}, pagesGeneration: 0, generation: 0, loading: false, error: null };

/** The users store. */
export const useUsersStore = create<UsersStore>()((set, get) => {
  async function loadPage(page: number, generation: number): Promise<void> {
    const key = `${generation}:${page}`;
    if (inflight.has(key)) return;
    inflight.add(key);
    const { query, filters, sort } = get();
    try {
      const result = await call('searchUsers', { query: toSearchText(query), filters, sort, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (get().generation !== generation) return;
      // The first page of a new search replaces the previous search's rows (kept on screen meanwhile,
      // so typing never flashes empty rows); later pages join it.
      set((s) => ({
        total: result.total,
        shownQuery: query,
        shownSearch: searchKey(query, filters),
        pages: s.pagesGeneration === generation ? { ...s.pages, [page]: result.items } : { [page]: result.items },
        pagesGeneration: generation,
        error: null,
        loading: false,
      }));
    } catch (err) {
      if (get().generation === generation) set({ error: toConsoleError(err), loading: false });
    } finally {
      inflight.delete(key);
    }
  }

  return {
    ...initial,
    setQuery(query) {
      set({ query });
      void get().search();
    },
    setSort(by) {
      const sort = get().sort;
      set({ sort: { by, dir: sort.by === by && sort.dir === 'asc' ? 'desc' : 'asc' } });
      void get().search();
    },
    setFilter(key, value) {
      get().patchFilters({ [key]: value });
    },
    patchFilters(patch) {
      const filters: UserFilters = { ...get().filters };
      for (const [key, value] of Object.entries(patch) as [keyof UserFilters, unknown][]) {
        if (value === undefined) delete filters[key];
        else (filters as Record<string, unknown>)[key] = value;
      }
      set({ filters });
      void get().search();
    },
    clearFilters() {
      set({ filters: {} });
      void get().search();
    },
    async search() {
      const generation = get().generation + 1;
      set({ generation, loading: true });
      await loadPage(0, generation);
    },
    ensureRange(start, end) {
      const { pages, pagesGeneration, generation, total } = get();
      // Rows of a previous search on screen: the new search's first page comes first.
      if (total === null || pagesGeneration !== generation) return;
      const last = Math.min(end, total - 1);
      for (let page = Math.floor(start / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        if (!pages[page]) void loadPage(page, generation);
      }
    },
    async refresh() {
      const { pages } = get();
      const loaded = Object.keys(pages).map(Number);
      const generation = get().generation + 1;
      // Keep showing the old rows until the new ones arrive (no flash of empty rows): each answer
      // replaces its own page.
      set({ generation, pagesGeneration: generation });
      await Promise.all((loaded.length ? loaded : [0]).map((p) => loadPage(p, generation)));
    },
    rowAt(index) {
      return get().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
    },
  };
});

/** Names a search by its query and filters (not its order): the grid's cursor follows it. */
function searchKey(query: string, filters: UserFilters): string {
  return JSON.stringify([query, filters]);
}

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetUsersStore(): void {
  inflight.clear();
  // The generation keeps counting, so an answer still in flight for the previous person is dropped.
  useUsersStore.setState({ ...initial, generation: useUsersStore.getState().generation + 1 });
}
forgetOnSignOut(resetUsersStore);
