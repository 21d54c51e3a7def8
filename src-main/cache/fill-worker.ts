/**
 * The fill worker (a worker thread): writes a full sync into the cache off the main thread. The
 * main thread only fetches pages and posts their raw bytes here; this thread parses and validates
 * them, computes the derived columns and writes SQLite through its own connection (WAL lets the
 * main thread's connection keep reading meanwhile). Each commit also stores the fill's position
 * (`FillState.cursor`), so an interrupted fill resumes from its last committed page.
 *
 * While an account's cache is first filled the connection runs with relaxed durability
 * (`synchronous=OFF`, no auto-checkpoint, one checkpoint at the end): the cache can always be
 * rebuilt from the platform and a corrupt file is set aside at open. A process kill loses nothing
 * committed (the OS still has it); only a power loss could, and then the file is rebuilt.
 *
 * Messages in: `{ kind: 'page', body }` (a `GET /users` answer as bytes), `{ kind: 'finish' }`.
 * Messages out: `page` (cursor, hasMore, total: posted before writing, so the main thread can ask
 * for the next page meanwhile), `committed` (the users committed, for the search index),
 * `finished`, `failed`.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { ListUsersResponseSchema } from '../../src-shared/platform-api';
import { compareSortKeys } from '../../src-shared/search';
import { COL, IndexRowsBuilder, UPSERT_USER_SQL, USER_COLUMNS, USER_VALUES, userRow } from './user-row';
import { fillStateKey, type CheckpointInit, type CheckpointToMain, type FillInit, type FillState, type FillToMain, type MainToFill } from './fill-protocol';

const port = parentPort!;
const data = workerData as FillInit | CheckpointInit;
if ('checkpoint' in data) runCheckpointer(data);
else runFill(data);

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
  const insert = db.prepare(`INSERT INTO users (${USER_COLUMNS}) VALUES (${USER_VALUES})`);
  const upsert = db.prepare(`${UPSERT_USER_SQL} RETURNING rid`);
  const delUser = db.prepare('DELETE FROM users WHERE account_id = ? AND id = ?');
  const saveFill = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  /** Ids in the cache for this account: a user seen again (changed during the listing) is an update. */
  const seen = new Set<string>();
  let count = 0;
  const fill: FillState = { ...init.fill };

  if (init.fresh) {
    // A fresh fill starts from an empty account (a half-filled or foreign one is cleared first).
    db.transaction(() => {
      db.prepare('DELETE FROM users WHERE account_id = ?').run(accountId);
      saveFill.run(fillStateKey(accountId), JSON.stringify(fill));
    })();
  } else {
    for (const id of db.prepare('SELECT id FROM users WHERE account_id = ?').pluck().iterate(accountId) as IterableIterator<string>) seen.add(id);
    count = seen.size;
  }

  /**
   * The name order of the account for the search index (see `nameOrder` in fill-protocol.ts): each
   * committed batch of new users is sorted by (name key, id) into a run while the main thread
   * fetches; the runs are merged when the fill finishes. Only a fresh fill where every user was a
   * plain insert knows the whole account.
   */
  let orderKnown = init.fresh;
  const runs: Array<{ keys: string[]; ids: string[]; rids: number[] }> = [];
  let runRows: Array<[string, string, number]> = [];


  /** (key, id) in code-unit order, the order of the index's `compareSlots`. */
  const byKeyThenId = (a: [string, string, number], b: [string, string, number]) => compareSortKeys(a[0], b[0], a[1], b[1]);

  function closeRun(): void {
    if (!orderKnown || runRows.length === 0) {
      runRows = [];
      return;
    }
    runRows.sort(byKeyThenId);
    runs.push({ keys: runRows.map((r) => r[0]), ids: runRows.map((r) => r[1]), rids: runRows.map((r) => r[2]) });
    runRows = [];
  }

  /** Merges the runs pairwise into the account's rids in name order. */
  function nameOrder(): Float64Array | null {
    if (!orderKnown) return null;
    let level = runs.splice(0);
    while (level.length > 1) {
      const next: typeof level = [];
      for (let r = 0; r < level.length; r += 2) {
        const x = level[r]!;
        const y = level[r + 1];
        if (!y) {
          next.push(x);
          continue;
        }
        const out = { keys: [] as string[], ids: [] as string[], rids: [] as number[] };
        let i = 0;
        let j = 0;
        while (i < x.rids.length || j < y.rids.length) {
          const takeX =
            j >= y.rids.length ||
            (i < x.rids.length && compareSortKeys(x.keys[i]!, y.keys[j]!, x.ids[i]!, y.ids[j]!) <= 0);
          const from = takeX ? x : y;
          const k = takeX ? i++ : j++;
          out.keys.push(from.keys[k]!);
          out.ids.push(from.ids[k]!);
          out.rids.push(from.rids[k]!);
        }
        next.push(out);
      }
      level = next;
    }
    return Float64Array.from(level[0]?.rids ?? []);
  }

  /** What the open transaction wrote, handed to the main thread after its commit. */
  const written = new IndexRowsBuilder();
  let deletedIds: string[] = [];
  let pending = 0;

  function commit(): void {
    saveFill.run(fillStateKey(accountId), JSON.stringify(fill));
    db.exec('COMMIT');
    post({ kind: 'committed', count, cursor: fill.cursor, rows: written.take(), deletedIds });
    closeRun();
    deletedIds = [];
    pending = 0;
  }

  const decoder = new TextDecoder();

  function onPage(body: Uint8Array): void {
    let json: unknown;
    try {
      json = JSON.parse(decoder.decode(body));
    } catch {
      json = undefined;
    }
    const parsed = ListUsersResponseSchema.safeParse(json);
    if (!parsed.success) {
      post({ kind: 'failed', message: 'unexpected answer from GET /users', invalidAnswer: true });
      return;
    }
    const page = parsed.data;
    post({
      kind: 'page',
      cursor: page.cursor,
      hasMore: page.hasMore,
      items: page.items.length,
      deleted: page.deletedIds.length,
      ...(page.total !== undefined ? { total: page.total } : {}),
    });
    if (!db.inTransaction) db.exec('BEGIN');
    for (const user of page.items) {
      const row = userRow(accountId, user);
      if (!seen.has(user.id)) {
        // The lean path: a user new to the account is a plain insert.
        const rid = Number(insert.run(...row).lastInsertRowid);
        seen.add(user.id);
        count++;
        written.add(rid, row);
        // The name key is the name part of the search text (`userRow`); the index checks the order it gets.
        if (orderKnown) runRows.push([row[COL.nameKey], user.id, rid]);
      } else {
        // Seen again: it changed while the listing ran (or after the interrupted part of a fill).
        const hit = upsert.get(...row) as { rid: number } | undefined;
        if (!hit) continue; // an older copy never replaces a newer one
        orderKnown = false;
        written.add(hit.rid, row);
      }
    }
    for (const id of page.deletedIds) {
      if (delUser.run(accountId, id).changes > 0) {
        count--;
        orderKnown = false;
      }
      seen.delete(id);
      deletedIds.push(id);
    }
    fill.cursor = page.cursor;
    if (fill.total === null && page.total !== undefined) fill.total = page.total;
    pending += page.items.length + page.deletedIds.length;
    if (pending >= init.batch || !page.hasMore) commit();
  }

  function onFinish(): void {
    if (db.inTransaction) commit();
    if (init.relaxed) {
      // One checkpoint for the whole fill, then the normal settings (this connection closes anyway).
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.pragma('synchronous = NORMAL');
    }
    db.close();
    const order = nameOrder();
    post({ kind: 'finished', count, nameOrder: order }, order ? [order.buffer as ArrayBuffer] : []);
  }

  port.on('message', (message: MainToFill) => {
    try {
      if (message.kind === 'page') onPage(message.body);
      else onFinish();
    } catch (err) {
      if (db.open && db.inTransaction) db.exec('ROLLBACK');
      post({ kind: 'failed', message: err instanceof Error ? err.message : String(err), invalidAnswer: false });
    }
  });
}
