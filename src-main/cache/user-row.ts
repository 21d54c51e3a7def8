/**
 * The derived columns of a cached user (search keys, filter flags, readiness), computed the same
 * way by the main thread's small writes and by the fill worker's bulk writes. A row is a positional
 * array in `USER_COLUMNS` order (binding by position is markedly cheaper than by name at 100 000
 * rows).
 */
import { PROFILES, readinessMissingBits } from '../../src-shared/domain-core';
import type { User } from '../../src-shared/domain';
import { joinSearchKeys, userSortKey } from '../../src-shared/search';
import { emptyIndexRows, indexFlags, queueIdsText, type IndexRows } from './user-search-index';

/** The users table's written columns, in the order of a row. */
export const USER_COLUMNS = `account_id, id, data, name_key, login_key, email_key, profile, active, webrtc, omnichannel,
  password_set, has_extension, ready, missing_mask, updated_at, version, queue_ids`;
export const USER_VALUES = USER_COLUMNS.split(',')
  .map(() => '?')
  .join(', ');

/** Writes a new users row (the fill's lean path: a user new to the account). */
export const INSERT_USER_SQL = `INSERT INTO users (${USER_COLUMNS}) VALUES (${USER_VALUES})`;

/**
 * Writes a users row, or replaces the cached one of the same user unless it is newer: an older copy
 * (a sync page fetched before a save landed) never replaces a newer one. The fill worker and the
 * main thread's writes both use it.
 */
export const UPSERT_USER_SQL = `${INSERT_USER_SQL}
  ON CONFLICT (account_id, id) DO UPDATE SET data = excluded.data, name_key = excluded.name_key, login_key = excluded.login_key,
    email_key = excluded.email_key, profile = excluded.profile, active = excluded.active,
    webrtc = excluded.webrtc, omnichannel = excluded.omnichannel, password_set = excluded.password_set,
    has_extension = excluded.has_extension, ready = excluded.ready, missing_mask = excluded.missing_mask,
    updated_at = excluded.updated_at, version = excluded.version, queue_ids = excluded.queue_ids
  WHERE excluded.version >= users.version`;

/**
 * Replaces a users row found by its row id unless the cached copy is newer (as the upsert): the
 * fill writer's path for a user seen again, which works without the users' key index (a first
 * fill builds that index at its end). Parameters: the row's values, then the row id, then the
 * row's version.
 */
export const UPDATE_USER_BY_RID_SQL = `UPDATE users SET ${USER_COLUMNS.split(',')
  .map((c) => `${c.trim()} = ?`)
  .join(', ')} WHERE rid = ? AND version <= ?`;

/** A users row, positional (`USER_COLUMNS`). */
export type UserRowValues = [
  accountId: string,
  id: string,
  data: string,
  nameKey: string,
  loginKey: string,
  emailKey: string,
  profile: string,
  active: number,
  webrtc: number,
  omnichannel: number,
  passwordSet: number,
  hasExtension: number,
  ready: number,
  missingMask: number,
  updatedAt: string,
  version: number,
  queueIds: string,
];

/** Positions in a row the search index reads. */
export const COL = { id: 1, data: 2, nameKey: 3, loginKey: 4, emailKey: 5, profile: 6, active: 7, missingMask: 13, updatedAt: 14, version: 15, queueIds: 16 } as const;


/** A user as a row of the cache's users table (the shared rules: `readinessMissingBits`, `userSortKey`, and `userSearchText`'s layout). */
export function userRow(accountId: string, user: User): UserRowValues {
  const nameKey = userSortKey(user, 'name');
  const loginKey = userSortKey(user, 'login');
  const emailKey = userSortKey(user, 'email');
  const hasExtension = user.extension !== null;
  // R7 (agents only, self-managed users need no password, one link is enough): the shared rule.
  const bits = readinessMissingBits(user);
  const missingMask = bits ?? 0;
  const ready = bits === 0;
  return [
    accountId,
    user.id,
    JSON.stringify(user),
    nameKey,
    loginKey,
    emailKey,
    user.profile,
    user.active ? 1 : 0,
    user.webrtcEnabled ? 1 : 0,
    user.omnichannelEnabled ? 1 : 0,
    user.passwordSet ? 1 : 0,
    hasExtension ? 1 : 0,
    ready ? 1 : 0,
    missingMask,
    user.updatedAt,
    user.version,
    queueIdsText(user),
  ];
}

/**
 * A row as the fill's parser hands it to the writer: without the account key, which the writer
 * knows (the same in every row), so those 100 000 strings are not copied between the threads.
 * `rowFromWire` puts it back.
 */
export function rowToWire(row: UserRowValues): UserRowValues {
  row[0] = '';
  return row;
}

/** The row `rowToWire` took apart, whole again, for `accountId`. */
export function rowFromWire(row: UserRowValues, accountId: string): UserRowValues {
  row[0] = accountId;
  return row;
}

/** The search index's flags of a row. */
export function rowFlags(row: UserRowValues): number {
  const [, , , , , , , active, webrtc, omnichannel, passwordSet, hasExtension, ready, missingMask] = row;
  return indexFlags({ active, webrtc, omnichannel, passwordSet, hasExtension, ready, missingMask });
}

/** The search index's profile position of a row. */
export function rowProfile(row: UserRowValues): number {
  return PROFILES.indexOf(row[COL.profile] as (typeof PROFILES)[number]);
}

/**
 * The search index's rows of users just written, from the rows themselves (no read back): a user
 * written twice keeps its last row, at its first place (new row ids stay ascending).
 */
export class IndexRowsBuilder {
  rows: IndexRows = emptyIndexRows();
  private slotOfRid = new Map<number, number>();

  get size(): number {
    return this.rows.rids.length;
  }

  has(rid: number): boolean {
    return this.slotOfRid.has(rid);
  }

  add(rid: number, row: UserRowValues): void {
    const { rows } = this;
    const at = this.slotOfRid.get(rid);
    const i = at ?? rows.rids.length;
    if (at === undefined) this.slotOfRid.set(rid, i);
    rows.rids[i] = rid;
    rows.ids[i] = row[COL.id];
    // `userSearchText`'s layout, from the keys already made (a normalisation costs as much as the rest of the row).
    rows.texts[i] = joinSearchKeys(row[COL.nameKey], row[COL.loginKey], row[COL.emailKey]);
    rows.flags[i] = rowFlags(row);
    rows.profiles[i] = rowProfile(row);
    rows.updated[i] = Date.parse(row[COL.updatedAt]);
    rows.queues[i] = row[COL.queueIds];
  }

  /** The rows so far; the builder starts empty again. */
  take(): IndexRows {
    const { rows } = this;
    this.rows = emptyIndexRows();
    this.slotOfRid = new Map();
    return rows;
  }
}
