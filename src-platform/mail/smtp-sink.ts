/**
 * The embedded SMTP sink: when no SMTP server is configured, the platform receives its own mail on
 * 127.0.0.1 (smtp-server + mailparser) so a person can read it on the mailbox page and tests can
 * follow the links in it.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { MAIL_KINDS, type MailKind } from '../../src-shared/domain';
import type { MailboxMessage } from '../../src-shared/platform-api';
import { MAIL_KIND_HEADER } from './mailer';

/** Messages the embedded sink received. */
export interface Mailbox {
  /** Every message received so far, oldest first. */
  list(): MailboxMessage[];
  /** Resolves with the first message (received or arriving) that matches; rejects after the timeout. */
  waitFor(predicate: (message: MailboxMessage) => boolean, timeoutMs?: number): Promise<MailboxMessage>;
}

/** A running SMTP sink. */
export interface SmtpSink {
  url: string;
  mailbox: Mailbox;
  close(): Promise<void>;
}

const MAX_MESSAGES = 1000;
const MAX_SIZE = 1024 * 1024;

/** Starts an SMTP sink on 127.0.0.1 and a random port. */
export async function startSmtpSink(now: () => Date, listenPort = 0): Promise<SmtpSink> {
  const messages: MailboxMessage[] = [];
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
          const message: MailboxMessage = {
            id: randomUUID(),
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            kind,
            receivedAt: now().toISOString(),
          };
          messages.push(message);
          if (messages.length > MAX_MESSAGES) messages.shift();
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
    list: () => [...messages],
    // Mail leaves through the outbox worker after the commit: on a loaded machine that can take seconds.
    waitFor(predicate, timeoutMs = 15_000) {
      const found = messages.find(predicate);
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A mailbox for when mail goes to an external SMTP server: always empty. */
export const EXTERNAL_MAILBOX: Mailbox = {
  list: () => [],
  waitFor: () => Promise.reject(new Error('mail goes to an external SMTP server; there is no local mailbox')),
};
