/**
 * Outgoing mail: every message is recorded in the outbox table, then sent with nodemailer over
 * SMTP (a configured server, or the embedded sink). A failed send is recorded, never thrown at the
 * caller: the change that triggered the email is already committed.
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
  close(): void;
}

/** The header that tells the mailbox page which kind of email a message is. */
export const MAIL_KIND_HEADER = 'X-Omniconsole-Mail-Kind';

/** A nodemailer SMTP mailer that records every message in the `outbox` table. */
export function createSmtpMailer(db: Db, smtpUrl: string, from: string, now: () => Date): Mailer {
  // A pooled transport reuses SMTP connections instead of one handshake per email.
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString());
  return {
    async send(mail) {
      const id = randomUUID();
      await db
        .insertInto('outbox')
        .values({
          id,
          account_id: mail.accountId,
          to_address: mail.to,
          subject: mail.subject,
          body_text: mail.text,
          kind: mail.kind,
          status: 'pending',
          error: null,
          created_at: now().toISOString(),
        })
        .execute();
      try {
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, headers: { [MAIL_KIND_HEADER]: mail.kind } });
        await db.updateTable('outbox').set({ status: 'sent' }).where('id', '=', id).execute();
        return { ok: true };
      } catch (error) {
        await db
          .updateTable('outbox')
          .set({ status: 'failed', error: error instanceof Error ? error.message : String(error) })
          .where('id', '=', id)
          .execute();
        return { ok: false };
      }
    },
    close() {
      transport.close();
    },
  };
}
