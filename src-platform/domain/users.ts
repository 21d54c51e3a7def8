/**
 * Users (R1) and the rules on editing them: R2 scoping, R3 WebRTC before omnichannel, R4 queue
 * logout with confirmation, R6 support-only omnichannel creation with a free extension and emails,
 * optimistic concurrency (version / ETag), tombstones for delta sync (C2).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { MailKind, QueueKind, QueueSession, User } from '../../src-shared/domain';
import { omnichannelCreationRule, queueEligibilityRule, webrtcRule } from '../../src-shared/rules';
import { ifMatchAccepts, type CreateUserResponse, type ListUsersResponse, type UpdateUserRequest, type UpdateUserResponse } from '../../src-shared/platform-api';
import { nextChangeSeq, transact, type Db } from '../db/database';
import { containsText, isPostgres } from '../db/dialect';
import type { UserTable } from '../db/schema';
import { deleteUserSessions } from '../auth/sessions';
import { extensionAssociatedMail } from '../mail/templates';
import { getAccount, isSelfManaged } from './accounts';
import { requireMayChangeUser, requireMayGiveProfile, requirePermission, type Actor } from './actor';
import { writeAudit } from './audit';
import type { PlatformContext } from './context';
import { DomainError } from './errors';
import { checkEmailFree, checkLoginFree, identityConflictOf } from './identity-keys';
import { checkProfileFitsScope } from './operator-scope';
import { issueResetToken, queueResetMail } from './reset-tokens';
import { queueMembersChanged } from './queue-counts';
import { bumpUser, newUserRow, searchText, userFieldColumns } from './user-changes';

/** Turns user rows into API users, loading their extensions, queue links and account flags. */
export async function hydrateUsers(db: Db, rows: UserTable[]): Promise<User[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const accountIds = [...new Set(rows.map((r) => r.account_id))];
  const extensions = new Map<string, { id: string; number: string }>();
  const voice = new Map<string, string[]>();
  const chat = new Map<string, string[]>();
  const selfManaged = new Map<string, boolean>();
  // SQLite limits bound parameters; chunk big lists.
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const exts = await db.selectFrom('extensions').select(['id', 'number', 'user_id']).where('user_id', 'in', chunk).execute();
    for (const e of exts) if (e.user_id) extensions.set(e.user_id, { id: e.id, number: e.number });
    const links = await db
      .selectFrom('queue_members')
      .innerJoin('queues', 'queues.id', 'queue_members.queue_id')
      .select(['queue_members.user_id', 'queues.id', 'queues.kind'])
      .where('queue_members.user_id', 'in', chunk)
      .orderBy('queues.name')
      .execute();
    for (const l of links) {
      const map = l.kind === 'voice' ? voice : chat;
      map.set(l.user_id, [...(map.get(l.user_id) ?? []), l.id]);
    }
  }
  const accounts = await db.selectFrom('accounts').select(['id', 'idp_enabled']).where('id', 'in', accountIds).execute();
  for (const a of accounts) selfManaged.set(a.id, isSelfManaged(a));
  return rows.map((r) => toUser(r, extensions.get(r.id) ?? null, voice.get(r.id) ?? [], chat.get(r.id) ?? [], selfManaged.get(r.account_id) ?? false));
}

