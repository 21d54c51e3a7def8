/**
 * Schema migrations of the console's cache file, applied in order and recorded in
 * `PRAGMA user_version`. Append only: never edit a migration that has shipped.
 */
import type Database from 'better-sqlite3';
import { READINESS_ITEMS, computeReadiness } from '../../src-shared/domain-core';
import type { User } from '../../src-shared/domain';
import { accountKey } from './account-key';

/** Migration `i` brings the file from user_version `i` to `i + 1`. */
export const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  // 1: base tables. Users keep their JSON plus denormalized columns for filters and sorting.
  (db) => {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE accounts (id TEXT PRIMARY KEY, data TEXT NOT NULL) STRICT;
      CREATE TABLE sync_state (
        account_id TEXT PRIMARY KEY,
        cursor TEXT,
        last_sync_at TEXT
      ) STRICT;
      CREATE TABLE users (
        rid INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        id TEXT NOT NULL,
        data TEXT NOT NULL,
        name_key TEXT NOT NULL,
        login_key TEXT NOT NULL,
        email_key TEXT NOT NULL,
        search_text TEXT NOT NULL,
        profile TEXT NOT NULL,
        active INTEGER NOT NULL,
        webrtc INTEGER NOT NULL,
        omnichannel INTEGER NOT NULL,
        password_set INTEGER NOT NULL,
        has_extension INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        UNIQUE (account_id, id)
      ) STRICT;
      CREATE INDEX users_by_name ON users (account_id, name_key, id);
      CREATE INDEX users_by_login ON users (account_id, login_key, id);
      CREATE INDEX users_by_email ON users (account_id, email_key, id);
      CREATE INDEX users_by_updated ON users (account_id, updated_at, id);
      CREATE TABLE user_queues (
        account_id TEXT NOT NULL,
        queue_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        PRIMARY KEY (account_id, queue_id, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX user_queues_by_user ON user_queues (account_id, user_id);
      CREATE TABLE queues (account_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (account_id, id)) STRICT;
      CREATE TABLE extensions (account_id TEXT NOT NULL, id TEXT NOT NULL, number TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (account_id, id)) STRICT;
    `);
  },
  // 2: R7 readiness as columns (ready, bit mask of missing items) so filters need no JSON parsing;
  // existing rows are backfilled from their stored JSON.
  (db) => {
    db.exec(`
      ALTER TABLE users ADD COLUMN ready INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE users ADD COLUMN missing_mask INTEGER NOT NULL DEFAULT 0;
    `);
    const update = db.prepare('UPDATE users SET ready = ?, missing_mask = ? WHERE rid = ?');
    for (const [rid, data] of db.prepare('SELECT rid, data FROM users').raw().all() as Array<[number, string]>) {
      const readiness = computeReadiness(JSON.parse(data) as User);
      const mask = readiness.missing.reduce((m, item) => m | (1 << READINESS_ITEMS.indexOf(item)), 0);
      update.run(readiness.ready ? 1 : 0, mask, rid);
    }
  },
  // 3: sorting happens in the in-memory search index, so the four sort indexes only slowed writes
  // (a full sync of 100 000 users spent about a third of its write time maintaining them).
  (db) => {
    db.exec(`
      DROP INDEX users_by_name;
      DROP INDEX users_by_login;
      DROP INDEX users_by_email;
      DROP INDEX users_by_updated;
    `);
  },
  // 4: C6: every row is keyed by platform and account (`accountKey()` in account-key.ts), in the
  // same `account_id` columns. Rows of an account whose platform the file recorded (the last sync's
  // `sync.platform.<id>`) are re-keyed; rows nobody can attribute are dropped (the platform refills
  // them at the next sign-in), never shown to whoever signs in next.
  (db) => {
    const platforms = new Map(
      (db.prepare("SELECT substr(key, 15) AS account, value FROM meta WHERE key LIKE 'sync.platform.%'").raw().all() as Array<[string, string]>).map(([a, p]) => [a, p]),
    );
    for (const table of ['users', 'user_queues', 'queues', 'extensions', 'sync_state', 'accounts']) {
      // A file set back to this version by a test has no links table any more (migration 7).
      if (!hasTable(db, table)) continue;
      const column = table === 'accounts' ? 'id' : 'account_id';
      const ids = db.prepare(`SELECT DISTINCT ${column} FROM ${table}`).pluck().all() as string[];
      for (const id of ids) {
        const platform = platforms.get(id);
        if (platform === undefined) db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`).run(id);
        else db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ?`).run(accountKey(platform, id), id);
      }
    }
    db.prepare("DELETE FROM meta WHERE key LIKE 'sync.platform.%'").run();
  },
  // 5: R7 readiness applies to agents only, a self-managed user needs no password, and one link
  // (extension or queue) is enough: the stored readiness columns are recomputed with that rule.
  (db) => {
    const update = db.prepare('UPDATE users SET ready = ?, missing_mask = ? WHERE rid = ?');
    for (const [rid, data] of db.prepare('SELECT rid, data FROM users').raw().all() as Array<[number, string]>) {
      const readiness = computeReadiness(JSON.parse(data) as User);
      const mask = readiness.missing.reduce((m, item) => m | (1 << READINESS_ITEMS.indexOf(item)), 0);
      update.run(readiness.ready ? 1 : 0, mask, rid);
    }
  },
  // 6: issue 11 local history. When a synced user is replaced by a newer version, a trigger keeps
  // the version it replaces (its JSON and the platform's updatedAt), at most the 20 latest versions
  // per user; a first sync inserts and keeps nothing, so only real changes cost a write. The
  // account-wide bound and the removal with the account's data are in console-cache.ts. IF NOT EXISTS:
  // a file set back to an older user_version (tests of older migrations) runs it again.
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS user_versions (
        account_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (account_id, user_id, version)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS user_versions_by_age ON user_versions (account_id, updated_at);
      CREATE TRIGGER IF NOT EXISTS users_keep_version AFTER UPDATE OF data ON users
      WHEN old.version < new.version
      BEGIN
        INSERT OR IGNORE INTO user_versions (account_id, user_id, version, updated_at, data)
          VALUES (old.account_id, old.id, old.version, old.updated_at, old.data);
        DELETE FROM user_versions WHERE account_id = old.account_id AND user_id = old.id AND version IN (
          SELECT version FROM user_versions WHERE account_id = old.account_id AND user_id = old.id ORDER BY version DESC LIMIT -1 OFFSET 20
        );
      END;
    `);
  },
  // 7: issue 10: a user's queue links are a column of its row (`queue_ids`, see `queueIdsText` in user-search-index.ts), not
  // rows of their own: the links table cost two B-tree inserts a link with random keys, about
  // 3-6 s of a first sync of 100 000 agents in two queues each, more than the users themselves.
  (db) => {
    // (Checked, like 6: a file set back to an older user_version by a test runs it again.)
    const columns = db.prepare("SELECT name FROM pragma_table_info('users')").pluck().all() as string[];
    if (!columns.includes('queue_ids')) db.exec("ALTER TABLE users ADD COLUMN queue_ids TEXT NOT NULL DEFAULT ''");
    if (!hasTable(db, 'user_queues')) return;
    db.exec(`
      UPDATE users SET queue_ids = char(1) || (
        SELECT group_concat(queue_id, char(1)) FROM user_queues q WHERE q.account_id = users.account_id AND q.user_id = users.id
      ) || char(1)
      WHERE EXISTS (SELECT 1 FROM user_queues q WHERE q.account_id = users.account_id AND q.user_id = users.id);
      DROP TABLE user_queues;
    `);
  },
  // 8: issue 10: a user's key, (account_id, id), is a unique index of its own (`users_key`), no
  // longer the table's constraint, so that an account's first fill can drop it while it inserts
  // and build it once at the end (`ensureUserKey`): kept up to date insert by insert, with random
  // ids, it cost a third of the fill's SQLite time. The table is rebuilt with the same columns.
  (db) => {
    const columns = (db.prepare("SELECT name FROM pragma_table_info('users')").pluck().all() as string[]).join(', ');
    // The table's triggers (migration 6's history) go with it: the same ones are made again.
    const triggers = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'users'").pluck().all() as string[];
    db.exec(`
      CREATE TABLE users_new (
        rid INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        id TEXT NOT NULL,
        data TEXT NOT NULL,
        name_key TEXT NOT NULL,
        login_key TEXT NOT NULL,
        email_key TEXT NOT NULL,
        search_text TEXT NOT NULL DEFAULT '', -- (a file set back from 13, which has none)
        profile TEXT NOT NULL,
        active INTEGER NOT NULL,
        webrtc INTEGER NOT NULL,
        omnichannel INTEGER NOT NULL,
        password_set INTEGER NOT NULL,
        has_extension INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        ready INTEGER NOT NULL DEFAULT 0,
        missing_mask INTEGER NOT NULL DEFAULT 0,
        queue_ids TEXT NOT NULL DEFAULT ''
      ) STRICT;
      INSERT INTO users_new (${columns}) SELECT ${columns} FROM users;
      DROP TABLE users;
      ALTER TABLE users_new RENAME TO users;
    `);
    ensureUserKey(db);
    for (const trigger of triggers) db.exec(trigger);
  },
  // 9: issue 10: the local history's rows are stored in the order they are written (a rowid table,
  // `seq`), its key (account, user, version) a unique index, and no index by age. As a WITHOUT
  // ROWID table keyed by user, each replaced version (its whole JSON) went into a random page, and
  // its by-age entry into another: a delta sync of 100 renamed users at 100 000 wrote twice the
  // pages its users did (about 8-13 ms against 3.6-4.4 ms this way). The account-wide bound drops the
  // versions written first (see `boundHistory`). Checked, like 6: a file set back runs it again.
  (db) => {
    const columns = db.prepare("SELECT name FROM pragma_table_info('user_versions')").pluck().all() as string[];
    if (!columns.includes('seq')) {
      // The trigger names the table: dropped while the table is replaced, then made again as it was.
      const triggers = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'users'").pluck().all() as string[];
      db.exec('DROP TRIGGER IF EXISTS users_keep_version');
      db.exec(`
        CREATE TABLE user_versions_new (
          seq INTEGER PRIMARY KEY,
          account_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          version INTEGER NOT NULL,
          updated_at TEXT NOT NULL,
          data TEXT NOT NULL
        ) STRICT;
        INSERT INTO user_versions_new (account_id, user_id, version, updated_at, data)
          SELECT account_id, user_id, version, updated_at, data FROM user_versions ORDER BY updated_at, user_id, version;
        DROP TABLE user_versions;
        ALTER TABLE user_versions_new RENAME TO user_versions;
      `);
      for (const trigger of triggers) db.exec(trigger);
    }
    db.exec(`
      DROP INDEX IF EXISTS user_versions_by_age;
      CREATE UNIQUE INDEX IF NOT EXISTS user_versions_key ON user_versions (account_id, user_id, version);
    `);
  },
  // 10: issue 10: the trigger logs a replaced version into `user_versions_recent`, a rowid table
  // with no index, and the console moves the log into `user_versions` (its key index, the bounds
  // per user and per account) in idle time after the write (`ConsoleCache.keepLoggedVersions`):
  // the key index's random inserts and the per-user trim cost a delta sync of 100 renamed users
  // about 2 of its 5 ms of SQLite. The log is written in the same transaction as the users row it
  // came from, so a console that stops before a move leaves it for the next open to move.
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS user_versions_recent (
        seq INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      DROP TRIGGER IF EXISTS users_keep_version;
      CREATE TRIGGER users_keep_version AFTER UPDATE OF data ON users
      WHEN old.version < new.version
      BEGIN
        INSERT INTO user_versions_recent (account_id, user_id, version, updated_at, data)
          VALUES (old.account_id, old.id, old.version, old.updated_at, old.data);
      END;
    `);
  },
  // 11: issue 10: an account's search index, stored when the console closes (`ConsoleCache.close`)
  // and read by the next start's first search instead of being built from the users rows (0.6-0.9 s
  // at 100 000 users). Any write to an account's users deletes its stored index in the same
  // transaction (the triggers, whichever connection writes), so a stored index is always of the
  // users as they are; and `migrate` deletes every stored index after any migration.
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS ${STORED_INDEXES} (account_id TEXT PRIMARY KEY, data BLOB NOT NULL) STRICT;
      CREATE TRIGGER IF NOT EXISTS users_insert_stales_index AFTER INSERT ON users
      BEGIN
        DELETE FROM ${STORED_INDEXES} WHERE account_id = new.account_id;
      END;
      CREATE TRIGGER IF NOT EXISTS users_update_stales_index AFTER UPDATE ON users
      BEGIN
        DELETE FROM ${STORED_INDEXES} WHERE account_id IN (old.account_id, new.account_id);
      END;
      CREATE TRIGGER IF NOT EXISTS users_delete_stales_index AFTER DELETE ON users
      BEGIN
        DELETE FROM ${STORED_INDEXES} WHERE account_id = old.account_id;
      END;
    `);
  },
  // 12: issue 10: beside each account's stored index, a mark (a row of kind 1) that its search
  // index in memory has seen every write to its users since it was built: `ConsoleCache.close`
  // stores only such an index. The console sets it when it builds an index and again inside each of
  // its own writes; the triggers delete every row of the account, so a write by another connection
  // the console was not told of (an update in place by another process, which the row count and ids
  // would not show) leaves it unset. The table is made again with the kind in its key (it only
  // holds what the next close stores again).
  (db) => {
    db.exec(`
      DROP TABLE IF EXISTS ${STORED_INDEXES};
      CREATE TABLE ${STORED_INDEXES} (account_id TEXT NOT NULL, kind INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (account_id, kind)) STRICT;
    `);
  },
  // 13: issue 10: no `search_text` column. It was the three key columns joined (`joinSearchKeys`),
  // which the search index now joins itself (from the file, `SEARCH_TEXT_SQL`): one string value
  // less bound per written row and about 6 % less of the table (a first fill of 100 000 users
  // writes 5 MB less). Dropping it rewrites the rows in place; the table's triggers do not name it.
  // Checked, like 6 (and 8 gives the column a default, for a file set back from here).
  (db) => {
    const columns = db.prepare("SELECT name FROM pragma_table_info('users')").pluck().all() as string[];
    if (columns.includes('search_text')) db.exec('ALTER TABLE users DROP COLUMN search_text');
  },
];

