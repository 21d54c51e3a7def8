/**
 * R5 reset tokens: 256 random bits, stored only as a SHA-256 hash, single use, expiring; a new
 * token invalidates the older ones of the same user.
 */
import type { User } from '../../src-shared/domain';
import type { Db } from '../db/database';
import { hashToken, newToken } from '../auth/tokens';
import { passwordResetMail } from '../mail/templates';
import type { PlatformContext } from './context';

/** How long a reset link works. */
export const RESET_TOKEN_TTL_MINUTES = 60;

/** Creates a reset token for a user (inside the caller's transaction) and voids older ones. */
export async function issueResetToken(db: Db, userId: string, now: Date): Promise<{ token: string; expiresAt: string }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MINUTES * 60_000).toISOString();
  await db.updateTable('reset_tokens').set({ used_at: now.toISOString() }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
  await db.insertInto('reset_tokens').values({ token_hash: hashToken(token), user_id: userId, expires_at: expiresAt, used_at: null, created_at: now.toISOString() }).execute();
  return { token, expiresAt };
}

/** The reset link of a token, from the configured public URL (never the request's Host header). */
export function resetLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/reset-password?token=${encodeURIComponent(token)}`;
}

/** Queues the reset link for the user's registered address (in `db`, the caller's transaction). */
export async function queueResetMail(ctx: PlatformContext, db: Db, user: Pick<User, 'accountId' | 'email' | 'name'>, token: string): Promise<void> {
  await ctx.mailer.queue(db, {
    accountId: user.accountId,
    to: user.email,
    kind: 'password_reset',
    ...passwordResetMail({ name: user.name, link: resetLink(ctx.publicUrl, token), expiresMinutes: RESET_TOKEN_TTL_MINUTES }),
  });
}

/** Consumes a token: the user id when it is known, unused and not expired; marks it used. */
export async function consumeResetToken(db: Db, token: string, now: Date): Promise<string | null> {
  const row = await db.selectFrom('reset_tokens').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= now.toISOString()) return null;
  const updated = await db
    .updateTable('reset_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', row.token_hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1 ? row.user_id : null;
}

/** Whether a token would be accepted now (the reset page checks before showing the form). */
export async function isResetTokenUsable(db: Db, token: string, now: Date): Promise<boolean> {
  const row = await db.selectFrom('reset_tokens').select(['used_at', 'expires_at']).where('token_hash', '=', hashToken(token)).executeTakeFirst();
  return !!row && row.used_at === null && row.expires_at > now.toISOString();
}
