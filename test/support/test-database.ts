/**
 * A fresh, empty platform database for one test: a SQLite file in its own temp folder, or, in the
 * `integration-pg` project (whose global setup provides a PostgreSQL server, see
 * postgres-global-setup.ts), a schema of its own on that server. Tests read it back through
 * `query`, written once in SQLite's `?` style.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { PG_TYPES } from '../../src-platform/db/database';

/** The PostgreSQL server this test project runs on (`integration-pg`), or undefined (SQLite). */
export const TEST_POSTGRES_URL: string | undefined = process.env.PLATFORM_TEST_DIALECT === 'postgres' ? inject('postgresUrl') : undefined;

/** One test's database. */
export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  /** What `startPlatform` / `openDatabase` take: the SQLite file or the PostgreSQL URL. */
  target: string;
  /** A temp folder of this test (the SQLite file lives there). */
  dir: string;
  /** SQL on the database with `?` placeholders; rows as the platform reads them (0/1, ISO strings). */
  query<T>(statement: string, ...params: unknown[]): Promise<T[]>;
  /** Removes the database (file or schema). */
  drop(): Promise<void>;
}

/** `?` placeholders to PostgreSQL's `$1, $2…` (outside quoted strings). */
export function toPostgresPlaceholders(statement: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of statement) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

/** Creates a database for one test (see the file comment for which kind). */
export async function createTestDatabase(options: { postgresUrl?: string | undefined } = {}): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'omni-platform-'));
  const serverUrl = 'postgresUrl' in options ? options.postgresUrl : TEST_POSTGRES_URL;
  if (!serverUrl) {
    const file = path.join(dir, 'platform.sqlite');
    return {
      dialect: 'sqlite',
      target: file,
      dir,
      async query<T>(statement: string, ...params: unknown[]) {
        const db = new BetterSqlite3(file, { fileMustExist: true });
        try {
          const prepared = db.prepare(statement);
          return (prepared.reader ? prepared.all(...params) : (prepared.run(...params), [])) as T[];
        } finally {
          db.close();
        }
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`create schema ${schema}`));
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const target = url.toString();
  return {
    dialect: 'postgres',
    target,
    dir,
    query: <T>(statement: string, ...params: unknown[]) =>
      withClient(target, async (c) => (await c.query(toPostgresPlaceholders(statement), params)).rows as T[]),
    async drop() {
      await withClient(serverUrl, (c) => c.query(`drop schema if exists ${schema} cascade`));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types: PG_TYPES });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
