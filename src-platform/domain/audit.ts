/** Audit entries: who changed what, when, with the before and after state. */
import { randomUUID } from 'node:crypto';
import type { AuditEntry } from '../../src-shared/domain';
import type { Db } from '../db/database';
import type { Actor } from './actor';

/** One change to record. */
export interface AuditInput {
  accountId: string;
  actor: Pick<Actor, 'userId' | 'name'> | null;
  action: string;
  targetType: 'user' | 'queue' | 'extension' | 'account';
  targetId: string;
  before?: unknown;
  after?: unknown;
  at: Date;
}

/** Writes an audit entry (inside the caller's transaction). */
export async function writeAudit(db: Db, input: AuditInput): Promise<void> {
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
  return rows.map((r) => ({
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
  }));
}
