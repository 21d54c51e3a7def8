/**
 * The platform's embedding API: `startPlatform` opens the database (migrations), starts mail (an
 * SMTP server, or the embedded sink), optionally seeds the demo account, and listens on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createLoginLimits } from './auth/login';
import { createArgon2Hasher } from './auth/password-hasher';
import { openDatabase } from './db/database';
import type { PlatformContext } from './domain/context';
import { buildApp } from './app';
import { createMailer } from './mail/mailer';
import { EXTERNAL_MAILBOX, startSmtpSink, type Mailbox, type SmtpSink } from './mail/smtp-sink';
import { seedDemo } from './demo/seed';
import type { PlatformLogOptions } from './logging';
import { createMetrics } from './operations';
import { startHousekeeping, type HousekeepingReport, type RetentionOptions } from './housekeeping';

export type { Mailbox } from './mail/smtp-sink';

/** How to start a platform. */
export interface PlatformOptions {
  /** SQLite file path (a temp file in tests); ignored when `databaseUrl` is set. */
  dbFile?: string;
  /** `postgres://…`: run on PostgreSQL (several instances may share it) instead of a SQLite file. */
  databaseUrl?: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (random). */
  port?: number;
  /** Base of links in emails; default the listening URL. Never the Host header. */
  publicUrl?: string;
  /**
   * Host names answered besides `127.0.0.1`, `localhost`, `[::1]` and the public URL's host (issue 9
   * class 4: any other Host header gets 421, so a page on a name rebound to this machine is refused).
   * Standalone: `--allowed-host` (repeatable) or `ALLOWED_HOSTS` (comma-separated).
   */
  allowedHosts?: string[];
  /** e.g. smtp://127.0.0.1:2525: where mail goes. */
  smtpUrl?: string;
  /**
   * The development mailbox (issue 9 class 5): an embedded SMTP sink whose messages are shown at
   * `/mailbox`. Only when asked for: default `demo && !smtpUrl`, never because `smtpUrl` is unset.
   * With neither a server nor the mailbox, emails stay queued in the outbox, unsent.
   */
  devMailbox?: boolean;
  /** The mailbox pages' secret (`?key=`); default a random 192-bit one per run. */
  mailboxSecret?: string;
  /**
   * Test hooks (fault injection, issue 16): `afterIdempotentCommit` runs after a keyed write and its
   * stored answer are committed, before the answer is sent.
   */
  hooks?: { afterIdempotentCommit?: () => void | Promise<void> };
  /** Seed the demo account when the database is empty. */
  demo?: boolean;
  /** Injectable clock (token and session expiry tests). */
  now?: () => Date;
  /** Structured JSON log (logging.ts): true, or level and stream. Default off (embedded). */
  logger?: boolean | PlatformLogOptions;
  /** Prometheus metrics at /metrics (operations.ts). Default off. */
  metrics?: boolean;
  /** Argon2id cost; the default is OWASP's minimum profile. */
  argon2?: { memoryCost?: number; timeCost?: number };
  /**
   * Extra CA (PEM) trusted for the Microsoft authority's HTTPS endpoints (a local test provider, a
   * corporate TLS proxy). Standalone, `OMNICONSOLE_MICROSOFT_CA_FILE` names such a PEM file.
   */
  microsoftCa?: string;
  /**
   * Issue 9 class 2, tests and development only: origins of local test authorities (e.g.
   * `https://127.0.0.1:8443`) accepted besides Microsoft's cloud authority hosts. Only a start
   * option (standalone: `--microsoft-test-authority`); nothing in the API can add one.
   */
  microsoftTestAuthorities?: readonly string[];
  /**
   * R5: the agent platform's sign-in address, linked from the reset page once a password is set
   * (the article's "IMPORTANTE"); default the article's `https://app.smartspace.us/login`.
   */
  agentLoginUrl?: string;
  /** How often the outbox worker looks for due emails besides after each write (default 15 s; 0: only then and through `retryMail`). */
  mailRetryIntervalMs?: number;
  /**
   * How long an email claimed for sending is left to this instance before another may take it over
   * (a crash mid-send, issue 12); default `SEND_LEASE_MS` (5 minutes). Keep it longer than a send.
   */
  mailLeaseMs?: number;
  /**
   * Issue 16 item 3: what the housekeeping job keeps and how often it runs (housekeeping.ts):
   * sent mail 30 days, the audit trail forever unless `auditDays` is set, every 10 minutes.
   */
  retention?: RetentionOptions;
}

