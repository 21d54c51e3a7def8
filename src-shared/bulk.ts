/**
 * Bulk actions of the users table (issue 11, C7): what the administrator picks, and the one
 * `POST /users/batch` item each action makes for a user. Pure, so main builds the items and the
 * renderer names the actions from the same list.
 */
import { z } from 'zod';
import { IdSchema, type User } from './domain';
import { userEtag, type BatchUpdateItem } from './platform-api';

/** The bulk actions, in the order the console offers them. */
export const BULK_ACTION_KINDS = ['enableOmnichannel', 'addQueues', 'removeQueues', 'assignFreeExtension', 'sendPasswordReset'] as const;
export type BulkActionKind = (typeof BULK_ACTION_KINDS)[number];

/** One bulk action: WebRTC + omnichannel on, queues in or out, a free extension, or reset emails. */
export const BulkActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('enableOmnichannel') }),
  z.strictObject({ kind: z.literal('addQueues'), queueIds: z.array(IdSchema).min(1).max(50) }),
  z.strictObject({ kind: z.literal('removeQueues'), queueIds: z.array(IdSchema).min(1).max(50) }),
  z.strictObject({ kind: z.literal('assignFreeExtension') }),
  z.strictObject({ kind: z.literal('sendPasswordReset') }),
]);
export type BulkAction = z.infer<typeof BulkActionSchema>;

/** Whether an action edits users (R4: the article's confirmation and the queue logout) or only sends mail. */
export function bulkActionEdits(action: BulkAction): boolean {
  return action.kind !== 'sendPasswordReset';
}

/** The batch item that applies `action` to `user` as of `version` (its If-Match). */
export function bulkItem(action: BulkAction, user: Pick<User, 'id'>, version: number, confirmQueueLogout: boolean): BatchUpdateItem {
  const base = { op: 'update' as const, userId: user.id, ifMatch: userEtag({ id: user.id, version }) };
  const confirm = confirmQueueLogout ? { confirmQueueLogout: true } : {};
  switch (action.kind) {
    case 'enableOmnichannel':
      return { ...base, ...confirm, changes: { webrtcEnabled: true, omnichannelEnabled: true } };
    case 'addQueues':
      return { ...base, ...confirm, addQueueIds: action.queueIds };
    case 'removeQueues':
      return { ...base, ...confirm, removeQueueIds: action.queueIds };
    case 'assignFreeExtension':
      return { ...base, ...confirm, extension: 'free' };
    case 'sendPasswordReset':
      return { ...base, sendPasswordReset: true };
  }
}
