/**
 * Outgoing mail: every message is recorded in the outbox table, then sent with nodemailer over
 * SMTP (a configured server, or the embedded sink). A failed send is recorded, never thrown at the
 * caller (the change that triggered the email is already committed), and retried with backoff by
 * `retryDue` until it goes out or MAX_ATTEMPTS is reached: a reset link is not lost because the
 * SMTP server was down for a while.
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

/** Sends email and remembers it in the outbox. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ ok: boolean }>;
  /** Sends again the messages whose retry time has come; returns how many went out. */
  retryDue(): Promise<number>;
  close(): void;
}

/** The header that tells the mailbox page which kind of email a message is. */
export const MAIL_KIND_HEADER = 'X-Omniconsole-Mail-Kind';

/** Attempts before a message is given up (status `failed`, no next attempt). */
export const MAX_ATTEMPTS = 6;

/** Wait before attempt n + 1 after n failed ones: 30 s, 1 min, 2 min… capped at 30 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);
}

/** A nodemailer SMTP mailer that records every message in the `outbox` table. */
export function createSmtpMailer(db: Db, smtpUrl: string, from: string, now: () => Date): Mailer {
  // A pooled transport reuses SMTP connections instead of one handshake per email.
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());

  /** One attempt at a recorded message; records the outcome and the next attempt if it failed. */
  async function attempt(row: { id: string; to: string; subject: string; text: string; html: string | null; kind: string; attempts: number }): Promise<boolean> {
    const attempts = row.attempts + 1;
    try {
      await transport.sendMail({
        from,
        to: row.to,
        subject: row.subject,
        text: row.text,
        ...(row.html ? { html: row.html } : {}),
        headers: { [MAIL_KIND_HEADER]: row.kind },
      });
      await db.updateTable('outbox').set({ status: 'sent', attempts, next_attempt_at: null, error: null }).where('id', '=', row.id).execute();
      return true;
    } catch (error) {
      const next = attempts < MAX_ATTEMPTS ? new Date(now().getTime() + retryDelayMs(attempts)).toISOString() : null;
      await db
        .updateTable('outbox')
        .set({ status: next ? 'retrying' : 'failed', attempts, next_attempt_at: next, error: error instanceof Error ? error.message : String(error) })
        .where('id', '=', row.id)
        .execute();
      return false;
    }
  }

  return {
    async send(mail) {
      const id = randomUUID();
      const createdAt = now().toISOString();
      await db
        .insertInto('outbox')
        .values({
          id,
          account_id: mail.accountId,
          to_address: mail.to,
          subject: mail.subject,
          body_text: mail.text,
          body_html: mail.html,
          kind: mail.kind,
          status: 'pending',
          error: null,
          attempts: 0,
          // Should the process stop before the send finishes, the retry picks it up from here.
          next_attempt_at: new Date(now().getTime() + retryDelayMs(1)).toISOString(),
          created_at: createdAt,
        })
        .execute();
      const ok = await attempt({ id, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, kind: mail.kind, attempts: 0 });
      return { ok };
    },
    async retryDue() {
      const due = await db
        .selectFrom('outbox')
        .select(['id', 'to_address as to', 'subject', 'body_text as text', 'body_html as html', 'kind', 'attempts'])
        .where('next_attempt_at', 'is not', null)
        .where('next_attempt_at', '<=', now().toISOString())
        .orderBy('next_attempt_at')
        .limit(100)
        .execute();
      let sent = 0;
      for (const row of due) if (await attempt(row)) sent++;
      return sent;
    },
    close() {
      transport.close();
    },
  };
}
