import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accountKey } from '../../../../src-main/cache/account-key';
import { CACHE_FILE_NAME, ConsoleCache } from '../../../../src-main/cache/console-cache';
import { CACHE_SCHEMA_VERSION, MIGRATIONS, STORED_INDEXES, migrate } from '../../../../src-main/cache/migrations';

/** Migration 11's triggers. */
const STORED_INDEX_TRIGGERS = ['users_insert_stales_index', 'users_update_stales_index', 'users_delete_stales_index'];
import { makeUser, tempDir } from '../../../support/console-fixtures';

const dirs: Array<() => void> = [];
afterEach(() => dirs.splice(0).forEach((c) => c()));
function dataDir() {
  const t = tempDir();
  dirs.push(t.cleanup);
  return t.dir;
}

const ACC = 'acc-1';

/** A second connection to the cache's file, for looking at what `ConsoleCache` keeps to itself. */
function peek<T>(cache: ConsoleCache, look: (db: Database.Database) => T): T {
  const db = new Database(cache.file);
  try {
    return look(db);
  } finally {
    db.close();
  }
}

function seeded(dir = dataDir()) {
  const cache = new ConsoleCache(dir);
  cache.upsertUsers(ACC, [
    makeUser({ id: 'u1', name: 'José Antônio', login: 'jose.antonio', email: 'jose@acme.com', profile: 'agent', webrtcEnabled: true, omnichannelEnabled: true, passwordSet: true, extension: { id: 'e1', number: '2001' } }),
    makeUser({ id: 'u2', name: 'Maria Souza', login: 'msouza', email: 'maria@acme.com', profile: 'administrator', webrtcEnabled: true, voiceQueueIds: ['q1'] }),
    makeUser({ id: 'u3', name: 'Ana Lima', login: 'ana', email: 'ana.lima@other.org', profile: 'agent', active: false, chatQueueIds: ['q2'] }),
    makeUser({ id: 'u4', name: 'Zé Carlos', login: 'zecarlos', email: 'ze@acme.com', profile: 'supervisor', updatedAt: '2026-03-01T00:00:00.000Z' }),
  ]);
  cache.upsertUsers('acc-2', [makeUser({ id: 'x1', accountId: 'acc-2', name: 'José Outro' })]);
  return cache;
}

