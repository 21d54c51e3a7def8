/**
 * The one refresh path (ARCHITECTURE.md): main's `onDidChangeData` tells which kinds of data changed
 * (after a sync, or after a write made through main), and this is the only place that asks the
 * feature stores to re-read what they show. Stores never refresh each other or refetch by hand after
 * a write, so one save means one refresh.
 */
import type { EventPayload } from '../../../src-shared/ipc-contract';
import { on } from '../../api';
import { useNewUserStore } from '../new-user/new-user-store';
import { useQueueMembersStore } from '../queues/queue-members-store';
import { useQueuesStore } from '../queues/queues-store';
import { useEditorStore } from '../user-editor/editor-store';
import { useUsersStore } from '../users/users-store';

/** Re-reads what changed, in every store that shows it. */
export function refreshChanged({ kinds }: EventPayload<'onDidChangeData'>): void {
  if (kinds.includes('users')) {
    void useUsersStore.getState().refresh();
    void useEditorStore.getState().refresh();
    void useQueueMembersStore.getState().refresh();
  }
  if (kinds.includes('queues')) void useQueuesStore.getState().load();
  if (kinds.includes('extensions')) {
    void useEditorStore.getState().refreshExtensions();
    // The new-user form opened before the first sync brought the extensions offers them once it has.
    if (useNewUserStore.getState().extensions !== null) void useNewUserStore.getState().loadExtensions();
  }
}

/** Subscribes the stores to main's change events; returns the unsubscribe function. */
export function subscribeToDataChanges(): () => void {
  return on('onDidChangeData', refreshChanged);
}
