/**
 * CSV import of users (issue 11): parse (csv-parse), map the headers (either language, any order),
 * then a dry run against the LOCAL cache that classifies every row as create / change (with the
 * diff) / unchanged / error (with the reason, in the forms' words: the shared schemas, rules.ts
 * R3/R6/R8 and R2, identity keys for logins and emails taken). Nothing is sent by the dry run.
 * Pure functions of the file's bytes and a snapshot of the cache, so they are tested without a
 * platform; `CsvImportService` (csv-import-service.ts) stages the file and applies the plan.
 */
import { parse } from 'csv-parse/sync';
import { permissions, type Extension, type Profile, type QueueSummary, type QueueKind, type User } from '../../src-shared/domain';
import { CSV_IMPORT_MAX_BYTES, CSV_IMPORT_MAX_ROWS, csvBoolean, csvProfile, mapCsvHeaders, type CsvUserColumn } from '../../src-shared/csv-columns';
import type { CsvImportRow } from '../../src-shared/ipc-contract';
import { IdentityFieldSchemas, userEtag, type BatchItem, type UserChanges } from '../../src-shared/platform-api';
import { omnichannelCreationRule, queueEligibilityRule, supportRule, webrtcRule } from '../../src-shared/rules';
import { identityKey, identityTextProblem } from '../../src-shared/text';
import { diffUsers, type FieldChange } from '../../src-shared/user-diff';

/** A whole-file refusal: a `form.*` key the renderer translates, and where. */
export class CsvFileError extends Error {
  constructor(
    readonly entry: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(entry);
    this.name = 'CsvFileError';
  }
}

/** A parsed file: each data row's cells by column, with its line. */
export interface ParsedCsv {
  rows: { line: number; cells: Partial<Record<CsvUserColumn, string>> }[];
  ignoredColumns: string[];
}

