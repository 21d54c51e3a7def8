/**
 * Versioned schema migrations, run at start by `openDatabase`. Never edit a shipped migration: add
 * the next one. Written with Kysely's schema builder so the same ids run on SQLite and PostgreSQL;
 * `columnTypes` gives each dialect its own types (0/1 integers and ISO text on SQLite, boolean,
 * timestamptz and jsonb on PostgreSQL). Name new migrations by the next free number.
 */
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { fillIdentityKeys } from './migrate-identity-keys';
import { moveSupportToOperatorScope } from './migrate-operator-scope';
import { columnTypes } from './dialect';

/** Migrations by name; Kysely runs them in name order and records them in its own table. */
export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('idp_enabled', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
        .addColumn('idp_tenant_id', 'text')
        .addColumn('idp_client_id', 'text')
        .addColumn('idp_authority', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('login', 'text', (c) => c.notNull())
        .addColumn('search_text', 'text', (c) => c.notNull())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('webrtc_enabled', t.bool, (c) => c.notNull())
        .addColumn('omnichannel_enabled', t.bool, (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('must_change_password', t.bool, (c) => c.notNull().defaultTo(t.falseValue))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('change_seq', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('users_account_login', ['account_id', 'login'])
        .execute();
      await db.schema.createIndex('users_account_seq').on('users').columns(['account_id', 'change_seq']).execute();
      await db.schema
        .createTable('tombstones')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('change_seq', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tombstones_account_seq').on('tombstones').columns(['account_id', 'change_seq']).execute();
      await db.schema
        .createTable('extensions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.unique())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('extensions_account_number', ['account_id', 'number'])
        .execute();
      await db.schema
        .createTable('queues')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('queue_members')
        .addColumn('queue_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('queue_members_pk', ['queue_id', 'user_id'])
        .execute();
      await db.schema.createIndex('queue_members_user').on('queue_members').column('user_id').execute();
      await db.schema
        .createTable('queue_sessions')
        .addColumn('queue_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('started_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('queue_sessions_pk', ['queue_id', 'user_id'])
        .execute();
      await db.schema.createIndex('queue_sessions_user').on('queue_sessions').column('user_id').execute();
      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('reset_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('used_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reset_tokens_user').on('reset_tokens').column('user_id').execute();
      await db.schema
        .createTable('audit_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('before_json', t.json)
        .addColumn('after_json', t.json)
        .execute();
      await db.schema.createIndex('audit_target').on('audit_entries').columns(['target_type', 'target_id']).execute();
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text')
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body_text', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status_code', 'integer', (c) => c.notNull())
        .addColumn('response_json', t.json, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_pk', ['actor_id', 'key'])
        .execute();
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull())
        .execute();
      await sql`insert into meta (key, value) values ('change_seq', 0)`.execute(db);
    },
  },
  '0002_microsoft_identities': {
    /** R11: which Entra identity (tenant, oid) signs in as which user, linked on first sign-in. */
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('microsoft_identities')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('oid', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('linked_at', t.timestamp, (c) => c.notNull())
        .addPrimaryKeyConstraint('microsoft_identities_pk', ['account_id', 'tenant_id', 'oid'])
        .execute();
      await db.schema.createIndex('microsoft_identities_user').on('microsoft_identities').columns(['account_id', 'user_id']).unique().execute();
    },
  },
  '0003_idempotency_expiry': {
    /** Stored Idempotency-Key answers expire after a day; this index finds the old ones. */
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
    },
  },
  '0004_outbox_retries': {
    /** A send that fails (SMTP down) is retried with backoff instead of being lost. */
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema.alterTable('outbox').addColumn('body_html', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('outbox').addColumn('next_attempt_at', t.timestamp).execute();
      await db.schema.createIndex('outbox_next_attempt').on('outbox').column('next_attempt_at').execute();
    },
  },
  '0005_operator_scope': {
    /**
     * Issue 9 class 1 (R2): support is the vendor's staff, not a member of a customer account.
     * Accounts get a `kind` (`customer` or `operator`); the platform's operator scope is one
     * account row of kind `operator` that holds every support identity. Sessions record how they
     * were opened, so a support session can only come from the platform's own password sign-in.
     * Existing support users move there (see migrate-operator-scope.ts); `identity_collisions`
     * records what could not be kept as it was, and the platform reports it at start.
     */
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema.alterTable('accounts').addColumn('kind', 'text', (c) => c.notNull().defaultTo('customer')).execute();
      await db.schema.alterTable('sessions').addColumn('method', 'text', (c) => c.notNull().defaultTo('password')).execute();
      await db.schema
        .createTable('identity_collisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('other_user_id', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('detected_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('identity_collisions_account').on('identity_collisions').column('account_id').execute();
      await moveSupportToOperatorScope(db, new Date());
    },
  },
  '0020_shared_login_limits': {
    /**
     * Issue 12: failed logins and reset requests are counted in the database (they were in process
     * memory), so a lockout earned on one platform instance holds on every other. Keys are hashes.
     */
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('limit_failures')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull())
        .addColumn('at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('limit_failures_key').on('limit_failures').columns(['scope', 'key_hash', 'at']).execute();
      await db.schema.createIndex('limit_failures_at').on('limit_failures').column('at').execute();
    },
  },
  '0021_retention_indexes': {
    /**
     * Issue 16 item 3: the housekeeping job (housekeeping.ts) finds what it removes by these
     * columns, in small batches, without scanning whole tables.
     */
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('outbox_status_created').on('outbox').columns(['status', 'created_at']).execute();
      await db.schema.createIndex('reset_tokens_expires').on('reset_tokens').column('expires_at').execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();
      await db.schema.createIndex('audit_entries_at').on('audit_entries').column('at').execute();
    },
  },
  '0022_identity_keys': {
    /**
     * Issue 9 class 10: logins and emails are unique per account without regard to case or Unicode
     * form. Each user gets `login_key` and `email_key` (src-shared `identityKey`) with a unique index
     * per account. Existing rows whose key an older row of the account already holds keep their
     * values, get no key, and are listed in `identity_collisions` (reason `duplicate_key`), which
     * the platform reports at start (see migrate-identity-keys.ts).
     */
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('users').addColumn('login_key', 'text').execute();
      await db.schema.alterTable('users').addColumn('email_key', 'text').execute();
      await fillIdentityKeys(db, new Date());
      await db.schema.createIndex('users_account_login_key').on('users').columns(['account_id', 'login_key']).unique().execute();
      await db.schema.createIndex('users_account_email_key').on('users').columns(['account_id', 'email_key']).unique().execute();
    },
  },
  '0023_queue_member_count': {
    /**
     * Issue 10: each queue keeps how many members it has (`member_count`), kept by every write
     * that links or unlinks a member, so `GET /queue-summaries` (the console's sync) counts nothing:
     * counting 100 000 links made each delta sync wait 40-100 ms for it.
     */
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('queues').addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await sql`UPDATE queues SET member_count = (SELECT count(*) FROM queue_members m WHERE m.queue_id = queues.id)`.execute(db);
    },
  },
};
