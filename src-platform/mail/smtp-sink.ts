/**
 * The development mailbox's SMTP sink: the platform receives its own mail on 127.0.0.1
 * (smtp-server + mailparser) so a person can read it on the mailbox page and tests can follow the
 * links in it. Issue 16 item 3: every message is kept, in a SQLite file of its own in a temp folder
 * (not in memory: a long demo session sends many), removed when the sink closes; the page reads it
 * a page at a time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { MAIL_KINDS, type MailKind } from '../../src-shared/domain';
import type { MailboxMessage } from '../../src-shared/platform-api';
import { MAIL_KIND_HEADER } from './mailer';

/** One page of the mailbox, newest first. */
export interface MailboxPage {
  items: MailboxMessage[];
  /** The cursor of the next (older) page, or null on the last one. */
  next: number | null;
  /** Messages in the mailbox. */
  total: number;
}

/** Messages the sink received. */
export interface Mailbox {
  /** Every message received so far, oldest first. */
  list(): MailboxMessage[];
  /** Up to `limit` messages, newest first, older than the cursor `before` of an earlier page. */
  page(options: { before?: number | undefined; limit: number }): MailboxPage;
  /** Resolves with the first message (received or arriving) that matches; rejects after the timeout. */
  waitFor(predicate: (message: MailboxMessage) => boolean, timeoutMs?: number): Promise<MailboxMessage>;
}

/** A running SMTP sink. */
export interface SmtpSink {
  url: string;
  mailbox: Mailbox;
  close(): Promise<void>;
}

const MAX_SIZE = 1024 * 1024;

interface Row {
  seq: number;
  id: string;
  to_address: string;
  subject: string;
  body: string;
  kind: string | null;
  received_at: string;
}

const toMessage = (row: Row): MailboxMessage => ({ id: row.id, to: row.to_address, subject: row.subject, text: row.body, kind: row.kind as MailKind | null, receivedAt: row.received_at });

/** Starts an SMTP sink on 127.0.0.1 and a random port. */
export async function startSmtpSink(now: () => Date, listenPort = 0): Promise<SmtpSink> {
  const dir = mkdtempSync(join(tmpdir(), 'omni-mailbox-'));
  const store = new BetterSqlite3(join(dir, 'mailbox.sqlite'));
  store.pragma('journal_mode = WAL');
  store.exec('create table messages (seq integer primary key autoincrement, id text not null, to_address text not null, subject text not null, body text not null, kind text, received_at text not null)');
  const insert = store.prepare('insert into messages (id, to_address, subject, body, kind, received_at) values (?, ?, ?, ?, ?, ?)');
  const all = store.prepare<[], Row>('select * from messages order by seq');
  const newest = store.prepare<[number, number], Row>('select * from messages where seq < ? order by seq desc limit ?');
  const older = store.prepare<[number], { n: number }>('select count(*) as n from messages where seq < ?');
  const count = store.prepare<[], { n: number }>('select count(*) as n from messages');
  const waiters = new Set<{ predicate: (m: MailboxMessage) => boolean; resolve: (m: MailboxMessage) => void }>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: MAX_SIZE,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const kindHeader = String(parsed.headers.get(MAIL_KIND_HEADER.toLowerCase()) ?? '');
          const kind = (MAIL_KINDS as readonly string[]).includes(kindHeader) ? (kindHeader as MailKind) : null;
          const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
          const message: MailboxMessage = { id: randomUUID(), to, subject: parsed.subject ?? '', text: parsed.text ?? '', kind, receivedAt: now().toISOString() };
          insert.run(message.id, message.to, message.subject, message.text, message.kind, message.receivedAt);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(message)) {
              waiters.delete(waiter);
              waiter.resolve(message);
            }
          }
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  const mailbox: Mailbox = {
    list: () => all.all().map(toMessage),
    page({ before, limit }) {
      const rows = newest.all(before ?? Number.MAX_SAFE_INTEGER, limit);
      const last = rows[rows.length - 1];
      const more = last !== undefined && older.get(last.seq)!.n > 0;
      return { items: rows.map(toMessage), next: more ? last.seq : null, total: count.get()!.n };
    },
    // Mail leaves through the outbox worker after the commit: on a loaded machine that can take seconds.
    waitFor(predicate, timeoutMs = 15_000) {
      const found = mailbox.list().find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (m: MailboxMessage) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching email within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mailbox,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          store.close();
          rmSync(dir, { recursive: true, force: true });
          resolve();
        }),
      ),
  };
}

/** A mailbox for when mail goes to an external SMTP server: always empty. */
export const EXTERNAL_MAILBOX: Mailbox = {
  list: () => [],
  page: () => ({ items: [], next: null, total: 0 }),
  waitFor: () => Promise.reject(new Error('mail goes to an external SMTP server; there is no local mailbox')),
};
