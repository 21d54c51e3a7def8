/**
 * `npm run platform -- [--demo] [--port N] [--data DIR] [--database-url URL] [--public-url URL] [--allowed-host NAME]… [--dev-mailbox] [--mail-poll-seconds N] [--mail-lease-seconds N] [--generate N]
 * [--microsoft-test-authority https://127.0.0.1:PORT]`:
 * runs the platform standalone and prints where it listens, the mailbox page and the demo logins.
 * `SMTP_URL` sends mail to a real SMTP server; `--dev-mailbox` (implied by `--demo` without SMTP_URL)
 * keeps it in the development mailbox page instead; `DATABASE_URL`
 * (`postgres://…`) runs on PostgreSQL instead of `<data>/platform.sqlite`. Logs are JSON lines on
 * stdout (`LOG_LEVEL`, default info); `--metrics` (or `METRICS=true`) serves Prometheus metrics at
 * /metrics. SIGTERM or SIGINT shut down gracefully (in-flight requests finish first).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseCommandLine } from './cli-args';
import { isPostgresUrl } from './db/dialect';
import { DEMO_ACCOUNT_SLUG, DEMO_PASSWORD, SELF_MANAGED_ACCOUNT_SLUG, generateUsers, startPlatform } from './server';

const USAGE = `Usage: npm run platform -- [options]

Runs the platform API server standalone (SQLite file in --data, or PostgreSQL with --database-url).

Options:
  --demo                 seed the demo account (and the self-managed one) into an empty database
  --port N               port to listen on (default $PORT or 4010; 0 = any free port)
  --host ADDRESS         address to listen on (default 127.0.0.1)
  --data DIR             data folder (default $PLATFORM_DATA_DIR or .data/platform)
  --public-url URL       base of the links in emails (default $PUBLIC_URL or the listening URL)
  --agent-login-url URL  where agents sign in, linked from the reset page
                         (default $AGENT_LOGIN_URL or https://app.smartspace.us/login)
  --database-url URL     postgres://… to use PostgreSQL instead of the SQLite file (default $DATABASE_URL)
  --generate N           add N generated agents to the demo account (benchmarks)
  --microsoft-test-authority ORIGIN
                         development only: a local OpenID provider accepted as a Microsoft authority
  --metrics              serve Prometheus metrics at /metrics (default $METRICS=true)
  --mail-retention-days N
                         days sent mail is kept (default $MAIL_RETENTION_DAYS or 30)
  --audit-retention-days N
                         days the audit trail is kept (default $AUDIT_RETENTION_DAYS, or forever)
  --mail-poll-seconds N  how often the outbox worker looks for due emails besides after each write
                         (default $MAIL_POLL_SECONDS or 15; 0: only then)
  --mail-lease-seconds N how long an email being sent is left to this instance before another
                         instance may send it (a crash mid-send; default $MAIL_LEASE_SECONDS or 300)
  --housekeeping-minutes N
                         how often the housekeeping job runs (default $HOUSEKEEPING_MINUTES or 10; 0: never)
  --dev-mailbox          keep sent mail in the development mailbox page (implied by --demo without
                         SMTP_URL); the page needs the per-run key printed at start
  --allowed-host NAME    a host name answered besides 127.0.0.1, localhost, [::1] and the public
                         URL's host (repeatable; also $ALLOWED_HOSTS, comma-separated); others get 421
  -h, --help             show this help

Retention (issue 16): sent mail, expired reset links and sessions, and Idempotency-Key answers after
24 hours are removed by a housekeeping job; the audit trail is kept unless --audit-retention-days is set.

Environment: SMTP_URL sends mail to that SMTP server instead of the embedded sink; LOG_LEVEL
(default info) sets the JSON log level;
OMNICONSOLE_MICROSOFT_CA_FILE names an extra CA (PEM) for the Microsoft authority.`;

const values = parseCommandLine(USAGE, {
    demo: { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.PORT ?? '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    data: { type: 'string', default: process.env.PLATFORM_DATA_DIR ?? '.data/platform' },
    'public-url': { type: 'string' },
    generate: { type: 'string' },
    'database-url': { type: 'string', default: process.env.DATABASE_URL },
    // Development only: a local OpenID provider (origin) accepted as a Microsoft authority.
    'microsoft-test-authority': { type: 'string', multiple: true },
    metrics: { type: 'boolean', default: process.env.METRICS === 'true' },
    'agent-login-url': { type: 'string' },
    'mail-retention-days': { type: 'string', default: process.env.MAIL_RETENTION_DAYS || '30' },
    'audit-retention-days': { type: 'string', default: process.env.AUDIT_RETENTION_DAYS || undefined },
    'housekeeping-minutes': { type: 'string', default: process.env.HOUSEKEEPING_MINUTES || '10' },
    'mail-poll-seconds': { type: 'string', default: process.env.MAIL_POLL_SECONDS || '15' },
    'mail-lease-seconds': { type: 'string', default: process.env.MAIL_LEASE_SECONDS || '300' },
    'allowed-host': { type: 'string', multiple: true },
    'dev-mailbox': { type: 'boolean', default: false },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`);
  process.exit(2);
}
/** A whole number from a flag (or its environment variable), at least `min`; exits 2 otherwise. */
function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min) {
    console.error(`--${flag} must be a whole number ≥ ${min} (got ${value})`);
    process.exit(2);
  }
  return n;
}
// Issue 16 item 3: what the housekeeping job keeps (README "Retention").
const retention = {
  mailDays: wholeNumber('mail-retention-days', values['mail-retention-days'], 1),
  auditDays: values['audit-retention-days'] === undefined ? null : wholeNumber('audit-retention-days', values['audit-retention-days'], 1),
  intervalMs: wholeNumber('housekeeping-minutes', values['housekeeping-minutes'], 0) * 60_000,
};
// Issue 12: the outbox worker's round and the lease after which another instance takes a claimed email.
const mailRetryIntervalMs = wholeNumber('mail-poll-seconds', values['mail-poll-seconds'], 0) * 1000;
const mailLeaseMs = wholeNumber('mail-lease-seconds', values['mail-lease-seconds'], 1) * 1000;
const databaseUrl = values['database-url'] || undefined;
if (databaseUrl && !isPostgresUrl(databaseUrl)) {
  console.error('--database-url (DATABASE_URL) must be a postgres:// URL');
  process.exit(2);
}
if (!databaseUrl) mkdirSync(values.data, { recursive: true });
const dbFile = path.resolve(values.data, 'platform.sqlite');
const platform = await startPlatform({
  dbFile,
  databaseUrl,
  host: values.host,
  port,
  demo: values.demo,
  publicUrl: values['public-url'] ?? process.env.PUBLIC_URL,
  agentLoginUrl: values['agent-login-url'] ?? (process.env.AGENT_LOGIN_URL || undefined),
  // Host names answered besides the loopback ones and the public URL's host (others get 421).
  allowedHosts: [...(values['allowed-host'] ?? []), ...(process.env.ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean)],
  smtpUrl: process.env.SMTP_URL || undefined,
  microsoftTestAuthorities: values['microsoft-test-authority'] ?? [],
  // Structured JSON lines on stdout (secrets redacted); LOG_LEVEL=silent turns it off.
  logger: { level: process.env.LOG_LEVEL || 'info' },
  metrics: values.metrics,
  retention,
  mailRetryIntervalMs,
  mailLeaseMs,
  // The development mailbox only when asked for (--demo or --dev-mailbox), never because SMTP_URL is unset.
  devMailbox: values['dev-mailbox'] || (values.demo && !process.env.SMTP_URL),
});

