/**
 * R8 voice and chat queues and their members, and queue sessions (an agent logged into a queue,
 * R4). Joining a chat queue needs omnichannel; joining a voice queue needs an extension.
 */
import { randomUUID } from 'node:crypto';
import type { Queue, QueueKind, QueueSummary, User } from '../../src-shared/domain';
import { queueEligibilityRule } from '../../src-shared/rules';
import type { CreateQueueRequest } from '../../src-shared/platform-api';
import { transact, type Db } from '../db/database';
import type { QueueTable } from '../db/schema';
import { requireMayChangeUser, requirePermission, type Actor } from './actor';
import { writeAudit } from './audit';
import type { PlatformContext } from './context';
import { DomainError } from './errors';
import { queueMembersChanged } from './queue-counts';
import { bumpUser } from './user-changes';
import { getUserRow, loadUser } from './users';

async function hydrateQueues(db: Db, rows: QueueTable[]): Promise<Queue[]> {
  if (rows.length === 0) return [];
  const members = await db
    .selectFrom('queue_members')
    .select(['queue_id', 'user_id'])
    .where(
      'queue_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
  const byQueue = new Map<string, string[]>();
  for (const m of members) {
    // Pushed, not copied: a queue of 100 000 agents was 5 billion element copies.
    const list = byQueue.get(m.queue_id);
    if (list) list.push(m.user_id);
    else byQueue.set(m.queue_id, [m.user_id]);
  }
  return rows.map((r) => {
    const { memberCount: _count, ...queue } = queueSummaryOf(r);
    return { ...queue, memberIds: byQueue.get(r.id) ?? [] };
  });
}

/** A queue row as the API's summary (its kept member count). */
function queueSummaryOf(r: QueueTable): QueueSummary {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind as Queue['kind'],
    channel: r.channel as Queue['channel'],
    name: r.name,
    memberCount: Number(r.member_count),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function getQueueRow(db: Db, accountId: string, queueId: string): Promise<QueueTable> {
  const row = await db.selectFrom('queues').selectAll().where('id', '=', queueId).where('account_id', '=', accountId).executeTakeFirst();
  if (!row) throw new DomainError('not_found');
  return row;
}

async function loadQueue(db: Db, accountId: string, queueId: string): Promise<Queue> {
  const [queue] = await hydrateQueues(db, [await getQueueRow(db, accountId, queueId)]);
  if (!queue) throw new DomainError('not_found');
  return queue;
}

/** `GET /queues`: voice and chat queues of the account, by name. */
export async function listQueues(ctx: PlatformContext, actor: Actor): Promise<Queue[]> {
  requirePermission(actor, 'canReview');
  const rows = await ctx.db.selectFrom('queues').selectAll().where('account_id', '=', actor.accountId).orderBy('kind').orderBy('name').execute();
  return hydrateQueues(ctx.db, rows);
}

/**
 * `GET /queue-summaries` (issue 10): the account's queues with their member counts (kept by every
 * link and unlink, see queue-counts.ts), for the console's sync: it has each user's queue ids already.
 */
export async function listQueueSummaries(ctx: PlatformContext, actor: Actor): Promise<QueueSummary[]> {
  requirePermission(actor, 'canReview');
  const rows = await ctx.db.selectFrom('queues').selectAll().where('account_id', '=', actor.accountId).orderBy('kind').orderBy('name').execute();
  return rows.map(queueSummaryOf);
}

/** `POST /queues` (R8): a voice queue, or a chat queue on webchat or whatsapp. */
export async function createQueue(ctx: PlatformContext, actor: Actor, input: CreateQueueRequest): Promise<Queue> {
  requirePermission(actor, 'canManageQueues');
  const now = ctx.now().toISOString();
  const row: QueueTable = {
    id: randomUUID(),
    account_id: actor.accountId,
    kind: input.kind,
    channel: input.kind === 'voice' ? 'voice' : input.channel,
    name: input.name,
    version: 1,
    member_count: 0,
    created_at: now,
    updated_at: now,
  };
  return transact(ctx.db, async (trx) => {
    await trx.insertInto('queues').values(row).execute();
    const queue = await loadQueue(trx, actor.accountId, row.id);
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'queue.created', targetType: 'queue', targetId: row.id, after: queue, at: ctx.now() });
    return queue;
  });
}

