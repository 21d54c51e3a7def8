/**
 * The in-memory search index over one account's cached users, built from the cache file on the
 * first search after a change. Substring search runs `indexOf` over one string of every user's
 * accent-free name/login/email (V8's string search is far faster than a LIKE scan or an FTS
 * trigram query with sorting), filters test one bit field per user, and sorting walks an order
 * taken from the file's indexes. A search at 100 000 users is one linear pass over typed arrays.
 */
import type Database from 'better-sqlite3';
import { PROFILES, READINESS_ITEMS, type Profile, type ReadinessItem } from '../../src-shared/domain';
import type { UserFilters } from '../../src-shared/ipc-contract';
import { compareSortKeys, type UserSortField } from '../../src-shared/search';

/** Bit flags of a user in the index. */
export const FLAG = { active: 1, webrtc: 2, omnichannel: 4, passwordSet: 8, extension: 16, ready: 32 } as const;
/** Readiness items missing, as bits above the flags. */
export const MISSING_FLAG: Record<ReadinessItem, number> = Object.fromEntries(READINESS_ITEMS.map((item, i) => [item, 1 << (6 + i)])) as Record<
  ReadinessItem,
  number
>;

/** What the users table can be sorted by (the index holds each user's key for each, from src-shared `userSortKey`). */
export type SortKey = UserSortField;

/** Separates users in the joined search text; never part of a search key. */
const SEP = '\u0001';

/** Characters with a presence bit per user, so a one-character search needs no text scan. */
const BIT_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789@._- ';
const CHAR_BIT = new Map([...BIT_CHARS].map((c, i) => [c, i] as const));

/** Marks a slot whose user was deleted after the index was built. */
const DELETED = 1 << 30;

/** Columns the index reads per user. */
const ROW_COLUMNS = `rid, id, search_text, profile, active, webrtc, omnichannel, password_set, has_extension, ready, missing_mask,
  name_key, login_key, email_key, updated_at`;
type IndexRow = [number, string, string, Profile, number, number, number, number, number, number, number, string, string, string, string];

/**
 * One account's search index. Small changes (an edit, a few tombstones) are applied in place;
 * new users or large batches make the cache drop it and build a new one on the next search.
 */
export class UserSearchIndex {
  private readonly rids: Float64Array;
  private readonly ids: string[];
  private readonly flags: Int32Array;
  private readonly profiles: Uint8Array;
  /** Presence bits of BIT_CHARS per user: two words (32 + 9 bits). */
  private readonly charsLo: Int32Array;
  private readonly charsHi: Int32Array;
  /** Each user's search text and sort keys, by slot. */
  private readonly parts: string[];
  private readonly keys: Record<SortKey, string[]>;
  private starts: Int32Array = new Int32Array(1);
  private text = '';
  private textStale = true;
  private readonly slot = new Map<number, number>();
  private readonly orders = new Map<SortKey, { order: Int32Array; rank: Int32Array }>();
  private readonly queues = new Map<string, Uint8Array>();

  constructor(
    private readonly db: Database.Database,
    private readonly accountId: string,
  ) {
    const rows = db.prepare(`SELECT ${ROW_COLUMNS} FROM users WHERE account_id = ? ORDER BY rid`).raw().all(accountId) as IndexRow[];
    const n = rows.length;
    this.rids = new Float64Array(n);
    this.ids = new Array<string>(n);
    this.flags = new Int32Array(n);
    this.profiles = new Uint8Array(n);
    this.charsLo = new Int32Array(n);
    this.charsHi = new Int32Array(n);
    this.parts = new Array<string>(n);
    this.keys = { name: new Array<string>(n), login: new Array<string>(n), email: new Array<string>(n), updatedAt: new Array<string>(n) };
    for (let i = 0; i < n; i++) {
      this.rids[i] = rows[i]![0];
      this.slot.set(rows[i]![0], i);
      this.fill(i, rows[i]!);
    }
  }

