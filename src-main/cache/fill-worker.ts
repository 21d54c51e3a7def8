/**
 * The fill's worker threads: a full sync is written into the cache off the main thread, which only
 * fetches pages and posts their raw bytes. Two threads share the work, so that it runs on two
 * cores while the pages keep coming:
 *
 * - the parser (`ParseInit`) decodes, parses and validates each page (`isPlainUsersPage`, else
 *   zod), tells the main thread what it said (`page`: cursor, hasMore, total) and derives its rows
 *   (`userRow`);
 * - the writer (`FillInit`) inserts those rows through its own connection (WAL lets the main
 *   thread's connection keep reading meanwhile), commits every batch with the fill's position
 *   (`FillState.cursor`, so an interrupted fill resumes from its last committed page), sorts the
 *   new users by name, and hands each committed batch to the main thread (`committed`). A fresh
 *   fill writes without the users' key index; when only it wrote the account's users, it leaves
 *   the index to build after the sync has answered (`keyPending`, then `key` from the main thread).
 *
 * While an account's cache is first filled the writer's connection runs with relaxed durability
 * (`synchronous=OFF`, no automatic checkpoint: a fresh fill's WAL is checkpointed once, at its end): the
 * cache can always be rebuilt from the platform and a corrupt file is set aside at open. A process
 * kill loses nothing committed (the OS still has it); only a power loss could, and then the file
 * is rebuilt.
 *
 * The same file, started with `CheckpointInit`, is the checkpointer (`Checkpointer`).
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ListUsersResponse, ListUsersResponseSchema } from '../../src-shared/platform-api';
import { isPlainUsersPage } from '../../src-shared/users-page-check';
import { compareSortKeys } from '../../src-shared/search';
import { COL, INSERT_USER_SQL, IndexRowsBuilder, UPDATE_USER_BY_RID_SQL, UPSERT_USER_SQL, rowFromWire, rowToWire, userRow, type UserRowValues } from './user-row';
import { USER_KEY_INDEX, ensureUserKey, isUniqueViolation } from './migrations';
import { NameOrderRuns, type NameOrderEntry } from './name-order';
import {
  fillStateKey,
  type CheckpointInit,
  type CheckpointToMain,
  type FillInit,
  type FillState,
  type FillToMain,
  type MainToFill,
  type MainToWriter,
  type ParseInit,
  type ParserToMain,
  type ParserToWriter,
} from './fill-protocol';

const port = parentPort!;
const data = workerData as FillInit | ParseInit | CheckpointInit;
if ('checkpoint' in data) runCheckpointer(data);
else if ('parse' in data) runParser(data);
else runFill(data);

/** Rows by (name key, id), the order of `NameOrderRuns`. */
const byNameThenId = (a: UserRowValues, b: UserRowValues) => compareSortKeys(a[COL.nameKey], b[COL.nameKey], a[COL.id], b[COL.id]);

/** The users page schema, loaded on first need (see `runParser`). */
type UsersPageSchema = typeof ListUsersResponseSchema;

/**
 * The parser: each raw page parsed, validated and turned into rows for the writer. It starts
 * without zod (its static imports are zod-free, which a unit test holds): a page the schema would
 * give back unchanged needs only the quick check, and the schema is imported for the first page
 * that is not. Messages are handled one after the other, in order, whether or not one waits for it.
 */
