/**
 * The in-memory search index over one account's cached users. Every user's accent-free
 * name/login/email is kept in one joined string; a substring search first keeps the users whose
 * bigram signature (a few bits per pair of adjacent characters) has all of the key's, then
 * searches only their texts (far faster than a LIKE scan or an FTS trigram query with sorting,
 * and than one `indexOf` over the whole text). Filters test one bit field per user, and sorting
 * walks orders sorted in memory. A search at 100 000 users is a few linear passes over typed
 * arrays.
 *
 * Memory: each user's text exists once, inside the joined string (sort keys are cut from it when
 * an order is sorted, then dropped); everything else is typed arrays. A user changed by a sync
 * gets its new text in a small side map (its old text stays in the joined string, skipped), so a
 * delta costs nothing in proportion to the account; the map is folded into the string once it
 * holds a few thousand users; the sort orders move changed users to their new places when they
 * are next used, not in the delta. The index grows by appends:
 * the fill worker hands over each batch it committed (`append`), so the index is ready when the
 * first sync ends; a cold start builds it from the file in a few bulk queries.
 */
import type Database from 'better-sqlite3';
import { PROFILES, READINESS_ITEMS, type Profile, type ReadinessItem } from '../../src-shared/domain-core';
import type { UserFilters } from '../../src-shared/ipc-contract';
import type { UserSortField } from '../../src-shared/search';

/** Bit flags of a user in the index. */
export const FLAG = { active: 1, webrtc: 2, omnichannel: 4, passwordSet: 8, extension: 16, ready: 32 } as const;
/** Readiness items missing, as bits above the flags. */
export const MISSING_FLAG: Record<ReadinessItem, number> = Object.fromEntries(READINESS_ITEMS.map((item, i) => [item, 1 << (6 + i)])) as Record<
  ReadinessItem,
  number
>;

/** What the users table can be sorted by. */
export type SortKey = UserSortField;

/** Separates users in the joined search text; never part of a search key. */
const SEP = '\u0001';

/** Characters with a presence bit per user, so a one-character search needs no text scan. */
const BIT_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789@._- ';
const CHAR_BIT = new Map([...BIT_CHARS].map((c, i) => [c, i] as const));
/** CHAR_BIT by character code (below 128; -1: no bit), for the per-character loops. */
const CODE_BIT = new Int8Array(128).fill(-1);
for (const [c, i] of CHAR_BIT) CODE_BIT[c.charCodeAt(0)] = i;

/**
 * Bigram signatures: GRAM_WORDS × 32 bits per user, bit `gramBit(a, b)` set for each pair of
 * adjacent characters in the user's text. Every user holding a key has every bit of the key's
 * bigrams, so a scan of a few words per user leaves the candidates, and only their texts are
 * searched (at 100 000 users, a key found in 1 % of them: 0.5-1 ms instead of a 5.6 MB scan).
 */
const GRAM_WORDS = 8;
/** The signature bit of two adjacent character codes (Fibonacci hashing to 8 bits). */
const gramBit = (a: number, b: number): number => Math.imul((a << 16) ^ b, 0x9e3779b1) >>> 24;
/** From this share of candidates (1/n) on, the key's places come from one pass over the whole text. */
const DENSE_CANDIDATES = 2;

/** Changed users kept in the side map before it is folded into the text (or n/32 if more). */
const PATCHED_MAX = 2048;

/** A user's search text (`joinSearchKeys`) from the users table's three key columns: the file keeps no copy of it. */
const SEARCH_TEXT_SQL = "name_key || char(10) || login_key || char(10) || email_key";

/** Marks a slot whose user was deleted after the index was built. */
const DELETED = 1 << 30;

/**
 * Users handed to the index, as parallel arrays (what the fill worker posts after a commit):
 * `texts` are the search texts (name, login, email keys joined by '\n', `joinSearchKeys`), `flags` the
 * FLAG/MISSING_FLAG bits, `profiles` indexes into PROFILES, `updated` epoch milliseconds.
 */
export interface IndexRows {
  rids: number[];
  ids: string[];
  texts: string[];
  flags: number[];
  profiles: number[];
  updated: number[];
  /** The `queue_ids` column (`queueIdsText`). */
  queues: string[];
}

/** An empty `IndexRows`. */
export const emptyIndexRows = (): IndexRows => ({ rids: [], ids: [], texts: [], flags: [], profiles: [], updated: [], queues: [] });

/**
 * The `queue_ids` column: a user's voice and chat queue ids, each between two U+0001 (a control
 * character no id may hold), so a membership test is one `includes` (`queueIdsHas`); '' for none.
 */
export function queueIdsText(user: { voiceQueueIds: readonly string[]; chatQueueIds: readonly string[] }): string {
  const ids = [...user.voiceQueueIds, ...user.chatQueueIds];
  return ids.length === 0 ? '' : `${SEP}${ids.join(SEP)}${SEP}`;
}

/** Whether a `queue_ids` value holds a queue. */
export function queueIdsHas(text: string, queueId: string): boolean {
  return text.includes(`${SEP}${queueId}${SEP}`);
}

/** The flags of a user from the cache's columns. */
export function indexFlags(c: { active: number; webrtc: number; omnichannel: number; passwordSet: number; hasExtension: number; ready: number; missingMask: number }): number {
  return (
    (c.active ? FLAG.active : 0) |
    (c.webrtc ? FLAG.webrtc : 0) |
    (c.omnichannel ? FLAG.omnichannel : 0) |
    (c.passwordSet ? FLAG.passwordSet : 0) |
    (c.hasExtension ? FLAG.extension : 0) |
    (c.ready ? FLAG.ready : 0) |
    (c.missingMask << 6)
  );
}

/** Columns the index reads row by row (text and ids come in bulk, see `fromDb`). */
const NUMERIC_COLUMNS = `rid, profile, active, webrtc, omnichannel, password_set, has_extension, ready, missing_mask, updated_at, queue_ids`;
type NumericRow = [number, Profile, number, number, number, number, number, number, number, string, string];

/** Which part of a user's text each sort key is (-1: the timestamp). */
const PART: Record<SortKey, number> = { name: 0, login: 1, email: 2, updatedAt: -1 };

