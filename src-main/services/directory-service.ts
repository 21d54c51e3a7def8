/**
 * Users, queues and extensions as the console sees them: reads come from the cache (online or
 * offline, C1), writes go to the platform and the answers are written back to the cache at once.
 * Each operation keeps the account key it started under; an answer that arrives after a sign-out
 * (or a sign-in to another account) is not written to the cache (C6).
 */
import { queueSummary, type QueueSummary, type User } from '../../src-shared/domain';
import type { SearchUsersInput, SearchUsersOutput, UserRow } from '../../src-shared/ipc-contract';
import { computeReadiness } from '../../src-shared/domain';
import { StaleVersionDetailsSchema, type CreateQueueRequest, type CreateUserRequest, type UserChanges } from '../../src-shared/platform-api';
import { ServiceError, isUnreachable } from '../errors';
import type { ConsoleCache } from '../cache/console-cache';
import type { EventBus } from '../events/event-bus';
import { PlatformError } from '../platform/platform-error';
import { newIdempotencyKey, type PlatformClient } from '../platform/platform-client';

export interface DirectoryServiceOptions {
  client: PlatformClient;
  cache: ConsoleCache;
  events: EventBus;
  /** The cache key of the signed-in account (platform + account, C6); throws when signed out. */
  accountKey: () => string;
}

/** An edit of an existing user (R3, R4). */
export interface SaveUserInput {
  id: string;
  baseVersion: number;
  changes: UserChanges;
  confirmQueueLogout: boolean;
}

const toRow = (user: User): UserRow => ({ ...user, readiness: computeReadiness(user) });

/** Reads and writes of the directory. */
export class DirectoryService {
  constructor(private readonly opts: DirectoryServiceOptions) {}

  /** Whether `key` is still the signed-in account's (a write that outlived its session is dropped). */
  private isCurrent(key: string): boolean {
    try {
      return this.opts.accountKey() === key;
    } catch {
      return false;
    }
  }

  private cacheUsers(key: string, users: User[]): void {
    if (!this.isCurrent(key)) return;
    this.opts.cache.upsertUsers(key, users);
    this.opts.events.emit('onDidChangeData', { kinds: ['users'] });
  }

  /** Search and filters over the cache (works offline). */
  searchUsers(input: SearchUsersInput): SearchUsersOutput {
    return this.opts.cache.searchUsers(this.opts.accountKey(), input);
  }

  /** A fresh user from the platform, or the cached one marked stale when offline. */
  async getUser(id: string): Promise<{ user: UserRow; stale: boolean }> {
    const accountId = this.opts.accountKey();
    try {
      const { user } = await this.opts.client.getUser(id);
      if (this.isCurrent(accountId)) this.opts.cache.upsertUsers(accountId, [user]);
      return { user: toRow(user), stale: false };
    } catch (err) {
      if (err instanceof PlatformError && err.code === 'not_found') {
        if (this.isCurrent(accountId)) this.opts.cache.deleteUsers(accountId, [id]);
        throw err;
      }
      if (!isUnreachable(err)) throw err;
      const cached = this.opts.cache.getUser(accountId, id);
      if (!cached) throw new ServiceError('not_found');
      return { user: toRow(cached), stale: true };
    }
  }

  /**
   * Saves an edit with `If-Match` from the version it started from. The request carries one
   * idempotency key; if the connection dropped after the platform applied it and the retry then
   * meets our own new version, that is our change, not a conflict. A real conflict answers
   * `stale_version` with the server's current user and the cached base.
   */
  async saveUser(input: SaveUserInput) {
    const accountId = this.opts.accountKey();
    const key = newIdempotencyKey();
    let transportFailed = false;
    try {
      const result = await this.opts.client.updateUser(
        { id: input.id, version: input.baseVersion },
        { ...input.changes, confirmQueueLogout: input.confirmQueueLogout },
        key,
        () => (transportFailed = true),
      );
      this.cacheUsers(accountId, [result.user]);
      return result;
    } catch (err) {
      if (err instanceof PlatformError && err.code === 'stale_version') {
        const details = StaleVersionDetailsSchema.safeParse(err.details);
        if (details.success) {
          const current = details.data.current;
          // Read the base before the cache takes the server's version.
          const base = this.opts.cache.getUser(accountId, input.id);
          this.cacheUsers(accountId, [current]);
          if (transportFailed && current.version === input.baseVersion + 1 && matchesChanges(current, input.changes)) {
            return { user: current, loggedOutQueues: [] };
          }
          throw new ServiceError('stale_version', err.message, { details: { current, base: base && base.version === input.baseVersion ? base : null } });
        }
      }
      throw err;
    }
  }