  /** Writes one user's row into slot `i`. */
  private fill(i: number, row: IndexRow): void {
    const [, id, text, profile, active, webrtc, omni, password, ext, ready, missing, nameKey, loginKey, emailKey, updatedAt] = row;
    this.ids[i] = id;
    this.profiles[i] = PROFILES.indexOf(profile);
    this.flags[i] =
      (active ? FLAG.active : 0) |
      (webrtc ? FLAG.webrtc : 0) |
      (omni ? FLAG.omnichannel : 0) |
      (password ? FLAG.passwordSet : 0) |
      (ext ? FLAG.extension : 0) |
      (ready ? FLAG.ready : 0) |
      (missing << 6);
    const clean = text.replaceAll(SEP, ' ');
    this.parts[i] = clean;
    let lo = 0;
    let hi = 0;
    for (let c = 0; c < clean.length; c++) {
      const bit = CHAR_BIT.get(clean[c]!);
      if (bit === undefined) continue;
      if (bit < 32) lo |= 1 << bit;
      else hi |= 1 << (bit - 32);
    }
    this.charsLo[i] = lo;
    this.charsHi[i] = hi;
    this.keys.name[i] = nameKey;
    this.keys.login[i] = loginKey;
    this.keys.email[i] = emailKey;
    this.keys.updatedAt[i] = updatedAt;
    this.textStale = true;
  }