/** `PUT /queues/:id/members/:userId` (R8): links a user; 422 when the queue's rule is not met. */
export async function addQueueMember(ctx: PlatformContext, actor: Actor, queueId: string, userId: string): Promise<{ queue: Queue; user: User }> {
  requirePermission(actor, 'canManageQueues');
  const now = ctx.now();
  return transact(ctx.db, async (trx) => {
    const queue = await getQueueRow(trx, actor.accountId, queueId);
    const user = await loadUser(trx, actor.accountId, userId);
    requireMayChangeUser(actor, user);
    const r8 = queueEligibilityRule(user, queue.kind as QueueKind);
    if (r8) throw new DomainError(r8, { fieldErrors: { userId: [r8] } });
    const existing = await trx.selectFrom('queue_members').select('user_id').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
    if (!existing) {
      await trx.insertInto('queue_members').values({ queue_id: queueId, user_id: userId, created_at: now.toISOString() }).execute();
      await queueMembersChanged(trx, [queueId], 1, now);
      await bumpUser(trx, userId, now);
      await writeAudit(trx, { accountId: actor.accountId, actor, action: 'queue.member_added', targetType: 'user', targetId: userId, after: { queueId, queueName: queue.name }, at: now });
    }
    return { queue: await loadQueue(trx, actor.accountId, queueId), user: await loadUser(trx, actor.accountId, userId) };
  });
}

/** `DELETE /queues/:id/members/:userId`: unlinks a user (and ends their session in that queue). */
export async function removeQueueMember(ctx: PlatformContext, actor: Actor, queueId: string, userId: string): Promise<{ queue: Queue; user: User }> {
  requirePermission(actor, 'canManageQueues');
  const now = ctx.now();
  return transact(ctx.db, async (trx) => {
    const queue = await getQueueRow(trx, actor.accountId, queueId);
    requireMayChangeUser(actor, await getUserRow(trx, actor.accountId, userId));
    const removed = await trx.deleteFrom('queue_members').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
    if (Number(removed.numDeletedRows) > 0) {
      await trx.deleteFrom('queue_sessions').where('queue_id', '=', queueId).where('user_id', '=', userId).execute();
      await queueMembersChanged(trx, [queueId], -1, now);
      await bumpUser(trx, userId, now);
      await writeAudit(trx, { accountId: actor.accountId, actor, action: 'queue.member_removed', targetType: 'user', targetId: userId, before: { queueId, queueName: queue.name }, at: now });
    }
    return { queue: await loadQueue(trx, actor.accountId, queueId), user: await loadUser(trx, actor.accountId, userId) };
  });
}

/**
 * `POST /queues/:id/sessions`: logs a member into a queue (R4 demos and tests). Administrators and
 * support may do it for anyone of the account; an agent only for themselves.
 */
export async function startQueueSession(ctx: PlatformContext, actor: Actor, queueId: string, userId: string): Promise<void> {
  if (actor.userId !== userId) requirePermission(actor, 'canManageQueues');
  const now = ctx.now();
  await transact(ctx.db, async (trx) => {
    const queue = await getQueueRow(trx, actor.accountId, queueId);
    await getUserRow(trx, actor.accountId, userId);
    const member = await trx.selectFrom('queue_members').select('user_id').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
    if (!member) throw new DomainError('conflict', { details: { reason: 'not_a_member' } });
    const existing = await trx.selectFrom('queue_sessions').select('user_id').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
    if (existing) return;
    await trx.insertInto('queue_sessions').values({ queue_id: queueId, user_id: userId, started_at: now.toISOString() }).execute();
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'queue.session_started', targetType: 'user', targetId: userId, after: { queueId, queueName: queue.name }, at: now });
  });
}

/** `DELETE /queues/:id/sessions/:userId`: logs a user out of a queue. */
export async function endQueueSession(ctx: PlatformContext, actor: Actor, queueId: string, userId: string): Promise<void> {
  if (actor.userId !== userId) requirePermission(actor, 'canManageQueues');
  const now = ctx.now();
  await transact(ctx.db, async (trx) => {
    const queue = await getQueueRow(trx, actor.accountId, queueId);
    await getUserRow(trx, actor.accountId, userId);
    const ended = await trx.deleteFrom('queue_sessions').where('queue_id', '=', queueId).where('user_id', '=', userId).executeTakeFirst();
    if (Number(ended.numDeletedRows) > 0) {
      await writeAudit(trx, { accountId: actor.accountId, actor, action: 'queue.session_ended', targetType: 'user', targetId: userId, before: { queueId, queueName: queue.name }, at: now });
    }
  });
}
