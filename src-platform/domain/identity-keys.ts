/**
 * Issue 9 class 10: logins and emails are unique in their account without regard to case or
 * Unicode form. Every row written to `users` carries their keys (`identityKey` of src-shared), and
 * unique indexes on (account, key) back the checks below (migration 0022).
 */
import { identityKey } from '../../src-shared/text';
import type { Db } from '../db/database';
import { DomainError } from './errors';
import { OPERATOR_ACCOUNT_ID } from './operator-scope';

/** The key columns of a user row. */
export function identityColumns(login: string, email: string): { login_key: string; email_key: string } {
  return { login_key: identityKey(login), email_key: identityKey(email) };
}

/**
 * A login is unique in its account; support logins (operator scope) are reserved in every account,
 * since password sign-in matches them first (issue 9 class 1). Compared by key, so `Maria`,
 * `MARIA` and the full-width `ｍａｒｉａ` are one login.
 */
export async function checkLoginFree(db: Db, accountId: string, login: string, exceptUserId?: string): Promise<void> {
  let query = db.selectFrom('users').select('id').where('login_key', '=', identityKey(login));
  // A new support login must not equal a login of any account.
  if (accountId !== OPERATOR_ACCOUNT_ID) query = query.where('account_id', 'in', [accountId, OPERATOR_ACCOUNT_ID]);
  if (exceptUserId) query = query.where('id', '!=', exceptUserId);
  if (await query.executeTakeFirst()) throw new DomainError('login_taken', { fieldErrors: { login: ['login_taken'] } });
}

/** An email is unique in its account, by key (case and Unicode form aside). */
export async function checkEmailFree(db: Db, accountId: string, email: string, exceptUserId?: string): Promise<void> {
  let query = db.selectFrom('users').select('id').where('account_id', '=', accountId).where('email_key', '=', identityKey(email));
  if (exceptUserId) query = query.where('id', '!=', exceptUserId);
  if (await query.executeTakeFirst()) throw new DomainError('email_taken', { fieldErrors: { email: ['email_taken'] } });
}

/**
 * The unique indexes are the last word when two writes race (PostgreSQL, several instances): their
 * violation is the same refusal as the checks above, never a 500.
 */
export function identityConflictOf(error: unknown): DomainError | null {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return null;
  const unique = e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE';
  if (!unique) return null;
  const where = `${String(e.constraint ?? '')} ${String(e.message ?? '')}`;
  if (/login/.test(where)) return new DomainError('login_taken', { fieldErrors: { login: ['login_taken'] } });
  if (/email/.test(where)) return new DomainError('email_taken', { fieldErrors: { email: ['email_taken'] } });
  return null;
}
