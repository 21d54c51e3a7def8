/**
 * Issue 10: a queue's `member_count` and `version` follow every link and unlink of a member (in the
 * same transaction), so the queues' summaries (`GET /queue-summaries`) are read without counting.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database';

/** Members were linked to (`delta` > 0) or unlinked from (`delta` < 0) these queues, one each. */
export async function queueMembersChanged(db: Db, queueIds: readonly string[], delta: number, now: Date): Promise<void> {
  if (queueIds.length === 0) return;
  await db
    .updateTable('queues')
    .set((eb) => ({ version: eb('version', '+', 1), member_count: eb('member_count', '+', delta), updated_at: now.toISOString() }))
    .where('id', 'in', queueIds)
    .execute();
}

/**
 * Counts the members of an account's queues again after bulk inserts: the demo seed (queues it has
 * just created keep version 1) and generated users (`changed`: the queues' versions move too).
 */
export async function recountQueueMembers(db: Db, accountId: string, changed?: { at: Date }): Promise<void> {
  const count = sql<number>`(SELECT count(*) FROM queue_members m WHERE m.queue_id = queues.id)`;
  await db
    .updateTable('queues')
    .set(changed ? { member_count: count, version: sql<number>`version + 1`, updated_at: changed.at.toISOString() } : { member_count: count })
    .where('account_id', '=', accountId)
    .execute();
}
