/**
 * The console's local cache (C1, C2): one better-sqlite3 file `<dataDir>/cache.sqlite` with users,
 * queues, extensions and the sync state of each account. Lists and search read from it, online or
 * offline. A corrupt file, or one written by a newer console, is set aside and rebuilt (the server
 * is the source of truth), never a crash.
 *
 * C6: every `accountId` argument below is an *account key* (`accountKey(platform, accountId)`):
 * the platform and the account the data came from, so one account never reads another's rows,
 * nor the same account id served by another platform. The file, its WAL and any set-aside copy are
 * readable by the owner only (0600, data folder 0700), and at most one set-aside copy of each kind
 * is kept.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { computeReadiness, queueSummary, type Account, type Extension, type Queue, type QueueSummary, type User } from '../../src-shared/domain';
import type { SearchUsersInput, SearchUsersOutput, UserRow } from '../../src-shared/ipc-contract';
import { SearchUsersInputSchema } from '../../src-shared/ipc-contract';
import { CACHE_SCHEMA_VERSION, STORED_INDEXES, STORED_KIND, USER_KEY_INDEX, ensureUserKey, migrate } from './migrations';
import { fillStateKey, type FillState } from './fill-protocol';
import { searchKey } from '../../src-shared/search';
import { COL, INSERT_USER_SQL, IndexRowsBuilder, UPDATE_USER_BY_RID_SQL, UPSERT_USER_SQL, userRow, type UserRowValues } from './user-row';
import { UserSearchIndex, type IndexRows } from './user-search-index';

/** The cache file's name inside the data folder. */
export const CACHE_FILE_NAME = 'cache.sqlite';

/** Owner-only modes of the cache's files and of the folder holding them (C6). */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Sync position of one account. */
export interface SyncState {
  cursor: string | null;
  lastSyncAt: string | null;
}

/** Why a cache file was set aside at open, if it was. */
export interface CacheRecovery {
  reason: 'corrupt' | 'too_new';
  movedTo: string;
}

/** Up to this many users changed at once are patched into the search index instead of a rebuild. */
const SMALL_CHANGE = 250;
/** SQLite's automatic checkpoint threshold, in WAL pages (its default; see `setAutoCheckpoint`). */
const AUTO_CHECKPOINT_PAGES = 1000;
/** Up to this many users a write keeps the account's count by lookups (cheaper than a recount). */
const COUNT_KEPT_UP_TO = 1000;

/** Issue 11: kept versions per account (20 a user at most; about 10 MB of JSON at this bound). */
export const DEFAULT_HISTORY_LIMIT = 20_000;
/** Issue 11: kept versions per user. */
const VERSIONS_PER_USER = 20;

/** Opens (or rebuilds) the cache file and runs its migrations. */
export class ConsoleCache {
  readonly file: string;
  /** The connection: only this class touches it (callers group writes with `transaction`). */
  private readonly db: Database.Database;
  /** Set when the file found at open was set aside. */
  readonly recovery: CacheRecovery | null;
  /** Search indexes per account, dropped whenever that account's users change. */
  private readonly indexes = new Map<string, UserSearchIndex>();
  /** The idle work after writes (see `soon`). */
  private idle: NodeJS.Immediate | null = null;
  private readonly toSettle = new Set<string>();
  /** Accounts whose stored index was read (migration 11): its row is deleted in idle time (see `storedIndex`). */
  private readonly readStored = new Set<string>();
  /** A write may have logged replaced versions (migration 10) since they were last moved. */
  private versionsLogged = false;
  /** Holds on the idle work (see `holdIdleWork`). */
  private holds = 0;
  /** Indexes a fresh fill started that only the fill has written to since (see `endFill`). */
  private readonly filling = new Map<string, UserSearchIndex>();
  /** Users per account, counted once after the last write (a count is a scan of 100 000 rows). */
  private readonly counts = new Map<string, number>();
  /** Issue 11: at most this many kept versions per account (local history). */
  private readonly historyLimit: number;
  /** See UserSearchIndex's `foldAt` (tests only). */
  private readonly searchIndexFoldAt: number | undefined;
  /** Users written per account since its history was last bounded. */
  private readonly historyPending = new Map<string, number>();
  /** Statements asked for on every status event or sync page, prepared once (see `stmt`). */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(dataDir: string, opts: { now?: () => Date; historyLimit?: number; searchIndexFoldAt?: number } = {}) {
    this.historyLimit = opts.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.searchIndexFoldAt = opts.searchIndexFoldAt;
    mkdirSync(dataDir, { recursive: true, mode: DIR_MODE });
    // C6: the data folder may predate this rule (or be given by the user): owner only.
    chmodSync(dataDir, DIR_MODE);
    this.file = join(dataDir, CACHE_FILE_NAME);
    const now = opts.now ?? (() => new Date());
    let recovery: CacheRecovery | null = null;
    let db: Database.Database;
    try {
      db = ConsoleCache.openChecked(this.file);
    } catch (err) {
      const reason = err instanceof TooNewError ? 'too_new' : 'corrupt';
      const movedTo = `${this.file}.${reason === 'too_new' ? 'newer' : 'corrupt'}-${now().getTime()}`;
      ConsoleCache.setAside(this.file, movedTo);
      recovery = { reason, movedTo };
      db = ConsoleCache.openChecked(this.file);
    }
    this.db = db;
    this.recovery = recovery;
    // Versions a console that stopped logged but did not move yet.
    this.keepLoggedVersions();
  }

