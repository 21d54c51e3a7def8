/**
 * The two databases the platform runs on: SQLite (embedded default, one process) and PostgreSQL
 * (`DATABASE_URL`, several instances). Queries are written once with Kysely; the few places where
 * the dialects differ ask `isPostgres` here, so the difference lives in one file.
 */
import { PostgresAdapter, sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';

/** Whether a database target names PostgreSQL (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** Whether a Kysely instance (or a transaction of it) talks to PostgreSQL. */
export function isPostgres<DB>(db: Kysely<DB>): boolean {
  // The adapter is the one dialect-specific object Kysely exposes on every instance and transaction.
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** `haystack` contains `needle` as plain text (no wildcards to escape): instr on SQLite, strpos on PostgreSQL. */
export function containsText<DB>(db: Kysely<DB>, haystack: Expression<string> | RawBuilder<string>, needle: string): RawBuilder<SqlBool> {
  return isPostgres(db) ? sql<SqlBool>`strpos(${haystack}, ${needle}) > 0` : sql<SqlBool>`instr(${haystack}, ${needle}) > 0`;
}

/**
 * Column types of a migration on each dialect. SQLite keeps what shipped (0/1 integers, ISO text);
 * PostgreSQL gets native types, read back in the same shapes by the pool's type parsers
 * (`PG_TYPES` in database.ts), so the code sees one schema.
 */
export function columnTypes(db: Kysely<unknown>) {
  const pg = isPostgres(db);
  return {
    /** true/false; read as 1/0 on both. */
    bool: pg ? ('boolean' as const) : ('integer' as const),
    /** The default of a bool column that starts false. */
    falseValue: pg ? false : 0,
    /** An instant; read as an ISO-8601 UTC string on both. */
    timestamp: pg ? ('timestamptz' as const) : ('text' as const),
    /** A JSON document; read as its text on both. */
    json: pg ? ('jsonb' as const) : ('text' as const),
  };
}
