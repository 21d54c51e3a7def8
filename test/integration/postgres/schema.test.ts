/**
 * Issue 12: the platform's migrations on PostgreSQL: the same ids as on SQLite, native column
 * types, and the values read back in the shapes the code expects on both dialects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-platform/db/database';
import { migrations } from '../../../src-platform/db/migrations';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

describe('PostgreSQL schema (issue 12)', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase();
    expect(database.dialect).toBe('postgres');
    db = await openDatabase(database.target);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('runs every migration under the same ids as SQLite, once (a second open applies nothing)', async () => {
    const applied = await database.query<{ name: string }>('select name from kysely_migration order by name');
    expect(applied.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    const again = await openDatabase(database.target);
    await again.destroy();
    expect(await database.query('select name from kysely_migration')).toHaveLength(applied.length);
  });

  it('gives booleans, instants and JSON their PostgreSQL types', async () => {
    const columns = await database.query<{ table_name: string; column_name: string; data_type: string }>(
      'select table_name, column_name, data_type from information_schema.columns where table_schema = current_schema()',
    );
    const type = (table: string, column: string) => columns.find((c) => c.table_name === table && c.column_name === column)?.data_type;
    expect(type('users', 'active')).toBe('boolean');
    expect(type('users', 'must_change_password')).toBe('boolean');
    expect(type('accounts', 'idp_enabled')).toBe('boolean');
    expect(type('users', 'updated_at')).toBe('timestamp with time zone');
    expect(type('sessions', 'expires_at')).toBe('timestamp with time zone');
    expect(type('outbox', 'next_attempt_at')).toBe('timestamp with time zone');
    expect(type('audit_entries', 'after_json')).toBe('jsonb');
    expect(type('idempotency_keys', 'response_json')).toBe('jsonb');
    // No column left as text that holds an instant.
    const textInstants = columns.filter((c) => /(_at|^at)$/.test(c.column_name) && c.data_type !== 'timestamp with time zone');
    expect(textInstants).toEqual([]);
  });

  it('reads values back as the code expects on both dialects (1/0, ISO strings, JSON text)', async () => {
    const at = '2026-03-04T05:06:07.089Z';
    await db.insertInto('accounts').values({ id: 'a1', slug: 'a1', name: 'A', idp_enabled: 1, idp_tenant_id: null, idp_client_id: null, idp_authority: null, created_at: at, kind: 'customer' }).execute();
    await db.insertInto('audit_entries').values({ id: 'e1', account_id: 'a1', at, actor_id: null, actor_name: null, action: 'x', target_type: 't', target_id: 'a1', before_json: null, after_json: '{"b":1,"a":[true]}' }).execute();
    const account = await db.selectFrom('accounts').selectAll().where('id', '=', 'a1').executeTakeFirstOrThrow();
    expect(account.idp_enabled).toBe(1);
    expect(account.created_at).toBe(at);
    const entry = await db.selectFrom('audit_entries').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(entry.after_json ?? 'null')).toEqual({ b: 1, a: [true] });
    // Instants compare as instants, whatever text the parameter is written in.
    const later = await db.selectFrom('accounts').select('id').where('id', '=', 'a1').where('created_at', '<', '2026-03-04T06:00:00+01:00').execute();
    expect(later).toEqual([]);
    const { n } = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '=', 'a1').executeTakeFirstOrThrow();
    expect(n).toBe(1);
  });

  it('opens while other schemas on the server come and go (other tests, other tenants): the migration check looks only at its own schema', async () => {
    // Kysely's introspector lists every schema's tables and calls pg_get_serial_sequence on each;
    // a schema dropped meanwhile failed the open with 'schema "t_…" does not exist' (seen in CI,
    // three test files at a time).
    const churn = await createTestDatabase();
    let stop = false;
    const churning = (async () => {
      let n = 0;
      while (!stop) {
        const name = `churn_${process.pid}_${n++}`;
        await churn.query(`create schema ${name}`);
        await churn.query(`create table ${name}.t (id serial primary key, a text, b text, c text)`);
        await churn.query(`drop schema ${name} cascade`);
      }
    })();
    try {
      for (let i = 0; i < 40; i++) {
        const again = await openDatabase(database.target);
        await again.destroy();
      }
    } finally {
      stop = true;
      await churning;
      await churn.drop();
    }
    // What it reports is this schema's tables, columns included.
    const opened = await openDatabase(database.target);
    try {
      const tables = await opened.introspection.getTables();
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([new URL(database.target).searchParams.get('options')!.split('=')[1]]));
      const users = tables.find((t) => t.name === 'users');
      expect(users?.columns.map((c) => c.name)).toContain('login');
      expect(tables.map((t) => t.name)).not.toContain('kysely_migration');
      expect((await opened.introspection.getTables({ withInternalKyselyTables: true })).map((t) => t.name)).toContain('kysely_migration');
    } finally {
      await opened.destroy();
    }
  }, 60_000);
});