function runParser(init: ParseInit): void {
  const post = (message: ParserToMain) => port.postMessage(message);
  const toWriter = (message: ParserToWriter) => init.rows.postMessage(message);
  const decoder = new TextDecoder();
  let schema: Promise<UsersPageSchema> | null = null;

  async function onPage(body: Uint8Array): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(body));
    } catch {
      json = undefined;
    }
    // A page the schema would give back unchanged is used as parsed (the quick check, about a
    // tenth of zod's parse); anything else goes through the schema, which strips or refuses it.
    let page: ListUsersResponse;
    if (isPlainUsersPage(json)) page = json;
    else {
      schema ??= import('../../src-shared/platform-api').then((api) => api.ListUsersResponseSchema);
      const parsed = (await schema).safeParse(json);
      if (!parsed.success) {
        post({ kind: 'failed', message: 'unexpected answer from GET /users', invalidAnswer: true });
        return;
      }
      page = parsed.data;
    }
    const total = page.total !== undefined ? { total: page.total } : {};
    post({ kind: 'page', cursor: page.cursor, hasMore: page.hasMore, items: page.items.length, deleted: page.deletedIds.length, ...total });
    // In name order: the writer inserts them so, and its sort of each batch by name (the search
    // index's name order) then meets a few sorted runs instead of random rows.
    const rows = page.items.map((user) => userRow(init.accountId, user)).sort(byNameThenId);
    for (const row of rows) rowToWire(row);
    toWriter({ kind: 'rows', rows, deletedIds: page.deletedIds, cursor: page.cursor, hasMore: page.hasMore, ...total });
  }

  let handled: Promise<void> = Promise.resolve();
  port.on('message', (message: MainToFill) => {
    handled = handled
      .then(() => (message.kind === 'page' ? onPage(message.body) : toWriter(message)))
      .catch((err: unknown) => post({ kind: 'failed', message: err instanceof Error ? err.message : String(err), invalidAnswer: false }));
  });
}

/**
 * The checkpointer (the same worker file, started with `CheckpointInit`): the main connection's
 * WAL is copied into the database here, after each sync, so the main thread's commits do not
 * stop for it (an automatic checkpoint inside a delta sync's commit took 50-250 ms).
 */