function toUser(r: UserTable, extension: { id: string; number: string } | null, voiceQueueIds: string[], chatQueueIds: string[], selfManaged: boolean): User {
  return {
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    email: r.email,
    login: r.login,
    profile: r.profile as User['profile'],
    active: r.active === 1,
    webrtcEnabled: r.webrtc_enabled === 1,
    omnichannelEnabled: r.omnichannel_enabled === 1,
    passwordSet: r.password_hash !== null,
    mustChangePassword: r.must_change_password === 1,
    selfManaged,
    extension,
    voiceQueueIds,
    chatQueueIds,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * A user row of the actor's account; 404 for unknown ids and for users of other accounts (R2).
 * Inside a transaction on PostgreSQL the row is locked until commit (`for update`), so two writes
 * to one user run one after the other, as they do on SQLite: an If-Match check cannot pass twice.
 */
export async function getUserRow(db: Db, accountId: string, userId: string): Promise<UserTable> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', userId)
    .where('account_id', '=', accountId)
    .$if(db.isTransaction && isPostgres(db), (q) => q.forUpdate())
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found');
  return row;
}

/** One user as the API shows it. */
export async function loadUser(db: Db, accountId: string, userId: string): Promise<User> {
  const [user] = await hydrateUsers(db, [await getUserRow(db, accountId, userId)]);
  if (!user) throw new DomainError('not_found');
  return user;
}

/** `GET /users/:id` (R2: console profiles, own account). */
export async function getUser(ctx: PlatformContext, actor: Actor, userId: string): Promise<User> {
  requirePermission(actor, 'canReview');
  return loadUser(ctx.db, actor.accountId, userId);
}

/**
 * `GET /users` (C2): changes of the account in sequence order. Without `since`, every user; with
 * `since`, only users changed after it plus the ids of users deleted after it.
 */
export async function listUsers(
  ctx: PlatformContext,
  actor: Actor,
  query: { since?: string | undefined; limit: number; q?: string | undefined; withTotal?: 'true' | 'false' | undefined },
): Promise<ListUsersResponse> {
  requirePermission(actor, 'canReview');
  const since = query.since === undefined ? 0 : Number(query.since);
  let users = ctx.db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', actor.accountId)
    .where('change_seq', '>', since)
    .orderBy('change_seq')
    .limit(query.limit + 1);
  const q = query.q?.trim();
  // instr/strpos, not LIKE: no wildcard characters to escape in what the user typed.
  if (q) users = users.where(containsText(ctx.db, sql.ref('search_text'), searchText(q)));
  const userRows = await users.execute();
  const tombstones =
    query.since === undefined
      ? []
      : await ctx.db
          .selectFrom('tombstones')
          .select(['user_id', 'change_seq'])
          .where('account_id', '=', actor.accountId)
          .where('change_seq', '>', since)
          .orderBy('change_seq')
          .limit(query.limit + 1)
          .execute();
  type Change = { seq: number; row?: UserTable; deletedId?: string };
  const changes: Change[] = [
    ...userRows.map((row) => ({ seq: row.change_seq, row })),
    ...tombstones.map((t) => ({ seq: t.change_seq, deletedId: t.user_id })),
  ].sort((a, b) => a.seq - b.seq);
  const page = changes.slice(0, query.limit);
  const items = await hydrateUsers(
    ctx.db,
    page.flatMap((c) => (c.row ? [c.row] : [])),
  );
  const last = page[page.length - 1];
  const hasMore = changes.length > query.limit;
  // A listing that ends on this page goes through this page's changes (each query above read all of
  // its own): counted only when more pages follow, which spares a delta sync of one page two counts.
  let total: number | undefined;
  if (query.withTotal === 'true') total = hasMore ? await countChanges(ctx, actor.accountId, since, q, query.since !== undefined) : page.length;
  return {
    items,
    deletedIds: page.flatMap((c) => (c.deletedId ? [c.deletedId] : [])),
    cursor: String(last ? last.seq : since),
    hasMore,
    ...(total !== undefined ? { total } : {}),
  };
}

/** How many changes a listing from `since` goes through (for a sync's progress). */
async function countChanges(ctx: PlatformContext, accountId: string, since: number, q: string | undefined, withTombstones: boolean): Promise<number> {
  let users = ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).where('change_seq', '>', since);
  if (q) users = users.where(containsText(ctx.db, sql.ref('search_text'), searchText(q)));
  const userCount = Number((await users.executeTakeFirstOrThrow()).n);
  if (!withTombstones) return userCount;
  const gone = await ctx.db
    .selectFrom('tombstones')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('change_seq', '>', since)
    .executeTakeFirstOrThrow();
  return userCount + Number(gone.n);
}

function checkWebrtc(state: { webrtcEnabled: boolean; omnichannelEnabled: boolean }): void {
  const r3 = webrtcRule(state);
  if (r3) throw new DomainError(r3, { fieldErrors: { omnichannelEnabled: [r3] } });
}