describe('ConsoleCache', () => {
  it("C1 (issue 10): with its automatic checkpoint off (a fresh fill's writer owns the WAL), a commit of more than 1 000 pages stays in the WAL; back on, the next commit copies it into the file", () => {
    const cache = new ConsoleCache(dataDir());
    const fileSize = () => statSync(cache.file).size;
    const many = Array.from({ length: 10_000 }, (_, i) => makeUser({ id: `u-${i}`, name: `Pessoa ${i}`, email: `pessoa.${i}@acme.com` }));
    const before = fileSize();
    cache.setAutoCheckpoint(false);
    cache.upsertUsers(ACC, many);
    expect(statSync(`${cache.file}-wal`).size).toBeGreaterThan(1000 * 4096);
    expect(fileSize()).toBe(before);
    cache.setAutoCheckpoint(true);
    cache.upsertUsers(ACC, [makeUser({ id: 'u-last', name: 'Pessoa Final' })]);
    expect(fileSize()).toBeGreaterThan(before + 1000 * 4096);
    expect(cache.countUsers(ACC)).toBe(10_001);
    cache.close();
  });

  it('C1 (issue 10): once checkpointed, the WAL file holds only what was written since, so its size says when the next checkpoint is due', () => {
    const cache = new ConsoleCache(dataDir());
    const walSize = () => statSync(`${cache.file}-wal`).size;
    cache.upsertUsers(ACC, Array.from({ length: 3_000 }, (_, i) => makeUser({ id: `u-${i}`, name: `Pessoa ${i}`, email: `pessoa.${i}@acme.com` })));
    expect(walSize()).toBeGreaterThan(1024 * 1024);
    // As the checkpointer thread does it: passive, from its own connection.
    const [done] = peek(cache, (db) => db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>);
    expect(done!.checkpointed).toBe(done!.log);
    // The next commit starts the WAL again, and the file keeps only its frames.
    cache.upsertUsers(ACC, [makeUser({ id: 'u-next', name: 'Pessoa Seguinte' })]);
    expect(walSize()).toBeLessThan(64 * 1024);
    expect(cache.countUsers(ACC)).toBe(3_001);
    cache.close();
  });

  it('C1: opens one WAL file with explicit pragmas at the latest schema version', () => {
    const dir = dataDir();
    const cache = new ConsoleCache(dir);
    expect(cache.file).toBe(join(dir, CACHE_FILE_NAME));
    peek(cache, (db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_SCHEMA_VERSION);
    });
    // Per-connection pragmas can only be read on the cache's own connection, which it keeps private.
    const own = (cache as unknown as { db: Database.Database }).db;
    expect(own.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(own.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(cache.recovery).toBeNull();
    cache.close();
  });

  it('C1: migrates a version-1 file in place, keeping its users and backfilling their readiness columns', () => {
    const dir = dataDir();
    const v1 = new Database(join(dir, CACHE_FILE_NAME));
    migrate(v1, 1);
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    // Users written by a version-1 console (no readiness columns yet).
    const insert = v1.prepare(
      `INSERT INTO users (account_id, id, data, name_key, login_key, email_key, search_text, profile, active, webrtc, omnichannel, password_set, has_extension, updated_at, version)
       VALUES ('acc-1', ?, ?, ?, ?, ?, ?, 'agent', 1, ?, ?, ?, ?, '2026-01-01', 1)`,
    );
    const bia = makeUser({ id: 'u9', name: 'Beatriz', login: 'bia', email: 'bia@acme.com' });
    const ready = makeUser({ id: 'u8', name: 'Pronta', login: 'pronta', email: 'p@acme.com', webrtcEnabled: true, omnichannelEnabled: true, passwordSet: true, chatQueueIds: ['q2'] });
    for (const u of [bia, ready]) {
      const keys = [u.name.toLowerCase(), u.login, u.email];
      insert.run(u.id, JSON.stringify(u), ...keys, keys.join('\n'), +u.webrtcEnabled, +u.omnichannelEnabled, +u.passwordSet, +!!u.extension);
    }
    // The platform its last sync came from (C6: migration 4 keys the rows by it).
    v1.prepare("INSERT INTO meta (key, value) VALUES ('sync.platform.acc-1', 'embedded')").run();
    v1.close();
    const cache = new ConsoleCache(dir);
    expect(cache.recovery).toBeNull();
    expect(peek(cache, (db) => db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    const key = accountKey('embedded', ACC);
    expect(cache.searchUsers(key, { query: 'atri' }).items.map((u) => u.id)).toEqual(['u9']);
    expect(cache.searchUsers(key, { filters: { ready: true } }).items.map((u) => u.id)).toEqual(['u8']);
    expect(cache.searchUsers(key, { filters: { missing: 'password' } }).items.map((u) => u.id)).toEqual(['u9']);
    cache.close();
  });

  it('issue 9 class 12 / C6: migration 4 keys rows by platform and account, and drops rows no platform can be named for', () => {
    const dir = dataDir();
    const v3 = new Database(join(dir, CACHE_FILE_NAME));
    migrate(v3, 3);
    v3.close();
    // Migration 4 changes keys, not tables: a cache object set back to version 3 writes old rows.
    const old = new ConsoleCache(dir);
    peek(old, (db) => db.pragma('user_version = 3'));
    // Written by a console before C6: rows keyed by the bare account id.
    old.upsertUsers('acc-1', [makeUser({ id: 'u1' })]);
    old.upsertUsers('acc-2', [makeUser({ id: 'u2', accountId: 'acc-2' })]);
    old.replaceQueues('acc-2', [{ id: 'q', accountId: 'acc-2', kind: 'voice', channel: 'voice', name: 'Q', memberCount: 0, version: 1, createdAt: 'x', updatedAt: 'x' }]);
    old.setSyncState('acc-2', { cursor: 'c', lastSyncAt: '2026-01-01T00:00:00.000Z' });
    old.setMeta('sync.platform.acc-1', 'https://platform.example');
    old.close();

    const cache = new ConsoleCache(dir);
    const key = accountKey('https://platform.example', 'acc-1');
    expect(cache.searchUsers(key, {}).items.map((u) => u.id)).toEqual(['u1']);
    for (const bare of ['acc-1', 'acc-2']) expect(cache.countUsers(bare)).toBe(0);
    expect(peek(cache, (db) => db.prepare('SELECT count(*) FROM queues').pluck().get())).toBe(0);
    expect(peek(cache, (db) => db.prepare('SELECT count(*) FROM sync_state').pluck().get())).toBe(0);
    expect(cache.getMeta('sync.platform.acc-1')).toBeNull();
    cache.close();
  });

  it('R7/R11: migrating a version-4 file recomputes readiness (a self-managed agent without a password becomes ready)', () => {
    const dir = dataDir();
    const v4 = new Database(join(dir, CACHE_FILE_NAME));
    migrate(v4, 4);
    const key = accountKey('embedded', ACC);
    const sso = makeUser({ id: 'u7', name: 'Sofia', login: 'sofia', email: 's@acme.com', selfManaged: true, webrtcEnabled: true, omnichannelEnabled: true, chatQueueIds: ['q2'] });
    // As a version-4 console stored it: not ready, missing the password.
    v4.prepare(
      `INSERT INTO users (account_id, id, data, name_key, login_key, email_key, search_text, profile, active, webrtc, omnichannel, password_set, has_extension, updated_at, version, ready, missing_mask)
       VALUES (?, 'u7', ?, 'sofia', 'sofia', 's@acme.com', 'sofia', 'agent', 1, 1, 1, 0, 0, '2026-01-01', 1, 0, 4)`,
    ).run(key, JSON.stringify(sso));
    v4.close();
    const cache = new ConsoleCache(dir);
    expect(cache.searchUsers(key, { filters: { ready: true } }).items.map((u) => u.id)).toEqual(['u7']);
    expect(cache.searchUsers(key, { filters: { missing: 'password' } }).items).toEqual([]);
    cache.close();
  });

  it('issue 10: migrating a version-6 file moves the queue links into the users rows (the queue filter still finds them)', () => {
    const dir = dataDir();
    const v6 = new Database(join(dir, CACHE_FILE_NAME));
    migrate(v6, 6);
    const key = accountKey('embedded', ACC);
    const insert = v6.prepare(
      `INSERT INTO users (account_id, id, data, name_key, login_key, email_key, search_text, profile, active, webrtc, omnichannel, password_set, has_extension, updated_at, version, ready, missing_mask)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'agent', 1, 1, 1, 1, 0, '2026-01-01', 1, 1, 0)`,
    );
    const link = v6.prepare('INSERT INTO user_queues (account_id, queue_id, user_id) VALUES (?, ?, ?)');
    for (const [id, queues] of [['u1', ['q1', 'q2']], ['u2', ['q2']], ['u3', []]] as const) {
      insert.run(key, id, JSON.stringify(makeUser({ id, name: id, voiceQueueIds: [...queues] })), id, id, `${id}@acme.com`, id);
      for (const q of queues) link.run(key, q, id);
    }
    v6.close();
    const cache = new ConsoleCache(dir);
    const inQueue = (queueId: string) => cache.searchUsers(key, { filters: { queueId } }).items.map((u) => u.id);
    expect(inQueue('q1')).toEqual(['u1']);
    expect(inQueue('q2')).toEqual(['u1', 'u2']);
    expect(inQueue('q')).toEqual([]);
    expect(peek(cache, (db) => db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'user_queues'").pluck().get())).toBe(0);
    cache.close();
  });

  it('C1 (issue 10): migrating a version-7 file makes the users\' key an index of its own (still unique), keeping rows, history and trigger', () => {
    const dir = dataDir();
    // A file with users and history, set back to version 7's table (the key as the table's constraint).
    const old = new ConsoleCache(dir);
    old.upsertUsers(ACC, [makeUser({ id: 'u1', name: 'Ana', version: 1 }), makeUser({ id: 'u2', name: 'Bia', voiceQueueIds: ['q1'] })]);
    old.upsertUsers(ACC, [makeUser({ id: 'u1', name: 'Ana Nova', version: 2 })]);
    old.close();
    const back = new Database(join(dir, CACHE_FILE_NAME));
    const trigger = back.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'users_keep_version'").pluck().get() as string;
    back.exec(`
      CREATE TABLE users_v7 AS SELECT * FROM users;
      DROP TABLE users;
      CREATE TABLE users (rid INTEGER PRIMARY KEY, account_id TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, name_key TEXT NOT NULL,
        login_key TEXT NOT NULL, email_key TEXT NOT NULL, search_text TEXT NOT NULL, profile TEXT NOT NULL, active INTEGER NOT NULL,
        webrtc INTEGER NOT NULL, omnichannel INTEGER NOT NULL, password_set INTEGER NOT NULL, has_extension INTEGER NOT NULL,
        updated_at TEXT NOT NULL, version INTEGER NOT NULL, ready INTEGER NOT NULL DEFAULT 0, missing_mask INTEGER NOT NULL DEFAULT 0,
        queue_ids TEXT NOT NULL DEFAULT '', UNIQUE (account_id, id)) STRICT;
      INSERT INTO users SELECT rid, account_id, id, data, name_key, login_key, email_key, name_key || char(10) || login_key || char(10) || email_key,
        profile, active, webrtc, omnichannel, password_set, has_extension, updated_at, version, ready, missing_mask, queue_ids FROM users_v7;
      DROP TABLE users_v7;
    `);
    back.exec(trigger);
    back.pragma('user_version = 7');
    back.close();
    const cache = new ConsoleCache(dir); // migration 8 runs here
    expect(cache.searchUsers(ACC, { query: 'ana nova' }).items.map((u) => u.id)).toEqual(['u1']);
    expect(cache.searchUsers(ACC, { filters: { queueId: 'q1' } }).items.map((u) => u.id)).toEqual(['u2']);
    peek(cache, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_SCHEMA_VERSION);
      // The key is an index now (no table constraint), unique.
      expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_users%'").pluck().get()).toBe(0);
      expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'users_key'").pluck().get()).toMatch(/CREATE UNIQUE INDEX users_key ON users \(account_id, id\)/);
      expect(() => db.prepare("INSERT INTO users SELECT NULL, account_id, id, data, name_key, login_key, email_key, profile, active, webrtc, omnichannel, password_set, has_extension, updated_at, version, ready, missing_mask, queue_ids FROM users WHERE id = 'u2'").run()).toThrow(/UNIQUE/);
    });
    // The history trigger came along: a newer version keeps the one it replaces.
    cache.upsertUsers(ACC, [makeUser({ id: 'u1', name: 'Ana Terceira', version: 3 })]);
    expect(cache.userHistory(ACC, 'u1').map((h) => h.version)).toEqual([3, 2, 1]);
    cache.close();
  });

  it('issue 10: migrating a version-8 file stores the history in write order (a rowid table, its key an index), keeping every version and the trigger', () => {
    const dir = dataDir();
    const old = new ConsoleCache(dir);
    const u1 = makeUser({ id: 'u1', name: 'Ana', version: 1, updatedAt: '2026-01-02T00:00:00.000Z' });
    const u2 = makeUser({ id: 'u2', name: 'Bia', version: 1, updatedAt: '2026-01-01T00:00:00.000Z' });
    old.upsertUsers(ACC, [u1, u2]);
    old.upsertUsers(ACC, [{ ...u2, name: 'Bia 2', version: 2, updatedAt: '2026-01-03T00:00:00.000Z' }]);
    old.upsertUsers(ACC, [{ ...u1, name: 'Ana 2', version: 2, updatedAt: '2026-01-04T00:00:00.000Z' }]);
    old.close();
    // Version 8's table: WITHOUT ROWID, keyed by user, with an index by age.
    const back = new Database(join(dir, CACHE_FILE_NAME));
    const trigger = back.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'users_keep_version'").pluck().get() as string;
    back.exec(`
      DROP TRIGGER users_keep_version;
      CREATE TABLE v8 (account_id TEXT NOT NULL, user_id TEXT NOT NULL, version INTEGER NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (account_id, user_id, version)) STRICT, WITHOUT ROWID;
      INSERT INTO v8 SELECT account_id, user_id, version, updated_at, data FROM user_versions;
      DROP TABLE user_versions;
      ALTER TABLE v8 RENAME TO user_versions;
      CREATE INDEX user_versions_by_age ON user_versions (account_id, updated_at);
    `);
    back.exec(trigger);
    // Nor had version 8 the stored indexes (migrations 11 and 12).
    back.exec(`DROP TABLE ${STORED_INDEXES}; ${STORED_INDEX_TRIGGERS.map((t) => `DROP TRIGGER ${t};`).join(' ')}`);
    back.pragma('user_version = 8');
    back.close();
    const cache = new ConsoleCache(dir, { historyLimit: 2 }); // migration 9 runs here
    peek(cache, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_SCHEMA_VERSION);
      expect(db.prepare("SELECT name FROM pragma_table_info('user_versions')").pluck().all()).toEqual(['seq', 'account_id', 'user_id', 'version', 'updated_at', 'data']);
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'user_versions'").pluck().all()).toEqual(['user_versions_key']);
      // Carried over oldest first: u2's version 1 (January 1st), then u1's (January 2nd).
      expect(db.prepare('SELECT user_id, version FROM user_versions ORDER BY seq').all()).toEqual([
        { user_id: 'u2', version: 1 },
        { user_id: 'u1', version: 1 },
      ]);
    });
    expect(cache.userHistory(ACC, 'u1').map((h) => [h.version, h.user.name])).toEqual([
      [2, 'Ana 2'],
      [1, 'Ana'],
    ]);
    // The trigger still keeps a replaced version (logged, then moved: migration 10), once (the key
    // is unique), and the bound (2 here) drops the versions written first.
    cache.upsertUsers(ACC, [{ ...u2, name: 'Bia 3', version: 3, updatedAt: '2026-01-05T00:00:00.000Z' }]);
    expect(cache.userHistory(ACC, 'u2').map((h) => h.version)).toEqual([3, 2]);
    peek(cache, (db) => {
      expect(db.prepare('SELECT user_id, version FROM user_versions ORDER BY seq').all()).toEqual([
        { user_id: 'u1', version: 1 },
        { user_id: 'u2', version: 2 },
      ]);
      expect(() => db.prepare("INSERT INTO user_versions (account_id, user_id, version, updated_at, data) VALUES (?, 'u2', 2, '', '{}')").run(ACC)).toThrow(/UNIQUE/);
    });
    cache.close();
  });

  it("C1 (issue 10): migrating a version-12 file drops the users' search_text column (the search index joins the three keys itself), keeping rows, row ids and search", () => {
    const dir = dataDir();
    const old = new ConsoleCache(dir);
    old.upsertUsers(ACC, [
      makeUser({ id: 'u1', name: 'José Antônio', login: 'jose.antonio', email: 'jose@acme.com' }),
      makeUser({ id: 'u2', name: 'Maria Souza', login: 'msouza', email: 'maria@other.org' }),
    ]);
    old.close();
    // Version 12's table: the search text stored beside the keys.
    const back = new Database(join(dir, CACHE_FILE_NAME));
    const rids = back.prepare('SELECT id, rid FROM users ORDER BY id').raw().all();
    back.exec(`
      ALTER TABLE users ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
      UPDATE users SET search_text = name_key || char(10) || login_key || char(10) || email_key;
    `);
    back.pragma('user_version = 12');
    back.close();
    const cache = new ConsoleCache(dir); // migration 13 runs here; the index is built from the rows
    peek(cache, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_SCHEMA_VERSION);
      expect(db.prepare("SELECT name FROM pragma_table_info('users')").pluck().all()).not.toContain('search_text');
      expect(db.prepare('SELECT id, rid FROM users ORDER BY id').raw().all()).toEqual(rids);
    });
    expect(cache.searchUsers(ACC, { query: 'jose antonio' }).items.map((u) => u.id)).toEqual(['u1']);
    expect(cache.searchUsers(ACC, { query: 'msouza' }).items.map((u) => u.id)).toEqual(['u2']);
    expect(cache.searchUsers(ACC, { query: 'other.org' }).items.map((u) => u.id)).toEqual(['u2']);
    cache.close();
  });

  it('C1 (issue 10): with the users\' key index gone (a first fill is writing), saves still write one row per user; a user written twice keeps its newest row when the index is built again', () => {
    const dir = dataDir();
    const cache = new ConsoleCache(dir);
    cache.upsertUsers(ACC, [makeUser({ id: 'u1', name: 'Ana', version: 1 }), makeUser({ id: 'u2', name: 'Bia', version: 5 })]);
    peek(cache, (db) => db.exec('DROP INDEX users_key'));
    // Replaced, kept (an older copy), and inserted, without the index.
    cache.upsertUsers(ACC, [makeUser({ id: 'u1', name: 'Ana Dois', version: 2 }), makeUser({ id: 'u2', name: 'Bia Velha', version: 4 }), makeUser({ id: 'u3', name: 'Caio' })]);
    expect(cache.searchUsers(ACC, {}).items.map((u) => [u.id, u.name])).toEqual([
      ['u1', 'Ana Dois'],
      ['u2', 'Bia'],
      ['u3', 'Caio'],
    ]);
    // The fill writes a user the save wrote too (a plain insert, no index to refuse it).
    peek(cache, (db) => {
      const copy = (id: string, version: number, name: string) =>
        db.prepare(
          `INSERT INTO users SELECT NULL, account_id, id, json_set(data, '$.name', ?, '$.version', ?), name_key, login_key, email_key, profile, active, webrtc, omnichannel, password_set, has_extension, updated_at, ?, ready, missing_mask, queue_ids FROM users WHERE id = ?`,
        ).run(name, version, version, id);
      copy('u1', 1, 'Ana Velha'); // older than the saved one
      copy('u3', 9, 'Caio Novo'); // newer
    });
    expect(cache.ensureUserKey()).toBe(2);
    expect(cache.ensureUserKey()).toBe(0);
    cache.close();
    const reopened = new ConsoleCache(dir);
    expect(reopened.searchUsers(ACC, {}).items.map((u) => [u.id, u.name, u.version])).toEqual([
      ['u1', 'Ana Dois', 2],
      ['u2', 'Bia', 5],
      ['u3', 'Caio Novo', 9],
    ]);
    reopened.close();
  });

  it('C1 (issue 10): a cache file left without the users\' key index (a first fill killed) gets it back when opened', () => {
    const dir = dataDir();
    const first = new ConsoleCache(dir);
    first.upsertUsers(ACC, [makeUser({ id: 'u1' })]);
    first.close();
    const killed = new Database(join(dir, CACHE_FILE_NAME));
    killed.exec('DROP INDEX users_key');
    killed.close();
    const cache = new ConsoleCache(dir);
    expect(peek(cache, (db) => db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'users_key'").pluck().get())).toBe(1);
    cache.close();
  });

  it('C1: a corrupt cache file is set aside and rebuilt empty, never a crash', () => {
    const dir = dataDir();
    writeFileSync(join(dir, CACHE_FILE_NAME), Buffer.from('this is not a sqlite database'.repeat(200)));
    const cache = new ConsoleCache(dir, { now: () => new Date(1_700_000_000_000) });
    expect(cache.recovery).toEqual({ reason: 'corrupt', movedTo: join(dir, `${CACHE_FILE_NAME}.corrupt-1700000000000`) });
    expect(existsSync(cache.recovery!.movedTo)).toBe(true);
    expect(cache.countUsers(ACC)).toBe(0);
    cache.upsertUsers(ACC, [makeUser({ id: 'u1' })]);
    expect(cache.countUsers(ACC)).toBe(1);
    cache.close();
  });

  it('C1: a damaged page inside a real cache file is detected and the file rebuilt', () => {
    const dir = dataDir();
    const first = seeded(dir);
    first.upsertUsers(ACC, Array.from({ length: 2000 }, (_, i) => makeUser({ id: `bulk${i}`, name: `Bulk ${i} ${'x'.repeat(200)}` })));
    first.close(); // the last connection's close checkpoints the WAL into the file
    const file = join(dir, CACHE_FILE_NAME);
    const bytes = readFileSync(file);
    // Overwrite pages in the middle of the file (keep the header valid).
    bytes.fill(0xa5, 8192, bytes.length - 4096);
    writeFileSync(file, bytes);
    const cache = new ConsoleCache(dir);
    expect(cache.recovery?.reason).toBe('corrupt');
    expect(cache.countUsers(ACC)).toBe(0);
    cache.close();
  });

  it('C1: a file from a newer console is set aside, not downgraded', () => {
    const dir = dataDir();
    const db = new Database(join(dir, CACHE_FILE_NAME));
    db.pragma(`user_version = ${CACHE_SCHEMA_VERSION + 5}`);
    db.close();
    const cache = new ConsoleCache(dir);
    expect(cache.recovery?.reason).toBe('too_new');
    expect(readdirSync(dir).some((f) => f.startsWith(`${CACHE_FILE_NAME}.newer-`))).toBe(true);
    expect(peek(cache, (db) => db.pragma('user_version', { simple: true }))).toBe(CACHE_SCHEMA_VERSION);
    cache.close();
  });

  it('searches name, login and email by prefix and substring, accent- and case-insensitive, within the account', () => {
    const cache = seeded();
    const ids = (query: string) => cache.searchUsers(ACC, { query }).items.map((u) => u.id);
    expect(ids('jose')).toEqual(['u1']);
    expect(ids('JOSÉ')).toEqual(['u1']);
    expect(ids('antonio')).toEqual(['u1']);
    expect(ids('souz')).toEqual(['u2']);
    expect(ids('@acme')).toEqual(['u1', 'u2', 'u4']);
    expect(ids('ze')).toEqual(['u4']);
    expect(ids('an')).toEqual(['u3', 'u1']);
    expect(ids('lima@other')).toEqual(['u3']);
    expect(ids('%')).toEqual([]);
    expect(ids('"')).toEqual([]);
    expect(ids('')).toHaveLength(4);
    cache.close();
  });

  it('R7: filters by profile, omnichannel, WebRTC, extension, queue, readiness, missing item and active', () => {
    const cache = seeded();
    const ids = (filters: object) => cache.searchUsers(ACC, { filters }).items.map((u) => u.id);
    expect(ids({ profile: 'agent' })).toEqual(['u3', 'u1']);
    expect(ids({ omnichannel: true })).toEqual(['u1']);
    expect(ids({ webrtc: true })).toEqual(['u1', 'u2']);
    expect(ids({ hasExtension: true })).toEqual(['u1']);
    expect(ids({ queueId: 'q1' })).toEqual(['u2']);
    expect(ids({ queueId: 'q2' })).toEqual(['u3']);
    expect(ids({ ready: true })).toEqual(['u1']);
    // R7: readiness is about agents; one link (u3's chat queue) makes the other links optional.
    expect(ids({ missing: 'chatQueues' })).toEqual([]);
    expect(ids({ missing: 'password' })).toEqual(['u3']);
    expect(ids({ ready: false })).toEqual(['u3']);
    expect(ids({ ready: false, profile: 'administrator' })).toEqual([]);
    expect(ids({ active: false })).toEqual(['u3']);
    const row = cache.searchUsers(ACC, { query: 'maria' }).items[0]!;
    expect(row.readiness).toMatchObject({ applies: false, missing: [], ready: false });
    cache.close();
  });

  it('sorts and pages with a total for a virtualized list', () => {
    const cache = seeded();
    const page = cache.searchUsers(ACC, { sort: { by: 'login', dir: 'desc' }, offset: 1, limit: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((u) => u.login)).toEqual(['msouza', 'jose.antonio']);
    const byUpdated = cache.searchUsers(ACC, { sort: { by: 'updatedAt', dir: 'desc' }, limit: 1 });
    expect(byUpdated.items[0]!.id).toBe('u4');
    cache.close();
  });

  it('C2: the user count stays true through inserts, updates, deletes and a rolled-back batch', () => {
    const cache = seeded();
    expect(cache.countUsers(ACC)).toBe(4);
    cache.upsertUsers(ACC, [makeUser({ id: 'u1', name: 'José Renomeado', version: 2 }), makeUser({ id: 'u5', name: 'Nova' })]);
    expect(cache.countUsers(ACC)).toBe(5);
    cache.deleteUsers(ACC, ['u2', 'u3']);
    expect(cache.countUsers(ACC)).toBe(3);
    expect(() =>
      cache.transaction(() => {
        cache.upsertUsers(ACC, [makeUser({ id: 'u6' }), makeUser({ id: 'u7' })]);
        expect(cache.countUsers(ACC)).toBe(5);
        throw new Error('sync page failed');
      }),
    ).toThrow('sync page failed');
    expect(cache.countUsers(ACC)).toBe(3);
    // Small batches keep the count by bookkeeping: a repeated id, an older copy, an unknown delete.
    cache.upsertUsers(ACC, [makeUser({ id: 'u8' }), makeUser({ id: 'u8', name: 'Again' }), makeUser({ id: 'u1', version: 1 })]);
    cache.deleteUsers(ACC, ['nobody', 'u4']);
    expect(cache.countUsers(ACC)).toBe(3);
    expect(cache.countUsers(ACC)).toBe(peek(cache, (db) => db.prepare('SELECT count(*) FROM users WHERE account_id = ?').pluck().get(ACC)));
    cache.upsertUsers(ACC, Array.from({ length: 300 }, (_, i) => makeUser({ id: `bulk${i}` })));
    expect(cache.countUsers(ACC)).toBe(303);
    cache.upsertUsers(ACC, Array.from({ length: 1500 }, (_, i) => makeUser({ id: `big${i}` })));
    expect(cache.countUsers(ACC)).toBe(1803);
    expect(cache.countUsers('acc-2')).toBe(1);
  });

  it('C2: upserts replace a user and its search keys; deletes remove it from search and queue filters', () => {
    const cache = seeded();
    cache.upsertUsers(ACC, [makeUser({ id: 'u2', name: 'Mariana Reis', login: 'mreis', email: 'mreis@acme.com', version: 2 })]);
    expect(cache.searchUsers(ACC, { query: 'souza' }).total).toBe(0);
    expect(cache.searchUsers(ACC, { query: 'reis' }).items.map((u) => u.id)).toEqual(['u2']);
    expect(cache.searchUsers(ACC, { filters: { queueId: 'q1' } }).total).toBe(0);
    cache.deleteUsers(ACC, ['u2', 'u3']);
    expect(cache.countUsers(ACC)).toBe(2);
    expect(cache.searchUsers(ACC, { query: 'reis' }).total).toBe(0);
    expect(cache.searchUsers(ACC, { filters: { queueId: 'q2' } }).total).toBe(0);
    expect(cache.getUser(ACC, 'u3')).toBeNull();
    cache.close();
  });

  it('C2: an older copy of a user never replaces a newer one (a sync page racing a save)', () => {
    const cache = seeded();
    cache.upsertUsers(ACC, [makeUser({ id: 'u2', name: 'Maria Nova', version: 5, voiceQueueIds: ['q9'] })]);
    cache.upsertUsers(ACC, [makeUser({ id: 'u2', name: 'Maria Velha', version: 4, voiceQueueIds: ['q1'] })]);
    expect(cache.getUser(ACC, 'u2')).toMatchObject({ name: 'Maria Nova', version: 5 });
    expect(cache.searchUsers(ACC, { filters: { queueId: 'q9' } }).items.map((u) => u.id)).toEqual(['u2']);
    expect(cache.searchUsers(ACC, { filters: { queueId: 'q1' } }).total).toBe(0);
    cache.close();
  });

  it('keeps sync state, queues, extensions and settings per account', () => {
    const cache = seeded();
    cache.setSyncState(ACC, { cursor: '42', lastSyncAt: '2026-01-02T00:00:00.000Z' });
    expect(cache.getSyncState(ACC)).toEqual({ cursor: '42', lastSyncAt: '2026-01-02T00:00:00.000Z' });
    expect(cache.getSyncState('acc-2')).toEqual({ cursor: null, lastSyncAt: null });
    cache.replaceExtensions(ACC, [{ id: 'e2', accountId: ACC, number: '2002', userId: null }, { id: 'e1', accountId: ACC, number: '2001', userId: 'u1' }]);
    expect(cache.listExtensions(ACC).map((e) => e.number)).toEqual(['2001', '2002']);
    expect(cache.listExtensions('acc-2')).toEqual([]);
    cache.setMeta('settings.locale', 'en');
    expect(cache.getMeta('settings.locale')).toBe('en');
    cache.close();
  });
});

describe('ConsoleCache local history (issue 11)', () => {
  it('keeps the versions a synced user replaced, newest first; a first sync and a same-version write keep nothing', () => {
    const cache = new ConsoleCache(dataDir());
    const v1 = makeUser({ id: 'u1', name: 'Um', version: 1, updatedAt: '2026-01-01T00:00:00.000Z' });
    cache.upsertUsers(ACC, [v1]);
    cache.upsertUsers(ACC, [v1]);
    expect(cache.userHistory(ACC, 'u1').map((v) => v.version)).toEqual([1]);
    cache.upsertUsers(ACC, [{ ...v1, name: 'Dois', version: 2, updatedAt: '2026-01-02T00:00:00.000Z' }]);
    // An older copy arriving late changes nothing (C2) and keeps nothing.
    cache.upsertUsers(ACC, [v1]);
    cache.upsertUsers(ACC, [{ ...v1, name: 'Quatro', version: 4, updatedAt: '2026-01-04T00:00:00.000Z' }]);
    expect(cache.userHistory(ACC, 'u1').map((v) => [v.version, v.user.name, v.updatedAt])).toEqual([
      [4, 'Quatro', '2026-01-04T00:00:00.000Z'],
      [2, 'Dois', '2026-01-02T00:00:00.000Z'],
      [1, 'Um', '2026-01-01T00:00:00.000Z'],
    ]);
    expect(cache.userHistory(ACC, 'nobody')).toEqual([]);
    cache.close();
  });

  it('C6: history is per account key; deleting a user (C2) or removing the account takes its history with it', () => {
    const cache = new ConsoleCache(dataDir());
    const user = makeUser({ id: 'u1', name: 'Primeiro Nome Xy', version: 1 });
    cache.upsertUsers(ACC, [user]);
    cache.upsertUsers(ACC, [{ ...user, name: 'Segundo', version: 2 }]);
    cache.upsertUsers('acc-2', [{ ...user, accountId: 'acc-2', name: 'Outra Conta', version: 1 }]);
    expect(cache.userHistory('acc-2', 'u1').map((v) => v.user.name)).toEqual(['Outra Conta']);
    cache.removeAccount(ACC);
    expect(cache.userHistory(ACC, 'u1')).toEqual([]);
    expect(peek(cache, (db) => db.prepare('SELECT count(*) FROM user_versions').pluck().get())).toBe(0);
    expect(readFileSync(cache.file).toString('latin1')).not.toContain('Primeiro Nome Xy');
    cache.upsertUsers('acc-2', [{ ...user, accountId: 'acc-2', name: 'Outra 2', version: 2 }]);
    cache.deleteUsers('acc-2', ['u1']);
    expect(peek(cache, (db) => db.prepare('SELECT count(*) FROM user_versions').pluck().get())).toBe(0);
    cache.close();
  });

  it('is bounded: at most 20 versions per user, and the account-wide limit drops the oldest changes first', () => {
    const cache = new ConsoleCache(dataDir(), { historyLimit: 30 });
    const user = makeUser({ id: 'u1', version: 1 });
    for (let v = 1; v <= 26; v++) cache.upsertUsers(ACC, [{ ...user, name: `v${v}`, version: v, updatedAt: `2026-01-01T00:00:${String(v).padStart(2, '0')}.000Z` }]);
    // The cached version and the 20 latest it replaced.
    expect(cache.userHistory(ACC, 'u1').map((v) => v.version)).toEqual(Array.from({ length: 21 }, (_, i) => 26 - i));
    const other = makeUser({ id: 'u2', version: 1 });
    for (let v = 1; v <= 16; v++) cache.upsertUsers(ACC, [{ ...other, version: v, updatedAt: `2026-02-01T00:00:${String(v).padStart(2, '0')}.000Z` }]);
    expect(cache.userHistory(ACC, 'u2')).toHaveLength(16);
    const kept = peek(cache, (db) => db.prepare('SELECT user_id, version FROM user_versions WHERE account_id = ? ORDER BY updated_at').all(ACC) as { user_id: string; version: number }[]);
    expect(kept.length).toBeLessThanOrEqual(30);
    // The oldest changes (u1's) went first; u2's recent ones are all there.
    expect(kept.filter((r) => r.user_id === 'u2')).toHaveLength(15);
    expect(kept[0]).toMatchObject({ user_id: 'u1' });
    expect(kept[0]!.version).toBeGreaterThan(6);
    cache.close();
  });

  it('issue 10: a replaced version is logged with its users row and moved into the history in idle time; a console stopped before the move leaves it for the next open', async () => {
    const dir = dataDir();
    const cache = new ConsoleCache(dir);
    const user = makeUser({ id: 'u1', name: 'v1', version: 1 });
    const counts = (c: ConsoleCache) =>
      peek(c, (db) => [db.prepare('SELECT count(*) FROM user_versions_recent').pluck().get(), db.prepare('SELECT count(*) FROM user_versions').pluck().get()]);
    cache.upsertUsers(ACC, [user]);
    cache.upsertUsers(ACC, [{ ...user, name: 'v2', version: 2 }]);
    // Logged in the write, nothing else.
    expect(counts(cache)).toEqual([1, 0]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(counts(cache)).toEqual([0, 1]);
    // 25 versions logged before one move: the user keeps its 20 latest.
    for (let v = 3; v <= 27; v++) cache.upsertUsers(ACC, [{ ...user, name: `v${v}`, version: v }]);
    expect(counts(cache)).toEqual([25, 1]);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(counts(cache)).toEqual([0, 20]);
    expect(cache.userHistory(ACC, 'u1').map((h) => h.version)).toEqual(Array.from({ length: 21 }, (_, i) => 27 - i));
    // Stopped right after a write (the connection closed, no move): the next open moves the log.
    cache.upsertUsers(ACC, [{ ...user, name: 'v28', version: 28 }]);
    (cache as unknown as { db: Database.Database }).db.close();
    const reopened = new ConsoleCache(dir);
    expect(counts(reopened)).toEqual([0, 20]);
    expect(reopened.userHistory(ACC, 'u1').map((h) => [h.version, h.user.name]).slice(0, 2)).toEqual([
      [28, 'v28'],
      [27, 'v27'],
    ]);
    reopened.close();
  });

  it('issue 10: migrating a version-9 file logs replaced versions instead of keeping them in the write, keeping the history it had', () => {
    const dir = dataDir();
    const old = new ConsoleCache(dir);
    const user = makeUser({ id: 'u1', name: 'Ana', version: 1 });
    old.upsertUsers(ACC, [user]);
    old.upsertUsers(ACC, [{ ...user, name: 'Ana 2', version: 2 }]);
    old.close();
    // Version 9: no log, the trigger keeps the version in the history itself.
    const back = new Database(join(dir, CACHE_FILE_NAME));
    back.exec(`
      DROP TRIGGER users_keep_version;
      DROP TABLE user_versions_recent;
      CREATE TRIGGER users_keep_version AFTER UPDATE OF data ON users WHEN old.version < new.version BEGIN
        INSERT OR IGNORE INTO user_versions (account_id, user_id, version, updated_at, data) VALUES (old.account_id, old.id, old.version, old.updated_at, old.data);
      END;
    `);
    back.pragma('user_version = 9');
    back.close();
    const cache = new ConsoleCache(dir);
    cache.upsertUsers(ACC, [{ ...user, name: 'Ana 3', version: 3 }]);
    peek(cache, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(CACHE_SCHEMA_VERSION);
      expect(db.prepare('SELECT user_id, version FROM user_versions_recent').all()).toEqual([{ user_id: 'u1', version: 2 }]);
      expect(db.prepare('SELECT user_id, version FROM user_versions').all()).toEqual([{ user_id: 'u1', version: 1 }]);
    });
    expect(cache.userHistory(ACC, 'u1').map((h) => [h.version, h.user.name])).toEqual([
      [3, 'Ana 3'],
      [2, 'Ana 2'],
      [1, 'Ana'],
    ]);
    cache.close();
  });

  it('C2/C6 (issue 10): versions still in the log go with their deleted user, and with the account\'s data', async () => {
    const cache = new ConsoleCache(dataDir());
    const logged = () => peek(cache, (db) => db.prepare('SELECT user_id FROM user_versions_recent ORDER BY seq').pluck().all());
    const kept = () => peek(cache, (db) => db.prepare('SELECT user_id FROM user_versions ORDER BY seq').pluck().all());
    const u1 = makeUser({ id: 'u1', name: 'Nome Registrado Qz', version: 1 });
    const u2 = makeUser({ id: 'u2', name: 'Outro', version: 1 });
    cache.upsertUsers(ACC, [u1, u2]);
    cache.upsertUsers(ACC, [{ ...u1, name: 'Segundo', version: 2 }, { ...u2, name: 'Outro 2', version: 2 }]);
    expect(logged()).toEqual(['u1', 'u2']);
    // C2: a deleted user's logged version is not moved into the history afterwards.
    cache.deleteUsers(ACC, ['u2']);
    expect(logged()).toEqual(['u1']);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(kept()).toEqual(['u1']);
    // C6: removing the account takes what is still in the log.
    cache.upsertUsers(ACC, [{ ...u1, name: 'Terceiro', version: 3 }]);
    expect(logged()).toEqual(['u1']);
    cache.removeAccount(ACC);
    expect(logged()).toEqual([]);
    expect(kept()).toEqual([]);
    expect(readFileSync(cache.file).toString('latin1')).not.toContain('Nome Registrado Qz');
    cache.close();
  });
});