function runCheckpointer(init: CheckpointInit): void {
  const db = new Database(init.file);
  db.pragma('busy_timeout = 1000');
  port.on('message', () => {
    let message: CheckpointToMain;
    try {
      // PASSIVE: copies what it can without waiting for, or blocking, the main connection.
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      message = { kind: 'checkpointed', log: result?.log ?? 0, checkpointed: result?.checkpointed ?? 0 };
    } catch (err) {
      message = { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(message);
  });
}

function runFill(init: FillInit): void {
  const post = (message: FillToMain, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);


  const db = new Database(init.file);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  if (init.relaxed) {
    db.pragma('synchronous = OFF');
    db.pragma('wal_autocheckpoint = 0');
  } else db.pragma('synchronous = NORMAL');

  const { accountId } = init;
  const saveFill = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  /** The account's users in the cache, by id: a user seen again (changed during the listing) is an update of its row. */
  const seen = new Map<string, number>();
  let count = 0;
  const fill: FillState = { ...init.fill };

  /** The account's users as the file has them (a resumed fill; after duplicates were removed). */
  function loadSeen(): void {
    seen.clear();
    const rows = db.prepare('SELECT id, rid FROM users WHERE account_id = ?').raw().iterate(accountId) as IterableIterator<[string, number]>;
    for (const [id, rid] of rows) seen.set(id, rid);
    count = seen.size;
  }

  if (init.fresh) {
    // A fresh fill starts from an empty account (a half-filled or foreign one is cleared first),
    // and without the users' key index: inserted one by one with random ids it cost a third of
    // the fill's SQLite time; built once at the end it costs about 0.1 s (`ensureUserKey`).
    db.transaction(() => {
      db.prepare('DELETE FROM users WHERE account_id = ?').run(accountId);
      db.exec(`DROP INDEX IF EXISTS ${USER_KEY_INDEX}`);
      saveFill.run(fillStateKey(accountId), JSON.stringify(fill));
    })();
  } else {
    // A resumed fill keeps the index (the rows are there already); a killed fill's is built first.
    ensureUserKey(db);
    loadSeen();
  }
  post({ kind: 'written', pages: 0 }); // started: the main thread may send the first page
  const insert = db.prepare(INSERT_USER_SQL);
  /** Whether the users' key index is there (a fresh fill drops it, and builds it near its end). */
  let keyBuilt = !init.fresh;
  let upsert: Database.Statement | null = null;

  /**
   * A user new to this fill: a plain insert. Once the key index is there, a user the main thread
   * saved before the fill reached it is already in the file: its row is replaced unless newer
   * (`wrote` false), and the name order is no longer known.
   */
  function insertNew(row: UserRowValues): { rid: number; wrote: boolean } {
    try {
      return { rid: Number(insert.run(...row).lastInsertRowid), wrote: true };
    } catch (err) {
      if (!(keyBuilt && isUniqueViolation(err))) throw err;
    }
    orderKnown = false;
    upsert ??= db.prepare(`${UPSERT_USER_SQL} RETURNING rid`);
    const hit = upsert.get(...row) as { rid: number } | undefined;
    if (hit) return { rid: hit.rid, wrote: true };
    const rid = db.prepare('SELECT rid FROM users WHERE account_id = ? AND id = ?').pluck().get(accountId, row[COL.id]) as number;
    return { rid, wrote: false };
  }
  const update = db.prepare(UPDATE_USER_BY_RID_SQL);
  const delByRid = db.prepare('DELETE FROM users WHERE rid = ?');
  const delByKey = db.prepare('DELETE FROM users WHERE account_id = ? AND id = ?');

  /**
   * The name order of the account for the search index, from each committed batch of new users
   * (`NameOrderRuns`). Only a fresh fill where every user was a plain insert knows the whole account.
   */
  let orderKnown = init.fresh;
  const order = new NameOrderRuns();
  let batchEntries: NameOrderEntry[] = [];

  /** What the open transaction wrote, handed to the main thread after its commit. */
  const written = new IndexRowsBuilder();
  let deletedIds: string[] = [];
  let pending = 0;
  let pagesWritten = 0;
  /**
   * Relaxed, there is no automatic checkpoint. A fresh fill checkpoints once, when it closes the
   * file (`closeFile`), which is normally after the sync has answered, with the key index: batch by
   * batch, passive checkpoints cost the writer 100-130 ms more during a 100 000-user fill than the
   * one at the end (90-130 ms; pages written again by the next batch were copied each time). The
   * WAL grows meanwhile (about the fill's size; emptied at the end), and the main connection does
   * not checkpoint it either (`ConsoleCache.setAutoCheckpoint`). A resumed fill closes the file
   * before the sync answers: it checkpoints each batch after its commit, a passive one (readers are
   * never waited for), so that little is left for the end.
   */
  const checkpointEachBatch = init.relaxed && !init.fresh;

  function commit(): void {
    saveFill.run(fillStateKey(accountId), JSON.stringify(fill));
    db.exec('COMMIT');
    if (checkpointEachBatch) db.pragma('wal_checkpoint(PASSIVE)');
    post({ kind: 'committed', count, cursor: fill.cursor, rows: written.take(), deletedIds });
    if (orderKnown) order.addBatch(batchEntries);
    batchEntries = [];
    deletedIds = [];
    pending = 0;
  }

  function onRows(page: Extract<ParserToWriter, { kind: 'rows' }>): void {
    if (!db.inTransaction) db.exec('BEGIN');
    for (const wire of page.rows) {
      const row = rowFromWire(wire, accountId);
      const id = row[COL.id];
      const known = seen.get(id);
      if (known === undefined) {
        // The lean path: a user new to the account is a plain insert.
        const { rid, wrote } = insertNew(row);
        seen.set(id, rid);
        count++;
        if (wrote) written.add(rid, row);
        // The name key is the name part of the search text (`userRow`); the index checks the order it gets.
        if (orderKnown) batchEntries.push([row[COL.nameKey], id, rid]);
      } else {
        // Seen again: it changed while the listing ran (or after the interrupted part of a fill).
        // An older copy never replaces a newer one.
        if (update.run(...row, known, row[COL.version]).changes === 0) continue;
        orderKnown = false;
        written.add(known, row);
      }
    }
    for (const id of page.deletedIds) {
      const rid = seen.get(id);
      // (One this fill did not write: a scan, rare: a user deleted while the listing ran.)
      if ((rid !== undefined ? delByRid.run(rid) : delByKey.run(accountId, id)).changes > 0) {
        count--;
        orderKnown = false;
      }
      seen.delete(id);
      deletedIds.push(id);
    }
    fill.cursor = page.cursor;
    if (fill.total === null && page.total !== undefined) fill.total = page.total;
    pending += page.rows.length + page.deletedIds.length;
    if (pending >= init.batch || !page.hasMore) commit();
    post({ kind: 'written', pages: ++pagesWritten });
  }

  /** The sync stopped on the platform's error: what came before it is committed, then the main thread is told. */
  function onDrain(): void {
    if (db.inTransaction) commit();
    if (!keyBuilt) buildUserKey();
    // The WAL a fresh fill let grow goes into the file here, not in a later commit of the main thread.
    if (init.relaxed && !checkpointEachBatch) db.pragma('wal_checkpoint(PASSIVE)');
    post({ kind: 'drained' });
  }

  /**
   * The users' key index, dropped by a fresh fill, built again. A user the main thread saved
   * before the fill reached it was written twice: its older row goes, and the users, their count
   * and the name order then come from the file.
   */
  function buildUserKey(): void {
    keyBuilt = true;
    if (ensureUserKey(db) === 0) return;
    loadSeen();
    orderKnown = false;
    post({ kind: 'rewritten' });
  }

  /** Back to the normal settings, and the connection closed (the main thread's is the cache's from now on). */
  function closeFile(): void {
    if (init.relaxed) {
      // What is left in the WAL (a fresh fill's every batch; a resumed fill's what readers held
      // back from its batches' checkpoints) goes into the file now, and the WAL is emptied; then
      // the normal settings (this connection closes anyway).
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('synchronous = NORMAL');
    }
    db.close();
  }

  /**
   * Every row is committed. The users' key index, when a fresh fill dropped it, is built now only
   * if the main thread wrote the account's users meanwhile (`keyLater` false: a user it saved may be
   * in the file twice, which the build resolves before the sync answers). Otherwise the sync
   * answers first and the index follows (`keyPending`): reading 100 000 rows back to build it took
   * 0.3 s at the fill's end, with the platform done and a core idle; until it is there, the main
   * thread's lookups by id scan, and its writes wait for the writer (the sync waits for `keyed`).
   */
  function onFinish(keyLater: boolean): void {
    if (db.inTransaction) commit();
    const keyPending = keyLater && !keyBuilt;
    if (!keyPending) {
      if (!keyBuilt) buildUserKey();
      closeFile();
    }
    init.rows.close();
    const nameOrder = orderKnown ? order.take() : null;
    post({ kind: 'finished', count, nameOrder, keyPending }, nameOrder ? [nameOrder.buffer as ArrayBuffer] : []);
  }

  /** The pending key index (after `finished` with `keyPending`), then the file closed (already so: answered at once). */
  port.on('message', (message: MainToWriter) => {
    if (message.kind !== 'key') return;
    if (!db.open) return post({ kind: 'keyed' });
    try {
      buildUserKey();
      closeFile();
      post({ kind: 'keyed' });
    } catch (err) {
      post({ kind: 'failed', message: err instanceof Error ? err.message : String(err), invalidAnswer: false });
    }
  });

  init.rows.on('message', (message: ParserToWriter) => {
    try {
      if (message.kind === 'rows') onRows(message);
      else if (message.kind === 'drain') onDrain();
      else onFinish(message.keyLater);
    } catch (err) {
      if (db.open && db.inTransaction) db.exec('ROLLBACK');
      post({ kind: 'failed', message: err instanceof Error ? err.message : String(err), invalidAnswer: false });
    }
  });
}
