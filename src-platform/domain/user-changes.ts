/**
 * Every change to a user (fields, extension, queue links) bumps its `version` (ETag) and moves it
 * to the end of the change sequence, so a delta sync (C2) carries it.
 */
import { sql } from 'kysely';
import { nextChangeSeq, type Db } from '../db/database';
import type { UserTable } from '../db/schema';
import { identityColumns } from './identity-keys';
import { searchText } from './search-text';

/** A user's own fields, as the API and the demo data give them. */
export interface UserFields {
  name: string;
  email: string;
  login: string;
  profile: string;
  active: boolean;
  webrtcEnabled: boolean;
  omnichannelEnabled: boolean;
}

/**
 * The users-table columns of a user's own fields, with the identity keys (issue 9 class 10) and the
 * search text they feed: one mapping for every write (create, update, batch, demo seed, generator).
 */
export function userFieldColumns(u: UserFields) {
  return {
    name: u.name,
    email: u.email,
    login: u.login,
    ...identityColumns(u.login, u.email),
    search_text: searchText(u.name, u.login, u.email),
    profile: u.profile,
    active: u.active ? 1 : 0,
    webrtc_enabled: u.webrtcEnabled ? 1 : 0,
    omnichannel_enabled: u.omnichannelEnabled ? 1 : 0,
  } satisfies Partial<UserTable>;
}

/** A new user's row: version 1 at `changeSeq` of the change sequence, no password unless given. */
export function newUserRow(u: UserFields & { id: string; accountId: string; changeSeq: number; at: string; passwordHash?: string | null }): UserTable {
  return {
    id: u.id,
    account_id: u.accountId,
    ...userFieldColumns(u),
    password_hash: u.passwordHash ?? null,
    must_change_password: 0,
    version: 1,
    change_seq: u.changeSeq,
    created_at: u.at,
    updated_at: u.at,
  };
}

/** Bumps one user's version and change sequence (inside the caller's transaction). */
export async function bumpUser(db: Db, userId: string, now: Date): Promise<void> {
  const seq = await nextChangeSeq(db);
  await db
    .updateTable('users')
    .set((eb) => ({ version: eb('version', '+', 1), change_seq: seq, updated_at: now.toISOString() }))
    .where('id', '=', userId)
    .execute();
}

/**
 * Bumps every user of an account (a change of the account that every user carries, e.g. R11), in
 * one statement: a block of the change sequence, handed out in the users' current order.
 */
export async function bumpAccountUsers(db: Db, accountId: string, now: Date): Promise<void> {
  const { n } = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  if (Number(n) === 0) return;
  const reserved = await db
    .updateTable('meta')
    .set({ value: sql<number>`value + ${Number(n)}` })
    .where('key', '=', 'change_seq')
    .returning('value')
    .executeTakeFirstOrThrow();
  const base = reserved.value - Number(n);
  await sql`
    update users set version = version + 1, updated_at = ${now.toISOString()}, change_seq = ${base} + ranked.position
    from (select id, row_number() over (order by change_seq) as position from users where account_id = ${accountId}) as ranked
    where users.id = ranked.id`.execute(db);
}

export { searchText };
