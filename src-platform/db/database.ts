/**
 * Opens the platform database behind Kysely, with migrations run at start: a SQLite file
 * (better-sqlite3, WAL; the embedded default) or PostgreSQL (`postgres://…`, node-postgres pool;
 * several platform instances on one database).
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase, type SqliteStatement, type DatabaseIntrospector, type DatabaseMetadataOptions, type SchemaMetadata, type TableMetadata } from 'kysely';
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, Migrator } from 'kysely/migration';
import pg from 'pg';
import { isPostgresUrl } from './dialect';
import { migrations } from './migrations';
import type { Database } from './schema';

/** The platform's query builder over its database. */
export type Db = Kysely<Database>;

/** How the database is opened beyond its location. */
export interface OpenDatabaseOptions {
  /** PostgreSQL: most connections this process holds (default 10). */
  maxConnections?: number;
}

const BOOL_OID = 16;
const INT8_OID = 20;
const JSON_OID = 114;
const TIMESTAMPTZ_OID = 1184;
const JSONB_OID = 3802;

/**
 * node-postgres type parsers that read PostgreSQL's native columns in the shapes the SQLite schema
 * has (schema.ts): booleans as 1/0, instants as ISO-8601 UTC strings, JSON as its text, and
 * counts (bigint) as numbers.
 */
export const PG_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    switch (oid) {
      case BOOL_OID:
        return (value) => (value === 't' ? 1 : 0);
      case INT8_OID:
        return (value) => Number(value);
      case TIMESTAMPTZ_OID:
        return (value) => new Date(value).toISOString();
      case JSON_OID:
      case JSONB_OID:
        return (value) => value;
      default:
        return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
    }
  },
};

/**
 * Opens the database named by `target` and runs pending migrations: a `postgres://` URL opens a
 * PostgreSQL pool; anything else is a SQLite file path (created if needed).
 */
export async function openDatabase(target: string, options: OpenDatabaseOptions = {}): Promise<Db> {
  const postgres = isPostgresUrl(target);
  const db = postgres ? openPostgres(target, options) : openSqlite(target);
  // PostgreSQL: Kysely's migration tables live in the schema the platform works in (the first of
  // its search_path); unnamed, Kysely could take another schema's tables for its own.
  const migrationTableSchema = postgres ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return db;
}

function openSqlite(file: string): Db {
  const sqlite = new BetterSqlite3(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: preparedOnce(sqlite) }) });
}

/** Statements kept per connection: the platform's queries are a few hundred distinct texts. */
const PREPARED_KEPT = 500;

/**
 * The connection as Kysely's SQLite dialect sees it, with each query text prepared once and kept
 * (least recently used dropped first past `PREPARED_KEPT`): Kysely prepares every query it runs,
 * which cost about a millisecond of a users page here. A kept statement still busy (a streamed
 * query not finished) is never handed out twice: that query gets a statement of its own.
 */
export function preparedOnce(sqlite: BetterSqlite3.Database, kept = PREPARED_KEPT): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      const found = statements.get(text);
      if (found && !found.busy) {
        // Most recently used last: the map's first entry is the one to drop.
        statements.delete(text);
        statements.set(text, found);
        return found;
      }
      const statement = sqlite.prepare(text);
      if (found) return statement;
      statements.set(text, statement);
      if (statements.size > kept) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}

function openPostgres(url: string, options: OpenDatabaseOptions): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types: PG_TYPES });
  // An idle connection the server closed (restart, failover) must not crash the process; the pool
  // drops it and opens another on the next query.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
}

/**
 * PostgreSQL with an introspector that reads only the schema the platform works in. Kysely's own
 * lists the tables of every schema on the server (its Migrator asks it whether its tables exist)
 * and calls pg_get_serial_sequence on each: a schema another tenant or test dropped meanwhile
 * failed the platform's start with 'schema "…" does not exist'.
 */
class CurrentSchemaPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector { // eslint-disable-line @typescript-eslint/no-explicit-any -- Kysely's signature
    return new CurrentSchemaIntrospector(db);
  }
}

class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<any>) {} // eslint-disable-line @typescript-eslint/no-explicit-any -- Kysely's signature

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<SchemaMetadata>`select nspname as name from pg_catalog.pg_namespace`.execute(this.db);
    return rows;
  }

  async getTables(options: DatabaseMetadataOptions = { withInternalKyselyTables: false }): Promise<TableMetadata[]> {
    const { rows } = await sql<{ schema: string; table: string; kind: string; column: string; type: string; not_null: boolean; has_default: boolean; auto_incrementing: boolean }>`
      select n.nspname as schema, c.relname as table, c.relkind as kind, a.attname as column,
             format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null, a.atthasdef as has_default,
             a.attidentity <> '' or coalesce(pg_get_expr(d.adbin, d.adrelid) like 'nextval(%', false) as auto_incrementing
        from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
       where n.nspname = current_schema() and c.relkind in ('r', 'v', 'p', 'f')
       order by c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && (row.table === DEFAULT_MIGRATION_TABLE || row.table === DEFAULT_MIGRATION_LOCK_TABLE)) continue;
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.kind === 'v', isForeign: row.kind === 'f', columns: [] };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        isNullable: !row.not_null,
        hasDefaultValue: Boolean(row.has_default),
        isAutoIncrementing: Boolean(row.auto_incrementing),
      });
    }
    return [...tables.values()];
  }
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

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` already is one (a batch of user
 * changes runs the single-user functions inside its own transaction, issue 11; a keyed write runs
 * inside the transaction that also stores its Idempotency-Key answer, issue 16).
 */
export function transact<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
