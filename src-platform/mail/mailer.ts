/**
 * Outgoing mail through the outbox (issue 9 class 6): a request only records its messages in the
 * `outbox` table, inside the same transaction as the change that causes them (so an idempotent
 * retry or a rolled-back write never queues a second or an orphan email). The outbox worker sends
 * them over SMTP after the commit, so no request waits for an SMTP server, fast, slow or down.
 * A failed send is retried with backoff until it goes out or MAX_ATTEMPTS is reached.
 * Issue 9 class 5: once a message is sent (or given up) its stored body is redacted, so the outbox
 * keeps no usable reset link.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { MailKind } from '../../src-shared/domain';
import type { Db } from '../db/database';

/** One email to send. */
export interface OutgoingMail {
  accountId: string | null;
  to: string;
  kind: MailKind;
  subject: string;
  text: string;
  html: string;
}

/** Queues email in the outbox and sends it from the worker. */
export interface Mailer {
  /** Records a message in the outbox with `db` (the caller's transaction); the worker sends it after the commit. */
  queue(db: Db, mail: OutgoingMail): Promise<void>;
  /** Asks the worker to look for due messages now (after a commit). */
  wake(): void;
  /** Sends every due message now (waiting for a run in progress); returns how many went out. */
  retryDue(): Promise<number>;
  /** Whether messages can be sent at all (an SMTP server or the development mailbox is configured). */
  readonly canSend: boolean;
  close(): Promise<void>;
}

/** The header that tells the mailbox page which kind of email a message is. */
export const MAIL_KIND_HEADER = 'X-Omniconsole-Mail-Kind';

/** Attempts before a message is given up (status `failed`, no next attempt). */
export const MAX_ATTEMPTS = 6;

/** Messages sent at once by the worker (the pooled transport's connections). */
const SEND_CONCURRENCY = 5;

/**
 * How long a claimed message is left to one attempt before another run (or instance) may take it:
 * the lease that hands a crashed instance's message to another (issue 12). Longer than any attempt
 * (the transport's timeouts); `createMailer`'s `leaseMs` (standalone `--mail-lease-seconds`) changes it.
 */
export const SEND_LEASE_MS = 5 * 60_000;

/** Wait before attempt n + 1 after n failed ones: 30 s, 1 min, 2 min… capped at 30 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/** The stored text of a sent message: secrets in links (`token=…`) are removed. */
export function redactSecrets(text: string): string {
  return text.replace(/([?&](?:token|code|key)=)[^\s&"'<>]+/gi, '$1[removido]');
}

interface OutboxRow {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  kind: string;
  attempts: number;
  next_attempt_at: string | null;
}

/**
 * The outbox and its worker. `smtpUrl` null: nothing is sent (no SMTP server and no development
 * mailbox was asked for); messages stay queued until a platform with a server runs on the data.
 */
export function createMailer(db: Db, smtpUrl: string | null, from: string, now: () => Date, options: { leaseMs?: number } = {}): Mailer {
  const leaseMs = options.leaseMs ?? SEND_LEASE_MS;
  // A pooled transport reuses SMTP connections instead of one handshake per email. Bounded waits:
  // a server that accepts and never answers fails the attempt (retried later), never a request.
  const transport = smtpUrl
    ? nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: SEND_CONCURRENCY, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 })
    : null;
  let running: Promise<number> | null = null;
  let again = false;
  let closed = false;

  /** Takes a due message for one attempt (so a concurrent run or instance does not send it too). */
  async function claim(row: OutboxRow): Promise<boolean> {
    const lease = new Date(now().getTime() + leaseMs).toISOString();
    let update = db.updateTable('outbox').set({ next_attempt_at: lease }).where('id', '=', row.id);
    update = row.next_attempt_at === null ? update.where('next_attempt_at', 'is', null) : update.where('next_attempt_at', '=', row.next_attempt_at);
    return Number((await update.executeTakeFirst()).numUpdatedRows) === 1;
  }

  /** One attempt at a claimed message; records the outcome and the next attempt if it failed. */
  async function attempt(row: OutboxRow): Promise<boolean> {
    const attempts = row.attempts + 1;
    try {
      await transport!.sendMail({ from, to: row.to, subject: row.subject, text: row.text, ...(row.html ? { html: row.html } : {}), headers: { [MAIL_KIND_HEADER]: row.kind } });
      await db
        .updateTable('outbox')
        .set({ status: 'sent', attempts, next_attempt_at: null, error: null, body_text: redactSecrets(row.text), body_html: null })
        .where('id', '=', row.id)
        .execute();
      return true;
    } catch (error) {
      const next = attempts < MAX_ATTEMPTS ? new Date(now().getTime() + retryDelayMs(attempts)).toISOString() : null;
      const message = error instanceof Error ? error.message : String(error);
      await db
        .updateTable('outbox')
        .set(next ? { status: 'retrying', attempts, next_attempt_at: next, error: message } : { status: 'failed', attempts, next_attempt_at: null, error: message, body_text: redactSecrets(row.text), body_html: null })
        .where('id', '=', row.id)
        .execute();
      return false;
    }
  }

  async function drain(): Promise<number> {
    let sent = 0;
    do {
      again = false;
      for (;;) {
        if (closed) return sent;
        const due = await db
          .selectFrom('outbox')
          .select(['id', 'to_address as to', 'subject', 'body_text as text', 'body_html as html', 'kind', 'attempts', 'next_attempt_at'])
          .where('next_attempt_at', 'is not', null)
          .where('next_attempt_at', '<=', now().toISOString())
          .orderBy('next_attempt_at')
          .limit(SEND_CONCURRENCY * 4)
          .execute();
        if (due.length === 0) break;
        const mine: OutboxRow[] = [];
        for (const row of due) if (await claim(row)) mine.push(row);
        // Up to SEND_CONCURRENCY at a time (the pool's connections).
        for (let i = 0; i < mine.length; i += SEND_CONCURRENCY) {
          const results = await Promise.all(mine.slice(i, i + SEND_CONCURRENCY).map((row) => attempt(row)));
          sent += results.filter(Boolean).length;
        }
      }
    } while (again);
    return sent;
  }

  function run(): Promise<number> {
    if (!transport) return Promise.resolve(0);
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => (running = null));
    return running;
  }

  return {
    canSend: transport !== null,
    async queue(trx, mail) {
      const at = now().toISOString();
      await trx
        .insertInto('outbox')
        .values({
          id: randomUUID(),
          account_id: mail.accountId,
          to_address: mail.to,
          subject: mail.subject,
          body_text: mail.text,
          body_html: mail.html,
          kind: mail.kind,
          status: 'pending',
          error: null,
          attempts: 0,
          // Due at once: the worker sends it after the commit (or a later run, after a crash).
          next_attempt_at: at,
          created_at: at,
        })
        .execute();
      // After the caller's commit: on SQLite the worker's read waits for the open transaction.
      setTimeout(() => void run().catch(() => undefined), 0);
    },
    wake() {
      void run().catch(() => undefined);
    },
    async retryDue() {
      if (running) await running.catch(() => undefined);
      return run();
    },
    async close() {
      closed = true;
      await running?.catch(() => undefined);
      transport?.close();
    },
  };
}