  async createUser(input: CreateUserRequest) {
    const accountId = this.opts.accountKey();
    const result = await this.opts.client.createUser(input, newIdempotencyKey()).catch(async (err: unknown) => {
      // Issue 11: the chosen extension was taken meanwhile; the form offers what is free now.
      if (err instanceof PlatformError && err.code === 'extension_taken') await this.refreshExtensions(accountId);
      throw err;
    });
    this.cacheUsers(accountId, [result.user]);
    if (result.extension) await this.refreshExtensions(accountId);
    // Issue 11: queues joined at creation changed those queues' members (and versions).
    if (input.queueIds?.length) await this.refreshQueues(accountId);
    return result;
  }

  resetPassword(id: string) {
    return this.opts.client.resetPassword(id, newIdempotencyKey());
  }

  async setPassword(input: { id: string; password: string; passwordConfirmation: string }) {
    const accountId = this.opts.accountKey();
    const { user } = await this.opts.client.setPassword(input.id, { password: input.password, passwordConfirmation: input.passwordConfirmation });
    this.cacheUsers(accountId, [user]);
    return { user };
  }

  getUserAudit(id: string) {
    return this.opts.client.userAudit(id);
  }

  /** Issue 11: the cached versions of a user (C6: the signed-in account's cache only). */
  getUserLocalHistory(id: string) {
    return { items: this.opts.cache.userHistory(this.opts.accountKey(), id) };
  }

  getUserQueueSessions(id: string) {
    return this.opts.client.userQueueSessions(id);
  }

  listExtensions() {
    return { items: this.opts.cache.listExtensions(this.opts.accountKey()) };
  }

  async assignExtension(userId: string, extensionId: string) {
    const accountId = this.opts.accountKey();
    const { user } = await this.opts.client.assignExtension(userId, extensionId);
    this.cacheUsers(accountId, [user]);
    await this.refreshExtensions(accountId);
    return { user };
  }

  async releaseExtension(userId: string) {
    const accountId = this.opts.accountKey();
    const { user } = await this.opts.client.releaseExtension(userId);
    this.cacheUsers(accountId, [user]);
    await this.refreshExtensions(accountId);
    return { user };
  }

  listQueues() {
    return { items: this.opts.cache.listQueues(this.opts.accountKey()) };
  }

  async createQueue(input: CreateQueueRequest) {
    const accountId = this.opts.accountKey();
    const queue = queueSummary((await this.opts.client.createQueue(input, newIdempotencyKey())).queue);
    if (this.isCurrent(accountId)) {
      this.opts.cache.upsertQueue(accountId, queue);
      this.opts.events.emit('onDidChangeData', { kinds: ['queues'] });
    }
    return { queue };
  }

  async addQueueMember(queueId: string, userId: string) {
    const accountId = this.opts.accountKey();
    const { queue, user } = await this.opts.client.addQueueMember(queueId, userId);
    return this.applyMembership(accountId, queueSummary(queue), user);
  }

  async removeQueueMember(queueId: string, userId: string) {
    const accountId = this.opts.accountKey();
    const { queue, user } = await this.opts.client.removeQueueMember(queueId, userId);
    return this.applyMembership(accountId, queueSummary(queue), user);
  }

  /** Caches a membership change's queue (as its summary) and user, and answers them. */
  private applyMembership(accountId: string, queue: QueueSummary, user: User): { queue: QueueSummary; user: User } {
    if (this.isCurrent(accountId)) {
      this.opts.cache.upsertQueue(accountId, queue);
      this.opts.cache.upsertUsers(accountId, [user]);
      this.opts.events.emit('onDidChangeData', { kinds: ['users', 'queues'] });
    }
    return { queue, user };
  }

  private async refreshQueues(accountId: string): Promise<void> {
    try {
      const { items } = await this.opts.client.listQueueSummaries();
      if (!this.isCurrent(accountId)) return;
      this.opts.cache.replaceQueues(accountId, items);
      this.opts.events.emit('onDidChangeData', { kinds: ['queues'] });
    } catch {
      // The write succeeded; the next sync refreshes queues anyway.
    }
  }

  private async refreshExtensions(accountId: string): Promise<void> {
    try {
      const { items } = await this.opts.client.listExtensions();
      if (!this.isCurrent(accountId)) return;
      this.opts.cache.replaceExtensions(accountId, items);
      this.opts.events.emit('onDidChangeData', { kinds: ['extensions'] });
    } catch {
      // The write succeeded; the next sync refreshes extensions anyway.
    }
  }
}

function matchesChanges(user: User, changes: UserChanges): boolean {
  return Object.entries(changes).every(([field, value]) => {
    if (value === undefined) return true;
    const actual = user[field as keyof User];
    // The platform may normalize text (trim, lower-case e-mail).
    return typeof value === 'string' && typeof actual === 'string' ? value.trim().toLowerCase() === actual.trim().toLowerCase() : actual === value;
  });
}
