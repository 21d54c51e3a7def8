/**
 * Data step of migration 0005 (issue 9 class 1, R2): creates the platform's operator scope and
 * moves every support user out of the customer account that held it.
 *
 * A moved support user leaves a tombstone in its former account (consoles drop it from that
 * account's cache at the next delta sync), and loses what belonged to that account: its extension,
 * its queue links and sessions, and any link to that account's Microsoft identities. Its platform
 * sessions end (one of them may have come from a customer's identity provider). Nothing else is
 * deleted: each move is audited in the former account with what was released. A support login
 * that another support user already holds in the operator scope is renamed `<login>.<account>`,
 * and customer users whose login equals a support login are left as they are; both are recorded in
 * `identity_collisions`, which the platform reports at start.
 *
 * Written against the tables as they are at this migration (not `schema.ts`), so later schema
 * changes cannot change what it does.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { searchText } from '../domain/search-text';
import { OPERATOR_ACCOUNT_ID, OPERATOR_ACCOUNT_NAME, OPERATOR_ACCOUNT_SLUG } from '../domain/operator-scope';

interface MigrationDb {
  accounts: { id: string; slug: string; name: string; idp_enabled: number; idp_tenant_id: string | null; idp_client_id: string | null; idp_authority: string | null; created_at: string; kind: string };
  users: { id: string; account_id: string; name: string; email: string; login: string; search_text: string; profile: string; version: number; change_seq: number; updated_at: string; created_at: string };
  tombstones: { user_id: string; account_id: string; change_seq: number; deleted_at: string };
  extensions: { id: string; number: string; user_id: string | null };
  queues: { id: string; version: number; updated_at: string };
  queue_members: { queue_id: string; user_id: string };
  queue_sessions: { queue_id: string; user_id: string };
  microsoft_identities: { account_id: string; tenant_id: string; oid: string; user_id: string };
  sessions: { token_hash: string; user_id: string };
  audit_entries: { id: string; account_id: string; at: string; actor_id: string | null; actor_name: string | null; action: string; target_type: string; target_id: string; before_json: string | null; after_json: string | null };
  identity_collisions: { id: string; account_id: string; user_id: string; field: string; value: string; other_user_id: string | null; reason: string; detected_at: string };
  meta: { key: string; value: number };
}

async function nextSeq(db: Kysely<MigrationDb>): Promise<number> {
  await db.updateTable('meta').set({ value: sql<number>`value + 1` }).where('key', '=', 'change_seq').execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'change_seq').executeTakeFirstOrThrow();
  return row.value;
}

/** Creates the operator scope and moves the support users into it (inside the migration's transaction). */
export async function moveSupportToOperatorScope(raw: Kysely<unknown>, now: Date): Promise<void> {
  const db = raw as unknown as Kysely<MigrationDb>;
  const at = now.toISOString();
  const slugTaken = await db.selectFrom('accounts').select('id').where('slug', '=', OPERATOR_ACCOUNT_SLUG).executeTakeFirst();
  await db
    .insertInto('accounts')
    .values({
      id: OPERATOR_ACCOUNT_ID,
      // A customer that already uses the slug keeps it; the operator scope then takes another.
      slug: slugTaken ? `${OPERATOR_ACCOUNT_SLUG}-${randomUUID().slice(0, 8)}` : OPERATOR_ACCOUNT_SLUG,
      name: OPERATOR_ACCOUNT_NAME,
      idp_enabled: 0,
      idp_tenant_id: null,
      idp_client_id: null,
      idp_authority: null,
      created_at: at,
      kind: 'operator',
    })
    .execute();

  const support = await db
    .selectFrom('users')
    .innerJoin('accounts', 'accounts.id', 'users.account_id')
    .select(['users.id', 'users.account_id', 'users.name', 'users.email', 'users.login', 'accounts.slug'])
    .where('users.profile', '=', 'support')
    .where('users.account_id', '!=', OPERATOR_ACCOUNT_ID)
    .orderBy('users.created_at')
    .orderBy('users.id')
    .execute();
  for (const user of support) {
    const holder = await db.selectFrom('users').select('id').where('account_id', '=', OPERATOR_ACCOUNT_ID).where('login', '=', user.login).executeTakeFirst();
    let login = user.login;
    if (holder) {
      login = await freeOperatorLogin(db, `${user.login}.${user.slug}`);
      await db
        .insertInto('identity_collisions')
        .values({ id: randomUUID(), account_id: OPERATOR_ACCOUNT_ID, user_id: user.id, field: 'login', value: user.login, other_user_id: holder.id, reason: 'operator_login_renamed', detected_at: at })
        .execute();
    }
    const extension = await db.selectFrom('extensions').select(['id', 'number']).where('user_id', '=', user.id).executeTakeFirst();
    const queueIds = (await db.selectFrom('queue_members').select('queue_id').where('user_id', '=', user.id).execute()).map((q) => q.queue_id);
    for (const queueId of queueIds) {
      await db.updateTable('queues').set({ version: sql<number>`version + 1`, updated_at: at }).where('id', '=', queueId).execute();
    }
    await db.deleteFrom('queue_members').where('user_id', '=', user.id).execute();
    await db.deleteFrom('queue_sessions').where('user_id', '=', user.id).execute();
    await db.updateTable('extensions').set({ user_id: null }).where('user_id', '=', user.id).execute();
    const unlinked = await db.deleteFrom('microsoft_identities').where('user_id', '=', user.id).executeTakeFirst();
    await db.deleteFrom('sessions').where('user_id', '=', user.id).execute();
    await db
      .insertInto('tombstones')
      .values({ user_id: user.id, account_id: user.account_id, change_seq: await nextSeq(db), deleted_at: at })
      .execute();
    await db
      .updateTable('users')
      .set({
        account_id: OPERATOR_ACCOUNT_ID,
        login,
        search_text: searchText(user.name, login, user.email),
        version: sql<number>`version + 1`,
        change_seq: await nextSeq(db),
        updated_at: at,
      })
      .where('id', '=', user.id)
      .execute();
    await db
      .insertInto('audit_entries')
      .values({
        id: randomUUID(),
        account_id: user.account_id,
        at,
        actor_id: null,
        actor_name: null,
        action: 'user.moved_to_operator_scope',
        target_type: 'user',
        target_id: user.id,
        before_json: JSON.stringify({ accountId: user.account_id, login: user.login, extension: extension ?? null, queueIds }),
        after_json: JSON.stringify({ accountId: OPERATOR_ACCOUNT_ID, login, microsoftIdentitiesUnlinked: Number(unlinked.numDeletedRows) }),
      })
      .execute();
  }

  // Customer users whose login is a support login: password sign-in matches support first, so
  // they are reported (their administrator renames them); their data is left as it is.
  const shadowed = await db
    .selectFrom('users as customer')
    .innerJoin('users as operator', (join) => join.onRef('operator.login', '=', 'customer.login').on('operator.account_id', '=', OPERATOR_ACCOUNT_ID))
    .select(['customer.id', 'customer.account_id', 'customer.login', 'operator.id as operator_id'])
    .where('customer.account_id', '!=', OPERATOR_ACCOUNT_ID)
    .execute();
  for (const row of shadowed) {
    await db
      .insertInto('identity_collisions')
      .values({ id: randomUUID(), account_id: row.account_id, user_id: row.id, field: 'login', value: row.login, other_user_id: row.operator_id, reason: 'operator_login_reserved', detected_at: at })
      .execute();
  }
}

async function freeOperatorLogin(db: Kysely<MigrationDb>, wanted: string): Promise<string> {
  const base = wanted.slice(0, 60);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}.${n}`;
    const taken = await db.selectFrom('users').select('id').where('account_id', '=', OPERATOR_ACCOUNT_ID).where('login', '=', candidate).executeTakeFirst();
    if (!taken) return candidate;
  }
}
