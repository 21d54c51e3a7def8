/**
 * Bearer sessions: opaque tokens, stored hashed, with an expiry. `createSession` is the one way to
 * open a session (password login here, Microsoft sign-in in auth/microsoft).
 */
import type { Db } from '../db/database';
import { DomainError } from '../domain/errors';
import { hashToken, newToken } from './tokens';

/** How long a session lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** How a session was opened. Issue 9 class 1: a support session only ever comes from `password`. */
export type SessionMethod = 'password' | 'microsoft';

/** Opens a session for a user acting in an account; returns the bearer token (shown once). */
export async function createSession(
  db: Db,
  input: { userId: string; accountId: string; method: SessionMethod },
  now: Date,
): Promise<{ token: string; expiresAt: string }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: input.userId, account_id: input.accountId, expires_at: expiresAt, created_at: now.toISOString(), method: input.method })
    .execute();
  return { token, expiresAt };
}

/** Finds the live session of a token: 401 `unauthorized` when unknown, `session_expired` when old. */
export async function findSession(db: Db, token: string, now: Date): Promise<{ userId: string; accountId: string; expiresAt: string; method: string }> {
  const row = await db.selectFrom('sessions').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
  if (!row) throw new DomainError('unauthorized');
  if (row.expires_at <= now.toISOString()) {
    await db.deleteFrom('sessions').where('token_hash', '=', row.token_hash).execute();
    throw new DomainError('session_expired');
  }
  return { userId: row.user_id, accountId: row.account_id, expiresAt: row.expires_at, method: row.method };
}

/** Ends a session (logout). */
export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Ends every session of a user (password changed, user deleted). */
export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Ends every session of a user but the one of `keepToken` (the user changed their own password there). */
export async function deleteOtherSessions(db: Db, userId: string, keepToken: string | undefined): Promise<void> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepToken) query = query.where('token_hash', '!=', hashToken(keepToken));
  await query.execute();
}
