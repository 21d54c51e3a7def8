/**
 * Issue 9 class 10: migration 0022 gives every user its case- and form-insensitive login and email
 * keys; rows that collide with an older row of the same account keep their values and are reported
 * in `identity_collisions` (nothing renamed, nothing deleted).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../src-platform/db/database';
import { migrations } from '../../../../src-platform/db/migrations';

/** A database as a platform before migration 0022 left it, with look-alike identities in one account. */
async function legacyDatabase(file: string): Promise<void> {
  const sqlite = new BetterSqlite3(file);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo('0021_retention_indexes');
  if (error) throw error;
  await db.destroy();
  const raw = new BetterSqlite3(file);
  const account = raw.prepare("INSERT INTO accounts (id, slug, name, idp_enabled, created_at, kind) VALUES (?, ?, ?, 0, '2026-01-01T00:00:00.000Z', 'customer')");
  account.run('acc-a', 'alpha', 'Alpha');
  account.run('acc-b', 'beta', 'Beta');
  const user = raw.prepare(
    `INSERT INTO users (id, account_id, name, email, login, search_text, profile, active, webrtc_enabled, omnichannel_enabled, password_hash, version, change_seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '', 'agent', 1, 1, 0, NULL, 1, ?, ?, ?)`,
  );
  user.run('maria-1', 'acc-a', 'Maria', 'maria@alpha.example', 'Maria', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  user.run('maria-2', 'acc-a', 'Maria Dois', 'MARIA@ALPHA.EXAMPLE', 'maria', 2, '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
  // Full-width letters fold to the plain ones (NFKC).
  user.run('maria-3', 'acc-a', 'Maria Três', 'maria3@alpha.example', '\uFF4D\uFF41\uFF52\uFF49\uFF41', 3, '2026-01-03T00:00:00.000Z', '2026-01-03T00:00:00.000Z');
  // Another account may hold the same login and email.
  user.run('maria-b', 'acc-b', 'Maria Beta', 'maria@alpha.example', 'maria', 4, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
  raw.close();
}

describe('migration 0022: identity keys', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.destroy();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('issue 9 class 10: keys are filled, the oldest row keeps each key, and every collision is reported', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'omni-identity-'));
    dirs.push(dir);
    const file = path.join(dir, 'p.sqlite');
    await legacyDatabase(file);
    const db = await openDatabase(file);
    dbs.push(db);

    const users = await db.selectFrom('users').select(['id', 'login', 'email', 'login_key', 'email_key']).where('id', 'like', 'maria%').orderBy('id').execute();
    expect(users).toEqual([
      { id: 'maria-1', login: 'Maria', email: 'maria@alpha.example', login_key: 'maria', email_key: 'maria@alpha.example' },
      { id: 'maria-2', login: 'maria', email: 'MARIA@ALPHA.EXAMPLE', login_key: null, email_key: null },
      { id: 'maria-3', login: '\uFF4D\uFF41\uFF52\uFF49\uFF41', email: 'maria3@alpha.example', login_key: null, email_key: 'maria3@alpha.example' },
      { id: 'maria-b', login: 'maria', email: 'maria@alpha.example', login_key: 'maria', email_key: 'maria@alpha.example' },
    ]);
    const collisions = await db.selectFrom('identity_collisions').select(['account_id', 'user_id', 'field', 'value', 'other_user_id', 'reason']).orderBy('user_id').orderBy('field').execute();
    expect(collisions).toEqual([
      { account_id: 'acc-a', user_id: 'maria-2', field: 'email', value: 'MARIA@ALPHA.EXAMPLE', other_user_id: 'maria-1', reason: 'duplicate_key' },
      { account_id: 'acc-a', user_id: 'maria-2', field: 'login', value: 'maria', other_user_id: 'maria-1', reason: 'duplicate_key' },
      { account_id: 'acc-a', user_id: 'maria-3', field: 'login', value: '\uFF4D\uFF41\uFF52\uFF49\uFF41', other_user_id: 'maria-1', reason: 'duplicate_key' },
    ]);
    // The unique index holds from now on.
    await expect(db.updateTable('users').set({ login_key: 'maria' }).where('id', '=', 'maria-2').execute()).rejects.toThrow(/UNIQUE/);
  });
});
