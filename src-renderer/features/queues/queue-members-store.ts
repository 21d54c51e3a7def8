/**
 * Members of the selected queue and the user search used to add one (R8). After a change the list
 * follows main's `onDidChangeData` (features/shell/data-refresh.ts), like every other list.
 */
import { create } from 'zustand';
import type { UserRow } from '../../../src-shared/ipc-contract';
import { toSearchText } from '../../../src-shared/text';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { forgetOnSignOut } from '../session/person-state';

type MembersStore = {
  queueId: string | null;
  members: UserRow[] | null;
  /** How many members the queue has (more than `members` when the list is capped). */
  memberTotal: number;
  candidates: UserRow[];
  busyUserId: string | null;
  error: ConsoleError | null;
  /** The user an R8 error (client check or platform answer) applies to. */
  errorUserId: string | null;
  done: { kind: 'added' | 'removed'; name: string } | null;
  select(queueId: string | null): Promise<void>;
  /** Re-reads the members of the selected queue (after main reports changed users). */
  refresh(): Promise<void>;
  findCandidates(query: string): Promise<void>;
  add(user: UserRow): Promise<void>;
  remove(user: UserRow): Promise<void>;
  /** Shows a rule error found before sending (R8). */
  refuse(user: UserRow, error: ConsoleError): void;
};

const initial = { queueId: null, members: null, memberTotal: 0, candidates: [], busyUserId: null, error: null, errorUserId: null, done: null };

/** The queue members store. */
export const useQueueMembersStore = create<MembersStore>()((set, get) => {
  async function loadMembers(queueId: string) {
    const { items, total } = await call('searchUsers', { query: '', filters: { queueId }, offset: 0, limit: 500 });
    if (get().queueId === queueId) set({ members: items, memberTotal: total });
  }
  /** Adds or removes a member through the platform; the members list follows main's change event. */
  async function changeMembership(user: UserRow, kind: 'added' | 'removed') {
    const queueId = get().queueId;
    if (!queueId) return;
    set({ busyUserId: user.id, error: null, errorUserId: null, done: null });
    try {
      await call(kind === 'added' ? 'addQueueMember' : 'removeQueueMember', { queueId, userId: user.id });
      set({ done: { kind, name: user.name } });
    } catch (err) {
      set({ error: toConsoleError(err), errorUserId: user.id });
    } finally {
      set({ busyUserId: null });
    }
  }
  return {
    ...initial,
    async select(queueId) {
      set({ ...initial, queueId });
      await get().refresh();
    },
    async refresh() {
      const queueId = get().queueId;
      if (!queueId) return;
      try {
        await loadMembers(queueId);
      } catch (err) {
        set({ error: toConsoleError(err) });
      }
    },
    async findCandidates(query) {
      const q = toSearchText(query).trim();
      if (!q) {
        set({ candidates: [] });
        return;
      }
      try {
        const { items } = await call('searchUsers', { query: q, filters: {}, offset: 0, limit: 8 });
        set({ candidates: items });
      } catch (err) {
        set({ error: toConsoleError(err) });
      }
    },
    add: (user) => changeMembership(user, 'added'),
    remove: (user) => changeMembership(user, 'removed'),
    refuse(user, error) {
      set({ error, errorUserId: user.id, done: null });
    },
  };
});

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetQueueMembersStore(): void {
  useQueueMembersStore.setState(initial);
}
forgetOnSignOut(resetQueueMembersStore);
