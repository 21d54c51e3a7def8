/**
 * CSV export (issue 11), in the console's language: UTF-8 with BOM, `;` in pt-BR (what Brazilian
 * Excel opens directly) and `,` in English, written by csv-stringify with `escape_formulas`, so a
 * name like `=HYPERLINK(…)` opens in a spreadsheet as text, never as a formula.
 * - users: the users matching the table's search and filters, in its order, from the cache (works offline);
 * - audit: a user's or the whole account's audit trail, from the platform (every page).
 */
import { stringify } from 'csv-stringify/sync';
import type { Locale } from '../../src-shared/errors';
import { CSV_AUDIT_HEADERS, CSV_LIST_SEPARATOR, CSV_PROFILE_LABELS, CSV_USER_COLUMNS, CSV_USER_HEADERS, CSV_YES_NO, csvDelimiter } from '../../src-shared/csv-columns';
import type { CsvFile, SearchUsersInput } from '../../src-shared/ipc-contract';
import type { AuditEntry, User } from '../../src-shared/domain';
import type { ConsoleCache } from '../cache/console-cache';
import type { PlatformClient } from '../platform/platform-client';

export interface CsvServiceOptions {
  cache: ConsoleCache;
  client: Pick<PlatformClient, 'userAudit' | 'accountAudit'>;
  accountKey: () => string;
  locale: () => Locale;
}

/** Most audit pages one export reads (1000 entries each). */
const MAX_AUDIT_PAGES = 1000;

/** Writes the users CSV and the audit CSV. */
export class CsvService {
  constructor(private readonly opts: CsvServiceOptions) {}

  /** Every cached user matching `query` and `filters`, in `sort` order, as CSV text (the BOM first). */
  exportUsers(input: Pick<SearchUsersInput, 'query' | 'filters' | 'sort'>): CsvFile {
    const key = this.opts.accountKey();
    const locale = this.opts.locale();
    const queues = new Map(this.opts.cache.listQueues(key).map((q) => [q.id, q.name]));
    const users: User[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = this.opts.cache.searchUsers(key, { ...input, offset, limit: 500 });
      users.push(...page.items);
      if (page.items.length < 500) break;
    }
    const { yes, no } = CSV_YES_NO[locale];
    const flag = (v: boolean) => (v ? yes : no);
    const names = (ids: string[]) => ids.map((id) => queues.get(id) ?? id).join(CSV_LIST_SEPARATOR);
    const records = users.map((u) => [
      u.name,
      u.email,
      u.login,
      CSV_PROFILE_LABELS[u.profile][locale],
      flag(u.active),
      flag(u.webrtcEnabled),
      flag(u.omnichannelEnabled),
      u.extension?.number ?? '',
      names(u.voiceQueueIds),
      names(u.chatQueueIds),
    ]);
    const content = write(locale, CSV_USER_COLUMNS.map((c) => CSV_USER_HEADERS[c][locale]), records);
    return { content, rows: users.length, fileName: locale === 'pt-BR' ? 'usuarios.csv' : 'users.csv' };
  }

  /** A user's audit trail (`userId`) or the account's (every page), newest first, as CSV text. */
  async exportAudit(input: { userId?: string | undefined }): Promise<CsvFile> {
    const locale = this.opts.locale();
    const key = this.opts.accountKey();
    const entries: AuditEntry[] = [];
    let fileName: string;
    if (input.userId) {
      entries.push(...(await this.opts.client.userAudit(input.userId)).items);
      const login = this.opts.cache.getUser(key, input.userId)?.login ?? input.userId;
      fileName = `${locale === 'pt-BR' ? 'auditoria' : 'audit'}-${safeFilePart(login)}.csv`;
    } else {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_AUDIT_PAGES; page++) {
        const answer = await this.opts.client.accountAudit(cursor);
        entries.push(...answer.items);
        if (!answer.nextCursor) break;
        cursor = answer.nextCursor;
      }
      fileName = locale === 'pt-BR' ? 'auditoria-conta.csv' : 'account-audit.csv';
    }
    const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v));
    const records = entries.map((e) => [e.at, e.actorName ?? e.actorId ?? '', e.action, e.targetType, e.targetId, json(e.before), json(e.after)]);
    const headers = Object.values(CSV_AUDIT_HEADERS).map((h) => h[locale]);
    return { content: write(locale, headers, records), rows: entries.length, fileName };
  }
}

function write(locale: Locale, headers: string[], records: string[][]): string {
  return stringify([headers, ...records], { bom: true, delimiter: csvDelimiter(locale), escape_formulas: true, record_delimiter: 'windows' });
}

/** A login as part of a file name: letters, digits, dot, dash and underscore only. */
function safeFilePart(text: string): string {
  return text.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 64) || 'usuario';
}