  private static openChecked(file: string): Database.Database {
    // C6: create the file owner-only before SQLite opens it (SQLite gives its -wal and -shm files
    // the database file's mode), and tighten files left by an older console.
    closeSync(openSync(file, 'a', FILE_MODE));
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) chmodSync(file + suffix, FILE_MODE);
    const db = new Database(file);
    try {
      // Explicit pragmas: WAL for concurrent reads during sync writes, NORMAL sync is durable
      // enough for a cache that the server can always rebuild.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      db.pragma('temp_store = MEMORY');
      // 8 MB of pages: the full-table scans (index build, a first sort) read 160 MB at 100 000 users
      // and gain nothing from a larger cache, which would only stay resident (32 MB did).
      db.pragma('cache_size = -8000');
      // Once checkpointed, the WAL starts again at this connection's next commit, which cuts the
      // file down to its own frames: the file's size is then what was written since, and a sync
      // asks the checkpointer only once that is large (`SyncService`). Without a limit the file
      // keeps its largest size, and every sync after the first large one started a thread.
      db.pragma('journal_size_limit = 0');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > CACHE_SCHEMA_VERSION) throw new TooNewError(version);
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new Error(`cache quick_check: ${String(check)}`);
      migrate(db);
      // A first fill killed while its users' key index was dropped: built now.
      ensureUserKey(db);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Renames the file (and its -wal/-shm) to `movedTo`, owner-only. Earlier copies set aside for the
   * same reason are deleted first: at most one of each kind is kept (C6).
   */
  private static setAside(file: string, movedTo: string): void {
    const kind = movedTo.slice(file.length).replace(/-\d+$/, '-'); // `.corrupt-` or `.newer-`
    const prefix = basename(file) + kind;
    for (const name of readdirSync(dirname(file))) {
      if (name.startsWith(prefix)) rmSync(join(dirname(file), name), { force: true });
    }
    for (const suffix of ['', '-wal', '-shm']) {
      if (!existsSync(file + suffix)) continue;
      renameSync(file + suffix, movedTo + suffix);
      chmodSync(movedTo + suffix, FILE_MODE);
    }
  }

  /**
   * Runs `fn` in one transaction (nested calls become savepoints) and returns its result; a throw
   * rolls it back. Several writes of a sync commit together or not at all.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Whether `close` ran (a sync that ends after the app closed the file writes nothing more). */
  get isClosed(): boolean {
    return !this.db.open;
  }

  /** Closes the file. */
  close(): void {
    if (this.idle) clearImmediate(this.idle);
    this.idle = null;
    if (!this.db.open) return;
    try {
      // The log is moved now rather than at the next open.
      this.keepLoggedVersions();
      this.storeIndexes();
    } finally {
      this.db.close();
    }
  }

