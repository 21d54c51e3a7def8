/**
 * Password login (R2, R9, R11) and resolving a bearer token into an actor. Generic errors: an
 * unknown account, login or wrong password all answer `invalid_credentials`.
 */
import type { SessionResponse } from '../../src-shared/platform-api';
import type { Profile } from '../../src-shared/domain';
import type { UserTable } from '../db/schema';
import { findAccountBySlug, getAccount, isSelfManaged, toAccount } from '../domain/accounts';
import type { Actor } from '../domain/actor';
import type { PlatformContext } from '../domain/context';
import { DomainError } from '../domain/errors';
import { findSignInUser, isOperatorUser } from '../domain/operator-scope';
import { loadUser } from '../domain/users';
import { DUMMY_HASH_PASSWORD } from './password-hasher';
import type { Db } from '../db/database';
import { FailureLimiter } from './rate-limiter';
import { createSession, findSession } from './sessions';

/** Per-login and per-IP limits on failed logins. */
export interface LoginLimits {
  perLogin: FailureLimiter;
  perIp: FailureLimiter;
  /** Forgot-password emails per login (beyond it: answered the same, nothing sent). */
  resetMailPerLogin: FailureLimiter;
  /** Forgot-password requests per IP (beyond it: 429). */
  resetMailPerIp: FailureLimiter;
  /** Wrong current passwords in change-password, per user (issue 9 class 8; per IP: `perIp`). */
  currentPasswordPerUser: FailureLimiter;
}

/**
 * In 15 minutes: 10 failed logins per login, 100 per IP; 5 reset emails per login, 30 requests per
 * IP; 10 wrong current passwords per user (change-password), counted in the per-IP failures too.
 * Counted in the database, so every platform instance on it enforces the same limits.
 */
export function createLoginLimits(db: Db, now: () => Date): LoginLimits {
  const window = 15 * 60_000;
  return {
    perLogin: new FailureLimiter(db, 'login', 10, window, now),
    perIp: new FailureLimiter(db, 'login-ip', 100, window, now),
    resetMailPerLogin: new FailureLimiter(db, 'reset-mail', 5, window, now),
    resetMailPerIp: new FailureLimiter(db, 'reset-mail-ip', 30, window, now),
    currentPasswordPerUser: new FailureLimiter(db, 'change-password', 10, window, now),
  };
}

let dummyHash: Promise<string> | null = null;

/**
 * `POST /auth/login`. A support login (operator scope) signs into any account it names (the slug is
 * the acting account); everyone else only into their own. R11: a self-managed account refuses
 * password login (422) to its own users; support keeps the platform's password sign-in.
 */
export async function login(
  ctx: PlatformContext,
  limits: LoginLimits,
  input: { account: string; login: string; password: string },
  ip: string,
): Promise<SessionResponse> {
  const account = await findAccountBySlug(ctx.db, input.account);
  const found = account ? await findSignInUser(ctx.db, account, input.login) : undefined;
  // A support login's failures count together in every account it is tried against.
  const loginKey = found?.operator ? `\u0000operator\u0000${input.login.toLowerCase()}` : `${input.account}\u0000${input.login.toLowerCase()}`;
  const wait = Math.max(await limits.perLogin.retryAfterSeconds(loginKey), await limits.perIp.retryAfterSeconds(ip));
  if (wait > 0) throw new DomainError('rate_limited', { headers: { 'retry-after': String(wait) }, details: { retryAfterSeconds: wait } });
  const fail = async (): Promise<never> => {
    await limits.perLogin.fail(loginKey);
    await limits.perIp.fail(ip);
    throw new DomainError('invalid_credentials');
  };
  const user: UserTable | undefined = found?.user;
  if (account && isSelfManaged(account) && !found?.operator) {
    // R11: the account signs in with Microsoft; no password path exists for it.
    throw new DomainError('self_managed_account');
  }
  if (!account || !user || !user.password_hash || user.active !== 1) {
    dummyHash ??= ctx.passwords.hash(DUMMY_HASH_PASSWORD);
    await ctx.passwords.verify(await dummyHash, input.password);
    return fail();
  }
  if (!(await ctx.passwords.verify(user.password_hash, input.password))) return fail();
  await limits.perLogin.reset(loginKey);
  const session = await createSession(ctx.db, { userId: user.id, accountId: account.id, method: 'password' }, ctx.now());
  return { ...session, user: await loadUser(ctx.db, user.account_id, user.id), account: toAccount(account) };
}

/**
 * Resolves a bearer token into the acting user (401 when missing, unknown, expired or inactive).
 * Issue 9 class 1: only support of the operator scope acts in another account, and a support
 * session opened any other way than the platform's password sign-in is refused.
 */
export async function authenticate(ctx: PlatformContext, token: string | undefined): Promise<Actor> {
  if (!token) throw new DomainError('unauthorized');
  const session = await findSession(ctx.db, token, ctx.now());
  const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', session.userId).executeTakeFirst();
  if (!user || user.active !== 1) throw new DomainError('unauthorized');
  if (isOperatorUser(user)) {
    if (session.method !== 'password') throw new DomainError('unauthorized');
  } else if (user.profile === 'support' || user.account_id !== session.accountId) {
    throw new DomainError('unauthorized');
  }
  await getAccount(ctx.db, session.accountId);
  return {
    userId: user.id,
    name: user.name,
    profile: user.profile as Profile,
    accountId: session.accountId,
    homeAccountId: user.account_id,
    mustChangePassword: user.must_change_password === 1,
  };
}
