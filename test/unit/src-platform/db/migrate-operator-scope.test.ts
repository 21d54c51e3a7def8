/**
 * Issue 9 class 1 (R2): migration 0005 moves existing support users out of customer accounts into
 * the operator scope, releases what belonged to the customer account, ends their sessions and
 * Microsoft links, leaves tombstones for the consoles, and reports what it could not keep as it was.
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

const at = '2026-01-01T00:00:00.000Z';

/** A database file as a platform before migration 0005 left it, with support inside two customer accounts. */
async function legacyDatabase(file: string): Promise<void> {
  const sqlite = new BetterSqlite3(file);
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo('0004_outbox_retries');
  if (error) throw error;
  await db.destroy();
  const raw = new BetterSqlite3(file);
  const account = raw.prepare('INSERT INTO accounts (id, slug, name, idp_enabled, created_at) VALUES (?, ?, ?, 0, ?)');
  account.run('acc-a', 'alpha', 'Alpha', at);
  account.run('acc-b', 'beta', 'Beta', at);
  const user = raw.prepare(
    `INSERT INTO users (id, account_id, name, email, login, search_text, profile, active, webrtc_enabled, omnichannel_enabled, password_hash, version, change_seq, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '', ?, 1, 1, 0, 'hash', 1, ?, ?, ?)`,
  );
  user.run('sup-a', 'acc-a', 'Suporte A', 'sup@vendor.example', 'suporte', 'support', 1, at, at);
  user.run('sup-b', 'acc-b', 'Suporte B', 'sup.b@vendor.example', 'suporte', 'support', 2, '2026-01-02T00:00:00.000Z', at);
  user.run('agent-b', 'acc-b', 'Agente', 'agent@beta.example', 'agente', 'agent', 3, at, at);
  user.run('shadow-a', 'acc-a', 'Homônimo', 'homonimo@alpha.example', 'suporte.beta', 'agent', 4, at, at);
  raw.prepare("UPDATE meta SET value = 4 WHERE key = 'change_seq'").run();
  raw.prepare("INSERT INTO extensions (id, account_id, number, user_id, created_at) VALUES ('ext-1', 'acc-a', '1001', 'sup-a', ?)").run(at);
  raw.prepare("INSERT INTO queues (id, account_id, kind, channel, name, version, created_at, updated_at) VALUES ('q-1', 'acc-a', 'voice', 'voice', 'Fila', 1, ?, ?)").run(at, at);
  raw.prepare("INSERT INTO queue_members (queue_id, user_id, created_at) VALUES ('q-1', 'sup-a', ?)").run(at);
  raw.prepare("INSERT INTO queue_sessions (queue_id, user_id, started_at) VALUES ('q-1', 'sup-a', ?)").run(at);
  raw.prepare("INSERT INTO microsoft_identities (account_id, tenant_id, oid, user_id, linked_at) VALUES ('acc-a', 't', 'attacker-oid', 'sup-a', ?)").run(at);
  raw.prepare("INSERT INTO sessions (token_hash, user_id, account_id, expires_at, created_at) VALUES ('h1', 'sup-a', 'acc-b', '2099-01-01T00:00:00.000Z', ?)").run(at);
  raw.prepare("INSERT INTO sessions (token_hash, user_id, account_id, expires_at, created_at) VALUES ('h2', 'agent-b', 'acc-b', '2099-01-01T00:00:00.000Z', ?)").run(at);
  raw.close();
}

describe('migration 0005: the operator scope', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.destroy();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('issue 9 class 1: existing support users move to the operator scope; nothing of theirs stays in a customer account', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'omni-migrate-'));
    dirs.push(dir);
    const file = path.join(dir, 'p.sqlite');
    await legacyDatabase(file);
    const db = await openDatabase(file);
    dbs.push(db);

    const operator = await db.selectFrom('accounts').selectAll().where('id', '=', 'operator').executeTakeFirstOrThrow();
    expect(operator).toMatchObject({ kind: 'operator', slug: 'operator', idp_enabled: 0 });
    expect((await db.selectFrom('accounts').select('kind').where('id', 'in', ['acc-a', 'acc-b']).execute()).map((a) => a.kind)).toEqual(['customer', 'customer']);

    const support = await db.selectFrom('users').select(['id', 'account_id', 'login', 'version']).where('profile', '=', 'support').orderBy('id').execute();
    // The second "suporte" cannot keep its login in the operator scope: renamed after its account.
    expect(support).toEqual([
      { id: 'sup-a', account_id: 'operator', login: 'suporte', version: 2 },
      { id: 'sup-b', account_id: 'operator', login: 'suporte.beta', version: 2 },
    ]);
    // What belonged to the customer account is released; the sessions and the Microsoft link end.
    expect((await db.selectFrom('extensions').select('user_id').where('id', '=', 'ext-1').executeTakeFirstOrThrow()).user_id).toBeNull();
    expect(await db.selectFrom('queue_members').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('queue_sessions').selectAll().execute()).toEqual([]);
    expect((await db.selectFrom('queues').select('version').executeTakeFirstOrThrow()).version).toBe(2);
    expect(await db.selectFrom('microsoft_identities').selectAll().execute()).toEqual([]);
    expect((await db.selectFrom('sessions').select('token_hash').execute()).map((s) => s.token_hash)).toEqual(['h2']);
    // Consoles drop them from the customer accounts at the next delta sync.
    const tombstones = await db.selectFrom('tombstones').select(['user_id', 'account_id']).orderBy('user_id').execute();
    expect(tombstones).toEqual([
      { user_id: 'sup-a', account_id: 'acc-a' },
      { user_id: 'sup-b', account_id: 'acc-b' },
    ]);
    const audit = await db.selectFrom('audit_entries').select(['account_id', 'target_id', 'action', 'before_json']).orderBy('target_id').execute();
    expect(audit.map((a) => [a.account_id, a.target_id, a.action])).toEqual([
      ['acc-a', 'sup-a', 'user.moved_to_operator_scope'],
      ['acc-b', 'sup-b', 'user.moved_to_operator_scope'],
    ]);
    expect(JSON.parse(audit[0]!.before_json!)).toMatchObject({ extension: { id: 'ext-1', number: '1001' }, queueIds: ['q-1'] });
    // Reported, not changed: the renamed support login, and the customer user that now shares it.
    const collisions = await db.selectFrom('identity_collisions').select(['account_id', 'user_id', 'field', 'value', 'other_user_id', 'reason']).orderBy('reason').execute();
    expect(collisions).toEqual([
      { account_id: 'operator', user_id: 'sup-b', field: 'login', value: 'suporte', other_user_id: 'sup-a', reason: 'operator_login_renamed' },
      { account_id: 'acc-a', user_id: 'shadow-a', field: 'login', value: 'suporte.beta', other_user_id: 'sup-b', reason: 'operator_login_reserved' },
    ]);
    expect((await db.selectFrom('users').select('login').where('id', '=', 'shadow-a').executeTakeFirstOrThrow()).login).toBe('suporte.beta');
  });
});
