/**
 * CSV import (issue 11): stages the file's bytes (in parts, so no IPC message is large), runs the
 * dry run against the cache (csv-import.ts; nothing is sent), then applies the plan through
 * `POST /users/batch` one chunk of ≤ 500 rows per call. Each chunk's Idempotency-Key is chosen
 * with the plan and kept in the cache (with the account's data) before it is sent, so a retry
 * after a failure (lost answer, crash, offline) replays the platform's first answer instead of
 * acting twice; update items carry the version the dry run saw (If-Match), so a user changed
 * meanwhile is a conflict, never overwritten. "Retry the failed ones" runs the dry run again for
 * those rows against the refreshed cache and applies them with new keys.
 */
import { randomUUID } from 'node:crypto';
import { permissions, type Profile, type User } from '../../src-shared/domain';
import { CSV_IMPORT_MAX_BYTES } from '../../src-shared/csv-columns';
import type { CsvImportPreview, CsvImportProgress, CsvImportRow } from '../../src-shared/ipc-contract';
import { BATCH_MAX_ITEMS, StaleVersionDetailsSchema, type BatchItem } from '../../src-shared/platform-api';
import type { ConsoleCache } from '../cache/console-cache';
import { ServiceError } from '../errors';
import type { EventBus } from '../events/event-bus';
import type { PlatformClient } from '../platform/platform-client';
import { CsvFileError, parseUsersCsv, planImport, type ParsedCsv } from './csv-import';

export interface CsvImportServiceOptions {
  client: Pick<PlatformClient, 'batch' | 'listExtensions'>;
  cache: ConsoleCache;
  events: EventBus;
  accountKey: () => string;
  profile: () => Profile | null;
  /** Rows per batch request (the platform takes up to 500). */
  chunkSize?: number;
}

/** One chunk of the plan: its rows, its key, and the platform's answer once it came. */
interface StoredChunk {
  key: string;
  rows: { line: number; login: string; item: BatchItem }[];
  results: { line: number; login: string; status: 'ok' | 'refused' | 'conflict'; error: CsvImportProgress['results'][number]['error'] }[] | null;
}
interface StoredPlan {
  importId: string;
  chunks: StoredChunk[];
}

const META = 'csvImport';

/** Stages, dry-runs and applies CSV imports of users. */
export class CsvImportService {
  private staged: { importId: string; key: string; bytes: Buffer; received: number } | null = null;
  /** The last preview's parsed rows (for "retry the failed ones"). */
  private parsed: { importId: string; key: string; file: ParsedCsv } | null = null;

  constructor(private readonly opts: CsvImportServiceOptions) {}

  private requireImporter(): void {
    const profile = this.opts.profile();
    // R2: the platform refuses it too (403); the console does not offer it.
    if (!profile || !permissions.canEditUsers(profile)) throw new ServiceError('forbidden');
  }

  /** Receives one part of the file. */
  stage(input: { importId: string; offset: number; size: number; data: string }): { received: number } {
    this.requireImporter();
    const key = this.opts.accountKey();
    if (input.size > CSV_IMPORT_MAX_BYTES) throw fileError('form.csvTooLarge');
    if (!this.staged || this.staged.importId !== input.importId || this.staged.key !== key) {
      if (input.offset !== 0) throw new ServiceError('validation_failed', undefined, { fieldErrors: { offset: ['form.csvUpload'] } });
      this.staged = { importId: input.importId, key, bytes: Buffer.alloc(input.size), received: 0 };
    }
    const part = Buffer.from(input.data, 'base64');
    const staged = this.staged;
    if (input.offset !== staged.received || input.size !== staged.bytes.length || input.offset + part.length > staged.bytes.length) {
      throw new ServiceError('validation_failed', undefined, { fieldErrors: { offset: ['form.csvUpload'] } });
    }
    part.copy(staged.bytes, input.offset);
    staged.received += part.length;
    return { received: staged.received };
  }

  /** The dry run of the staged file against the cache. Sends nothing. */
  preview(importId: string): CsvImportPreview {
    this.requireImporter();
    const key = this.opts.accountKey();
    const staged = this.staged;
    if (!staged || staged.importId !== importId || staged.key !== key || staged.received !== staged.bytes.length) {
      throw new ServiceError('validation_failed', undefined, { fieldErrors: { file: ['form.csvUpload'] } });
    }
    let file: ParsedCsv;
    try {
      file = parseUsersCsv(staged.bytes);
    } catch (err) {
      if (err instanceof CsvFileError) throw fileError(err.entry, err.details);
      throw err;
    }
    this.parsed = { importId, key, file };
    return this.plan(importId, key, file);
  }

