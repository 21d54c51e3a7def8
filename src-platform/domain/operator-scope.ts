/**
 * Issue 9 class 1 (R2): support is the vendor's staff, not a member of a customer account. Support
 * identities live in the platform's operator scope (an account row of kind `operator`, created by
 * migration 0005), sign in only with the platform's own password, and act in any account they
 * choose at sign-in. Customer accounts never hold a support user, and no customer's identity
 * provider is ever matched against the operator scope.
 */
import { profileFitsAccount, type Profile } from '../../src-shared/domain';
import type { Kysely } from 'kysely';
import type { AccountTable, Database, UserTable } from '../db/schema';
import { DomainError } from './errors';

/** Id of the operator scope's account row (fixed: migration 0005 creates it). */
export const OPERATOR_ACCOUNT_ID = 'operator';
/** Its slug: support signs into it to manage support staff. */
export const OPERATOR_ACCOUNT_SLUG = 'operator';
/** Its display name. */
export const OPERATOR_ACCOUNT_NAME = 'Omniconsole — operador da plataforma';

/** Whether an account row is the operator scope. */
export function isOperatorAccount(account: Pick<AccountTable, 'id' | 'kind'>): boolean {
  return account.kind === 'operator' && account.id === OPERATOR_ACCOUNT_ID;
}

/** Whether a user row is vendor support: in the operator scope, with the support profile. */
export function isOperatorUser(user: Pick<UserTable, 'account_id' | 'profile'>): boolean {
  return user.account_id === OPERATOR_ACCOUNT_ID && user.profile === 'support';
}

/**
 * The user a password sign-in (or a forgot-password request) names: a support login of the
 * operator scope first (support signs into any account with it, and no customer can shadow it),
 * else the login in the account itself. `operator` says which one matched.
 */
export async function findSignInUser(
  db: Kysely<Database>,
  account: AccountTable,
  login: string,
): Promise<{ user: UserTable; operator: boolean } | undefined> {
  const support = await db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', OPERATOR_ACCOUNT_ID)
    .where('profile', '=', 'support')
    .where('login', '=', login)
    .executeTakeFirst();
  if (support) return { user: support, operator: true };
  if (isOperatorAccount(account)) return undefined;
  const user = await db.selectFrom('users').selectAll().where('account_id', '=', account.id).where('login', '=', login).where('profile', '!=', 'support').executeTakeFirst();
  return user ? { user, operator: false } : undefined;
}

/**
 * R2: the support profile exists only in the operator scope, and the operator scope holds only
 * support users. Refuses (403, field error on `profile`) a profile that does not fit the account.
 */
export function checkProfileFitsScope(account: Pick<AccountTable, 'id' | 'kind'>, profile: Profile): void {
  if (!profileFitsAccount(profile, { kind: isOperatorAccount(account) ? 'operator' : 'customer' })) {
    throw new DomainError('support_operator_scope', { fieldErrors: { profile: ['support_operator_scope'] } });
  }
}
