/**
 * R11 / C3: turns a verified Entra access token into a platform session. The user is found by the
 * Entra object id (`oid`) linked to them; on first sign-in the link is made to the one active user
 * of the account whose email (or login) equals the token's UPN. Nobody is ever created here.
 */
import type { Kysely } from 'kysely';
import type { JWTVerifyGetKey } from 'jose';
import { checkIdentityProviderSettings } from '../../../src-shared/identity-provider';
import type { SessionResponse } from '../../../src-shared/platform-api';
import type { Database, UserTable } from '../../db/schema';
import { findAccountBySlug, isSelfManaged, toAccount } from '../../domain/accounts';
import { writeAudit } from '../../domain/audit';
import type { PlatformContext } from '../../domain/context';
import { DomainError } from '../../domain/errors';
import { isOperatorAccount } from '../../domain/operator-scope';
import { loadUser } from '../../domain/users';
import { createSession } from '../sessions';
import { EntraTokenError, verifyEntraAccessToken, type EntraAccessTokenClaims } from './verify-entra-token';

type LinkDb = Kysely<Database>;

/** Where signing keys come from for an authority (cached per authority by the route module). */
export type KeySourceFor = (authority: string) => JWTVerifyGetKey;

/** `POST /auth/microsoft`: verifies the token and opens a session, or refuses without side effects. */
export async function signInWithMicrosoft(
  ctx: PlatformContext,
  keySourceFor: KeySourceFor,
  input: { account: string; accessToken: string },
  extraAuthorityOrigins: readonly string[] = [],
): Promise<SessionResponse> {
  const account = await findAccountBySlug(ctx.db, input.account);
  // An unknown account and a disabled provider answer alike: this route tells nothing about slugs.
  // Issue 9 class 1: the operator scope (support) never signs in through an identity provider.
  if (!account || isOperatorAccount(account) || !isSelfManaged(account) || !account.idp_tenant_id || !account.idp_client_id || !account.idp_authority) {
    throw new DomainError('identity_provider_disabled');
  }
  // Issue 9 class 2: settings stored before they were validated (or a test authority the platform
  // no longer starts with) are never used to fetch keys or accept tokens.
  const settings = { tenantId: account.idp_tenant_id, clientId: account.idp_client_id, authority: account.idp_authority };
  if (Object.keys(checkIdentityProviderSettings(settings, { extraAuthorityOrigins })).length > 0) {
    throw new DomainError('identity_provider_disabled', { details: { reason: 'settings_invalid' } });
  }
  let claims: EntraAccessTokenClaims;
  try {
    claims = await verifyEntraAccessToken(input.accessToken, {
      authority: account.idp_authority,
      tenantId: account.idp_tenant_id,
      clientId: account.idp_client_id,
      jwks: keySourceFor(account.idp_authority),
      now: ctx.now,
    });
  } catch (error) {
    if (error instanceof EntraTokenError) throw new DomainError('invalid_token', { details: { reason: error.code } });
    throw error;
  }

  const db = ctx.db;
  const user = await db.transaction().execute(async (trx) => {
    const link = await trx
      .selectFrom('microsoft_identities')
      .selectAll()
      .where('account_id', '=', account.id)
      .where('tenant_id', '=', claims.tid)
      .where('oid', '=', claims.oid)
      .executeTakeFirst();
    if (link) {
      const linked = await trx
        .selectFrom('users')
        .selectAll()
        .where('id', '=', link.user_id)
        .where('account_id', '=', account.id)
        .where('profile', '!=', 'support')
        .executeTakeFirst();
      if (!linked || linked.active !== 1) throw new DomainError('invalid_credentials', { details: { reason: 'user_inactive' } });
      return linked;
    }
    const candidate = await findLinkCandidate(trx, account.id, claims.loginName);
    const other = await trx.selectFrom('microsoft_identities').select('oid').where('account_id', '=', account.id).where('user_id', '=', candidate.id).executeTakeFirst();
    // A user already linked to another Entra identity is not taken over by a recycled UPN.
    if (other) throw new DomainError('invalid_credentials', { details: { reason: 'linked_to_another_identity' } });
    const now = ctx.now();
    await trx
      .insertInto('microsoft_identities')
      .values({ account_id: account.id, tenant_id: claims.tid, oid: claims.oid, user_id: candidate.id, linked_at: now.toISOString() })
      .execute();
    await writeAudit(trx as unknown as Kysely<Database>, {
      accountId: account.id,
      actor: { userId: candidate.id, name: candidate.name },
      action: 'user.microsoft_identity_linked',
      targetType: 'user',
      targetId: candidate.id,
      after: { tenantId: claims.tid, oid: claims.oid, loginName: claims.loginName },
      at: now,
    });
    return candidate;
  });

  const session = await createSession(ctx.db, { userId: user.id, accountId: account.id, method: 'microsoft' }, ctx.now());
  return { ...session, user: await loadUser(ctx.db, account.id, user.id), account: toAccount(account) };
}

/**
 * The one active user of the account whose email or login equals the verified UPN. Only the
 * account's own users: never support (issue 9 class 1), never another account.
 */
async function findLinkCandidate(db: LinkDb, accountId: string, loginName: string | null): Promise<UserTable> {
  if (!loginName) throw new DomainError('invalid_credentials', { details: { reason: 'no_verified_login_name' } });
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('profile', '!=', 'support')
    .where('active', '=', 1)
    .where((eb) => eb.or([eb(eb.fn('lower', ['email']), '=', loginName), eb(eb.fn('lower', ['login']), '=', loginName)]))
    .limit(2)
    .execute();
  const [only] = rows;
  if (!only || rows.length > 1) throw new DomainError('invalid_credentials', { details: { reason: rows.length > 1 ? 'ambiguous_user' : 'no_matching_user' } });
  return only;
}