  /** Plans `file` against the cache and stores the plan (its chunks and their keys). */
  private plan(importId: string, key: string, file: ParsedCsv): CsvImportPreview {
    const planned = planImport(file, { users: this.allUsers(key), queues: this.opts.cache.listQueues(key), extensions: this.opts.cache.listExtensions(key), actor: this.opts.profile() as Profile });
    const todo = planned.filter((p) => p.item).map((p) => ({ line: p.row.line, login: p.row.login, item: p.item as BatchItem }));
    const size = Math.min(this.opts.chunkSize ?? BATCH_MAX_ITEMS, BATCH_MAX_ITEMS);
    const chunks: StoredChunk[] = [];
    for (let i = 0; i < todo.length; i += size) chunks.push({ key: randomUUID(), rows: todo.slice(i, i + size), results: null });
    this.save(key, { importId, chunks });
    return { importId, rows: planned.map((p) => p.row), ignoredColumns: file.ignoredColumns };
  }

  /** Applies the next unanswered chunk (its stored key: a retry replays). */
  async apply(importId: string, confirmQueueLogout: boolean): Promise<CsvImportProgress> {
    this.requireImporter();
    const key = this.opts.accountKey();
    const plan = this.load(key, importId);
    const chunk = plan.chunks.find((c) => c.results === null);
    if (chunk) {
      const items = chunk.rows.map((r) => (r.item.op === 'update' && confirmQueueLogout ? { ...r.item, confirmQueueLogout: true } : r.item));
      const { results } = await this.opts.client.batch({ items }, chunk.key);
      const fresh: User[] = [];
      chunk.results = results.map((r, i) => {
        const row = chunk.rows[i] as StoredChunk['rows'][number];
        if (r.user) fresh.push(r.user);
        const current = r.status === 'conflict' ? StaleVersionDetailsSchema.safeParse(r.error?.details) : null;
        if (current?.success) fresh.push(current.data.current);
        return { line: row.line, login: row.login, status: r.status, error: r.error ?? null };
      });
      if (this.isCurrent(key)) {
        this.save(key, plan);
        if (fresh.length > 0) {
          this.opts.cache.upsertUsers(key, fresh);
          await this.refreshExtensions(key, chunk.rows);
          this.opts.events.emit('onDidChangeData', { kinds: ['users', 'extensions'] });
        }
      }
    }
    return progress(plan);
  }

  /** The dry run again for the rows that failed (refused or conflict), with new keys. */
  retryFailed(importId: string): CsvImportPreview {
    this.requireImporter();
    const key = this.opts.accountKey();
    const plan = this.load(key, importId);
    const parsed = this.parsed;
    if (!parsed || parsed.importId !== importId || parsed.key !== key) throw new ServiceError('not_found');
    const failed = new Set(plan.chunks.flatMap((c) => (c.results ?? []).filter((r) => r.status !== 'ok').map((r) => r.line)));
    const file = { ...parsed.file, rows: parsed.file.rows.filter((r) => failed.has(r.line)) };
    const nextId = randomUUID();
    this.parsed = { importId: nextId, key, file };
    return this.plan(nextId, key, file);
  }

  private allUsers(key: string): User[] {
    const users: User[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = this.opts.cache.searchUsers(key, { query: '', filters: {}, offset, limit: 500 });
      users.push(...page.items);
      if (page.items.length < 500) return users;
    }
  }

  private load(key: string, importId: string): StoredPlan {
    const raw = this.opts.cache.getAccountMeta(META, key);
    const plan = raw ? (JSON.parse(raw) as StoredPlan) : null;
    if (!plan || plan.importId !== importId) throw new ServiceError('not_found');
    return plan;
  }

  private save(key: string, plan: StoredPlan): void {
    this.opts.cache.setAccountMeta(META, key, JSON.stringify(plan));
  }

  private isCurrent(key: string): boolean {
    try {
      return this.opts.accountKey() === key;
    } catch {
      return false;
    }
  }

  private async refreshExtensions(key: string, rows: StoredChunk['rows']): Promise<void> {
    if (!rows.some((r) => r.item.extension !== undefined)) return;
    try {
      const { items } = await this.opts.client.listExtensions();
      if (this.isCurrent(key)) this.opts.cache.replaceExtensions(key, items);
    } catch {
      // The users were saved; the next sync refreshes extensions anyway.
    }
  }
}

function fileError(entry: string, details: Record<string, unknown> = {}): ServiceError {
  return new ServiceError('validation_failed', undefined, { fieldErrors: { file: [entry] }, details });
}

function progress(plan: StoredPlan): CsvImportProgress {
  const results: CsvImportProgress['results'] = [];
  let done = 0;
  for (const c of plan.chunks) {
    if (c.results) {
      done += c.rows.length;
      results.push(...c.results);
    } else results.push(...c.rows.map((r) => ({ line: r.line, login: r.login, status: 'pending' as const, error: null })));
  }
  return { importId: plan.importId, done, total: plan.chunks.reduce((n, c) => n + c.rows.length, 0), pendingChunks: plan.chunks.filter((c) => !c.results).length, results };
}

export type { CsvImportRow };