/** The table of stored search indexes (migration 11). */
export const STORED_INDEXES = 'search_indexes';
/** Kinds of rows in `STORED_INDEXES` (migration 12): a stored index, and the mark of an index in memory that has seen every write. */
export const STORED_KIND = { index: 0, mark: 1 } as const;

/** The users' key index (migration 8). */
export const USER_KEY_INDEX = 'users_key';

/**
 * Builds the users' unique key index if it is missing, in one transaction: after a first fill that
 * dropped it (at its end, or at the next open when the fill was killed). A user written twice
 * meanwhile (the main thread saved a user the fill had not reached yet) keeps its newest row.
 * Answers how many rows were dropped that way.
 */
export function ensureUserKey(db: Database.Database): number {
  const create = `CREATE UNIQUE INDEX IF NOT EXISTS ${USER_KEY_INDEX} ON users (account_id, id)`;
  return db.transaction(() => {
    try {
      db.exec(create);
      return 0;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    const dropped = db
      .prepare(
        `DELETE FROM users WHERE rid IN (
           SELECT rid FROM (
             SELECT rid, row_number() OVER (PARTITION BY account_id, id ORDER BY version DESC, rid DESC) AS n FROM users
           ) WHERE n > 1)`,
      )
      .run().changes;
    db.exec(create);
    return dropped;
  })();
}

/** Whether a SQLite error is a unique key refusing a second row. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The schema version this build writes. A file with a higher one is from a newer console. */
export const CACHE_SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the pending migrations up to `target`, each in its own transaction. */
export function migrate(db: Database.Database, target = CACHE_SCHEMA_VERSION): void {
  let version = db.pragma('user_version', { simple: true }) as number;
  while (version < target) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from cache version ${version}`);
    db.transaction(() => {
      step(db);
      db.pragma(`user_version = ${version + 1}`);
      // A migration may change the users rows without their triggers (a table rebuilt).
      if (hasTable(db, STORED_INDEXES)) db.exec(`DELETE FROM ${STORED_INDEXES}`);
    })();
    version += 1;
  }
}
