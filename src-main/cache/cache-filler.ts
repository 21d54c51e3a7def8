/**
 * The main thread's side of the fill's workers: starts `fill-worker`'s parser and writer for one
 * full sync (connected by a message channel), posts the parser the raw pages, and hands each batch
 * the writer committed to the cache (search index, count) as it lands.
 *
 * The worker's entry is `fill-worker.ts` next to this file when running from source (tsx, vitest:
 * the worker gets tsx's loader) and `fill-worker.js` (or `.mjs`) next to the bundle when built
 * (electron-vite and the bench's esbuild bundle emit it as an entry of its own).
 */
import { MessageChannel, Worker, type ResourceLimits } from 'node:worker_threads';
import type { CheckpointInit, CheckpointToMain, FillInit, FillToMain, MainToFill, MainToWriter, ParseInit, ParserToMain } from './fill-protocol';
import type { IndexRows } from './user-search-index';

/**
 * Each fill worker's young generation: three 4 MB semi-spaces, the size the app launches its main
 * thread with (`LAUNCH_V8_FLAGS`, scripts/start.mjs). V8 applies that launch flag to every isolate
 * of the process, over a worker's `resourceLimits`, so this is also what the app's workers had
 * when they asked for 48 MB; asked for here, the bench and the tests (launched without the flag)
 * run the workers as the app does. 16 MB semi-spaces (the flag lifted for the workers) kept 15-20
 * MB more RSS after the sync and after #6's working session (freed worker pages stay with the
 * process), for about 5 % less console CPU per fill in 4 alternating pairs (README, Performance).
 */
const FILL_YOUNG_GENERATION_MB = 12;

/** The options a fill worker starts with: its entry's Node options and its young generation. */
export function fillWorkerOptions(entry: WorkerEntry): { execArgv: string[]; resourceLimits: ResourceLimits } {
  return { execArgv: entry.execArgv, resourceLimits: { maxYoungGenerationSizeMb: FILL_YOUNG_GENERATION_MB } };
}

/** What a page said, once the worker parsed and validated it. */
export interface FillPage {
  cursor: string;
  hasMore: boolean;
  items: number;
  deleted: number;
  total?: number;
}

/**
 * What a finished fill says: the account's user count, its name order when the worker knows it,
 * and whether the users' key index is still to build (`CacheFiller.buildKey`, then `close`).
 */
export interface FillDone {
  count: number;
  nameOrder: Float64Array | null;
  keyPending: boolean;
}

/** A worker's entry file and the Node options it starts with. */
export interface WorkerEntry {
  url: URL;
  execArgv: string[];
}

