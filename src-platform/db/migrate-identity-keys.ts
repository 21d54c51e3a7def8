/**
 * Data step of migration 0022 (issue 9 class 10): gives every user its `login_key` and `email_key`
 * (src-shared `identityKey`: case and Unicode form aside). In each account the oldest row keeps a
 * key; a later row with the same key keeps its login and email as they are, gets no key, and is
 * recorded in `identity_collisions` (reason `duplicate_key`, `other_user_id` the row that keeps
 * it), which the platform reports at start and to the account's administrators. Nothing is renamed
 * or deleted: which of two look-alike identities is the real one is a person's decision.
 *
 * Written against the tables as they are at this migration (not `schema.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { identityKey } from '../../src-shared/text';

interface MigrationDb {
  users: { id: string; account_id: string; login: string; email: string; created_at: string; login_key: string | null; email_key: string | null };
  identity_collisions: { id: string; account_id: string; user_id: string; field: string; value: string; other_user_id: string | null; reason: string; detected_at: string };
}

/** Fills the keys inside the migration's transaction; returns how many collisions it recorded. */
export async function fillIdentityKeys(raw: Kysely<unknown>, now: Date): Promise<number> {
  const db = raw as unknown as Kysely<MigrationDb>;
  const at = now.toISOString();
  const users = await db.selectFrom('users').select(['id', 'account_id', 'login', 'email', 'created_at']).orderBy('account_id').orderBy('created_at').orderBy('id').execute();
  const holders = new Map<string, string>(); // `${account}\0${field}\0${key}` -> user id
  let collisions = 0;
  for (const user of users) {
    const keys: { login_key: string | null; email_key: string | null } = { login_key: null, email_key: null };
    for (const field of ['login', 'email'] as const) {
      const key = identityKey(user[field]);
      const slot = `${user.account_id}\u0000${field}\u0000${key}`;
      const holder = holders.get(slot);
      if (holder === undefined) {
        holders.set(slot, user.id);
        keys[`${field}_key`] = key;
        continue;
      }
      collisions++;
      await db
        .insertInto('identity_collisions')
        .values({ id: randomUUID(), account_id: user.account_id, user_id: user.id, field, value: user[field], other_user_id: holder, reason: 'duplicate_key', detected_at: at })
        .execute();
    }
    await db.updateTable('users').set(keys).where('id', '=', user.id).execute();
  }
  return collisions;
}
