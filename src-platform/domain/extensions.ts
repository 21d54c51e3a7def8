/** R10 extensions ("Ramais"): list, create, associate with a user (emailed), release. */
import { transact } from '../db/database';
import { randomUUID } from 'node:crypto';
import type { Extension, User } from '../../src-shared/domain';
import type { ExtensionTable } from '../db/schema';
import { extensionAssociatedMail } from '../mail/templates';
import { requireMayChangeUser, requirePermission, type Actor } from './actor';
import { writeAudit } from './audit';
import type { PlatformContext } from './context';
import { DomainError } from './errors';
import { bumpUser } from './user-changes';
import { getUserRow, loadUser } from './users';

function toExtension(r: ExtensionTable): Extension {
  return { id: r.id, accountId: r.account_id, number: r.number, userId: r.user_id };
}

/** `GET /extensions`: the account's extensions by number. */
export async function listExtensions(ctx: PlatformContext, actor: Actor): Promise<Extension[]> {
  requirePermission(actor, 'canReview');
  const rows = await ctx.db.selectFrom('extensions').selectAll().where('account_id', '=', actor.accountId).orderBy('number').execute();
  return rows.map(toExtension);
}

/** `POST /extensions`: a new free extension (409 when the number exists in the account). */
export async function createExtension(ctx: PlatformContext, actor: Actor, input: { number: string }): Promise<Extension> {
  requirePermission(actor, 'canManageExtensions');
  const now = ctx.now();
  return transact(ctx.db, async (trx) => {
    const existing = await trx.selectFrom('extensions').select('id').where('account_id', '=', actor.accountId).where('number', '=', input.number).executeTakeFirst();
    if (existing) throw new DomainError('conflict', { fieldErrors: { number: ['conflict'] } });
    const row: ExtensionTable = { id: randomUUID(), account_id: actor.accountId, number: input.number, user_id: null, created_at: now.toISOString() };
    await trx.insertInto('extensions').values(row).execute();
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'extension.created', targetType: 'extension', targetId: row.id, after: toExtension(row), at: now });
    return toExtension(row);
  });
}

/** `PUT /users/:id/extension` (R10): associates a free extension and emails the user. */
export async function assignExtension(ctx: PlatformContext, actor: Actor, userId: string, extensionId: string): Promise<User> {
  requirePermission(actor, 'canManageExtensions');
  const now = ctx.now();
  const { user } = await transact(ctx.db, async (trx) => {
    requireMayChangeUser(actor, await getUserRow(trx, actor.accountId, userId));
    const ext = await trx.selectFrom('extensions').selectAll().where('id', '=', extensionId).where('account_id', '=', actor.accountId).executeTakeFirst();
    if (!ext) throw new DomainError('not_found', { fieldErrors: { extensionId: ['not_found'] } });
    if (ext.user_id === userId) return { user: await loadUser(trx, actor.accountId, userId), changed: false };
    if (ext.user_id !== null) throw new DomainError('extension_taken', { fieldErrors: { extensionId: ['extension_taken'] } });
    const before = await loadUser(trx, actor.accountId, userId);
    await trx.updateTable('extensions').set({ user_id: null }).where('user_id', '=', userId).execute();
    await trx.updateTable('extensions').set({ user_id: userId }).where('id', '=', extensionId).execute();
    await bumpUser(trx, userId, now);
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'extension.associated', targetType: 'user', targetId: userId, before: before.extension, after: { id: ext.id, number: ext.number }, at: now });
    const after = await loadUser(trx, actor.accountId, userId);
    await ctx.mailer.queue(trx, { accountId: after.accountId, to: after.email, kind: 'extension_associated', ...extensionAssociatedMail({ name: after.name, number: ext.number }) });
    return { user: after, changed: true };
  });
  return user;
}

/** `DELETE /users/:id/extension` (R10): releases the user's extension. */
export async function releaseExtension(ctx: PlatformContext, actor: Actor, userId: string): Promise<User> {
  requirePermission(actor, 'canManageExtensions');
  const now = ctx.now();
  return transact(ctx.db, async (trx) => {
    const before = await loadUser(trx, actor.accountId, userId);
    requireMayChangeUser(actor, before);
    if (!before.extension) return before;
    await trx.updateTable('extensions').set({ user_id: null }).where('user_id', '=', userId).execute();
    await bumpUser(trx, userId, now);
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'extension.released', targetType: 'user', targetId: userId, before: before.extension, after: null, at: now });
    return loadUser(trx, actor.accountId, userId);
  });
}
