/** Messages between the main thread and the fill worker (`fill-worker.ts`), and the fill's state. */
import type { IndexRows } from './user-search-index';

/**
 * An account's first fill while it runs or after it was interrupted, kept in the cache's meta
 * table (`fillStateKey`) and updated in the same transaction as each committed page.
 */
export interface FillState {
  /** When the fill started (ISO). */
  startedAt: string;
  /** The platform's cursor after the last committed page (null: nothing committed yet). */
  cursor: string | null;
  /** Users the platform listed when the fill started (null until the first page says). */
  total: number | null;
}

/** The meta key of an account's fill state. */
export const fillStateKey = (accountId: string): string => `sync.fill.${accountId}`;

/** `workerData` of the fill worker. */
export interface FillInit {
  file: string;
  accountId: string;
  /** true: clear the account's users first; false: resume (users already there were seen). */
  fresh: boolean;
  /** Relaxed durability (only while an account's cache is first filled). */
  relaxed: boolean;
  /** Users (and deletions) per transaction. */
  batch: number;
  fill: FillState;
}

export type MainToFill = { kind: 'page'; body: Uint8Array } | { kind: 'finish' };

export type FillToMain =
  | { kind: 'page'; cursor: string; hasMore: boolean; items: number; deleted: number; total?: number }
  | { kind: 'committed'; count: number; cursor: string | null; rows: IndexRows; deletedIds: string[] }
  /**
   * `nameOrder`: the row ids of the account's users sorted by name (then id), as the search
   * index orders them, so the first search after the fill sorts nothing; null when the worker
   * could not know the whole account (a resumed fill, a user changed or deleted during it).
   */
  | { kind: 'finished'; count: number; nameOrder: Float64Array | null }
  | { kind: 'failed'; message: string; invalidAnswer: boolean };

/** `workerData` of the same worker file started as the checkpointer (see `Checkpointer`). */
export interface CheckpointInit {
  checkpoint: true;
  file: string;
}

/** The checkpointer's answer to each request: WAL frames, and how many are now in the database. */
export type CheckpointToMain = { kind: 'checkpointed'; log: number; checkpointed: number } | { kind: 'failed'; message: string };