/** A unique-index violation of a login or email key is the same 409 as the checks (a race). */
function rethrowIdentityConflict(error: unknown): never {
  throw identityConflictOf(error) ?? error;
}

/** Input of `createUser` (already parsed by CreateUserRequestSchema). */
export interface CreateUserInput {
  name: string;
  email: string;
  login: string;
  profile: User['profile'];
  active: boolean;
  webrtcEnabled: boolean;
  omnichannelEnabled: boolean;
  /** Issue 11: an extension to associate in the same step (R10). */
  extensionId?: string | undefined;
  /** Issue 11: queues to join in the same step (R8). */
  queueIds?: string[] | undefined;
}

/**
 * `POST /users`. R6: omnichannel on creation is support-only; the new user gets the reset link by
 * email and, with omnichannel, a free extension of the account and the extension notice.
 */
export async function createUser(ctx: PlatformContext, actor: Actor, input: CreateUserInput): Promise<CreateUserResponse> {
  requirePermission(actor, 'canEditUsers');
  requireMayGiveProfile(actor, input.profile);
  checkProfileFitsScope(await getAccount(ctx.db, actor.accountId), input.profile);
  const r6 = omnichannelCreationRule(actor.profile, input.omnichannelEnabled);
  if (r6) throw new DomainError(r6, { fieldErrors: { omnichannelEnabled: [r6] } });
  checkWebrtc(input);
  // Issue 11: the extension and queues chosen in the form need the permissions of their own routes (R2).
  if (input.extensionId !== undefined) requirePermission(actor, 'canManageExtensions');
  const queueIds = [...new Set(input.queueIds ?? [])];
  if (queueIds.length > 0) requirePermission(actor, 'canManageQueues');
  const now = ctx.now();
  const result = await transact(ctx.db, async (trx) => {
    await checkLoginFree(trx, actor.accountId, input.login);
    await checkEmailFree(trx, actor.accountId, input.email);
    const account = await trx.selectFrom('accounts').selectAll().where('id', '=', actor.accountId).executeTakeFirstOrThrow();
    const id = randomUUID();
    const seq = await nextChangeSeq(trx);
    await trx
      .insertInto('users')
      .values(newUserRow({ ...input, id, accountId: actor.accountId, changeSeq: seq, at: now.toISOString() }))
      .execute();
    let extension: { id: string; number: string } | null = null;
    if (input.extensionId !== undefined) {
      // R10: the extension chosen in the form, if it is the account's and free.
      const chosen = await trx.selectFrom('extensions').select(['id', 'number', 'user_id']).where('id', '=', input.extensionId).where('account_id', '=', actor.accountId).executeTakeFirst();
      if (!chosen) throw new DomainError('not_found', { fieldErrors: { extensionId: ['not_found'] } });
      if (chosen.user_id !== null) throw new DomainError('extension_taken', { fieldErrors: { extensionId: ['extension_taken'] } });
      await trx.updateTable('extensions').set({ user_id: id }).where('id', '=', chosen.id).execute();
      extension = { id: chosen.id, number: chosen.number };
    } else if (input.omnichannelEnabled) {
      // R6: associate a free extension of the account.
      const free = await trx
        .selectFrom('extensions')
        .select(['id', 'number'])
        .where('account_id', '=', actor.accountId)
        .where('user_id', 'is', null)
        .orderBy('number')
        .executeTakeFirst();
      if (!free) throw new DomainError('no_free_extension');
      await trx.updateTable('extensions').set({ user_id: id }).where('id', '=', free.id).execute();
      extension = free;
    }
    // R8 per queue, on the user as created (with its extension and omnichannel option); any refusal
    // rolls the whole creation back, so nothing is left half-created.
    const joined = await joinQueuesOnCreation(trx, actor.accountId, { omnichannelEnabled: input.omnichannelEnabled, extension }, id, queueIds, now);
    const user = await loadUser(trx, actor.accountId, id);
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'user.created', targetType: 'user', targetId: id, after: user, at: now });
    if (extension) {
      await writeAudit(trx, { accountId: actor.accountId, actor, action: 'extension.associated', targetType: 'user', targetId: id, after: extension, at: now });
    }
    for (const queue of joined) {
      await writeAudit(trx, { accountId: actor.accountId, actor, action: 'queue.member_added', targetType: 'user', targetId: id, after: { queueId: queue.id, queueName: queue.name }, at: now });
    }
    // R11: a self-managed account's users sign in with Microsoft; they get no password link.
    // The emails are queued with the user (issue 9 class 6): the outbox worker sends them.
    const emailsSent: { kind: MailKind; to: string }[] = [];
    if (!isSelfManaged(account)) {
      const reset = await issueResetToken(trx, id, now);
      await queueResetMail(ctx, trx, user, reset.token);
      emailsSent.push({ kind: 'password_reset', to: user.email });
    }
    if (extension) {
      await ctx.mailer.queue(trx, { accountId: actor.accountId, to: user.email, kind: 'extension_associated', ...extensionAssociatedMail({ name: user.name, number: extension.number }) });
      emailsSent.push({ kind: 'extension_associated', to: user.email });
    }
    return { user, extension, emailsSent };
  }).catch(rethrowIdentityConflict);
  return { user: result.user, emailsSent: result.emailsSent, extension: result.extension };
}