  /** Joins every user's text once after changes (one string, record starts). */
  private ensureText(): void {
    if (!this.textStale) return;
    const n = this.parts.length;
    this.starts = new Int32Array(n + 1);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      this.starts[i] = offset;
      offset += this.parts[i]!.length + 1;
    }
    this.starts[n] = offset;
    this.text = this.parts.join(SEP) + SEP;
    this.textStale = false;
  }

  /**
   * Applies changed users (already written to the file) in place. Returns false when one of them
   * is new to this index: the caller then drops the index and the next search builds a new one.
   */
  applyUpserts(userIds: readonly string[]): boolean {
    if (userIds.length === 0) return true;
    const rows = this.db
      .prepare(`SELECT ${ROW_COLUMNS} FROM users WHERE account_id = ? AND id IN (${userIds.map(() => '?').join(',')})`)
      .raw()
      .all(this.accountId, ...userIds) as IndexRow[];
    if (rows.length !== userIds.length || rows.some((r) => !this.slot.has(r[0]))) return false;
    for (const row of rows) {
      const i = this.slot.get(row[0])!;
      this.fill(i, row);
      for (const [by, entry] of this.orders) this.reposition(entry, i, by);
    }
    // Queue links may have changed: membership masks are rebuilt on demand.
    this.queues.clear();
    return true;
  }

  /** Hides deleted users (their slots stay, marked deleted). */
  applyDeletes(userIds: readonly string[]): void {
    const wanted = new Set(userIds);
    for (let i = 0; i < this.ids.length; i++) {
      if (!wanted.has(this.ids[i]!)) continue;
      this.flags[i] = DELETED;
      this.charsLo[i] = 0;
      this.charsHi[i] = 0;
    }
  }

  /** Moves slot `i` to its place in one sort order after its key changed (same order as SQLite's BINARY). */
  private reposition(entry: { order: Int32Array; rank: Int32Array }, i: number, by: SortKey): void {
    const { order, rank } = entry;
    const keys = this.keys[by];
    const n = order.length;
    const from = rank[i]!;
    order.copyWithin(from, from + 1, n);
    const key = keys[i]!;
    const id = this.ids[i]!;
    let lo = 0;
    let hi = n - 1; // n - 1 slots remain in order[0 .. n-2]
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = order[mid]!;
      const k = keys[other]!;
      const before = compareSortKeys(k, key, this.ids[other]!, id) < 0;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    order.copyWithin(lo + 1, lo, n - 1);
    order[lo] = i;
    for (let k = Math.min(lo, from), end = Math.max(lo, from); k <= end; k++) rank[order[k]!] = k;
  }

  get size(): number {
    return this.rids.length;
  }

  /** Slots of users whose text contains `key`, ascending (one pass of indexOf over the text). */
  private matches(key: string): Int32Array {
    this.ensureText();
    const { text, starts } = this;
    const bit = key.length === 1 ? CHAR_BIT.get(key) : undefined;
    if (bit !== undefined) {
      const words = bit < 32 ? this.charsLo : this.charsHi;
      const m = 1 << (bit < 32 ? bit : bit - 32);
      const out: number[] = [];
      for (let i = 0; i < words.length; i++) if ((words[i]! & m) !== 0) out.push(i);
      return Int32Array.from(out);
    }
    const out: number[] = [];
    let slot = 0;
    let from = 0;
    for (;;) {
      const at = text.indexOf(key, from);
      if (at < 0) break;
      // Hits come in text order, so the owning user is found by walking forward from the last one.
      while (starts[slot + 1]! <= at) slot++;
      out.push(slot);
      from = starts[slot + 1]!; // next user: one hit per user is enough
    }
    return Int32Array.from(out);
  }

  /**
   * Slots in sort order (key, then id), and each slot's position in it. Sorted here from the keys
   * the index already holds, with the same comparison `reposition` uses, so the cache needs no
   * sort indexes (they made every sync write slower, cache migration 3).
   */
  private order(by: SortKey): { order: Int32Array; rank: Int32Array } {
    let entry = this.orders.get(by);
    if (!entry) {
      const keys = this.keys[by];
      const ids = this.ids;
      const n = keys.length;
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => compareSortKeys(keys[a]!, keys[b]!, ids[a]!, ids[b]!));
      const rank = new Int32Array(n);
      for (let k = 0; k < n; k++) rank[order[k]!] = k;
      entry = { order, rank };
      this.orders.set(by, entry);
    }
    return entry;
  }

  private queueMembers(queueId: string): Uint8Array {
    let members = this.queues.get(queueId);
    if (!members) {
      members = new Uint8Array(this.rids.length);
      const rids = this.db
        .prepare(
          `SELECT u.rid FROM user_queues q JOIN users u ON u.account_id = q.account_id AND u.id = q.user_id
           WHERE q.account_id = ? AND q.queue_id = ?`,
        )
        .pluck()
        .all(this.accountId, queueId) as number[];
      for (const rid of rids) {
        const i = this.slot.get(rid);
        if (i !== undefined) members[i] = 1;
      }
      this.queues.set(queueId, members);
    }
    return members;
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
    const { order, rank } = this.order(sort.by);
    const { flags, profiles, rids } = this;
    const keep = (i: number) =>
      (flags[i]! & mask) === want && (profile < 0 || profiles[i] === profile) && (queue === null || queue[i] === 1);
    const page: number[] = [];
    let total = 0;
    if (hit && hit.length * 8 < order.length) {
      // Few text matches: filter them, then order only those by their rank.
      const kept: number[] = [];
      for (const i of hit) if (keep(i)) kept.push(i);
      total = kept.length;
      kept.sort(sort.dir === 'asc' ? (a, b) => rank[a]! - rank[b]! : (a, b) => rank[b]! - rank[a]!);
      for (const i of kept.slice(offset, offset + limit)) page.push(rids[i]!);
    } else {
      // Many matches (or none asked): walk the whole order once.
      let marked: Uint8Array | null = null;
      if (hit) {
        marked = new Uint8Array(order.length);
        for (const i of hit) marked[i] = 1;
      }
      const n = order.length;
      const end = offset + limit;
      for (let k = 0; k < n; k++) {
        const i = order[sort.dir === 'asc' ? k : n - 1 - k]!;
        if (marked && marked[i] === 0) continue;
        if (!keep(i)) continue;
        if (total >= offset && total < end) page.push(rids[i]!);
        total++;
      }
    }
    return { total, rids: page };
  }
}
