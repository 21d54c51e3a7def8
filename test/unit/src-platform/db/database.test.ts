import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { nextChangeSeq, openDatabase, preparedOnce, type Db } from '../../../../src-platform/db/database';
import { bumpAccountUsers } from '../../../../src-platform/domain/user-changes';
import { generateUsers } from '../../../../src-platform/demo/generate';
import { migrations } from '../../../../src-platform/db/migrations';

describe('platform database', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  const open = async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'omni-db-'));
    dirs.push(dir);
    const file = path.join(dir, 'p.sqlite');
    const db = await openDatabase(file);
    dbs.push(db);
    return { db, file };
  };
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.destroy();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('R1: migrations are versioned, run once, and the file is in WAL mode', async () => {
    const { db, file } = await open();
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    const names = Object.keys(migrations);
    expect(names.slice(0, 5)).toEqual(['0001_initial', '0002_microsoft_identities', '0003_idempotency_expiry', '0004_outbox_retries', '0005_operator_scope']);
    // Numbered, run in name order (later work takes the next free number).
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{4}_[a-z0-9_]+$/);
    expect(names).toContain('0020_shared_login_limits');
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    const again = await openDatabase(file);
    dbs.push(again);
    expect((await sql<{ name: string }>`select name from kysely_migration`.execute(again)).rows.length).toBe(Object.keys(migrations).length);
  });

  it('C2: the change sequence only grows', async () => {
    const { db } = await open();
    const a = await nextChangeSeq(db);
    const b = await nextChangeSeq(db);
    expect(b).toBe(a + 1);
  });

  it('C2: bumping an account moves every user past the old cursor, in their previous order, with new versions', async () => {
    const { db } = await open();
    const at = new Date().toISOString();
    await db.insertInto('accounts').values({ id: 'a1', slug: 'a1', name: 'A', idp_enabled: 0, idp_tenant_id: null, idp_client_id: null, idp_authority: null, created_at: at, kind: 'customer' }).execute();
    await generateUsers(db, 'a1', 50);
    const before = await db.selectFrom('users').select(['id', 'change_seq', 'version']).orderBy('change_seq').execute();
    const cursor = Math.max(...before.map((u) => u.change_seq));
    await bumpAccountUsers(db, 'a1', new Date());
    const after = await db.selectFrom('users').select(['id', 'change_seq', 'version']).orderBy('change_seq').execute();
    expect(after.map((u) => u.id)).toEqual(before.map((u) => u.id));
    expect(after.every((u) => u.change_seq > cursor && u.version === 2)).toBe(true);
    expect(new Set(after.map((u) => u.change_seq)).size).toBe(50);
    expect(await nextChangeSeq(db)).toBe(Math.max(...after.map((u) => u.change_seq)) + 1);
  });

  it('a query text is prepared once and kept; a statement still streaming is never handed out twice; past the bound the least used goes', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'omni-db-'));
    dirs.push(dir);
    const sqlite = new BetterSqlite3(path.join(dir, 'p.sqlite'));
    let prepared = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => {
      prepared++;
      return prepare(text);
    }) as typeof sqlite.prepare;
    const conn = preparedOnce(sqlite, 2);
    const db = new Kysely<{ t: { n: number } }>({ dialect: new SqliteDialect({ database: conn }) });
    await sql`create table t (n integer not null)`.execute(db);
    await db.insertInto('t').values([{ n: 1 }, { n: 2 }, { n: 3 }]).execute();
    prepared = 0;
    const select = () => db.selectFrom('t').select('n').where('n', '>', 1).orderBy('n').execute();
    expect(await select()).toEqual([{ n: 2 }, { n: 3 }]);
    expect(await select()).toEqual([{ n: 2 }, { n: 3 }]);
    expect(prepared).toBe(1);
    // The same text while a stream holds its statement: a statement of its own, the same rows.
    const stream = db.selectFrom('t').select('n').where('n', '>', 1).orderBy('n').stream();
    const rows = stream[Symbol.asyncIterator]();
    expect((await rows.next()).value).toEqual({ n: 2 });
    expect(conn.prepare(db.selectFrom('t').select('n').where('n', '>', 1).orderBy('n').compile().sql).all([1])).toEqual([{ n: 2 }, { n: 3 }]);
    expect(prepared).toBe(2);
    await rows.return?.(undefined);
    prepared = 0;
    await select();
    expect(prepared).toBe(0);
    // Written rows are seen by the kept statement (it is run again, not its rows kept).
    await db.insertInto('t').values({ n: 4 }).execute();
    expect(await select()).toEqual([{ n: 2 }, { n: 3 }, { n: 4 }]);
    // Two more texts push the select out (bound 2): it is prepared again.
    prepared = 0;
    await db.selectFrom('t').select('n').where('n', '=', 1).execute();
    await db.selectFrom('t').select('n').where('n', '<', 1).execute();
    await select();
    expect(prepared).toBe(3);
    await db.destroy();
  });
});
