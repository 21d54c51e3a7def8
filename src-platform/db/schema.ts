/**
 * Table types of the platform's database (Kysely), as the code reads them on both dialects:
 * booleans as 1/0, instants as ISO-8601 UTC strings, JSON as its text. SQLite stores exactly that;
 * PostgreSQL stores boolean, timestamptz and jsonb, and its pool parses them into these shapes
 * (`PG_TYPES` in database.ts).
 */


export interface AccountTable {
  id: string;
  slug: string;
  name: string;
  idp_enabled: number;
  idp_tenant_id: string | null;
  idp_client_id: string | null;
  idp_authority: string | null;
  created_at: string;
  /** `customer`, or `operator` for the platform's operator scope that holds support (migration 0005). */
  kind: string;
}

export interface UserTable {
  id: string;
  account_id: string;
  name: string;
  email: string;
  login: string;
  /**
   * Issue 9 class 10: `identityKey(login)` and `identityKey(email)`, unique per account. `null` only
   * for a row migration 0022 found colliding with an older one (listed in `identity_collisions`).
   */
  login_key: string | null;
  email_key: string | null;
  /** Lower-cased, accent-free "name login email" for server-side search. */
  search_text: string;
  profile: string;
  active: number;
  webrtc_enabled: number;
  omnichannel_enabled: number;
  password_hash: string | null;
  must_change_password: number;
  version: number;
  /** Position in the account-wide change sequence (C2 delta sync). */
  change_seq: number;
  created_at: string;
  updated_at: string;
}

export interface TombstoneTable {
  user_id: string;
  account_id: string;
  change_seq: number;
  deleted_at: string;
}

export interface ExtensionTable {
  id: string;
  account_id: string;
  number: string;
  user_id: string | null;
  created_at: string;
}

export interface QueueTable {
  id: string;
  account_id: string;
  kind: string;
  channel: string;
  name: string;
  version: number;
  /** Issue 10: how many rows of `queue_members` name this queue (migration 0023). */
  member_count: number;
  created_at: string;
  updated_at: string;
}

export interface QueueMemberTable {
  queue_id: string;
  user_id: string;
  created_at: string;
}

export interface QueueSessionTable {
  queue_id: string;
  user_id: string;
  started_at: string;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  /** The acting account: a support user may sign into any account. */
  account_id: string;
  expires_at: string;
  created_at: string;
  /** How the session was opened: `password` or `microsoft`. Support sessions are password-only. */
  method: string;
}

export interface ResetTokenTable {
  token_hash: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface AuditTable {
  id: string;
  account_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string;
  before_json: string | null;
  after_json: string | null;
}

export interface OutboxTable {
  id: string;
  account_id: string | null;
  to_address: string;
  subject: string;
  body_text: string;
  kind: string;
  status: string;
  error: string | null;
  created_at: string;
  /** The HTML body, kept so a failed send can be retried as it was. */
  body_html: string | null;
  /** Send attempts so far. */
  attempts: number;
  /** When a failed (or interrupted) send is tried again; null once sent or given up. */
  next_attempt_at: string | null;
}

export interface IdempotencyTable {
  actor_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_json: string;
  created_at: string;
}

export interface MetaTable {
  key: string;
  value: number;
}

/** One failed attempt counted by a limit (auth/rate-limiter.ts), shared by every instance. */
export interface LimitFailureTable {
  /** Which limit: `login`, `login-ip`, `reset-mail`, `reset-mail-ip`. */
  scope: string;
  /** SHA-256 of the limited key (login or address): no names or addresses at rest. */
  key_hash: string;
  at: string;
}

/** Every table, as Kysely sees them. */
export interface Database {
  accounts: AccountTable;
  users: UserTable;
  tombstones: TombstoneTable;
  extensions: ExtensionTable;
  queues: QueueTable;
  queue_members: QueueMemberTable;
  queue_sessions: QueueSessionTable;
  sessions: SessionTable;
  reset_tokens: ResetTokenTable;
  audit_entries: AuditTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyTable;
  meta: MetaTable;
  limit_failures: LimitFailureTable;
  microsoft_identities: MicrosoftIdentityTable;
  identity_collisions: IdentityCollisionTable;
}

/**
 * Identities a migration could not keep unique as they were (issue 9 classes 1 and 10): the rows
 * are left untouched and listed here; the platform logs them at start and shows them to the
 * account's administrators and support (`GET /accounts/current/identity-collisions`).
 */
export interface IdentityCollisionTable {
  id: string;
  account_id: string;
  user_id: string;
  /** `login` or `email`. */
  field: string;
  /** The value as stored. */
  value: string;
  /** The user that keeps the value. */
  other_user_id: string | null;
  /** `operator_login_renamed`, `operator_login_reserved`, `duplicate_key`. */
  reason: string;
  detected_at: string;
}

/** R11: a link between an Entra identity (tenant + object id) and a platform user of an account. */
export interface MicrosoftIdentityTable {
  account_id: string;
  tenant_id: string;
  oid: string;
  user_id: string;
  linked_at: string;
}