/**
 * Links a user being created to `queueIds` (issue 11), checking R8 for each against the state it
 * is created with: 404 (field `queueIds`) for a queue not of the account, 422 when the user may
 * not join it. Bumps each queue's version as `addQueueMember` does; the user keeps version 1.
 */
async function joinQueuesOnCreation(
  trx: Db,
  accountId: string,
  state: { omnichannelEnabled: boolean; extension: { id: string; number: string } | null },
  userId: string,
  queueIds: string[],
  now: Date,
): Promise<{ id: string; name: string }[]> {
  if (queueIds.length === 0) return [];
  const queues = await trx.selectFrom('queues').select(['id', 'name', 'kind']).where('account_id', '=', accountId).where('id', 'in', queueIds).execute();
  if (queues.length !== queueIds.length) throw new DomainError('not_found', { fieldErrors: { queueIds: ['not_found'] } });
  for (const queue of queues) {
    const r8 = queueEligibilityRule(state, queue.kind as QueueKind);
    if (r8) throw new DomainError(r8, { fieldErrors: { queueIds: [r8] }, details: { queueId: queue.id, queueName: queue.name } });
  }
  const at = now.toISOString();
  await trx.insertInto('queue_members').values(queues.map((q) => ({ queue_id: q.id, user_id: userId, created_at: at }))).execute();
  await queueMembersChanged(trx, queues.map((q) => q.id), 1, now);
  return [...queues].sort((a, b) => a.name.localeCompare(b.name));
}

/** The active queue sessions of a user (R4). */
export async function listQueueSessions(db: Db, userId: string): Promise<QueueSession[]> {
  const rows = await db
    .selectFrom('queue_sessions')
    .innerJoin('queues', 'queues.id', 'queue_sessions.queue_id')
    .select(['queue_sessions.queue_id', 'queues.name', 'queues.kind', 'queue_sessions.user_id', 'queue_sessions.started_at'])
    .where('queue_sessions.user_id', '=', userId)
    .orderBy('queues.name')
    .execute();
  return rows.map((r) => ({ queueId: r.queue_id, queueName: r.name, kind: r.kind as QueueSession['kind'], userId: r.user_id, startedAt: r.started_at }));
}

/** `GET /users/:id/queue-sessions`. */
export async function getQueueSessions(ctx: PlatformContext, actor: Actor, userId: string): Promise<QueueSession[]> {
  requirePermission(actor, 'canReview');
  await getUserRow(ctx.db, actor.accountId, userId);
  return listQueueSessions(ctx.db, userId);
}

/**
 * `PATCH /users/:id`. Requires the current ETag (412 otherwise, with the current user). R3 checked
 * on the result. R4: when the user is logged into queues, the edit needs `confirmQueueLogout`
 * (409 with the sessions otherwise); a confirmed edit ends every session and says which queues.
 */