/** A running platform. */
export interface RunningPlatform {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Messages the development mailbox received (always empty without it). */
  mailbox: Mailbox;
  /** Whether the development mailbox runs (so `/mailbox` exists). */
  embeddedMail: boolean;
  /** The mailbox page with its per-run secret (null without the development mailbox). */
  mailboxUrl: string | null;
  /** Runs the outbox worker now (emails whose retry time has come); returns how many went out. */
  retryMail(): Promise<number>;
  /** Runs a housekeeping pass now (issue 16 item 3); resolves with what it removed. */
  housekeeping(): Promise<HousekeepingReport>;
  /** Resolves once the work left after answers (forgot-password) and the outbox worker's run are done (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a platform server. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const now = options.now ?? (() => new Date());
  const target = options.databaseUrl || options.dbFile;
  if (!target) throw new Error('startPlatform needs dbFile or databaseUrl');
  const db = await openDatabase(target);
  let sink: SmtpSink | null = null;
  try {
    const devMailbox = options.devMailbox ?? (options.demo === true && !options.smtpUrl);
    if (devMailbox) sink = await startSmtpSink(now);
    const mailer = createMailer(db, sink?.url ?? options.smtpUrl ?? null, 'Omniconsole <no-reply@omniconsole.local>', now, { leaseMs: options.mailLeaseMs });
    const mailboxSecret = options.mailboxSecret ?? randomBytes(24).toString('base64url');
    const ctx: PlatformContext = { db, now, mailer, publicUrl: options.publicUrl ?? '', passwords: createArgon2Hasher(options.argon2) };
    const state = { closing: false };
    // Work that runs after its answer (forgot-password's lookup); close() waits for it.
    const pending = new Set<Promise<void>>();
    const later = (task: () => Promise<void>): void => {
      const running: Promise<void> = task()
        .catch((error: unknown) => app.log.error(error))
        .finally(() => pending.delete(running));
      pending.add(running);
    };
    const app = await buildApp(
      { ctx, limits: createLoginLimits(db, now), mailbox: sink ? { messages: sink.mailbox, secret: mailboxSecret } : null, hooks: options.hooks ?? {}, later, idempotencyLocks: new Map(), microsoftCa: options.microsoftCa, microsoftTestAuthorities: options.microsoftTestAuthorities ?? [], agentLoginUrl: options.agentLoginUrl, allowedHosts: options.allowedHosts },
      { logger: options.logger ?? false, metrics: options.metrics ? createMetrics(db) : null, state },
    );
    if (options.demo) await seedDemo(ctx);
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    const address = app.server.address() as AddressInfo;
    // Listening on every interface: links and `url` still name this machine.
    const unspecified = address.address === '0.0.0.0' || address.address === '::';
    const host = unspecified ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    if (!options.publicUrl) ctx.publicUrl = url;
    // The outbox worker: what a previous run left unsent goes out now; failed sends (SMTP down)
    // are tried again on this interval.
    mailer.wake();
    const retryMail = () => mailer.retryDue();
    const interval = options.mailRetryIntervalMs ?? 15_000;
    const timer = interval > 0 ? setInterval(() => mailer.wake(), interval) : null;
    timer?.unref();
    const housekeeper = startHousekeeping(db, now, options.retention ?? {}, (error) => app.log.error(error));
    return {
      url,
      mailbox: sink?.mailbox ?? EXTERNAL_MAILBOX,
      embeddedMail: sink !== null,
      mailboxUrl: sink ? `${url}/mailbox?key=${mailboxSecret}` : null,
      retryMail,
      housekeeping: () => housekeeper.run(),
      async idle() {
        while (pending.size > 0) await Promise.all([...pending]);
        await mailer.retryDue();
      },
      /**
       * Graceful shutdown: /readyz turns 503, the server stops accepting and finishes the requests in
       * flight, the email being sent finishes (an unfinished claim is retried by another instance
       * after its lease), then the database closes.
       */
      async close() {
        state.closing = true;
        if (timer) clearInterval(timer);
        await app.close();
        await housekeeper.close();
        await Promise.all([...pending]);
        await mailer.close();
        await sink?.close();
        await db.destroy();
      },
    };
  } catch (error) {
    await sink?.close();
    await db.destroy();
    throw error;
  }
}

export { seedDemo, DEMO_PASSWORD, DEMO_ACCOUNT_SLUG, SELF_MANAGED_ACCOUNT_SLUG } from './demo/seed';
export { generateUsers } from './demo/generate';
export { createSession } from './auth/sessions';
