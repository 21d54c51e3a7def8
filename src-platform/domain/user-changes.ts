/**
 * Every change to a user (fields, extension, queue links) bumps its `version` (ETag) and moves it
 * to the end of the change sequence, so a delta sync (C2) carries it.
 */
import { nextChangeSeq, type Db } from '../db/database';

/** Bumps one user's version and change sequence (inside the caller's transaction). */
export async function bumpUser(db: Db, userId: string, now: Date): Promise<void> {
  const seq = await nextChangeSeq(db);
  await db
    .updateTable('users')
    .set((eb) => ({ version: eb('version', '+', 1), change_seq: seq, updated_at: now.toISOString() }))
    .where('id', '=', userId)
    .execute();
}

/** Bumps every user of an account (a change of the account that every user carries, e.g. R11). */
export async function bumpAccountUsers(db: Db, accountId: string, now: Date): Promise<void> {
  const ids = await db.selectFrom('users').select('id').where('account_id', '=', accountId).orderBy('change_seq').execute();
  for (const { id } of ids) await bumpUser(db, id, now);
}

/** Normalizes text for accent-insensitive search. */
export function searchText(...parts: string[]): string {
  return parts
    .join(' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
}