const generate = values.generate === undefined ? 0 : Number(values.generate);
if (generate > 0) {
  // Benchmarks: N more agents in the demo account, logins gen-<time>.<i> so reruns never clash.
  const started = Date.now();
  await generateUsers(databaseUrl ?? dbFile, DEMO_ACCOUNT_SLUG, generate, { prefix: `gen-${started.toString(36)}` });
  console.log(`Generated ${generate} users in ${Date.now() - started} ms`);
}

console.log(`Platform API:  ${platform.url}/api/v1   (OpenAPI: ${platform.url}/api/v1/openapi.json)`);
console.log(`Database:      ${databaseUrl ? redactUrl(databaseUrl) : dbFile}`);
console.log(
  platform.mailboxUrl
    ? `Mailbox page:  ${platform.mailboxUrl}   (development mailbox; the key changes every run)`
    : process.env.SMTP_URL
      ? `Mail:          sent through SMTP_URL`
      : `Mail:          NOT SENT: set SMTP_URL (or use --dev-mailbox); emails wait in the outbox until then`,
);
if (values.demo) {
  console.log('');
  console.log(`Demo account "${DEMO_ACCOUNT_SLUG}" (Contact Center Demo); password for every login: ${DEMO_PASSWORD}`);
  console.log('  suporte     support (any account)');
  console.log('  admin       administrator');
  console.log('  supervisor  supervisor (read-only)');
  console.log(`Self-managed account "${SELF_MANAGED_ACCOUNT_SLUG}" (Microsoft identity provider, R11): users helena, igor, julia`);
  console.log('');
  console.log(`Sign in:  curl -s ${platform.url}/api/v1/auth/login -H 'content-type: application/json' \\`);
  console.log(`            -d '{"account":"${DEMO_ACCOUNT_SLUG}","login":"admin","password":"${DEMO_PASSWORD}"}'`);
}

/** A database URL without its password, fit to print. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

const stop = async (): Promise<void> => {
  await platform.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