/** The cache's column holding each sort key (see userRow). */
const SORT_COLUMN: Record<SortKey, string> = { name: 'name_key', login: 'login_key', email: 'email_key', updatedAt: 'updated_at' };
/** From this many users on, a first sort asks SQLite (below, sorting here is as quick). */
const SQL_SORT_FROM = 5000;

/** Sorted runs kept next to an order before they are joined into it (see `runs`). */
const MAX_RUNS = 64;
/** A page ending past this position joins the runs first (merging them that far costs more). */
const DEEP_PAGE = 2000;

/**
 * Slots in sort order, and each slot's rank: ascending along the order, not always its position
 * (a moved slot takes a rank between its new neighbours', see `reposition`).
 */
interface SortOrder {
  order: Int32Array;
  rank: Float64Array;
  /**
   * Slots whose keys changed since the order placed them: moved to their places when the order is
   * next used (`settled`), so a delta sync pays for no order, and each order once for all the
   * changes since its last use.
   */
  stale?: Set<number>;
}

/**
 * The layout of a stored index (`toStored`): raise it with any change to what the index holds or how
 * it is laid out, so that a stored index of another layout is built again from the rows.
 */
const STORED_FORMAT = 1;
/** Sort orders as numbers in a stored index. */
const STORED_ORDER_KEYS: readonly SortKey[] = ['name', 'login', 'email', 'updatedAt'];
const align8 = (bytes: number): number => (bytes + 7) & ~7;

/** A JSON list of strings (a stored index's queue combinations), or null when the text is not one. */
function parseStringList(json: string): string[] | null {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : null;
  } catch {
    return null;
  }
}

/** A key's matching slots (ascending), and where each holds the key (see `UserSearchIndex.last`). */
interface Matches {
  key: string;
  changes: number;
  slots: Int32Array;
  at: Int32Array | null;
}

const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, size: number): T => {
  if (a.length >= size) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(size, a.length * 2, 1024));
  next.set(a);
  return next;
};

/**
 * One account's search index. Changes to known users are applied in place, new users are
 * appended; the cache drops the index (and the next search builds a new one) only when a change
 * cannot be applied (e.g. a user new to the index with a row id older than the last one).
 */
export class UserSearchIndex {
  private n = 0;
  private rids = new Float64Array(0);
  private flags = new Int32Array(0);
  private profiles = new Uint8Array(0);
  /** Presence bits of BIT_CHARS per user: two words (32 + 9 bits). */
  private charsLo = new Int32Array(0);
  private charsHi = new Int32Array(0);
  /** Bigram signatures (see GRAM_WORDS), one array per word: a scan reads only the key's words. */
  private grams: Int32Array[] = Array.from({ length: GRAM_WORDS }, () => new Int32Array(0));
  private readonly gramScratch = new Int32Array(GRAM_WORDS);
  /**
   * The last key's matches, while no change came since (`changes`): a table scrolling or
   * re-sorting asks the same key again, and a person typing asks a longer one, whose users are
   * among the last key's. `at` holds where in the joined text each match was found (-1 for a
   * changed user, whose text is its own), when the search that found them knew it: a key that
   * only adds characters at the end is then checked at those places, a character each, instead
   * of searched again.
   */
  private changes = 0;
  private last: Matches | null = null;
  private updated = new Float64Array(0);
  /**
   * Each slot's queue links as a number: its position in `combos`, the distinct `queue_ids` values
   * (agents share a handful of queue combinations, so each is held once).
   */
  private combo = new Int32Array(0);
  private readonly combos: string[] = [];
  private readonly comboOf = new Map<string, number>();
  private ids: string[] = [];
  /** User i's text is text[starts[i], starts[i + 1] - 1); starts[n] is the text's length. */
  private starts = new Int32Array(1);
  private text = '';
  /** Texts appended since the last search (joined on the next one). */
  private tail: string[] = [];
  /** Slots whose text changed since the text was joined: their current text (the joined one is stale). */
  private patched = new Map<number, string>();
  /** Sorted orders; slots appended since an order was sorted are merged into it on its next use. */
  private readonly orders = new Map<SortKey, SortOrder>();
  /**
   * Slots appended after an order was sorted (a first sync's batches), kept as sorted runs next to
   * it: each batch is sorted once, and a search merges the runs only as far as its page. The runs
   * join the order when they outgrow it (so that costs O(n) only each time the index doubles), on
   * any change to known users, or when a page lies deep in the list.
   */
  private readonly runs = new Map<SortKey, Int32Array[]>();
  private readonly queues = new Map<string, Uint8Array>();

  /**
   * `foldAt`: how many changed users the side map holds before it is folded into the text (default
   * 2 048 or n/32, whichever is more; tests set it low to exercise the fold).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly accountId: string,
    private readonly foldAt?: number,
  ) {}

  /**
   * Builds an account's index from the file: text and ids in one query each, then the numbers.
   * The queries scan the table in row id order (NOT INDEXED): through the (account, id) index they
   * visited 100 000 rows in random order and sorted them by row id, 4-5× slower.
   */
  static fromDb(db: Database.Database, accountId: string, foldAt?: number): UserSearchIndex {
    const index = new UserSearchIndex(db, accountId, foldAt);
    const [text, ids] = db
      .prepare(
        `SELECT group_concat(${SEARCH_TEXT_SQL}, char(1)), group_concat(id, char(1))
         FROM (SELECT name_key, login_key, email_key, id FROM users NOT INDEXED WHERE account_id = ? ORDER BY rid)`,
      )
      .raw()
      .get(accountId) as [string | null, string | null];
    if (text === null || ids === null) return index;
    const idList = ids.split(SEP);
    const n = idList.length;
    index.reserve(n);
    let k = 0;
    for (const [rid, profile, active, webrtc, omnichannel, passwordSet, hasExtension, ready, missingMask, updatedAt, queueIds] of db
      .prepare(`SELECT ${NUMERIC_COLUMNS} FROM users NOT INDEXED WHERE account_id = ? ORDER BY rid`)
      .raw()
      .iterate(accountId) as IterableIterator<NumericRow>) {
      index.rids[k] = rid;
      index.flags[k] = indexFlags({ active, webrtc, omnichannel, passwordSet, hasExtension, ready, missingMask });
      index.profiles[k] = PROFILES.indexOf(profile);
      index.updated[k] = Date.parse(updatedAt);
      index.combo[k] = index.comboId(queueIds);
      k++;
    }
    if (k !== n) throw new Error(`search index: ${k} rows but ${n} ids`);
    for (let i = 0; i < n; i++) index.ids.push(idList[i]!);
    // One pass over the joined text finds each user's start and sets its character bits.
    index.text = text + SEP;
    let from = 0;
    for (let i = 0; i < n; i++) {
      index.starts[i] = from;
      const end = index.text.indexOf(SEP, from);
      index.setChars(i, from, end);
      from = end + 1;
    }
    index.starts[n] = from;
    index.n = n;
    return index;
  }

