/**
 * Bulk actions of the users table (issue 11, C7). `preview` asks the platform to dry-run the batch
 * (`POST /users/batch` with `dryRun`): the platform's own rules decide, per user, what would
 * change, who is refused and why (R3, R6, R8, R2, R11) and which queues each user would be logged
 * out of (R4), and nothing changes. `apply` sends the confirmed batch with the versions the preview
 * showed (If-Match per user) and one Idempotency-Key, and writes every answer back to the cache.
 */
import { permissions, type Profile, type User } from '../../src-shared/domain';
import type { BulkApplyOutput, BulkPreviewItem, BulkTarget } from '../../src-shared/ipc-contract';
import { bulkActionEdits, bulkItem, type BulkAction } from '../../src-shared/bulk';
import { BATCH_MAX_ITEMS, StaleVersionDetailsSchema, type BatchItemResult } from '../../src-shared/platform-api';
import { diffUsers } from '../../src-shared/user-diff';
import type { ConsoleCache } from '../cache/console-cache';
import { ServiceError } from '../errors';
import type { EventBus } from '../events/event-bus';
import { newIdempotencyKey, type PlatformClient } from '../platform/platform-client';

/** Most users one bulk preview covers ("select all N matching" beyond it is refused). */
export const BULK_MAX_USERS = 10_000;

export interface BulkServiceOptions {
  client: PlatformClient;
  cache: ConsoleCache;
  events: EventBus;
  /** The cache key of the signed-in account (C6); throws when signed out. */
  accountKey: () => string;
  /** The signed-in profile (R2), or null. */
  profile: () => Profile | null;
}

/** R2, as the single-user routes: what each action needs. */
function allowed(profile: Profile, action: BulkAction): boolean {
  switch (action.kind) {
    case 'enableOmnichannel':
      return permissions.canEditUsers(profile);
    case 'addQueues':
    case 'removeQueues':
      return permissions.canEditUsers(profile) && permissions.canManageQueues(profile);
    case 'assignFreeExtension':
      return permissions.canEditUsers(profile) && permissions.canManageExtensions(profile);
    case 'sendPasswordReset':
      return permissions.canResetPasswords(profile);
  }
}

/** Bulk preview and apply. */
export class BulkService {
  constructor(private readonly opts: BulkServiceOptions) {}

  private requireAllowed(action: BulkAction): void {
    const profile = this.opts.profile();
    // Checked here too, so a renderer that shows the action by mistake gets the same refusal.
    if (!profile || !allowed(profile, action)) throw new ServiceError('forbidden');
  }

  /** The cached users a target names (ids, or every user matching a search). */
  private resolve(key: string, target: BulkTarget): User[] {
    if ('ids' in target) return target.ids.map((id) => this.opts.cache.getUser(key, id)).filter((u): u is User => u !== null);
    const users: User[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = this.opts.cache.searchUsers(key, { query: target.matching.query, filters: target.matching.filters, offset, limit: 500 });
      if (page.total > BULK_MAX_USERS) throw new ServiceError('validation_failed', undefined, { fieldErrors: { target: ['too_many'] }, details: { max: BULK_MAX_USERS, total: page.total } });
      users.push(...page.items);
      if (page.items.length < 500) return users;
    }
  }

  /** The platform's dry run of `action` on the target's users, per user. */
  async preview(target: BulkTarget, action: BulkAction): Promise<{ items: BulkPreviewItem[] }> {
    this.requireAllowed(action);
    const key = this.opts.accountKey();
    const users = this.resolve(key, target);
    const items: BulkPreviewItem[] = [];
    for (let i = 0; i < users.length; i += BATCH_MAX_ITEMS) {
      const chunk = users.slice(i, i + BATCH_MAX_ITEMS);
      const { results } = await this.opts.client.batch({ items: chunk.map((u) => bulkItem(action, u, u.version, false)), dryRun: true });
      results.forEach((r, j) => items.push(previewItem(chunk[j] as User, r, action)));
    }
    return { items };
  }

  /** Applies `action` to users at the versions the preview showed; the answers go to the cache. */
  async apply(action: BulkAction, users: { id: string; version: number }[], confirmQueueLogout: boolean): Promise<BulkApplyOutput> {
    this.requireAllowed(action);
    const key = this.opts.accountKey();
    const { results } = await this.opts.client.batch({ items: users.map((u) => bulkItem(action, u, u.version, confirmQueueLogout)) }, newIdempotencyKey());
    const fresh: User[] = [];
    for (const r of results) {
      if (r.user) fresh.push(r.user);
      const current = r.status === 'conflict' ? StaleVersionDetailsSchema.safeParse(r.error?.details) : null;
      if (current?.success) fresh.push(current.data.current);
    }
    if (fresh.length > 0 && this.isCurrent(key)) {
      this.opts.cache.upsertUsers(key, fresh);
      this.opts.events.emit('onDidChangeData', { kinds: action.kind === 'assignFreeExtension' ? ['users', 'extensions'] : ['users'] });
      if (action.kind === 'assignFreeExtension') await this.refreshExtensions(key);
    }
    return {
      results: results.map((r, i) => ({
        userId: (users[i] as { id: string }).id,
        status: r.status,
        changed: r.changed,
        loggedOutQueues: r.loggedOutQueues ?? [],
        error: r.error ?? null,
      })),
    };
  }

  private isCurrent(key: string): boolean {
    try {
      return this.opts.accountKey() === key;
    } catch {
      return false;
    }
  }

  private async refreshExtensions(key: string): Promise<void> {
    try {
      const { items } = await this.opts.client.listExtensions();
      if (this.isCurrent(key)) this.opts.cache.replaceExtensions(key, items);
    } catch {
      // The users were saved; the next sync refreshes extensions anyway.
    }
  }
}

function previewItem(user: User, result: BatchItemResult, action: BulkAction): BulkPreviewItem {
  const after = result.user;
  const changes = after ? diffUsers(user, after) : [];
  const status = result.status === 'ok' ? (result.changed ? 'change' : 'unchanged') : result.status;
  return {
    userId: user.id,
    name: user.name,
    login: user.login,
    version: user.version,
    status,
    changes,
    // R4: only an edit logs out; a reset alone does not.
    logsOutOf: bulkActionEdits(action) && status === 'change' ? (result.loggedOutQueues ?? []) : [],
    emails: result.emailsSent ?? [],
    error: result.error ?? null,
  };
}
