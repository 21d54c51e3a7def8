/**
 * Password paths: R5 reset by email (admin action and public forgot-password), the reset link,
 * R9 administrator-set temporary password, the user's own change, and R11 (self-managed accounts
 * answer every reset/set path with the exact message and change nothing).
 */
import { checkPasswordPolicy } from '../../src-shared/password-policy';
import type { User } from '../../src-shared/domain';
import { transact, type Db } from '../db/database';
import type { AccountTable } from '../db/schema';
import type { LoginLimits } from '../auth/login';
import { deleteOtherSessions, deleteUserSessions } from '../auth/sessions';
import { hashToken } from '../auth/tokens';
import { passwordChangedMail } from '../mail/templates';
import { getAccount, findAccountBySlug, isSelfManaged } from './accounts';
import { requireMayChangeUser, requirePermission, type Actor } from './actor';
import { writeAudit } from './audit';
import type { PlatformContext } from './context';
import { DomainError } from './errors';
import { findSignInUser } from './operator-scope';
import { consumeResetToken, isResetTokenUsable, issueResetToken, queueResetMail } from './reset-tokens';
import { bumpUser } from './user-changes';
import { getUserRow, loadUser } from './users';

/** R11: refuses (422, exact message) when the user's account is self-managed. */
async function refuseSelfManaged(db: Db, accountId: string): Promise<void> {
  if (isSelfManaged(await getAccount(db, accountId))) throw new DomainError('self_managed_account');
}

/**
 * The password policy (src-shared, issue 9 class 7) for a user: not guessable from their login,
 * name, email, account or the product. 422 `password_policy` naming each problem.
 */
async function checkPolicy(db: Db, password: string, user: { login: string; name: string; email: string; account_id: string }, field: string): Promise<void> {
  const account = await getAccount(db, user.account_id);
  const problems = await checkPasswordPolicy(password, { login: user.login, name: user.name, email: user.email, account: account.slug, accountName: account.name });
  if (problems.length > 0) throw new DomainError('password_policy', { fieldErrors: { [field]: problems } });
}

async function checkNewPassword(db: Db, password: string, confirmation: string, user: { login: string; name: string; email: string; account_id: string }): Promise<void> {
  await checkPolicy(db, password, user, 'password');
  if (password !== confirmation) throw new DomainError('password_mismatch', { fieldErrors: { passwordConfirmation: ['password_mismatch'] } });
}

/** `POST /users/:id/password-reset` (R5, Actions > Redefinir senha): emails a reset link. */
export async function requestPasswordReset(ctx: PlatformContext, actor: Actor, userId: string): Promise<{ sentTo: string; expiresAt: string }> {
  requirePermission(actor, 'canResetPasswords');
  const now = ctx.now();
  const { user, reset } = await transact(ctx.db, async (trx) => {
    const user = await loadUser(trx, actor.accountId, userId);
    requireMayChangeUser(actor, user);
    await refuseSelfManaged(trx, actor.accountId);
    const reset = await issueResetToken(trx, userId, now);
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'user.password_reset_requested', targetType: 'user', targetId: userId, after: { sentTo: user.email, expiresAt: reset.expiresAt }, at: now });
    await queueResetMail(ctx, trx, user, reset.token);
    return { user, reset };
  });
  return { sentTo: user.email, expiresAt: reset.expiresAt };
}

/**
 * `POST /auth/forgot-password` (public). Answers the same, in the same time, whether or not the
 * login exists (no enumeration): only the account is looked at before answering (R11: a
 * self-managed account answers 422 with the exact message); the login is looked up, and its reset
 * link queued, by `later` after the answer (issue 9 class 6).
 */
export async function forgotPassword(ctx: PlatformContext, input: { account: string; login: string }, later: (task: () => Promise<void>) => void): Promise<void> {
  const account = await findAccountBySlug(ctx.db, input.account);
  if (!account) return;
  if (isSelfManaged(account)) throw new DomainError('self_managed_account');
  later(() => queueForgotPasswordMail(ctx, account, input.login));
}

async function queueForgotPasswordMail(ctx: PlatformContext, account: AccountTable, login: string): Promise<void> {
  const now = ctx.now();
  // The same user a password sign-in with this account and login would reach (support first).
  const row = (await findSignInUser(ctx.db, account, login))?.user;
  if (!row || row.active !== 1) return;
  await transact(ctx.db, async (trx) => {
    const reset = await issueResetToken(trx, row.id, now);
    await writeAudit(trx, { accountId: row.account_id, actor: null, action: 'user.password_reset_requested', targetType: 'user', targetId: row.id, after: { sentTo: row.email, self: true }, at: now });
    await queueResetMail(ctx, trx, { accountId: row.account_id, email: row.email, name: row.name }, reset.token);
  });
}

/**
 * `POST /auth/reset-password` and the reset page (R5): sets the password with a token from the
 * email, then emails the confirmation. The token is consumed only when the password is accepted.
 */
