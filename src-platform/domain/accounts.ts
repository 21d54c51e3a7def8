/** Accounts and their Microsoft identity provider (R1, R11). */
import type { Account } from '../../src-shared/domain';
import { checkIdentityProviderSettings, normalizeAuthority } from '../../src-shared/identity-provider';
import type { ProvidersResponse } from '../../src-shared/platform-api';
import { transact, type Db } from '../db/database';
import type { AccountTable } from '../db/schema';
import { requirePermission, type Actor } from './actor';
import { writeAudit } from './audit';
import type { PlatformContext } from './context';
import { DomainError } from './errors';
import { isOperatorAccount } from './operator-scope';
import { bumpAccountUsers } from './user-changes';

/** The API shape of an account row. */
export function toAccount(row: AccountTable): Account {
  const idp =
    row.idp_tenant_id !== null && row.idp_client_id !== null && row.idp_authority !== null
      ? { enabled: row.idp_enabled === 1, tenantId: row.idp_tenant_id, clientId: row.idp_client_id, authority: row.idp_authority }
      : null;
  return { id: row.id, slug: row.slug, name: row.name, identityProvider: idp, kind: row.kind === 'operator' ? 'operator' : 'customer' };
}

/** R11: an account whose Microsoft identity provider is enabled is self-managed. */
export function isSelfManaged(row: Pick<AccountTable, 'idp_enabled'>): boolean {
  return row.idp_enabled === 1;
}

/** An account by id (404 when missing). */
export async function getAccount(db: Db, id: string): Promise<AccountTable> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found');
  return row;
}

/** An account by slug, or undefined. */
export async function findAccountBySlug(db: Db, slug: string): Promise<AccountTable | undefined> {
  return db.selectFrom('accounts').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** `GET /auth/providers`: how an account signs in (public; 404 for an unknown slug). */
export async function getProviders(db: Db, slug: string): Promise<ProvidersResponse> {
  const row = await findAccountBySlug(db, slug);
  if (!row) throw new DomainError('not_found');
  const selfManaged = isSelfManaged(row);
  const account = toAccount(row);
  const idp = account.identityProvider;
  // Issue 9 class 2: only what a sign-in screen needs (no account name, no separate tenant id).
  return {
    password: !selfManaged,
    microsoft:
      idp && idp.enabled ? { authority: idp.authority, clientId: idp.clientId, scopes: ['openid', 'profile', 'offline_access', `api://${idp.clientId}/access_as_user`] } : null,
    selfManaged,
  };
}

/** Issue 9 class 2: how identity-provider settings are checked; built from the platform's start options. */
export interface IdentityProviderChecks {
  /** Local test authorities the platform was started with (never set through the API). */
  extraAuthorityOrigins: readonly string[];
  /** Reads the authority's OpenID configuration and keys; throws a 422 DomainError when they do not answer or match. */
  probe(authority: string): Promise<void>;
}

/**
 * R11: sets the acting account's Microsoft identity provider (administrator, support); audited.
 * Issue 9 class 2: the settings must be Microsoft's (`checkIdentityProviderSettings`, 422 with
 * field errors), the authority is stored normalised, and enabling first reads the authority's
 * OpenID configuration and keys (422 with the reason when they do not answer or match).
 */
export async function setIdentityProvider(
  ctx: PlatformContext,
  actor: Actor,
  input: { enabled: boolean; tenantId: string; clientId: string; authority: string },
  checks: IdentityProviderChecks,
): Promise<Account> {
  requirePermission(actor, 'canConfigureIdentityProvider');
  // Issue 9 class 1: support signs in only with the platform's own credentials.
  if (isOperatorAccount(await getAccount(ctx.db, actor.accountId))) throw new DomainError('forbidden', { details: { reason: 'operator_scope' } });
  const problems = checkIdentityProviderSettings(input, { extraAuthorityOrigins: checks.extraAuthorityOrigins });
  if (Object.keys(problems).length > 0) throw new DomainError('identity_provider_invalid', { fieldErrors: problems });
  const authority = normalizeAuthority(input.authority);
  if (input.enabled) await checks.probe(authority);
  return transact(ctx.db, async (trx) => {
    const before = await getAccount(trx, actor.accountId);
    await trx
      .updateTable('accounts')
      .set({ idp_enabled: input.enabled ? 1 : 0, idp_tenant_id: input.tenantId.toLowerCase(), idp_client_id: input.clientId.toLowerCase(), idp_authority: authority })
      .where('id', '=', actor.accountId)
      .execute();
    const after = await getAccount(trx, actor.accountId);
    await writeAudit(trx, {
      accountId: actor.accountId,
      actor,
      action: 'account.identity_provider_set',
      targetType: 'account',
      targetId: actor.accountId,
      before: toAccount(before).identityProvider,
      after: toAccount(after).identityProvider,
      at: ctx.now(),
    });
    if (isSelfManaged(before) !== isSelfManaged(after)) {
      // selfManaged is part of every user of the account: bump them so a delta sync carries it.
      await bumpAccountUsers(trx, actor.accountId, ctx.now());
    }
    return toAccount(after);
  });
}