export async function updateUser(ctx: PlatformContext, actor: Actor, userId: string, ifMatch: string, body: UpdateUserRequest): Promise<UpdateUserResponse> {
  requirePermission(actor, 'canEditUsers');
  const now = ctx.now();
  return transact(ctx.db, async (trx) => {
    const row = await getUserRow(trx, actor.accountId, userId);
    const before = (await hydrateUsers(trx, [row]))[0] as User;
    requireMayChangeUser(actor, row);
    requireMayGiveProfile(actor, body.profile);
    if (body.profile !== undefined) checkProfileFitsScope(await getAccount(trx, actor.accountId), body.profile);
    if (!ifMatchAccepts(ifMatch, before)) throw new DomainError('stale_version', { details: { current: before } });
    const next = {
      name: body.name ?? before.name,
      email: body.email ?? before.email,
      login: body.login ?? before.login,
      profile: body.profile ?? before.profile,
      active: body.active ?? before.active,
      webrtcEnabled: body.webrtcEnabled ?? before.webrtcEnabled,
      omnichannelEnabled: body.omnichannelEnabled ?? before.omnichannelEnabled,
    };
    checkWebrtc(next);
    if (next.login !== before.login) await checkLoginFree(trx, actor.accountId, next.login, userId);
    if (next.email !== before.email) await checkEmailFree(trx, actor.accountId, next.email, userId);
    const sessions = await listQueueSessions(trx, userId);
    // R4: the platform never logs agents out of queues unconfirmed.
    if (sessions.length > 0 && body.confirmQueueLogout !== true) {
      throw new DomainError('queue_logout_confirmation_required', { details: { sessions } });
    }
    await trx
      .updateTable('users')
      .set(userFieldColumns(next))
      .where('id', '=', userId)
      .execute();
    await trx.deleteFrom('queue_sessions').where('user_id', '=', userId).execute();
    await bumpUser(trx, userId, now);
    const user = await loadUser(trx, actor.accountId, userId);
    const loggedOutQueues = sessions.map((s) => ({ queueId: s.queueId, queueName: s.queueName, kind: s.kind }));
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'user.updated', targetType: 'user', targetId: userId, before, after: user, at: now });
    if (loggedOutQueues.length > 0) {
      await writeAudit(trx, { accountId: actor.accountId, actor, action: 'user.queue_logout', targetType: 'user', targetId: userId, before: sessions, after: null, at: now });
    }
    return { user, loggedOutQueues };
  }).catch(rethrowIdentityConflict);
}

/** `DELETE /users/:id` (administrator, support): removes the user and leaves a tombstone (C2). */
export async function deleteUser(ctx: PlatformContext, actor: Actor, userId: string): Promise<void> {
  requirePermission(actor, 'canEditUsers');
  if (userId === actor.userId) throw new DomainError('forbidden', { details: { reason: 'cannot_delete_self' } });
  const now = ctx.now();
  await transact(ctx.db, async (trx) => {
    const row = await getUserRow(trx, actor.accountId, userId);
    requireMayChangeUser(actor, row);
    const before = (await hydrateUsers(trx, [row]))[0];
    const queueIds = await trx.selectFrom('queue_members').select('queue_id').where('user_id', '=', userId).execute();
    await queueMembersChanged(trx, queueIds.map((q) => q.queue_id), -1, now);
    await trx.deleteFrom('queue_members').where('user_id', '=', userId).execute();
    await trx.deleteFrom('queue_sessions').where('user_id', '=', userId).execute();
    await trx.updateTable('extensions').set({ user_id: null }).where('user_id', '=', userId).execute();
    await trx.deleteFrom('reset_tokens').where('user_id', '=', userId).execute();
    await deleteUserSessions(trx, userId);
    await trx.deleteFrom('users').where('id', '=', userId).execute();
    const seq = await nextChangeSeq(trx);
    // A support user moved to the operator scope (migration 0005) already left a tombstone behind.
    await trx
      .insertInto('tombstones')
      .values({ user_id: userId, account_id: actor.accountId, change_seq: seq, deleted_at: now.toISOString() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ account_id: actor.accountId, change_seq: seq, deleted_at: now.toISOString() }))
      .execute();
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'user.deleted', targetType: 'user', targetId: userId, before, after: null, at: now });
  });
}