export async function resetPasswordWithToken(ctx: PlatformContext, input: { token: string; password: string; passwordConfirmation: string }): Promise<User> {
  const now = ctx.now();
  const target = async (db: Db) => {
    if (!(await isResetTokenUsable(db, input.token, now))) throw new DomainError('reset_token_invalid');
    const tokenRow = await db.selectFrom('reset_tokens').select('user_id').where('token_hash', '=', hashToken(input.token)).executeTakeFirstOrThrow();
    const row = await db.selectFrom('users').selectAll().where('id', '=', tokenRow.user_id).executeTakeFirst();
    if (!row) throw new DomainError('reset_token_invalid');
    await refuseSelfManaged(db, row.account_id);
    return row;
  };
  await checkNewPassword(ctx.db, input.password, input.passwordConfirmation, await target(ctx.db));
  // Hash outside the transaction: argon2 is slow on purpose and must not hold the database.
  const hash = await ctx.passwords.hash(input.password);
  const user = await transact(ctx.db, async (trx) => {
    const row = await target(trx);
    const userId = await consumeResetToken(trx, input.token, now);
    if (userId !== row.id) throw new DomainError('reset_token_invalid');
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0 }).where('id', '=', row.id).execute();
    await bumpUser(trx, row.id, now);
    await deleteUserSessions(trx, row.id);
    await writeAudit(trx, { accountId: row.account_id, actor: null, action: 'user.password_set_by_reset_link', targetType: 'user', targetId: row.id, at: now });
    const changed = await loadUser(trx, row.account_id, row.id);
    await ctx.mailer.queue(trx, { accountId: changed.accountId, to: changed.email, kind: 'password_changed', ...passwordChangedMail({ name: changed.name, byAdministrator: false }) });
    return changed;
  });
  return user;
}

/**
 * `PUT /users/:id/password` (R9): the administrator sets a temporary password (policy checked,
 * argon2id hash stored, must be changed at next login), the user is emailed, the change audited.
 */
export async function setPasswordByAdministrator(
  ctx: PlatformContext,
  actor: Actor,
  userId: string,
  input: { password: string; passwordConfirmation: string },
): Promise<User> {
  requirePermission(actor, 'canResetPasswords');
  const now = ctx.now();
  const check = async (db: Db) => {
    const row = await getUserRow(db, actor.accountId, userId);
    requireMayChangeUser(actor, row);
    await refuseSelfManaged(db, actor.accountId);
    return row;
  };
  await checkNewPassword(ctx.db, input.password, input.passwordConfirmation, await check(ctx.db));
  // Hash outside the transaction: argon2 is slow on purpose and must not hold the database.
  const hash = await ctx.passwords.hash(input.password);
  const user = await transact(ctx.db, async (trx) => {
    await check(trx);
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 1 }).where('id', '=', userId).execute();
    await bumpUser(trx, userId, now);
    if (userId !== actor.userId) await deleteUserSessions(trx, userId);
    // The audit never holds the password or its hash.
    await writeAudit(trx, { accountId: actor.accountId, actor, action: 'user.password_set_by_administrator', targetType: 'user', targetId: userId, after: { temporary: true }, at: now });
    const changed = await loadUser(trx, actor.accountId, userId);
    await ctx.mailer.queue(trx, { accountId: changed.accountId, to: changed.email, kind: 'password_changed', ...passwordChangedMail({ name: changed.name, byAdministrator: true }) });
    return changed;
  });
  return user;
}

/**
 * `POST /auth/change-password`: the signed-in user replaces their password (ends R9's temporary
 * one). Issue 9 class 8: wrong current passwords count like failed logins (per user and per IP,
 * 429 past the limit), and every other session of the user ends; the one that changed it stays.
 */
export async function changeOwnPassword(
  ctx: PlatformContext,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  guard: { limits: LoginLimits; ip: string; sessionToken: string | undefined },
): Promise<User> {
  const now = ctx.now();
  const { limits, ip } = guard;
  const wait = Math.max(await limits.currentPasswordPerUser.retryAfterSeconds(actor.userId), await limits.perIp.retryAfterSeconds(ip));
  if (wait > 0) throw new DomainError('rate_limited', { headers: { 'retry-after': String(wait) }, details: { retryAfterSeconds: wait } });
  const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', actor.userId).executeTakeFirstOrThrow();
  await refuseSelfManaged(ctx.db, row.account_id);
  if (!row.password_hash || !(await ctx.passwords.verify(row.password_hash, input.currentPassword))) {
    await limits.currentPasswordPerUser.fail(actor.userId);
    await limits.perIp.fail(ip);
    throw new DomainError('invalid_credentials', { fieldErrors: { currentPassword: ['invalid_credentials'] } });
  }
  await limits.currentPasswordPerUser.reset(actor.userId);
  await checkPolicy(ctx.db, input.newPassword, row, 'newPassword');
  if (input.newPassword === input.currentPassword) throw new DomainError('password_policy', { fieldErrors: { newPassword: ['same_as_current'] } });
  const hash = await ctx.passwords.hash(input.newPassword);
  const user = await transact(ctx.db, async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: 0 }).where('id', '=', row.id).execute();
    await bumpUser(trx, row.id, now);
    await deleteOtherSessions(trx, row.id, guard.sessionToken);
    await writeAudit(trx, { accountId: row.account_id, actor, action: 'user.password_changed', targetType: 'user', targetId: row.id, at: now });
    const changed = await loadUser(trx, row.account_id, row.id);
    await ctx.mailer.queue(trx, { accountId: changed.accountId, to: changed.email, kind: 'password_changed', ...passwordChangedMail({ name: changed.name, byAdministrator: false }) });
    return changed;
  });
  return user;
}