/** Where the worker's entry is, from source or from a bundle. */
export function fillWorkerEntry(): WorkerEntry {
  const ext = /\.(ts|mjs|js)$/.exec(new URL(import.meta.url).pathname)?.[1] ?? 'js';
  return ext === 'ts'
    ? { url: new URL('./fill-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] }
    : { url: new URL(`./fill-worker.${ext}`, import.meta.url), execArgv: [] };
}

/** Thrown when the worker found a page that is not a valid `GET /users` answer, or failed writing. */
export class FillError extends Error {
  constructor(
    message: string,
    readonly invalidAnswer: boolean,
  ) {
    super(message);
  }
}

/** One running fill. */
export class CacheFiller {
  private readonly parser: Worker;
  private readonly writer: Worker;
  private readonly waiting: Array<{ resolve: (page: FillPage) => void; reject: (err: Error) => void }> = [];
  private finished: { resolve: (done: FillDone) => void; reject: (err: Error) => void } | null = null;
  private draining: (() => void) | null = null;
  private keying: { resolve: () => void; reject: (err: Error) => void } | null = null;
  /** -1 until the writer has started (its fresh fill cleared the account and recorded the fill). */
  private pagesWritten = -1;
  private writtenWaiter: { pages: number; resolve: () => void; reject: (err: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    init: Omit<FillInit, 'rows'>,
    private readonly onCommitted: (batch: { count: number; cursor: string | null; rows: IndexRows; deletedIds: string[] }) => void,
    private readonly onRewritten: () => void,
    entry: WorkerEntry = fillWorkerEntry(),
  ) {
    // Freed when the fill ends.
    const options = fillWorkerOptions(entry);
    const { port1, port2 } = new MessageChannel();
    const parseInit: ParseInit = { parse: true, accountId: init.accountId, rows: port1 };
    const writeInit: FillInit = { ...init, rows: port2 };
    this.parser = new Worker(entry.url, { ...options, workerData: parseInit, transferList: [port1] });
    this.writer = new Worker(entry.url, { ...options, workerData: writeInit, transferList: [port2] });
    this.parser.on('message', (message: ParserToMain) => this.onMessage(message));
    this.writer.on('message', (message: FillToMain) => this.onMessage(message));
    for (const worker of [this.parser, this.writer]) {
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        this.draining?.();
        if (!this.finished && this.waiting.length === 0 && this.failure) return;
        this.fail(new Error(`fill worker exited (${code})`));
      });
    }
  }

  private onMessage(message: FillToMain | ParserToMain): void {
    switch (message.kind) {
      case 'page':
        this.waiting.shift()?.resolve(message);
        break;
      case 'committed':
        this.onCommitted(message);
        break;
      case 'written':
        this.pagesWritten = message.pages;
        if (this.writtenWaiter && this.pagesWritten >= this.writtenWaiter.pages) {
          this.writtenWaiter.resolve();
          this.writtenWaiter = null;
        }
        break;
      case 'keyed':
        this.keying?.resolve();
        this.keying = null;
        break;
      case 'rewritten':
        this.onRewritten();
        break;
      case 'drained':
        this.draining?.();
        break;
      case 'finished':
        this.finished?.resolve({ count: message.count, nameOrder: message.nameOrder, keyPending: message.keyPending });
        this.finished = null;
        break;
      case 'failed':
        this.fail(new FillError(message.message, message.invalidAnswer));
        break;
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
    this.writtenWaiter?.reject(this.failure);
    this.writtenWaiter = null;
    this.finished?.reject(this.failure);
    this.finished = null;
    this.keying?.reject(this.failure);
    this.keying = null;
  }

  /**
   * Resolves once the writer has started and written `atLeast` pages: the main thread posts a page
   * only when the writer is at most a few pages behind, so pages and rows never queue up between
   * the threads (their buffers would stay in the process's heap after the fill: 40-50 MB more
   * RSS), and the first page only once the writer recorded the fill (a fill the status counts is
   * one the file knows).
   */
  whenWritten(atLeast: number): Promise<void> {
    const pages = Math.max(atLeast, 0);
    if (this.failure) return Promise.reject(this.failure);
    if (this.pagesWritten >= pages) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.writtenWaiter = { pages, resolve, reject };
    });
  }

  /** Posts one raw page; resolves with what it said once the worker parsed it (before it is written). */
  page(body: Uint8Array): Promise<FillPage> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      // A buffer of its own is moved to the worker; a slice of a shared pool is copied.
      const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
      const message: MainToFill = { kind: 'page', body };
      this.parser.postMessage(message, own ? [body.buffer as ArrayBuffer] : []);
    });
  }

  /**
   * Commits what is left and resolves with the account's user count (and name order). `keyLater`:
   * nothing but this fill wrote the account's users, so a users' key index the fill dropped may be
   * built after the sync answers (`keyPending` in the answer: then `buildKey`); otherwise it is
   * built before this resolves, and the writer's connection is closed.
   */
  finish(keyLater: boolean): Promise<FillDone> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.finished = { resolve, reject };
      const message: MainToFill = { kind: 'finish', keyLater };
      this.parser.postMessage(message);
    });
  }

  /** After a finish with `keyPending`: the writer builds the users' key index and closes the file. */
  buildKey(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.keying = { resolve, reject };
      const message: MainToWriter = { kind: 'key' };
      this.writer.postMessage(message);
    });
  }

  /**
   * After the platform's error (an invalid page, a lost connection): the writer commits the pages
   * it was given before, so the next sync resumes after them. Resolves when it did, or when it
   * cannot (it failed or ended; at most `timeoutMs`). Not after a sign-out: stop it with `close`.
   */
  drain(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.draining = () => {
        this.draining = null;
        done();
      };
      const message: MainToFill = { kind: 'drain' };
      this.parser.postMessage(message);
    });
  }

  /** Stops the workers (after finish, or to abandon the fill; what the writer committed stays). */
  async close(): Promise<void> {
    await Promise.all([this.parser.terminate(), this.writer.terminate()]);
  }
}

/** What one checkpoint did: frames in the WAL, and how many of them are now in the database. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

/** A checkpoint ended by `Checkpointer.close` (signing out, quitting): not a failure to report. */
export class CheckpointStopped extends Error {
  constructor() {
    super('checkpoint stopped');
  }
}

/**
 * The checkpointer: the fill worker's file started in its checkpoint mode, with a connection of
 * its own that copies the cache's WAL into the database when asked (after a sync that wrote), so
 * the main thread's commits rarely reach SQLite's automatic checkpoint (left on as the safety
 * net). A thread for each checkpoint, ended after it: an idle one would keep about 15 MB resident
 * between syncs. It never keeps the process alive; one checkpoint at a time.
 */
export class Checkpointer {
  private worker: Worker | null = null;
  private running: Promise<CheckpointResult> | null = null;
  private closing = false;

  constructor(
    private readonly file: string,
    private readonly entry: WorkerEntry = fillWorkerEntry(),
  ) {}

  /** Runs a checkpoint (or joins the one running) and resolves with what it did. */
  request(): Promise<CheckpointResult> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  private run(): Promise<CheckpointResult> {
    if (!this.worker) {
      const init: CheckpointInit = { checkpoint: true, file: this.file };
      const worker = new Worker(this.entry.url, { workerData: init, execArgv: this.entry.execArgv });
      worker.unref();
      worker.on('error', () => undefined);
      worker.on('exit', () => {
        if (this.worker === worker) this.worker = null;
      });
      this.worker = worker;
    }
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      const onMessage = (message: CheckpointToMain) => {
        done();
        if (message.kind === 'checkpointed') resolve({ log: message.log, checkpointed: message.checkpointed });
        else reject(new Error(`checkpoint: ${message.message}`));
      };
      const onExit = (code: number) => {
        done();
        reject(this.closing ? new CheckpointStopped() : new Error(`checkpoint worker exited (${code})`));
      };
      const done = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (this.worker === worker) this.worker = null;
        void worker.terminate();
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      worker.postMessage('checkpoint');
    });
  }

  /** Stops the worker (a checkpoint it was running ends with it; SQLite keeps the file consistent). */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}

