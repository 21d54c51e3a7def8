/** Audit entries: who changed what, when, with the before and after state. */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { AuditAction, AuditEntry } from '../../src-shared/domain';
import type { Db } from '../db/database';
import type { Actor } from './actor';

/** One change to record. */
export interface AuditInput {
  accountId: string;
  actor: Pick<Actor, 'userId' | 'name'> | null;
  /** One of the types the console labels (src-shared AUDIT_ACTIONS). */
  action: AuditAction;
  targetType: 'user' | 'queue' | 'extension' | 'account';
  targetId: string;
  before?: unknown;
  after?: unknown;
  at: Date;
}

/**
 * Entries being gathered by `gatherAudit` in this async call chain. An AsyncLocalStorage rather
 * than a parameter, so the single-user functions a batch reuses keep their signatures.
 */
const gathering = new AsyncLocalStorage<AuditInput[]>();

/**
 * Runs `fn` and answers the audit entries it would have written instead of writing them: a batch
 * (issue 11) records one entry per user for all the steps it took on that user.
 */
export async function gatherAudit<T>(fn: () => Promise<T>): Promise<{ result: T; entries: AuditInput[] }> {
  const entries: AuditInput[] = [];
  const result = await gathering.run(entries, fn);
  return { result, entries };
}

/** Writes an audit entry (inside the caller's transaction); inside `gatherAudit`, gathers it. */
export async function writeAudit(db: Db, input: AuditInput): Promise<void> {
  const gathered = gathering.getStore();
  if (gathered) {
    gathered.push(input);
    return;
  }
  await db
    .insertInto('audit_entries')
    .values({
      id: randomUUID(),
      account_id: input.accountId,
      at: input.at.toISOString(),
      actor_id: input.actor?.userId ?? null,
      actor_name: input.actor?.name ?? null,
      action: input.action,
      target_type: input.targetType,
      target_id: input.targetId,
      before_json: input.before === undefined ? null : JSON.stringify(input.before),
      after_json: input.after === undefined ? null : JSON.stringify(input.after),
    })
    .execute();
}

/** Most entries one page of the account's audit trail holds. */
export const ACCOUNT_AUDIT_PAGE = 1000;

/**
 * The account's audit trail (issue 11: the console exports it as CSV), newest first, a page at a
 * time: `after` is the last entry of the previous page (`at` and `id`), so pages never skip or
 * repeat an entry written meanwhile.
 */
export async function listAccountAudit(db: Db, accountId: string, opts: { after?: { at: string; id: string } | undefined; limit?: number } = {}): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_entries').selectAll().where('account_id', '=', accountId);
  const after = opts.after;
  if (after) query = query.where((eb) => eb.or([eb('at', '<', after.at), eb.and([eb('at', '=', after.at), eb('id', '>', after.id)])]));
  const rows = await query.orderBy('at', 'desc').orderBy('id').limit(Math.min(opts.limit ?? ACCOUNT_AUDIT_PAGE, ACCOUNT_AUDIT_PAGE)).execute();
  return rows.map(toEntry);
}

/** The audit trail of one target, newest first. */
export async function listAudit(db: Db, accountId: string, targetType: string, targetId: string): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .orderBy('at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map(toEntry);
}

function toEntry(r: { id: string; account_id: string; at: string; actor_id: string | null; actor_name: string | null; action: string; target_type: string; target_id: string; before_json: string | null; after_json: string | null }): AuditEntry {
  return {
    id: r.id,
    accountId: r.account_id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown),
    after: r.after_json === null ? null : (JSON.parse(r.after_json) as unknown),
  };
}
