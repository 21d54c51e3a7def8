/**
 * `POST /users/batch` (issue 11, C7): up to 500 user changes in one request, each checked and
 * applied by the same functions as the single-user routes (updateUser, createUser,
 * assign/releaseExtension, add/removeQueueMember, requestPasswordReset), so every rule (R2, R3, R4,
 * R6, R8, R10, R11) holds per item exactly as it does for one user. Each item:
 * - has its own version check (`ifMatch`, If-Match semantics: a stale one is a `conflict`);
 * - runs inside a savepoint of the batch's transaction: a refused item leaves nothing behind, the
 *   others still apply (partial success);
 * - leaves one audit entry for its user (`user.batch_updated` / `user.batch_created`) holding the
 *   user before and after and every step, instead of one entry per step.
 */
import { sql } from 'kysely';
import type { User } from '../../src-shared/domain';
import type { ErrorCode, FieldErrors } from '../../src-shared/errors';
import {
  ifMatchAccepts,
  type BatchCreateItem,
  type BatchExtension,
  type BatchItem,
  type BatchItemResult,
  type BatchUpdateItem,
  type UserChanges,
} from '../../src-shared/platform-api';
import { transact, type Db } from '../db/database';
import { requirePermission, type Actor, type Permission } from './actor';
import { gatherAudit, writeAudit, type AuditInput } from './audit';
import type { PlatformContext } from './context';
import { DomainError } from './errors';
import { assignExtension, releaseExtension } from './extensions';
import { requestPasswordReset } from './passwords';
import { addQueueMember, removeQueueMember } from './queues';
import { createUser, getUserRow, hydrateUsers, loadUser, updateUser } from './users';

/** An item's refusal without its message (the route adds it in the request's language). */
export interface BatchItemError {
  code: ErrorCode;
  fieldErrors?: FieldErrors;
  details?: unknown;
}

/** What `runBatch` answers per item (the route turns `error` into an ApiError). */
export type BatchOutcome = Omit<BatchItemResult, 'error'> & { error?: BatchItemError };

/** The permissions an item needs: the same the single-user routes check (R2). */
export function permissionsFor(item: BatchItem): Permission[] {
  const needed = new Set<Permission>();
  if (item.op === 'create' || isEdit(item)) needed.add('canEditUsers');
  if (item.addQueueIds?.length || (item.op === 'update' && item.removeQueueIds?.length)) needed.add('canManageQueues');
  if (item.extension !== undefined) needed.add('canManageExtensions');
  if (item.op === 'update' && item.sendPasswordReset) needed.add('canResetPasswords');
  return [...needed];
}

function isEdit(item: BatchUpdateItem): boolean {
  return (
    (item.changes !== undefined && Object.keys(item.changes).length > 0) || Boolean(item.addQueueIds?.length) || Boolean(item.removeQueueIds?.length) || item.extension !== undefined
  );
}

/**
 * Runs a batch. R2 first, for the whole request: an actor missing a permission any item needs is
 * refused (403) before anything changes, as the single route would refuse it. Then every item in
 * order, each in a savepoint of one transaction (the caller's, when it runs inside one, e.g. the
 * Idempotency-Key's).
 */
export async function runBatch(ctx: PlatformContext, actor: Actor, items: BatchItem[], options: { dryRun?: boolean | undefined } = {}): Promise<BatchOutcome[]> {
  requirePermission(actor, 'canReview');
  for (const item of items) for (const permission of permissionsFor(item)) requirePermission(actor, permission);
  // The reused functions queue their mail in the outbox within each item's savepoint: a refused or
  // dry-run item's mail is rolled back with it, the others' commit with the batch, and the outbox
  // worker sends them after the commit (issue 9 class 6).
  const outcomes = await transact(ctx.db, async (trx) => {
    const results: BatchOutcome[] = [];
    for (const [index, item] of items.entries()) results.push(await runItem({ ...ctx, db: trx }, actor, index, item, options.dryRun === true));
    return results;
  });
  ctx.mailer.wake();
  return outcomes;
}

async function runItem(ctx: PlatformContext, actor: Actor, index: number, item: BatchItem, dryRun: boolean): Promise<BatchOutcome> {
  const userId = item.op === 'update' ? item.userId : null;
  // A dry run confirms the logout so it can report it (R4), then undoes everything.
  if (dryRun && item.op === 'update') item = { ...item, confirmQueueLogout: true };
  // A savepoint per item: a refused item leaves nothing behind, and the batch goes on.
  await sql`savepoint batch_item`.execute(ctx.db);
  try {
    const { result, entries } = await gatherAudit(() => (item.op === 'update' ? applyUpdate(ctx, actor, index, item) : applyCreate(ctx, actor, index, item)));
    if (dryRun) {
      await sql`rollback to savepoint batch_item`.execute(ctx.db);
      await sql`release savepoint batch_item`.execute(ctx.db);
      return result;
    }
    if (result.changed && result.user) await writeBatchAudit(ctx.db, actor, item.op, result.before, result.user, entries, ctx.now());
    await sql`release savepoint batch_item`.execute(ctx.db);
    const { before: _before, ...outcome } = result;
    return outcome;
  } catch (error) {
    await sql`rollback to savepoint batch_item`.execute(ctx.db);
    await sql`release savepoint batch_item`.execute(ctx.db);
    if (!(error instanceof DomainError)) throw error;
    const status = error.code === 'stale_version' ? 'conflict' : 'refused';
    const refusal: BatchItemError = { code: error.code };
    if (error.extra.fieldErrors) refusal.fieldErrors = error.extra.fieldErrors;
    if (error.extra.details !== undefined) refusal.details = error.extra.details;
    return { index, userId, status, changed: false, error: refusal };
  }
}

