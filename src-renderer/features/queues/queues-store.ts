/**
 * Queues (R8): the account's voice and chat queues and their creation. Shared by the queues screen,
 * the users filter and the user editor's queue tab; reloaded from main's `onDidChangeData`.
 */
import { useEffect } from 'react';
import { create } from 'zustand';
import type { QueueSummary, QueueKind } from '../../../src-shared/domain';
import type { CreateQueueRequest } from '../../../src-shared/platform-api';
import { sortByText } from '../../../src-shared/search';
import { call, toConsoleError, type ConsoleError } from '../../api';
import { forgetOnSignOut } from '../session/person-state';

type QueuesStore = {
  queues: QueueSummary[];
  loaded: boolean;
  loading: boolean;
  error: ConsoleError | null;
  load(): Promise<void>;
  create(input: CreateQueueRequest): Promise<QueueSummary>;
};

const initial = { queues: [], loaded: false, loading: false, error: null };

function replace(queues: QueueSummary[], queue: QueueSummary): QueueSummary[] {
  const exists = queues.some((q) => q.id === queue.id);
  return exists ? queues.map((q) => (q.id === queue.id ? queue : q)) : [...queues, queue];
}

/** The queues store. */
export const useQueuesStore = create<QueuesStore>()((set, get) => ({
  ...initial,
  async load() {
    set({ loading: true, error: null });
    try {
      const { items } = await call('listQueues', {});
      set({ queues: items, loaded: true, loading: false });
    } catch (err) {
      set({ loading: false, error: toConsoleError(err) });
    }
  },
  async create(input) {
    const { queue } = await call('createQueue', input);
    set({ queues: replace(get().queues, queue) });
    return queue;
  },
}));

/** The account's queues, loaded once by the first component that needs them. */
export function useQueues(): QueueSummary[] {
  const queues = useQueuesStore((s) => s.queues);
  const loaded = useQueuesStore((s) => s.loaded);
  const load = useQueuesStore((s) => s.load);
  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);
  return queues;
}

/** Queues of one kind, sorted by name. */
export function queuesOfKind(queues: QueueSummary[], kind: QueueKind): QueueSummary[] {
  return sortByText(
    queues.filter((q) => q.kind === kind),
    (q) => q.name,
  );
}

/** Restores the initial state (on sign-out, C6; and in tests). */
export function resetQueuesStore(): void {
  useQueuesStore.setState(initial);
}
forgetOnSignOut(resetQueuesStore);
