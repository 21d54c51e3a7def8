/**
 * Opens the platform database: better-sqlite3 (WAL) behind Kysely, with migrations run at start.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from './migrations';
import type { Database } from './schema';

/** The platform's query builder over its database. */
export type Db = Kysely<Database>;

/** Opens (creating if needed) the SQLite file, sets pragmas and runs pending migrations. */
export async function openDatabase(file: string): Promise<Db> {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return db;
}

/** Takes the next value of the change sequence (C2); call inside the transaction that changes data. */
export async function nextChangeSeq(db: Db): Promise<number> {
  const row = await db
    .updateTable('meta')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('key', '=', 'change_seq')
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}