type Applied = BatchOutcome & { before: User | null };


/** The field changes of `changes` that differ from the user (nothing else is sent on). */
function fieldChanges(user: User, changes: UserChanges | undefined): UserChanges {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes ?? {})) {
    if (value !== undefined && user[key as keyof User] !== value) out[key] = value;
  }
  return out as UserChanges;
}

async function applyUpdate(ctx: PlatformContext, actor: Actor, index: number, item: BatchUpdateItem): Promise<Applied> {
  const row = await getUserRow(ctx.db, actor.accountId, item.userId);
  const before = (await hydrateUsers(ctx.db, [row]))[0] as User;
  // If-Match semantics per item: the version the change was prepared against.
  if (!ifMatchAccepts(item.ifMatch, before)) throw new DomainError('stale_version', { details: { current: before } });
  const changes = fieldChanges(before, item.changes);
  const queueIds = new Set([...before.voiceQueueIds, ...before.chatQueueIds]);
  const add = (item.addQueueIds ?? []).filter((id) => !queueIds.has(id));
  const remove = (item.removeQueueIds ?? []).filter((id) => queueIds.has(id));
  const extension = item.extension !== undefined && extensionChanges(before, item.extension) ? item.extension : undefined;
  const edits = Object.keys(changes).length > 0 || add.length > 0 || remove.length > 0 || extension !== undefined;
  if (!edits && !item.sendPasswordReset) return { index, userId: before.id, status: 'ok', changed: false, user: before, before };
  let loggedOutQueues: BatchItemResult['loggedOutQueues'] = [];
  if (edits) {
    // R4: the edit itself (updateUser) checks the version, R2, R3, and refuses (409, with the
    // sessions) to log the user out of queues unless the item confirms it.
    const edited = await updateUser(ctx, actor, before.id, item.ifMatch, { ...changes, ...(item.confirmQueueLogout !== undefined ? { confirmQueueLogout: item.confirmQueueLogout } : {}) });
    loggedOutQueues = edited.loggedOutQueues;
    if (extension !== undefined) await applyExtension(ctx, actor, before.id, extension);
    for (const queueId of remove) await removeQueueMember(ctx, actor, queueId, before.id);
    // R8 is checked after the fields and the extension, so one item can enable omnichannel (or
    // associate an extension) and join a chat (or voice) queue.
    for (const queueId of add) await addQueueMember(ctx, actor, queueId, before.id);
  }
  const emailsSent: NonNullable<BatchItemResult['emailsSent']> = [];
  if (item.sendPasswordReset) {
    const reset = await requestPasswordReset(ctx, actor, before.id);
    emailsSent.push({ kind: 'password_reset', to: reset.sentTo });
  }
  const user = await loadUser(ctx.db, actor.accountId, before.id);
  return { index, userId: user.id, status: 'ok', changed: true, user, loggedOutQueues, emailsSent, before };
}

async function applyCreate(ctx: PlatformContext, actor: Actor, index: number, item: BatchCreateItem): Promise<Applied> {
  const created = await createUser(ctx, actor, {
    ...item.user,
    active: item.user.active ?? true,
    webrtcEnabled: item.user.webrtcEnabled ?? false,
    omnichannelEnabled: item.user.omnichannelEnabled ?? false,
  });
  if (item.extension !== undefined && extensionChanges(created.user, item.extension)) await applyExtension(ctx, actor, created.user.id, item.extension);
  for (const queueId of new Set(item.addQueueIds ?? [])) await addQueueMember(ctx, actor, queueId, created.user.id);
  const user = await loadUser(ctx.db, actor.accountId, created.user.id);
  return { index, userId: user.id, status: 'ok', changed: true, user, loggedOutQueues: [], emailsSent: created.emailsSent, before: null };
}

/** Whether `wanted` changes the user's extension (`free` keeps one the user already has). */
function extensionChanges(user: User, wanted: BatchExtension): boolean {
  if (wanted === 'free') return user.extension === null;
  if (wanted === 'none') return user.extension !== null;
  return user.extension?.number !== wanted;
}

async function applyExtension(ctx: PlatformContext, actor: Actor, userId: string, wanted: BatchExtension): Promise<void> {
  if (wanted === 'none') {
    await releaseExtension(ctx, actor, userId);
    return;
  }
  let query = ctx.db.selectFrom('extensions').select('id').where('account_id', '=', actor.accountId);
  query = wanted === 'free' ? query.where('user_id', 'is', null).orderBy('number') : query.where('number', '=', wanted);
  const extension = await query.executeTakeFirst();
  if (!extension) throw new DomainError(wanted === 'free' ? 'no_free_extension' : 'not_found', { fieldErrors: { extension: [wanted === 'free' ? 'no_free_extension' : 'not_found'] } });
  // assignExtension refuses one taken by someone else (409 extension_taken).
  await assignExtension(ctx, actor, userId, extension.id);
}

/** The one audit entry of a batch item: the user before and after, and each step it took. */
async function writeBatchAudit(db: Db, actor: Actor, op: BatchItem['op'], before: User | null, after: User, steps: AuditInput[], at: Date): Promise<void> {
  await writeAudit(db, {
    accountId: actor.accountId,
    actor,
    action: op === 'create' ? 'user.batch_created' : 'user.batch_updated',
    targetType: 'user',
    targetId: after.id,
    before,
    after: { user: after, steps: steps.map((s) => ({ action: s.action, before: s.before ?? null, after: s.after ?? null })) },
    at,
  });
}
