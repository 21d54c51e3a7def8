/** Messages between the main thread and the fill's two worker threads (`fill-worker.ts`), and the fill's state. */
import type { MessagePort } from 'node:worker_threads';
import type { UserRowValues } from './user-row';
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

/** `workerData` of the fill's writer. */
export interface FillInit {
  file: string;
  /** Where the parser's rows come from (`ParserToWriter`); moved to the writer at its start. */
  rows: MessagePort;
  accountId: string;
  /** true: clear the account's users first; false: resume (users already there were seen). */
  fresh: boolean;
  /** Relaxed durability (only while an account's cache is first filled). */
  relaxed: boolean;
  /** Users (and deletions) per transaction. */
  batch: number;
  fill: FillState;
}

/** `workerData` of the fill's parser (the same worker file). */
export interface ParseInit {
  parse: true;
  accountId: string;
  /** Where its rows go (the writer's `rows`); moved to the parser at its start. */
  rows: MessagePort;
}

/**
 * The main thread to the parser: raw pages, then the end; or, when the sync stops on an error of
 * the platform's, `drain`: the writer commits what it was given before (the next sync resumes there).
 */
export type MainToFill = { kind: 'page'; body: Uint8Array } | { kind: 'finish'; keyLater: boolean } | { kind: 'drain' };

/**
 * The main thread to the writer, once the sync that the fill served has answered and committed its
 * own writes: build the users' key index now (a fill that finished with `keyPending`).
 */
export type MainToWriter = { kind: 'key' };

/** The parser to the writer: each page's rows (`userRow`, then `rowToWire`), in order, then the end. */
export type ParserToWriter =
  | { kind: 'rows'; rows: UserRowValues[]; deletedIds: string[]; cursor: string; hasMore: boolean; total?: number }
  | { kind: 'finish'; keyLater: boolean }
  | { kind: 'drain' };

/** The parser to the main thread: what a page said, once parsed and validated (before it is written). */
export type ParserToMain =
  | { kind: 'page'; cursor: string; hasMore: boolean; items: number; deleted: number; total?: number }
  | { kind: 'failed'; message: string; invalidAnswer: boolean };

/** The writer to the main thread. */
export type FillToMain =
  | { kind: 'committed'; count: number; cursor: string | null; rows: IndexRows; deletedIds: string[] }
  /**
   * `nameOrder`: the row ids of the account's users sorted by name (then id), as the search
   * index orders them, so the first search after the fill sorts nothing; null when the worker
   * could not know the whole account (a resumed fill, a user changed or deleted during it).
   */
  | { kind: 'finished'; count: number; nameOrder: Float64Array | null; keyPending: boolean }
  /** The users' key index a fill left pending is built, and the writer's connection closed (after `MainToWriter` key). */
  | { kind: 'keyed' }
  /** Once started (0), then after each page's rows: how many pages the writer has written (the main thread paces the parser by it). */
  | { kind: 'written'; pages: number }
  | { kind: 'drained' }
  /**
   * Building the users' key index removed rows (a user the main thread saved during the fill was
   * written twice): what the main thread derived from the committed batches no longer matches the
   * file (its search index is built again from the file).
   */
  | { kind: 'rewritten' }
  | { kind: 'failed'; message: string; invalidAnswer: boolean };

/** `workerData` of the same worker file started as the checkpointer (see `Checkpointer`). */
export interface CheckpointInit {
  checkpoint: true;
  file: string;
}

/** The checkpointer's answer to each request: WAL frames, and how many are now in the database. */
export type CheckpointToMain = { kind: 'checkpointed'; log: number; checkpointed: number } | { kind: 'failed'; message: string };
