/**
 * Schema migrations of the console's cache file, applied in order and recorded in
 * `PRAGMA user_version`. Append only: never edit a migration that has shipped.
 */
import type Database from 'better-sqlite3';

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
        ready INTEGER NOT NULL,
        missing_mask INTEGER NOT NULL,
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
      CREATE TABLE queues (account_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (account_id, id)) STRICT;
      CREATE TABLE extensions (account_id TEXT NOT NULL, id TEXT NOT NULL, number TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (account_id, id)) STRICT;
    `);
  },
  // 2: substring search through an FTS5 trigram index kept in step with users by triggers.
  (db) => {
    db.exec(`
      CREATE VIRTUAL TABLE users_fts USING fts5(search_text, content='users', content_rowid='rid', tokenize='trigram');
      CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
        INSERT INTO users_fts (rowid, search_text) VALUES (new.rid, new.search_text);
      END;
      CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
        INSERT INTO users_fts (users_fts, rowid, search_text) VALUES ('delete', old.rid, old.search_text);
      END;
      CREATE TRIGGER users_fts_update AFTER UPDATE OF search_text ON users BEGIN
        INSERT INTO users_fts (users_fts, rowid, search_text) VALUES ('delete', old.rid, old.search_text);
        INSERT INTO users_fts (rowid, search_text) VALUES (new.rid, new.search_text);
      END;
      INSERT INTO users_fts (users_fts) VALUES ('rebuild');
    `);
  },
];

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
    })();
    version += 1;
  }
}