  /**
   * Keeps the idle work after writes (see `soon`) from running until the returned release is
   * called: a sync holds it until it has answered, so that the work never runs between the sync's
   * requests (while it waits for its queues and extensions, it delayed their reading by 2-4 ms).
   */
  holdIdleWork(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.toSettle.size > 0 || this.versionsLogged || this.readStored.size > 0) this.soon();
    };
  }

  /**
   * After a write patched an account's search index (or a fill appended to it), the index settles
   * in idle time (see `soon`): its sort orders move the changed users to their places, and the
   * appended texts are joined (see `UserSearchIndex.settle`).
   */
  private settleSoon(accountId: string): void {
    this.toSettle.add(accountId);
    this.soon();
  }

  /**
   * Work a write leaves for later, done once the current task is done (before the renderer's next
   * search reaches this process, in the app) instead of in the write or in the next search: the
   * search indexes to settle, then the logged versions to move into the local history. Two turns
   * later: the answers already waiting on sockets (a sync's queues and extensions, asked alongside
   * its users) are read first, so a sync does not wait for this work; a search that comes first
   * settles the order it uses itself, and `userHistory` moves the log itself.
   */
  private soon(): void {
    if (this.idle || this.holds > 0) return;
    this.idle = setImmediate(() => {
      this.idle = setImmediate(() => {
        this.idle = null;
        if (!this.db.open || this.holds > 0) return;
        const accounts = [...this.toSettle];
        this.toSettle.clear();
        for (const account of accounts) this.indexes.get(account)?.settle();
        if (this.versionsLogged) this.keepLoggedVersions();
        this.deleteReadStored();
      });
      this.idle.unref();
    });
    this.idle.unref();
  }

  /**
   * C6: removes everything cached for an account key (users, queue links, queues, extensions,
   * sync state, an interrupted fill's state, account), then rebuilds the file (`VACUUM`: no freed page or old row version keeps
   * a readable copy) and empties the WAL. Costs a rewrite of the other accounts' rows; it runs only
   * when someone asks to remove their data at sign-out.
   */
  removeAccount(accountId: string): void {
    this.catalogTags.delete(accountId);
    this.db.transaction(() => {
      for (const table of ['user_versions', 'user_versions_recent', 'users', STORED_INDEXES, 'queues', 'extensions', 'sync_state', 'accounts']) {
        this.db.prepare(`DELETE FROM ${table} WHERE ${table === 'accounts' ? 'id' : 'account_id'} = ?`).run(accountId);
      }
      // Issue 11: an unfinished CSV import of the account (its rows and keys) goes with it.
      this.db.prepare('DELETE FROM meta WHERE key = ?').run(accountMetaKey('csvImport', accountId));
      // An interrupted first fill's cursor and counts are this account's too.
      this.clearFillState(accountId);
    })();
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.indexes.delete(accountId);
    this.counts.delete(accountId);
  }

  // ---- meta and sync state ---------------------------------------------------------------

  /** A stored value of one account (removed with the account's data). */
  getAccountMeta(name: string, accountId: string): string | null {
    return this.getMeta(accountMetaKey(name, accountId));
  }

  /** Stores (or, with null, deletes) a value of one account. */
  setAccountMeta(name: string, accountId: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM meta WHERE key = ?').run(accountMetaKey(name, accountId));
    else this.setMeta(accountMetaKey(name, accountId), value);
  }

  /**
   * A statement prepared once and kept: for the few asked for many times a second (the sync's
   * status reads its fill state and cursor on every event). Only for statements used in one mode
   * (no `pluck`/`raw` toggles), which share the cached object.
   */
  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** A stored setting (e.g. the locale). */
  getMeta(key: string): string | null {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  getSyncState(accountId: string): SyncState {
    const row = this.stmt('SELECT cursor, last_sync_at FROM sync_state WHERE account_id = ?').get(accountId) as
      | { cursor: string | null; last_sync_at: string | null }
      | undefined;
    return { cursor: row?.cursor ?? null, lastSyncAt: row?.last_sync_at ?? null };
  }

  setSyncState(accountId: string, state: SyncState): void {
    this.db
      .prepare(
        `INSERT INTO sync_state (account_id, cursor, last_sync_at) VALUES (?, ?, ?)
         ON CONFLICT (account_id) DO UPDATE SET cursor = excluded.cursor, last_sync_at = excluded.last_sync_at`,
      )
      .run(accountId, state.cursor, state.lastSyncAt);
  }

  saveAccount(accountId: string, account: Account): void {
    this.db
      .prepare('INSERT INTO accounts (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data')
      .run(accountId, JSON.stringify(account));
  }

  getAccount(accountId: string): Account | null {
    const row = this.db.prepare('SELECT data FROM accounts WHERE id = ?').get(accountId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as Account) : null;
  }

  // ---- users -----------------------------------------------------------------------------

  /** Inserts or replaces users in one transaction (a sync page is one batch). */
  upsertUsers(accountId: string, users: readonly User[]): void {
    this.filling.delete(accountId);
    this.loadStoredBefore(accountId, users.length);
    const upsert = () => {
      const statement = this.stmt(`${UPSERT_USER_SQL} RETURNING rid`);
      return (row: UserRowValues) => (statement.get(...row) as { rid: number } | undefined)?.rid;
    };
    // A batch outside an enclosing transaction keeps a known count exact: a new row's id is above
    // every row id before it (an update keeps its row), so no lookup a user. Anything else drops
    // the count, to be counted again when asked.
    const known = users.length <= COUNT_KEPT_UP_TO && !this.db.inTransaction ? this.counts.get(accountId) : undefined;
    const maxRid = this.stmt('SELECT coalesce(max(rid), 0) FROM users').pluck();
    // What the search index needs of each written user, from the rows written (no read back).
    const written = new IndexRowsBuilder();
    let inserted = 0;
    // Immediate: no other connection changes the schema between the key check and the writes.
    this.db
      .transaction(() => {
        const marked = this.isMarked(accountId);
        const before = maxRid.get() as number;
        // While the fill worker fills an account, the users' key index is gone (built again at its end).
        const write = this.stmt(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = '${USER_KEY_INDEX}'`).get() ? upsert() : this.upsertWithoutKey();
        for (const user of users) {
          const row = userRow(accountId, user);
          const rid = write(row);
          // An older copy (a sync page fetched before our own save landed) never replaces a newer one.
          if (rid === undefined) continue;
          if (rid > before && !written.has(rid)) inserted++;
          written.add(rid, row);
        }
        // The rows' triggers deleted the mark: this write is the index's own (see `markIndexed`).
        if (marked) this.markIndexed(accountId);
      })
      .immediate();
    // A small batch patches the search index (changed users in place, new ones appended); a large
    // one (or a write inside a larger transaction that could still roll back) drops it, to be
    // rebuilt by the next search.
    const index = this.indexes.get(accountId);
    const patched = index && !this.db.inTransaction && users.length <= SMALL_CHANGE && index.apply(written.rows);
    if (!patched) this.indexes.delete(accountId);
    else this.settleSoon(accountId);
    if (known !== undefined) this.counts.set(accountId, known + inserted);
    else if (users.length > 0) this.counts.delete(accountId);
    // Versions the write replaced were logged by the trigger (migration 10): moved into the history soon.
    if (written.size > 0) {
      this.versionsLogged = true;
      this.soon();
    }
  }

  /**
   * The upsert while the users' key index is missing (a first fill of the fill worker is writing):
   * the user's row found by a scan, replaced unless newer, or inserted. Rare: a save during a
   * first sync.
   */
  private upsertWithoutKey(): (row: UserRowValues) => number | undefined {
    const find = this.db.prepare('SELECT rid, version FROM users WHERE account_id = ? AND id = ?');
    const update = this.db.prepare(UPDATE_USER_BY_RID_SQL);
    const insert = this.db.prepare(INSERT_USER_SQL);
    return (row) => {
      const found = find.get(row[0], row[COL.id]) as { rid: number; version: number } | undefined;
      if (!found) return Number(insert.run(...row).lastInsertRowid);
      return update.run(...row, found.rid, row[COL.version]).changes > 0 ? found.rid : undefined;
    };
  }

  /** Builds the users' key index if a first fill stopped before it did (answers the rows it dropped as duplicates). */
  ensureUserKey(): number {
    return ensureUserKey(this.db);
  }

  /**
   * Moves the versions the trigger logged (migration 10) into the local history, in the order they
   * were logged: a version already kept is not kept twice, each user keeps the 20 latest, and each
   * account at most `historyLimit`. One transaction: a stop before it leaves the log as it was. It
   * runs in idle time, at open and at close, so it never throws: a move that fails (the file busy
   * past the timeout) leaves the log to the next one.
   */
  private keepLoggedVersions(): void {
    try {
      this.moveLoggedVersions();
      this.versionsLogged = false;
    } catch {
      this.versionsLogged = true;
    }
  }

  private moveLoggedVersions(): void {
    const logged = this.stmt('SELECT account_id AS accountId, count(*) AS count FROM user_versions_recent GROUP BY account_id').all() as {
      accountId: string;
      count: number;
    }[];
    if (logged.length === 0) return;
    this.db.transaction(() => {
      this.stmt(
        `INSERT OR IGNORE INTO user_versions (account_id, user_id, version, updated_at, data)
         SELECT account_id, user_id, version, updated_at, data FROM user_versions_recent ORDER BY seq`,
      ).run();
      // The users just logged keep their 20 latest versions.
      this.stmt(
        `DELETE FROM user_versions WHERE seq IN (
           SELECT seq FROM (
             SELECT v.seq, row_number() OVER (PARTITION BY v.account_id, v.user_id ORDER BY v.version DESC) AS nth
             FROM user_versions v JOIN (SELECT DISTINCT account_id, user_id FROM user_versions_recent) r
               ON v.account_id = r.account_id AND v.user_id = r.user_id)
           WHERE nth > ${VERSIONS_PER_USER})`,
      ).run();
      this.stmt('DELETE FROM user_versions_recent').run();
      for (const { accountId, count } of logged) this.boundHistory(accountId, count);
    })();
  }

  /**
   * Issue 11: keeps an account's local history within `historyLimit` versions, the versions this
   * computer kept first dropped first (the table's write order, migration 9). Checked after every
   * `historyLimit / 10` kept versions (a count of the account's versions is a range scan), and at
   * once when the limit is small.
   */
  private boundHistory(accountId: string, kept: number): void {
    const pending = (this.historyPending.get(accountId) ?? 0) + kept;
    if (pending < Math.max(1, Math.floor(this.historyLimit / 10))) {
      this.historyPending.set(accountId, pending);
      return;
    }
    this.historyPending.delete(accountId);
    const count = this.db.prepare('SELECT count(*) FROM user_versions WHERE account_id = ?').pluck().get(accountId) as number;
    if (count <= this.historyLimit) return;
    this.db
      .prepare(
        `DELETE FROM user_versions WHERE seq IN (
           SELECT seq FROM user_versions WHERE account_id = ? ORDER BY seq LIMIT ?)`,
      )
      .run(accountId, count - this.historyLimit);
  }

  /**
   * Issue 11: the versions of a user this computer has synced, newest first: the cached user and
   * the versions it replaced (at most 20, see `keepLoggedVersions`). Empty for a user not cached.
   */
  userHistory(accountId: string, id: string): { version: number; updatedAt: string; user: User }[] {
    const current = this.getUser(accountId, id);
    if (!current) return [];
    this.keepLoggedVersions();
    const older = this.db
      .prepare('SELECT version, updated_at, data FROM user_versions WHERE account_id = ? AND user_id = ? AND version < ? ORDER BY version DESC')
      .all(accountId, id, current.version) as { version: number; updated_at: string; data: string }[];
    return [{ version: current.version, updatedAt: current.updatedAt, user: current }, ...older.map((r) => ({ version: r.version, updatedAt: r.updated_at, user: JSON.parse(r.data) as User }))];
  }

  /** Removes users (sync tombstones). */
  deleteUsers(accountId: string, ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.loadStoredBefore(accountId, ids.length);
    const del = this.stmt('DELETE FROM users WHERE account_id = ? AND id = ?');
    const delVersions = this.stmt('DELETE FROM user_versions WHERE account_id = ? AND user_id = ?');
    const delLogged = this.stmt('DELETE FROM user_versions_recent WHERE account_id = ? AND user_id = ?');
    let removed = 0;
    this.filling.delete(accountId);
    this.db.transaction(() => {
      const marked = this.isMarked(accountId);
      for (const id of ids) {
        removed += del.run(accountId, id).changes;
        // C2: a deleted user disappears, with its local history.
        delVersions.run(accountId, id);
        delLogged.run(accountId, id);
      }
      if (marked) this.markIndexed(accountId);
    })();
    const index = this.indexes.get(accountId);
    if (index && !this.db.inTransaction && ids.length <= SMALL_CHANGE) index.applyDeletes(ids);
    else this.indexes.delete(accountId);
    const known = this.counts.get(accountId);
    if (known !== undefined && !this.db.inTransaction) this.counts.set(accountId, known - removed);
    else this.counts.delete(accountId);
  }

  /** Ids of every cached user of an account. */
  userIds(accountId: string): string[] {
    return (this.db.prepare('SELECT id FROM users WHERE account_id = ?').pluck().all(accountId) as string[]).slice();
  }

  countUsers(accountId: string): number {
    let count = this.counts.get(accountId);
    if (count === undefined) {
      count = this.db.prepare('SELECT count(*) FROM users WHERE account_id = ?').pluck().get(accountId) as number;
      // Inside a transaction that may still roll back, the count is not kept.
      if (!this.db.inTransaction) this.counts.set(accountId, count);
    }
    return count;
  }

  getUser(accountId: string, id: string): User | null {
    const data = this.db.prepare('SELECT data FROM users WHERE account_id = ? AND id = ?').pluck().get(accountId, id) as string | undefined;
    return data ? (JSON.parse(data) as User) : null;
  }

  /**
   * Search and filters over an account's cached users (name/login/email substring, accent- and
   * case-insensitive; a prefix is a substring too), sorted and paged for a virtualized list.
   */
  searchUsers(accountId: string, rawInput: SearchUsersInput): SearchUsersOutput {
    const input = SearchUsersInputSchema.parse(rawInput);
    let index = this.indexes.get(accountId);
    if (!index) {
      index = this.storedIndex(accountId) ?? UserSearchIndex.fromDb(this.db, accountId, this.searchIndexFoldAt);
      this.indexes.set(accountId, index);
      this.markIndexed(accountId);
    }
    const { total, rids } = index.search(searchKey(input.query), input.filters, input.sort, input.offset, input.limit);
    const byRid = new Map<number, string>();
    if (rids.length) {
      // One statement prepared once for any page (a list of placeholders was prepared per search: 0.1-0.2 ms).
      const rows = this.stmt('SELECT rid, data FROM users WHERE rid IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(rids)) as Array<[number, string]>;
      for (const [rid, data] of rows) byRid.set(rid, data);
    }
    const items: UserRow[] = [];
    for (const rid of rids) {
      const data = byRid.get(rid);
      if (!data) continue;
      const user = JSON.parse(data) as User;
      items.push({ ...user, readiness: computeReadiness(user) });
    }
    return { total, items };
  }

  // ---- stored search indexes (migration 11) ---------------------------------------------

  /**
   * The account's index as the last close stored it, if no write to its users came since (the
   * triggers delete it with any): read in 30-60 ms at 100 000 users where building it from the rows
   * takes 0.6-0.9 s (a cold start's first search). Its row is then deleted in idle time, so the
   * first write after it does not free its pages; the next close stores the index again.
   */
  private storedIndex(accountId: string): UserSearchIndex | null {
    const data = this.stmt(`SELECT data FROM ${STORED_INDEXES} WHERE account_id = ? AND kind = ${STORED_KIND.index}`).pluck().get(accountId) as Buffer | undefined;
    if (!data) return null;
    const index = UserSearchIndex.fromStored(this.db, accountId, data, this.searchIndexFoldAt);
    // Of another layout (an older console stored it): never to be read.
    if (!index) this.deleteStored(accountId);
    else {
      this.readStored.add(accountId);
      this.soon();
    }
    return index;
  }

  /**
   * Before a write that will patch the index (a small one, outside a larger transaction) while the
   * account has none in memory: the stored one, if any, is read now and patched by the write.
   * Otherwise the write's trigger would delete it, and the next search build the index from the
   * rows: a start's delta sync usually writes before the table's first search.
   */
  private loadStoredBefore(accountId: string, changes: number): void {
    if (this.indexes.has(accountId) || changes > SMALL_CHANGE || this.db.inTransaction) return;
    const stored = this.storedIndex(accountId);
    // Already marked: a stored index exists only while its mark does (the same triggers delete
    // both, and only a marked index is stored).
    if (stored) this.indexes.set(accountId, stored);
  }

  /**
   * Marks the account's index in memory as having seen every write to its users (migration 12, a
   * row of kind `mark` beside the stored index):
   * set when it is built or read from the file, kept by this console's own writes (each sets it
   * again inside its transaction when it was set), deleted by the triggers with any other write.
   * Only a marked index is stored at close. Never throws: an unmarked index is only not stored.
   */
  private markIndexed(accountId: string): void {
    try {
      this.stmt(`INSERT OR IGNORE INTO ${STORED_INDEXES} (account_id, kind, data) VALUES (?, ${STORED_KIND.mark}, x'')`).run(accountId);
    } catch {
      // Busy past the timeout: this index is not stored at close.
    }
  }

  private isMarked(accountId: string): boolean {
    return this.stmt(`SELECT 1 FROM ${STORED_INDEXES} WHERE account_id = ? AND kind = ${STORED_KIND.mark}`).get(accountId) !== undefined;
  }

  /** Deletes the account's stored index (not its mark). */
  private deleteStored(accountId: string): void {
    this.stmt(`DELETE FROM ${STORED_INDEXES} WHERE account_id = ? AND kind = ${STORED_KIND.index}`).run(accountId);
  }

  /** Deletes the stored indexes that were read (see `storedIndex`); a failure leaves them to the next write. */
  private deleteReadStored(): void {
    const accounts = [...this.readStored];
    this.readStored.clear();
    try {
      for (const account of accounts) this.deleteStored(account);
    } catch {
      // Busy past the timeout: the index stays stored until a write to the users deletes it.
    }
  }

  /**
   * At close: stores each account's index that has its mark (it has seen every write to the
   * account's users since it was built, see `markIndexed`), unless a first fill has not ended or
   * the copy read at this start is still there (no write came since). Never throws: a start
   * without a stored index builds it from the rows, as before.
   */
  private storeIndexes(): void {
    for (const [accountId, index] of this.indexes) {
      try {
        if (this.filling.has(accountId) || this.getFillState(accountId) !== null || !this.isMarked(accountId)) continue;
        // Read at this start and not written since (a write would have deleted it): still true.
        if (this.readStored.has(accountId) && this.stmt(`SELECT 1 FROM ${STORED_INDEXES} WHERE account_id = ? AND kind = ${STORED_KIND.index}`).get(accountId)) continue;
        this.stmt(`INSERT OR REPLACE INTO ${STORED_INDEXES} (account_id, kind, data) VALUES (?, ${STORED_KIND.index}, ?)`).run(accountId, index.toStored());
      } catch {
        // Not stored: the next start builds the index from the rows.
      }
    }
  }

  // ---- the first fill of an account (see fill-worker.ts) ----------------------------------

  /** The account's fill, while one runs or after one was interrupted (null once it completed). */
  getFillState(accountId: string): FillState | null {
    const raw = this.getMeta(fillStateKey(accountId));
    if (!raw) return null;
    try {
      return JSON.parse(raw) as FillState;
    } catch {
      return null;
    }
  }

  /**
   * Whether this connection checkpoints at its commits (SQLite's automatic checkpoint, from 1 000
   * pages of WAL; the default). Off while a fresh fill's writer owns the WAL, which it checkpoints
   * once at its end: the first commit of this thread after a 100 000-user fill (the sync's queues
   * and cursor) would otherwise copy the whole fill into the file here, 0.3 s before the sync answers.
   */
  setAutoCheckpoint(on: boolean): void {
    this.db.pragma(`wal_autocheckpoint = ${on ? AUTO_CHECKPOINT_PAGES : 0}`);
  }

  /** Whether a fresh fill of the account runs and nothing but it has written the account's users since it began. */
  isFillUntouched(accountId: string): boolean {
    return this.filling.has(accountId);
  }

  /** Forgets the account's fill (it completed). */
  clearFillState(accountId: string): void {
    this.db.prepare('DELETE FROM meta WHERE key = ?').run(fillStateKey(accountId));
  }

  /**
   * A fill is about to write the account's users from another connection. A fresh fill starts
   * the search index empty (the worker clears the account), a resumed one keeps it; each
   * committed batch then goes through `applyFillBatch`, so the index is ready when the fill ends.
   */
  beginFill(accountId: string, fresh: boolean): void {
    if (fresh) {
      const index = new UserSearchIndex(this.db, accountId, this.searchIndexFoldAt);
      this.indexes.set(accountId, index);
      this.filling.set(accountId, index);
      this.counts.set(accountId, 0);
    } else this.filling.delete(accountId);
  }

  /**
   * The fill finished. `nameOrder` (the worker's sort of the account by name, see fill-protocol.ts)
   * becomes the index's name order, so the table's first search sorts nothing; only when nothing
   * but the fill wrote the account's users meanwhile (a save during the fill would be missing from
   * it), and only if it names exactly the index's users.
   */
  endFill(accountId: string, nameOrder: Float64Array | null): void {
    const index = this.filling.get(accountId);
    this.filling.delete(accountId);
    if (nameOrder && index && this.indexes.get(accountId) === index) index.adoptOrder('name', nameOrder);
    if (this.indexes.has(accountId)) {
      // The index holds every batch the fill committed, and this console's writes meanwhile.
      this.markIndexed(accountId);
      // The fill's texts are joined in idle time, not by the first delta sync after it.
      this.settleSoon(accountId);
    }
  }

  /** A batch the fill worker committed: the index and the count follow it. */
  applyFillBatch(accountId: string, batch: { count: number; rows: IndexRows; deletedIds: string[] }): void {
    const index = this.indexes.get(accountId);
    if (index && !index.apply(batch.rows)) this.indexes.delete(accountId);
    else if (index && batch.deletedIds.length) index.applyDeletes(batch.deletedIds);
    this.counts.set(accountId, batch.count);
  }

  /** Drops what the main thread derived from an account's rows (after another connection wrote them). */
  forget(accountId: string): void {
    this.indexes.delete(accountId);
    this.filling.delete(accountId);
    this.counts.delete(accountId);
  }

  // ---- queues and extensions -------------------------------------------------------------

  /**
   * Issue 10: the platform's tags (ETags) of the queue and extension lists this cache holds, per
   * account key, set by a sync right after it stored a list, kept in memory only. Any other write
   * to a list forgets its tag, so a 304 never stands for a list the cache no longer holds as it
   * was answered.
   */
  private readonly catalogTags = new Map<string, { queues?: string; extensions?: string }>();

  /** The tags of the lists last stored by a sync and not written since (undefined: ask for the whole list). */
  catalogTagsOf(accountId: string): { queues?: string; extensions?: string } {
    return { ...this.catalogTags.get(accountId) };
  }

  /** Records the tag of a list a sync has just stored (call it right after the write's commit); null forgets it. */
  tagCatalog(accountId: string, list: 'queues' | 'extensions', tag: string | null): void {
    const tags = { ...this.catalogTags.get(accountId) };
    if (tag === null) delete tags[list];
    else tags[list] = tag;
    this.catalogTags.set(accountId, tags);
  }

  /** Replaces an account's queues (refreshed on each sync). */
  replaceQueues(accountId: string, queues: readonly QueueSummary[]): void {
    this.tagCatalog(accountId, 'queues', null);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM queues WHERE account_id = ?').run(accountId);
      const ins = this.db.prepare('INSERT INTO queues (account_id, id, name, data) VALUES (?, ?, ?, ?)');
      for (const q of queues) ins.run(accountId, q.id, q.name, JSON.stringify(q));
    })();
  }

  upsertQueue(accountId: string, queue: QueueSummary): void {
    this.tagCatalog(accountId, 'queues', null);
    this.db
      .prepare('INSERT INTO queues (account_id, id, name, data) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE SET name = excluded.name, data = excluded.data')
      .run(accountId, queue.id, queue.name, JSON.stringify(queue));
  }

  listQueues(accountId: string): QueueSummary[] {
    const rows = this.db.prepare('SELECT data FROM queues WHERE account_id = ? ORDER BY name, id').pluck().all(accountId) as string[];
    return rows.map((d) => {
      const stored = JSON.parse(d) as Queue | QueueSummary;
      // A queue cached by an earlier console, with its member list.
      return 'memberIds' in stored ? queueSummary(stored) : stored;
    });
  }

  /** Replaces an account's extensions (refreshed on each sync). */
  replaceExtensions(accountId: string, extensions: readonly Extension[]): void {
    this.tagCatalog(accountId, 'extensions', null);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM extensions WHERE account_id = ?').run(accountId);
      const ins = this.db.prepare('INSERT INTO extensions (account_id, id, number, data) VALUES (?, ?, ?, ?)');
      for (const e of extensions) ins.run(accountId, e.id, e.number, JSON.stringify(e));
    })();
  }

  listExtensions(accountId: string): Extension[] {
    const rows = this.db.prepare('SELECT data FROM extensions WHERE account_id = ? ORDER BY number, id').pluck().all(accountId) as string[];
    return rows.map((d) => JSON.parse(d) as Extension);
  }
}

class TooNewError extends Error {
  constructor(version: number) {
    super(`cache file version ${version} is newer than ${CACHE_SCHEMA_VERSION}`);
  }
}

/** The meta key of an account's value. */
function accountMetaKey(name: string, accountId: string): string {
  return `${name}:${accountId}`;
}
