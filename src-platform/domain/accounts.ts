/** Accounts and their Microsoft identity provider (R1, R11). */
import type { Account } from '../../src-shared/domain';
import type { ProvidersResponse } from '../../src-shared/platform-api';
import type { Db } from '../db/database';
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
  return {
    account: { slug: row.slug, name: row.name },
    password: !selfManaged,
    microsoft:
      idp && idp.enabled
        ? { authority: idp.authority, tenantId: idp.tenantId, clientId: idp.clientId, scopes: ['openid', 'profile', 'offline_access', `api://${idp.clientId}/access_as_user`] }
        : null,
    selfManaged,
  };
}

/** R11: sets the acting account's Microsoft identity provider (administrator, support); audited. */
export async function setIdentityProvider(
  ctx: PlatformContext,
  actor: Actor,
  input: { enabled: boolean; tenantId: string; clientId: string; authority: string },
): Promise<Account> {
  requirePermission(actor, 'canConfigureIdentityProvider');
  // Issue 9 class 1: support signs in only with the platform's own credentials.
  if (isOperatorAccount(await getAccount(ctx.db, actor.accountId))) throw new DomainError('forbidden', { details: { reason: 'operator_scope' } });
  return ctx.db.transaction().execute(async (trx) => {
    const before = await getAccount(trx, actor.accountId);
    await trx
      .updateTable('accounts')
      .set({ idp_enabled: input.enabled ? 1 : 0, idp_tenant_id: input.tenantId, idp_client_id: input.clientId, idp_authority: input.authority })
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