const FORMULA_START = /^[=+\-@\t\r]/;
/** The separator the header line uses most (`;` in pt-BR files, `,` in English ones). */
function sniffDelimiter(text: string): ';' | ',' {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return (header.match(/;/g)?.length ?? 0) >= (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** Reads a users CSV: UTF-8 (with or without BOM), `;` or `,`, headers of either language in any order. */
export function parseUsersCsv(bytes: Uint8Array): ParsedCsv {
  if (bytes.byteLength > CSV_IMPORT_MAX_BYTES) throw new CsvFileError('form.csvTooLarge', { max: CSV_IMPORT_MAX_BYTES });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Latin-1 / Windows-1252 files (older Excel) are refused rather than guessed.
    throw new CsvFileError('form.csvEncoding');
  }
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (text.includes('\u0000')) throw new CsvFileError('form.csvEncoding');
  let records: string[][];
  try {
    records = parse(text, { delimiter: sniffDelimiter(text), skip_empty_lines: true, relax_column_count: false, trim: false }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    throw new CsvFileError('form.csvMalformed', line ? { line } : {});
  }
  const [headers, ...data] = records;
  if (!headers || data.length === 0) throw new CsvFileError('form.csvEmpty');
  if (data.length > CSV_IMPORT_MAX_ROWS) throw new CsvFileError('form.csvTooManyRows', { max: CSV_IMPORT_MAX_ROWS });
  const columns = mapCsvHeaders(headers);
  const seen = new Set<CsvUserColumn>();
  for (const c of columns) {
    if (c && seen.has(c)) throw new CsvFileError('form.csvDuplicateColumn', { column: c });
    if (c) seen.add(c);
  }
  if (!seen.has('login')) throw new CsvFileError('form.csvNoLogin');
  const ignoredColumns = headers.filter((_, i) => columns[i] === null);
  return {
    ignoredColumns,
    rows: data.map((record, i) => {
      const cells: Partial<Record<CsvUserColumn, string>> = {};
      record.forEach((cell, j) => {
        const column = columns[j];
        if (column) cells[column] = cell;
      });
      return { line: i + 2, cells };
    }),
  };
}

/** What the dry run reads: a snapshot of the account's cache and who is importing. */
export interface ImportContext {
  users: readonly User[];
  queues: readonly QueueSummary[];
  extensions: readonly Extension[];
  actor: Profile;
}

/** A classified row and, when it can apply, the batch item that applies it. */
export interface PlannedRow {
  row: CsvImportRow;
  item: BatchItem | null;
}

type RowError = CsvImportRow['errors'][number];

/** The dry run: every row classified against the cache; nothing is sent. */
export function planImport(parsed: ParsedCsv, ctx: ImportContext): PlannedRow[] {
  const byLogin = new Map<string, User>();
  const byEmail = new Map<string, User>();
  for (const u of ctx.users) {
    byLogin.set(identityKey(u.login), u);
    byEmail.set(identityKey(u.email), u);
  }
  const queuesByKind: Record<QueueKind, Map<string, QueueSummary>> = { voice: new Map(), chat: new Map() };
  for (const q of ctx.queues) queuesByKind[q.kind].set(identityKey(q.name), q);
  const extensions = new Map(ctx.extensions.map((e) => [e.number, e]));
  // A login or an email twice in the file: every row naming it is an error (none of them applies).
  const count = (column: 'login' | 'email') => {
    const lines = new Map<string, number[]>();
    for (const r of parsed.rows) {
      const raw = unescapeCell(r.cells[column] ?? '').trim();
      if (!raw) continue;
      const key = identityKey(raw);
      lines.set(key, [...(lines.get(key) ?? []), r.line]);
    }
    return lines;
  };
  const loginLines = count('login');
  const emailLines = count('email');
  return parsed.rows.map((r) => planRow(r, ctx, { byLogin, byEmail, queuesByKind, extensions, loginLines, emailLines }));
}

/** Undoes the export's formula escape (a `'` before `=`, `+`, `-`, `@`). */
function unescapeCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

interface Lookups {
  byLogin: Map<string, User>;
  byEmail: Map<string, User>;
  queuesByKind: Record<QueueKind, Map<string, QueueSummary>>;
  extensions: Map<string, Extension>;
  loginLines: Map<string, number[]>;
  emailLines: Map<string, number[]>;
}

function planRow({ line, cells: raw }: ParsedCsv['rows'][number], ctx: ImportContext, look: Lookups): PlannedRow {
  const errors: RowError[] = [];
  const fail = (field: string, entry: string) => errors.push({ field, entry });
  // Cells: a formula (CSV injection) is refused, the export's own escape is undone.
  const cells: Partial<Record<CsvUserColumn, string>> = {};
  for (const [column, value] of Object.entries(raw) as [CsvUserColumn, string][]) {
    if (FORMULA_START.test(value) && !/^-?\d+$/.test(value)) fail(column, 'form.csvFormula');
    else cells[column] = unescapeCell(value).trim();
  }
  const login = cells.login ?? '';
  const existing = login ? look.byLogin.get(identityKey(login)) : undefined;
  const result = (status: CsvImportRow['status'], changes: FieldChange[], item: BatchItem | null): PlannedRow => ({
    row: { line, login, name: cells.name || existing?.name || '', status, changes, errors },
    item,
  });

  // Identity fields: the platform's own schemas, said as the forms say them.
  const identity = (field: 'name' | 'email' | 'login', value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const problem = identityTextProblem(value);
    if (problem) return void fail(field, problem);
    const parsed = IdentityFieldSchemas[field].safeParse(value);
    if (!parsed.success) return void fail(field, `form.${field}`);
    return parsed.data;
  };
  const validLogin = identity('login', login);
  if (login && (look.loginLines.get(identityKey(login))?.length ?? 0) > 1) fail('login', 'form.csvDuplicateLogin');
  const name = cells.name === undefined || (cells.name === '' && existing) ? undefined : identity('name', cells.name);
  const email = cells.email === undefined || (cells.email === '' && existing) ? undefined : identity('email', cells.email);
  if (email && (look.emailLines.get(identityKey(email))?.length ?? 0) > 1) fail('email', 'form.csvDuplicateEmail');
  let profile: Profile | undefined;
  if (cells.profile) {
    profile = csvProfile(cells.profile) ?? undefined;
    if (!profile) fail('profile', 'form.csvProfile');
  }
  const flag = (column: 'active' | 'webrtcEnabled' | 'omnichannelEnabled'): boolean | undefined => {
    const cell = cells[column];
    if (!cell) return undefined;
    const value = csvBoolean(cell);
    if (value === null) fail(column, 'form.csvYesNo');
    return value ?? undefined;
  };
  const active = flag('active');
  const webrtcEnabled = flag('webrtcEnabled');
  const omnichannelEnabled = flag('omnichannelEnabled');
  // Extension: empty = none; digits = that extension of the account, free or already this user's.
  let extension: Extension | null | undefined;
  if (cells.extension !== undefined) {
    if (cells.extension === '') extension = null;
    else {
      extension = look.extensions.get(cells.extension);
      if (!extension) fail('extension', 'form.csvUnknownExtension');
      else if (extension.userId && extension.userId !== existing?.id) fail('extension', 'extension_taken');
    }
  }
  // Queues: the full list of the user's queues of that kind, by name.
  const queueIds = (column: 'voiceQueues' | 'chatQueues', kind: QueueKind): string[] | undefined => {
    const cell = cells[column];
    if (cell === undefined) return undefined;
    const ids: string[] = [];
    for (const queueName of cell.split('|').map((s) => s.trim()).filter(Boolean)) {
      const queue = look.queuesByKind[kind].get(identityKey(queueName));
      if (!queue) fail(column, 'form.csvUnknownQueue');
      else ids.push(queue.id);
    }
    return [...new Set(ids)].sort();
  };
  const voiceQueueIds = queueIds('voiceQueues', 'voice');
  const chatQueueIds = queueIds('chatQueues', 'chat');

  if (!login) fail('login', 'form.login');
  if (!validLogin || errors.length > 0) return result('error', [], null);

  // R2: only profiles that edit users import; only Support changes Support users or gives the profile.
  if (!permissions.canEditUsers(ctx.actor)) fail('row', 'forbidden');
  if (existing && !supportRule.mayChangeUser(ctx.actor, existing.profile)) fail('row', 'forbidden');
  if (profile && !supportRule.mayGiveProfile(ctx.actor, profile)) fail('profile', 'forbidden');
  // Identity keys: an email another user of the account has.
  if (email) {
    const owner = look.byEmail.get(identityKey(email));
    if (owner && owner.id !== existing?.id) fail('email', 'email_taken');
  }

  const after = {
    name: name ?? existing?.name ?? '',
    email: email ?? existing?.email ?? '',
    login: existing?.login ?? validLogin,
    profile: profile ?? existing?.profile ?? 'agent',
    active: active ?? existing?.active ?? true,
    webrtcEnabled: webrtcEnabled ?? existing?.webrtcEnabled ?? false,
    omnichannelEnabled: omnichannelEnabled ?? existing?.omnichannelEnabled ?? false,
    extension: extension === undefined ? (existing?.extension ?? null) : extension ? { id: extension.id, number: extension.number } : null,
    voiceQueueIds: voiceQueueIds ?? existing?.voiceQueueIds ?? [],
    chatQueueIds: chatQueueIds ?? existing?.chatQueueIds ?? [],
  };
  if (!existing) {
    if (!after.name) fail('name', 'form.name');
    if (!after.email) fail('email', 'form.email');
  }
  // R3: omnichannel needs WebRTC. R6: creating an omnichannel user is support-only.
  const r3 = webrtcRule(after);
  if (r3) fail('omnichannelEnabled', r3);
  if (!existing) {
    const r6 = omnichannelCreationRule(ctx.actor, after.omnichannelEnabled);
    if (r6) fail('omnichannelEnabled', r6);
  }
  // R8 for the queues the row adds.
  const before = new Set([...(existing?.voiceQueueIds ?? []), ...(existing?.chatQueueIds ?? [])]);
  const added = [...after.voiceQueueIds, ...after.chatQueueIds].filter((id) => !before.has(id));
  const removed = [...before].filter((id) => !after.voiceQueueIds.includes(id) && !after.chatQueueIds.includes(id));
  for (const id of added) {
    const kind = after.voiceQueueIds.includes(id) ? 'voice' : 'chat';
    const r8 = queueEligibilityRule(after, kind);
    if (r8) fail(kind === 'voice' ? 'voiceQueues' : 'chatQueues', r8);
  }
  // R2 for the parts that need more than editing users.
  if ((added.length > 0 || removed.length > 0) && !permissions.canManageQueues(ctx.actor)) fail('row', 'forbidden');
  const extensionChanges = (existing?.extension?.number ?? null) !== (after.extension?.number ?? null);
  if (extensionChanges && !permissions.canManageExtensions(ctx.actor)) fail('extension', 'forbidden');
  if (errors.length > 0) return result('error', [], null);

  if (!existing) {
    const changes = diffUsers(EMPTY, after).map((c) => ({ ...c, before: null }));
    const item: BatchItem = {
      op: 'create',
      user: { name: after.name, email: after.email, login: after.login, profile: after.profile, active: after.active, webrtcEnabled: after.webrtcEnabled, omnichannelEnabled: after.omnichannelEnabled },
      ...(added.length > 0 ? { addQueueIds: added } : {}),
      ...(after.extension ? { extension: after.extension.number } : {}),
    };
    return result('create', changes, item);
  }
  const changes = diffUsers(existing, after);
  if (changes.length === 0) return result('unchanged', [], null);
  const fields: Record<string, unknown> = {};
  for (const c of changes) if (c.field !== 'extension' && c.field !== 'voiceQueueIds' && c.field !== 'chatQueueIds') fields[c.field] = after[c.field];
  const item: BatchItem = {
    op: 'update',
    userId: existing.id,
    ifMatch: userEtag(existing),
    ...(Object.keys(fields).length > 0 ? { changes: fields as UserChanges } : {}),
    ...(added.length > 0 ? { addQueueIds: added } : {}),
    ...(removed.length > 0 ? { removeQueueIds: removed } : {}),
    ...(extensionChanges ? { extension: after.extension?.number ?? 'none' } : {}),
  };
  return result('change', changes, item);
}

/** A user with nothing set: a new user's diff is every value it gets. */
const EMPTY = {
  name: '',
  email: '',
  login: '',
  profile: 'agent' as Profile,
  active: false,
  webrtcEnabled: false,
  omnichannelEnabled: false,
  extension: null,
  voiceQueueIds: [],
  chatQueueIds: [],
};
