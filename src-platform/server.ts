/**
 * The platform's embedding API: `startPlatform` opens the database (migrations), starts mail (an
 * SMTP server, or the embedded sink), optionally seeds the demo account, and listens on 127.0.0.1.
 */
import type { AddressInfo } from 'node:net';
import { createLoginLimits } from './auth/login';
import { createArgon2Hasher } from './auth/password-hasher';
import { openDatabase } from './db/database';
import type { PlatformContext } from './domain/context';
import { buildApp } from './app';
import { createSmtpMailer } from './mail/mailer';
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
  /** e.g. smtp://127.0.0.1:2525; absent => an embedded SMTP sink on a random port. */
  smtpUrl?: string;
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
  /** How often failed emails are retried (default 15 s; 0: only through `retryMail`). */
  mailRetryIntervalMs?: number;
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
  /** Messages the embedded sink received (always empty with an external SMTP server). */
  mailbox: Mailbox;
  /** Whether the embedded SMTP sink runs (so `/mailbox` exists). */
  embeddedMail: boolean;
  /** Sends the failed emails whose retry time has come, now; returns how many went out. */
  retryMail(): Promise<number>;
  /** Runs a housekeeping pass now (issue 16 item 3); resolves with what it removed. */
  housekeeping(): Promise<HousekeepingReport>;
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
    if (!options.smtpUrl) sink = await startSmtpSink(now);
    const mailer = createSmtpMailer(db, options.smtpUrl ?? (sink as SmtpSink).url, 'Omniconsole <no-reply@omniconsole.local>', now);
    const ctx: PlatformContext = { db, now, mailer, publicUrl: options.publicUrl ?? '', passwords: createArgon2Hasher(options.argon2) };
    const state = { closing: false };
    const app = await buildApp(
      { ctx, limits: createLoginLimits(db, now), mailbox: sink?.mailbox ?? null, idempotencyLocks: new Map(), microsoftCa: options.microsoftCa, microsoftTestAuthorities: options.microsoftTestAuthorities ?? [], agentLoginUrl: options.agentLoginUrl, allowedHosts: options.allowedHosts },
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
    // Failed sends (SMTP down) go out later; also those a previous run left unfinished.
    let retrying: Promise<number> | null = null;
    const retryMail = () => (retrying ??= mailer.retryDue().finally(() => (retrying = null)));
    const interval = options.mailRetryIntervalMs ?? 15_000;
    const timer = interval > 0 ? setInterval(() => void retryMail().catch(() => undefined), interval) : null;
    timer?.unref();
    const housekeeper = startHousekeeping(db, now, options.retention ?? {}, (error) => app.log.error(error));
    return {
      url,
      mailbox: sink?.mailbox ?? EXTERNAL_MAILBOX,
      embeddedMail: sink !== null,
      retryMail,
      housekeeping: () => housekeeper.run(),
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
        await retrying?.catch(() => undefined);
        mailer.close();
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