  /**
   * The index as bytes, for the cache to store (see `ConsoleCache.close`) and a later start to read
   * back with `fromStored` instead of building it from the users rows. Settles it first: the side
   * map is folded into the text, and each sort order takes in its changed and appended users.
   */
  toStored(): Buffer {
    this.ensureText();
    if (this.patched.size > 0) this.foldPatched();
    for (const by of [...this.orders.keys()]) this.order(by);
    const n = this.n;
    const orders = [...this.orders];
    const strings = [this.text, this.ids.join(SEP), JSON.stringify(this.combos)].map((t) => Buffer.from(t, 'utf8'));
    const header = Uint32Array.of(STORED_FORMAT, n, orders.length, ...strings.map((b) => b.length), ...orders.map(([by]) => STORED_ORDER_KEYS.indexOf(by)));
    const arrays: ArrayBufferView[] = [
      header,
      this.rids.subarray(0, n),
      this.updated.subarray(0, n),
      this.flags.subarray(0, n),
      this.charsLo.subarray(0, n),
      this.charsHi.subarray(0, n),
      ...this.grams.map((g) => g.subarray(0, n)),
      this.combo.subarray(0, n),
      this.starts.subarray(0, n + 1),
      this.profiles.subarray(0, n),
      ...orders.flatMap(([, { order, rank }]) => [order, rank]),
      ...strings,
    ];
    const size = arrays.reduce((sum, a) => sum + align8(a.byteLength), 0);
    const out = Buffer.alloc(size);
    let at = 0;
    for (const a of arrays) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += align8(a.byteLength);
    }
    return out;
  }

  /**
   * The index `toStored` wrote, over this connection; null when the bytes are not of this
   * version's layout (`STORED_FORMAT`) or do not add up (the caller then builds it from the rows).
   */
  static fromStored(db: Database.Database, accountId: string, data: Uint8Array, foldAt?: number): UserSearchIndex | null {
    let at = 0;
    // Each section is copied into an array of its own (aligned; the stored bytes are then dropped).
    const take = <T>(make: (buffer: ArrayBuffer) => T, bytes: number): T | null => {
      if (at + bytes > data.byteLength) return null;
      const copy = data.buffer.slice(data.byteOffset + at, data.byteOffset + at + bytes) as ArrayBuffer;
      at += align8(bytes);
      return make(copy);
    };
    const fixed = take((b) => new Uint32Array(b), 4 * 3);
    if (!fixed || fixed[0] !== STORED_FORMAT) return null;
    const [, n, orderCount] = fixed as unknown as [number, number, number];
    at = 0;
    const header = take((b) => new Uint32Array(b), 4 * (6 + orderCount));
    if (!header) return null;
    const f64 = () => take((b) => new Float64Array(b), 8 * n);
    const i32 = (count = n) => take((b) => new Int32Array(b), 4 * count);
    const index = new UserSearchIndex(db, accountId, foldAt);
    const rids = f64();
    const updated = f64();
    const flags = i32();
    const charsLo = i32();
    const charsHi = i32();
    const grams = Array.from({ length: GRAM_WORDS }, () => i32());
    const combo = i32();
    const starts = i32(n + 1);
    const profiles = take((b) => new Uint8Array(b), n);
    const orders: Array<[SortKey, SortOrder]> = [];
    for (let k = 0; k < orderCount; k++) {
      const by = STORED_ORDER_KEYS[header[6 + k]!];
      const order = i32();
      const rank = f64();
      if (!by || !order || !rank) return null;
      orders.push([by, { order, rank }]);
    }
    const strings = [3, 4, 5].map((h) => {
      const bytes = header[h]!;
      if (at + bytes > data.byteLength) return null;
      const text = Buffer.from(data.buffer, data.byteOffset + at, bytes).toString('utf8');
      at += align8(bytes);
      return text;
    });
    const [text, ids, combos] = strings;
    if (!rids || !updated || !flags || !charsLo || !charsHi || !combo || !starts || !profiles || grams.some((g) => !g)) return null;
    if (text == null || ids == null || combos == null || at !== data.byteLength) return null;
    index.n = n;
    index.rids = rids;
    index.updated = updated;
    index.flags = flags;
    index.charsLo = charsLo;
    index.charsHi = charsHi;
    index.grams = grams as Int32Array[];
    index.combo = combo;
    index.starts = starts;
    index.profiles = profiles;
    index.text = text;
    index.ids = n === 0 ? [] : ids.split(SEP);
    const comboList = parseStringList(combos);
    if (!comboList || index.ids.length !== n || starts[n] !== text.length) return null;
    for (const queueIds of comboList) index.comboId(queueIds);
    for (const [by, order] of orders) index.orders.set(by, order);
    return index;
  }

  private reserve(size: number): void {
    this.rids = grow(this.rids, size);
    this.flags = grow(this.flags, size);
    this.profiles = grow(this.profiles, size);
    this.charsLo = grow(this.charsLo, size);
    this.charsHi = grow(this.charsHi, size);
    for (let w = 0; w < GRAM_WORDS; w++) this.grams[w] = grow(this.grams[w]!, size);
    this.updated = grow(this.updated, size);
    this.combo = grow(this.combo, size);
    this.starts = grow(this.starts, size + 1);
  }

  /** The number of a `queue_ids` value (see `combo`). */
  private comboId(queueIds: string): number {
    let id = this.comboOf.get(queueIds);
    if (id === undefined) {
      id = this.combos.length;
      this.combos.push(queueIds);
      this.comboOf.set(queueIds, id);
    }
    return id;
  }

  /** Character bits and bigram signature of slot i from its text at [from, end) of `source`. */
  private setChars(i: number, from: number, end: number, source = this.text): void {
    this.changes++;
    let lo = 0;
    let hi = 0;
    // The signature is made in a scratch array and written once (a user's 50-odd bigrams would
    // otherwise each load and store a column).
    const words = this.gramScratch.fill(0);
    let prev = -1;
    for (let c = from; c < end; c++) {
      const code = source.charCodeAt(c);
      if (prev >= 0) {
        const h = gramBit(prev, code);
        words[h >>> 5]! |= 1 << (h & 31);
      }
      prev = code;
      const bit = code < 128 ? CODE_BIT[code]! : -1;
      if (bit < 0) continue;
      if (bit < 32) lo |= 1 << bit;
      else hi |= 1 << (bit - 32);
    }
    this.charsLo[i] = lo;
    this.charsHi[i] = hi;
    for (let w = 0; w < GRAM_WORDS; w++) this.grams[w]![i] = words[w]!;
  }

  /** Joins the texts appended since the last search onto the text. */
  private ensureText(): void {
    if (this.tail.length === 0) return;
    this.text += this.tail.join('');
    this.tail = [];
  }

  get size(): number {
    return this.n;
  }

  /** Row id of the last slot (appends must come after it). */
  private get lastRid(): number {
    return this.n === 0 ? -Infinity : this.rids[this.n - 1]!;
  }

  /** Slot of a row id (rids ascend with slots), or -1. */
  private slotOf(rid: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.rids[mid]!;
      if (r === rid) return mid;
      if (r < rid) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * Applies users written to the file: known row ids are updated in place, new ones appended.
   * Returns false when a new row id is older than the last one (the caller then rebuilds).
   */
  apply(rows: IndexRows): boolean {
    const updates: number[] = [];
    const appends: number[] = [];
    let last = this.lastRid;
    for (let r = 0; r < rows.rids.length; r++) {
      const rid = rows.rids[r]!;
      const slot = this.slotOf(rid);
      if (slot >= 0) updates.push(r);
      else if (rid > last) {
        appends.push(r);
        last = rid;
      } else return false;
    }
    if (updates.length) this.update(rows, updates);
    if (appends.length) this.append(rows, appends);
    return true;
  }

  /** Appends new users (row ids above every indexed one, ascending). */
  private append(rows: IndexRows, which: number[]): void {
    const first = this.n;
    this.reserve(first + which.length);
    let offset = this.starts[first]!;
    const texts: string[] = [];
    for (const r of which) {
      const i = this.n++;
      const clean = rows.texts[r]!.replaceAll(SEP, ' ');
      this.rids[i] = rows.rids[r]!;
      this.ids.push(rows.ids[r]!);
      this.flags[i] = rows.flags[r]!;
      this.profiles[i] = rows.profiles[r]!;
      this.updated[i] = rows.updated[r]!;
      this.combo[i] = this.comboId(rows.queues[r]!);
      this.setChars(i, 0, clean.length, clean);
      this.starts[i] = offset;
      offset += clean.length + 1;
      texts.push(clean, SEP);
    }
    this.starts[this.n] = offset;
    this.tail.push(texts.join(''));
    this.queues.clear();
  }

  /** Replaces known users' data and text (the text goes to the side map; see the file comment). */
  private update(rows: IndexRows, which: number[]): void {
    this.ensureText();
    // Orders first take in any appended slots, while every key still matches its place (so that
    // every stale slot below is in its order).
    for (const [by, entry] of this.orders) if (entry.order.length < this.n) this.orders.set(by, this.merged(this.settled(entry, by), by));
    this.runs.clear();
    const changed = new Set<number>();
    for (const r of which) {
      const i = this.slotOf(rows.rids[r]!);
      this.ids[i] = rows.ids[r]!;
      this.flags[i] = rows.flags[r]!;
      this.profiles[i] = rows.profiles[r]!;
      this.updated[i] = rows.updated[r]!;
      this.combo[i] = this.comboId(rows.queues[r]!);
      const clean = rows.texts[r]!.replaceAll(SEP, ' ');
      this.setChars(i, 0, clean.length, clean);
      this.patched.set(i, clean);
      changed.add(i);
    }
    for (const entry of this.orders.values()) {
      entry.stale ??= new Set();
      for (const i of changed) entry.stale.add(i);
    }
    if (this.patched.size > (this.foldAt ?? Math.max(PATCHED_MAX, this.n >> 5))) this.foldPatched();
    // Queue links may have changed: membership masks are rebuilt on demand.
    this.queues.clear();
  }

  /** Writes the side map's texts into the joined string (one pass over it). */
  private foldPatched(): void {
    this.ensureText();
    const slots = [...this.patched.keys()].sort((a, b) => a - b);
    const pieces: string[] = [];
    let copied = 0;
    let shift = 0;
    let s = 0;
    for (let i = 0; i < this.n; i++) {
      const start = this.starts[i]!;
      const end = this.starts[i + 1]!;
      this.starts[i] = start + shift;
      if (s < slots.length && slots[s] === i) {
        const clean = this.patched.get(i)!;
        pieces.push(this.text.slice(copied, start), clean, SEP);
        copied = end;
        shift += clean.length + 1 - (end - start);
        s++;
      }
    }
    pieces.push(this.text.slice(copied));
    this.starts[this.n] = this.starts[this.n]! + shift;
    this.text = pieces.join('');
    this.patched.clear();
  }

  /**
   * Takes a sort order computed elsewhere (the fill worker's, by row id): kept only if it names
   * every slot exactly once and agrees with this index's comparison wherever two neighbours are
   * checked; otherwise the order is sorted here when first needed. Returns whether it was kept.
   */
  adoptOrder(by: SortKey, rids: ArrayLike<number>): boolean {
    const entry = this.checkedOrder(by, rids);
    if (entry) {
      this.orders.set(by, entry);
      this.runs.delete(by);
    }
    return entry !== null;
  }

  private checkedOrder(by: SortKey, rids: ArrayLike<number>): SortOrder | null {
    if (rids.length !== this.n) return null;
    const order = new Int32Array(this.n);
    const rank = new Float64Array(this.n).fill(-1);
    for (let k = 0; k < rids.length; k++) {
      const i = this.slotOf(rids[k]!);
      if (i < 0 || rank[i] !== -1) return null;
      order[k] = i;
      rank[i] = k;
    }
    for (let k = 1; k < order.length; k++) if (this.compareSlots(by, order[k - 1]!, order[k]!) > 0) return null;
    return { order, rank };
  }

  /**
   * An order sorted by SQLite from the cache's key columns (its sort runs in C, about 3× faster
   * than sorting here), checked like an adopted one; null if it does not fit (the file changed
   * ahead of the index, or a key SQLite orders differently), and then the index sorts.
   */
  private orderFromDb(by: SortKey): SortOrder | null {
    if (this.n < SQL_SORT_FROM) return null;
    const rids = this.db
      .prepare(`SELECT rid FROM users NOT INDEXED WHERE account_id = ? ORDER BY ${SORT_COLUMN[by]}, id`)
      .pluck()
      .all(this.accountId) as number[];
    return this.checkedOrder(by, rids);
  }

  /** Hides deleted users (their slots stay, marked deleted). */
  applyDeletes(userIds: readonly string[]): void {
    const wanted = new Set(userIds);
    for (let i = 0; i < this.n; i++) {
      if (!wanted.has(this.ids[i]!)) continue;
      this.flags[i] = DELETED;
      this.charsLo[i] = 0;
      this.charsHi[i] = 0;
      for (let w = 0; w < GRAM_WORDS; w++) this.grams[w]![i] = 0;
      this.changes++;
    }
  }

  /** What the last `segment` found (fields, not a returned tuple: it runs per comparison). */
  private segText = '';
  private segFrom = 0;
  private segEnd = 0;

  /**
   * Finds part `part` (0 name, 1 login, 2 email) of slot i's text: the string holding it (the
   * joined text, or the side map's for a changed user), its start and its end, in segText,
   * segFrom and segEnd.
   */
  private segment(i: number, part: number): void {
    const own = this.patched.size === 0 ? undefined : this.patched.get(i);
    const text = own ?? this.text;
    let from = own === undefined ? this.starts[i]! : 0;
    const end = own === undefined ? this.starts[i + 1]! - 1 : own.length;
    for (let p = 0; p < part; p++) {
      const nl = text.indexOf('\n', from);
      from = nl < 0 || nl > end ? end : nl + 1;
    }
    const nl = text.indexOf('\n', from);
    this.segText = text;
    this.segFrom = from;
    this.segEnd = nl < 0 || nl > end ? end : nl;
  }

  /** Sort keys of slots, cut from the text (name/login/email) or the timestamps; dropped after use. */
  private keysOf(by: SortKey, slots: ArrayLike<number>): Array<string | number> {
    this.ensureText();
    const out = new Array<string | number>(slots.length);
    const part = PART[by];
    for (let k = 0; k < slots.length; k++) {
      const i = slots[k]!;
      if (part < 0) out[k] = this.updated[i]!;
      else {
        this.segment(i, part);
        out[k] = this.segText.slice(this.segFrom, this.segEnd);
      }
    }
    return out;
  }

  /** Ties between equal keys go by id. */
  private compareIds(a: number, b: number): number {
    const x = this.ids[a]!;
    const y = this.ids[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /**
   * Compares slots a and b by (key, id) without cutting strings: code unit by code unit, which is
   * the order of JavaScript's `<` on strings and of SQLite's BINARY collation.
   */
  private compareSlots(by: SortKey, a: number, b: number): number {
    const part = PART[by];
    if (part < 0) {
      const x = this.updated[a]!;
      const y = this.updated[b]!;
      return x !== y ? (x < y ? -1 : 1) : this.compareIds(a, b);
    }
    this.segment(a, part);
    const at = this.segText;
    const af = this.segFrom;
    const ae = this.segEnd;
    this.segment(b, part);
    const bt = this.segText;
    const bf = this.segFrom;
    const be = this.segEnd;
    const la = ae - af;
    const lb = be - bf;
    const len = la < lb ? la : lb;
    for (let k = 0; k < len; k++) {
      const d = at.charCodeAt(af + k) - bt.charCodeAt(bf + k);
      if (d !== 0) return d;
    }
    return la !== lb ? la - lb : this.compareIds(a, b);
  }

  /** Sorts slots [from, to) by (key, id). */
  private sortedSlots(by: SortKey, from: number, to: number): Int32Array {
    const slots = new Int32Array(to - from);
    for (let k = 0; k < slots.length; k++) slots[k] = from + k;
    const keys = this.keysOf(by, slots);
    // keys[] is indexed by position in `slots`, which starts as slot - from.
    slots.sort((a, b) => {
      const ka = keys[a - from]!;
      const kb = keys[b - from]!;
      return ka !== kb ? (ka < kb ? -1 : 1) : this.compareIds(a, b);
    });
    return slots;
  }

  /**
   * Does now, in idle time, what the next change or search would do first: joins the texts
   * appended since the last search onto the text (after a first fill, about 9 ms at 100 000 users,
   * which the first delta sync paid), and moves every order's changed slots to their places (see
   * `SortOrder.stale`).
   */
  settle(): void {
    this.ensureText();
    for (const [by, entry] of this.orders) this.settled(entry, by);
  }

  /** The order with its stale slots moved to their places (see `SortOrder.stale`). */
  private settled(entry: SortOrder, by: SortKey): SortOrder {
    if (entry.stale && entry.stale.size > 0) {
      this.reposition(entry, [...entry.stale], by);
      entry.stale.clear();
    }
    return entry;
  }

  /** An order extended with the slots from `first` on (sorted, then merged in one pass). */
  private merged(entry: SortOrder, by: SortKey): SortOrder {
    const first = entry.order.length;
    if (first === this.n) return entry;
    this.ensureText();
    const added = this.sortedSlots(by, first, this.n);
    const old = entry.order;
    const order = new Int32Array(this.n);
    let a = 0;
    let b = 0;
    let k = 0;
    while (a < old.length && b < added.length) {
      if (this.compareSlots(by, old[a]!, added[b]!) <= 0) order[k++] = old[a++]!;
      else order[k++] = added[b++]!;
    }
    while (a < old.length) order[k++] = old[a++]!;
    while (b < added.length) order[k++] = added[b++]!;
    const rank = new Float64Array(this.n);
    for (let r = 0; r < this.n; r++) rank[order[r]!] = r;
    return { order, rank };
  }

  /**
   * Moves changed slots to their places in one sort order after their keys changed. They all leave
   * the order first (one placed while another still sat at its old place with a new key would
   * misplace both); then, sorted among themselves, each finds its place in the rest by binary
   * search and one pass from the end moves the blocks between those places. Each slot's old place
   * is found from its rank, the blocks are moved natively (`copyWithin`), and only the moved slots
   * get new ranks, between their neighbours': no pass over the whole order in JavaScript (three
   * such passes cost a delta's next search 2 ms, and 13 ms before they were compiled).
   */
  private reposition(entry: SortOrder, slots: readonly number[], by: SortKey): void {
    const { order, rank } = entry;
    const n = order.length;
    const from = new Int32Array(slots.length);
    for (let j = 0; j < slots.length; j++) from[j] = this.placeOf(entry, slots[j]!);
    if (from.includes(-1)) {
      // Never expected (a changed slot is always in its order): its slots sorted again rather than
      // left wrong (an order covers the first `n` slots; later ones wait in runs).
      entry.order = this.sortedSlots(by, 0, n);
      for (let k = 0; k < n; k++) rank[entry.order[k]!] = k;
      return;
    }
    from.sort();
    // Leaving: each block between two leaving slots moves down over them.
    let m = from[0] ?? n;
    for (let j = 0; j < from.length; j++) {
      const end = j + 1 < from.length ? from[j + 1]! : n;
      order.copyWithin(m, from[j]! + 1, end);
      m += end - from[j]! - 1;
    }
    const incoming = [...slots].sort((a, b) => this.compareSlots(by, a, b));
    const places = new Int32Array(incoming.length);
    let lo = 0;
    for (let j = 0; j < incoming.length; j++) {
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.compareSlots(by, order[mid]!, incoming[j]!) < 0) lo = mid + 1;
        else hi = mid;
      }
      places[j] = lo;
    }
    let write = n;
    let rest = m;
    for (let j = incoming.length - 1; j >= 0; j--) {
      const place = places[j]!;
      order.copyWithin(write - (rest - place), place, rest);
      write -= rest - place;
      rest = place;
      order[--write] = incoming[j]!;
    }
    // Ranks: the slots that came in at one place (now at places[j] + j onwards) share the gap
    // between the ranks of the slots that stayed around them. A gap too narrow for a double renumbers the order.
    for (let j = 0; j < incoming.length; ) {
      let end = j + 1;
      while (end < incoming.length && places[end] === places[j]) end++;
      const first = places[j]! + j;
      const count = end - j;
      const below = first > 0 ? rank[order[first - 1]!]! : null;
      const above = first + count < n ? rank[order[first + count]!]! : null;
      const low = below ?? (above ?? 0) - count - 1;
      const high = above ?? low + count + 1;
      let previous = low;
      for (let c = 0; c < count; c++) {
        const r = low + ((high - low) * (c + 1)) / (count + 1);
        if (!(r > previous && r < high)) {
          for (let k = 0; k < n; k++) rank[order[k]!] = k;
          return;
        }
        rank[order[first + c]!] = r;
        previous = r;
      }
      j = end;
    }
  }

  /** Where a slot sits in an order (ranks ascend along it), or -1. */
  private placeOf(entry: SortOrder, slot: number): number {
    const { order, rank } = entry;
    const r = rank[slot]!;
    let lo = 0;
    let hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = rank[order[mid]!]!;
      if (v === r) return mid;
      if (v < r) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Slots of users whose text contains `key`, ascending. */
  private matches(key: string): Int32Array {
    const last = this.last !== null && this.last.changes === this.changes ? this.last : null;
    if (last && last.key === key) return last.slots;
    let found: Omit<Matches, 'key' | 'changes'>;
    if (last && last.at && key.startsWith(last.key)) found = this.extend(key, last.key.length, last.slots, last.at);
    else found = this.findText(key, last && key.includes(last.key) ? last.slots : null);
    this.last = { key, changes: this.changes, ...found };
    return found.slots;
  }

  /**
   * The slots among `slots` whose text holds `key`, given that each holds its first `known`
   * characters at `at`: the rest is compared there, character by character; only where it differs
   * is the rest of that user's text searched.
   */
  private extend(key: string, known: number, slots: Int32Array, at: Int32Array): { slots: Int32Array; at: Int32Array } {
    const { text, starts, patched } = this;
    const length = key.length;
    const outSlots = new Int32Array(slots.length);
    const outAt = new Int32Array(slots.length);
    let found = 0;
    for (let k = 0; k < slots.length; k++) {
      const i = slots[k]!;
      let a = at[k]!;
      if (a < 0) {
        // A changed user: its own text answers.
        if (!patched.get(i)!.includes(key)) continue;
      } else {
        let c = known;
        while (c < length && text.charCodeAt(a + c) === key.charCodeAt(c)) c++;
        if (c < length) {
          // Not at the first place: maybe further on in the same user's text.
          const from = a + 1;
          const rest = text.slice(from, starts[i + 1]! - 1).indexOf(key);
          if (rest < 0) continue;
          a = from + rest;
        }
      }
      outSlots[found] = i;
      outAt[found++] = a;
    }
    return { slots: outSlots.slice(0, found), at: outAt.slice(0, found) };
  }

  /**
   * Slots of users whose text contains `key`, ascending: those among `within` (slots known to hold
   * everything they must) or all, whose signature has every bigram of the key, then whose text
   * holds it; and where (`at`), except for a one-character key (answered from the character bits).
   */
  private findText(key: string, within: Int32Array | null): { slots: Int32Array; at: Int32Array | null } {
    this.ensureText();
    const { text, starts } = this;
    const bit = key.length === 1 ? CHAR_BIT.get(key) : undefined;
    if (bit !== undefined) {
      const words = bit < 32 ? this.charsLo : this.charsHi;
      const m = 1 << (bit < 32 ? bit : bit - 32);
      const out: number[] = [];
      for (let i = 0; i < this.n; i++) if ((words[i]! & m) !== 0) out.push(i);
      return { slots: Int32Array.from(out), at: null };
    }
    // The key's bigram bits by word; the word that leaves the fewest users first (judged on a
    // sample of them: about a thousand, spread over the slots).
    const want = new Int32Array(GRAM_WORDS);
    for (let c = 1; c < key.length; c++) {
      const h = gramBit(key.charCodeAt(c - 1), key.charCodeAt(c));
      want[h >>> 5]! |= 1 << (h & 31);
    }
    const stride = Math.max(1, this.n >> 10);
    const passing = new Int32Array(GRAM_WORDS);
    for (let w = 0; w < GRAM_WORDS; w++) {
      const m = want[w]!;
      if (m === 0) continue;
      const column = this.grams[w]!;
      for (let i = 0; i < this.n; i += stride) if ((column[i]! & m) === m) passing[w]!++;
    }
    const words = [...want.keys()].filter((w) => want[w] !== 0).sort((a, b) => passing[a]! - passing[b]!);
    // The first word scans every user (or the last key's matches); the others filter in place.
    let candidates: Int32Array;
    let count = 0;
    let pass = 0;
    if (within) {
      candidates = within.slice();
      count = within.length;
    } else {
      candidates = new Int32Array(this.n);
      const first = words.length > 0 ? words[pass++]! : -1;
      const column = first < 0 ? null : this.grams[first]!;
      const m = first < 0 ? 0 : want[first]!;
      for (let i = 0; i < this.n; i++) if (column === null || (column[i]! & m) === m) candidates[count++] = i;
    }
    for (; pass < words.length; pass++) {
      const column = this.grams[words[pass]!]!;
      const m = want[words[pass]!]!;
      let kept = 0;
      for (let k = 0; k < count; k++) {
        const i = candidates[k]!;
        if ((column[i]! & m) === m) candidates[kept++] = i;
      }
      count = kept;
    }
    const patched = this.patched;
    const out = new Int32Array(count);
    const outAt = new Int32Array(count);
    let found = 0;
    if (count * DENSE_CANDIDATES > this.n) {
      // Most users are candidates (a key like "@acme.com"): indexOf over the joined text, each search
      // from the next candidate's start (cheaper than a slice per user when most hold the key).
      let k = 0;
      while (k < count) {
        const at = text.indexOf(key, starts[candidates[k]!]!);
        if (at < 0) break;
        // The candidate holding that place, if any (a deleted or changed user's stale text is no candidate).
        while (k < count && starts[candidates[k]! + 1]! <= at) k++;
        if (k === count) break;
        const i = candidates[k]!;
        if (starts[i]! <= at) {
          if (patched.size === 0 || !patched.has(i)) {
            out[found] = i;
            outAt[found++] = at;
          }
          k++;
        }
      }
      // A changed user's joined text is stale: its own text answers.
      if (patched.size !== 0) {
        for (let k = 0; k < count; k++) {
          const own = patched.get(candidates[k]!);
          if (own !== undefined && own.includes(key)) {
            out[found] = candidates[k]!;
            outAt[found++] = -1;
          }
        }
        // Back in slot order, each place with its slot.
        const byslot = Array.from(out.subarray(0, found).keys()).sort((a, b) => out[a]! - out[b]!);
        return { slots: Int32Array.from(byslot, (x) => out[x]!), at: Int32Array.from(byslot, (x) => outAt[x]!) };
      }
      return { slots: out.slice(0, found), at: outAt.slice(0, found) };
    }
    // Each candidate's own text: a changed user's in the side map (its joined text is stale), the
    // others' a slice of the joined string (which shares its characters).
    for (let k = 0; k < count; k++) {
      const i = candidates[k]!;
      const own = patched.size === 0 ? undefined : patched.get(i);
      if (own === undefined) {
        const from = starts[i]!;
        const place = text.slice(from, starts[i + 1]! - 1).indexOf(key);
        if (place < 0) continue;
        outAt[found] = from + place;
      } else {
        if (!own.includes(key)) continue;
        outAt[found] = -1;
      }
      out[found++] = i;
    }
    return { slots: out.slice(0, found), at: outAt.slice(0, found) };
  }

  /** Slots in sort order (key, then id), and each slot's position in it; sorted once, then kept. */
  private order(by: SortKey): SortOrder {
    let entry = this.orders.get(by);
    if (entry) this.settled(entry, by);
    if (entry && entry.order.length < this.n) {
      entry = this.merged(entry, by);
      this.orders.set(by, entry);
      this.runs.delete(by);
    }
    if (!entry) {
      entry = this.orderFromDb(by) ?? this.sortedOrder(by);
      this.orders.set(by, entry);
      this.runs.delete(by);
    }
    return entry;
  }

  /**
   * The order and the sorted runs of the slots appended since (see `runs`), for a search whose page
   * ends at `end`: each new batch becomes a run; the runs join the order once they hold more slots
   * than it, or when the page is deep in the list (merging runs that far costs more than joining).
   */
  private orderWithRuns(by: SortKey, end: number): { entry: SortOrder; runs: Int32Array[] } {
    const entry = this.orders.get(by);
    if (!entry) return { entry: this.order(by), runs: [] };
    this.settled(entry, by);
    const runs = this.runs.get(by) ?? [];
    let covered = entry.order.length;
    for (const run of runs) covered += run.length;
    if (covered < this.n) runs.push(this.sortedSlots(by, covered, this.n));
    const pending = this.n - entry.order.length;
    if (pending === 0) return { entry, runs: [] };
    if (pending > entry.order.length || runs.length > MAX_RUNS || end > DEEP_PAGE) return { entry: this.order(by), runs: [] };
    this.runs.set(by, runs);
    return { entry, runs };
  }

  /** Every slot sorted here. */
  private sortedOrder(by: SortKey): SortOrder {
    const order = this.sortedSlots(by, 0, this.n);
    const rank = new Float64Array(this.n);
    for (let k = 0; k < this.n; k++) rank[order[k]!] = k;
    return { order, rank };
  }

  private queueMembers(queueId: string): Uint8Array {
    let members = this.queues.get(queueId);
    if (!members) {
      const inQueue = Uint8Array.from(this.combos, (queueIds) => (queueIdsHas(queueIds, queueId) ? 1 : 0));
      members = new Uint8Array(this.n);
      const { combo } = this;
      for (let i = 0; i < this.n; i++) members[i] = inQueue[combo[i]!]!;
      this.queues.set(queueId, members);
    }
    return members;
  }

  /**
   * A few slots in an order's sort: by rank, except the changed slots the order has not moved yet
   * (`stale`), which are sorted among themselves and each placed among the others by binary search.
   * A search right after a delta sync thus compares a handful of keys instead of settling the
   * order (moving a hundred changed users costs 1-5 ms at 100 000).
   */
  private fewInOrder(slots: number[], entry: SortOrder, by: SortKey): number[] {
    const { rank, stale } = entry;
    const moved: number[] = [];
    const staying: number[] = [];
    for (const i of slots) (stale !== undefined && stale.has(i) ? moved : staying).push(i);
    staying.sort((a, b) => rank[a]! - rank[b]!);
    if (moved.length === 0) return staying;
    moved.sort((a, b) => this.compareSlots(by, a, b));
    const out: number[] = [];
    let lo = 0;
    for (const i of moved) {
      let hi = staying.length;
      const from = lo;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.compareSlots(by, staying[mid]!, i) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (let k = from; k < lo; k++) out.push(staying[k]!);
      out.push(i);
    }
    for (let k = lo; k < staying.length; k++) out.push(staying[k]!);
    return out;
  }

  /** The rids of one page of matches in sort order, and the total number of matches. */
  search(key: string, filters: UserFilters, sort: { by: SortKey; dir: 'asc' | 'desc' }, offset: number, limit: number): { total: number; rids: number[] } {
    const hit = key ? this.matches(key.replaceAll(SEP, ' ')) : null;
    let mask = 0;
    let want = 0;
    const flag = (bit: number, value: boolean | undefined) => {
      if (value === undefined) return;
      mask |= bit;
      if (value) want |= bit;
    };
    // Deleted slots never match.
    mask |= DELETED;
    flag(FLAG.active, filters.active);
    flag(FLAG.webrtc, filters.webrtc);
    flag(FLAG.omnichannel, filters.omnichannel);
    flag(FLAG.extension, filters.hasExtension);
    flag(FLAG.ready, filters.ready);
    if (filters.missing) flag(MISSING_FLAG[filters.missing], true);
    // R7: readiness filters ask about agents; other profiles are never "ready" nor "missing" anything.
    const readinessAsked = filters.ready !== undefined || filters.missing !== undefined;
    if (readinessAsked && filters.profile && filters.profile !== 'agent') return { total: 0, rids: [] };
    const profile = filters.profile ? PROFILES.indexOf(filters.profile) : readinessAsked ? PROFILES.indexOf('agent') : -1;
    const queue = filters.queueId ? this.queueMembers(filters.queueId) : null;
    // Few text matches in a full order whose changed users have not moved yet (a delta sync just
    // wrote): ordered without moving them first (see `fewInOrder`), the order settles later.
    const unsettled = this.orders.get(sort.by);
    const few = hit !== null && unsettled !== undefined && unsettled.order.length === this.n && (unsettled.stale?.size ?? 0) > 0 && hit.length * 8 < this.n;
    const { entry, runs } = few ? { entry: unsettled, runs: [] } : this.orderWithRuns(sort.by, offset + limit);
    const { order } = entry;
    const { flags, profiles, rids } = this;
    const keep = (i: number) =>
      (flags[i]! & mask) === want && (profile < 0 || profiles[i] === profile) && (queue === null || queue[i] === 1);
    const page: number[] = [];
    let total = 0;
    if (runs.length > 0) {
      // During a first sync: the order and each run filtered on their own, then merged up to the page.
      let marked: Uint8Array | null = null;
      if (hit) {
        marked = new Uint8Array(this.n);
        for (const i of hit) marked[i] = 1;
      }
      const lists = [order, ...runs].map((sequence) => {
        const kept: number[] = [];
        for (let k = 0; k < sequence.length; k++) {
          const i = sequence[k]!;
          if ((marked === null || marked[i] === 1) && keep(i)) kept.push(i);
        }
        total += kept.length;
        return sort.dir === 'asc' ? kept : kept.reverse();
      });
      const heads = lists.map(() => 0);
      const end = Math.min(offset + limit, total);
      const sign = sort.dir === 'asc' ? 1 : -1;
      for (let taken = 0; taken < end; taken++) {
        let best = -1;
        for (let l = 0; l < lists.length; l++) {
          if (heads[l]! >= lists[l]!.length) continue;
          if (best < 0 || sign * this.compareSlots(sort.by, lists[l]![heads[l]!]!, lists[best]![heads[best]!]!) < 0) best = l;
        }
        const i = lists[best]![heads[best]!++]!;
        if (taken >= offset) page.push(rids[i]!);
      }
    } else if (hit && hit.length * 8 < order.length) {
      // Few text matches: filter them, then order only those by their rank.
      const kept: number[] = [];
      for (const i of hit) if (keep(i)) kept.push(i);
      total = kept.length;
      const sorted = this.fewInOrder(kept, entry, sort.by);
      if (sort.dir === 'desc') sorted.reverse();
      for (const i of sorted.slice(offset, offset + limit)) page.push(rids[i]!);
    } else {
      // Many matches (or none asked): counted in slot order (one sequential pass), then the order
      // walked only as far as the page.
      let marked: Uint8Array | null = null;
      if (hit) {
        marked = new Uint8Array(this.n);
        for (const i of hit) {
          marked[i] = 1;
          if (keep(i)) total++;
        }
      } else for (let i = 0; i < this.n; i++) if (keep(i)) total++;
      const n = order.length;
      const end = Math.min(offset + limit, total);
      for (let k = 0, taken = 0; k < n && taken < end; k++) {
        const i = order[sort.dir === 'asc' ? k : n - 1 - k]!;
        if (marked && marked[i] === 0) continue;
        if (!keep(i)) continue;
        if (taken >= offset) page.push(rids[i]!);
        taken++;
      }
    }
    return { total, rids: page };
  }
}
