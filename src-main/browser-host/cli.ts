/**
 * `npm run dev:browser`: starts the browser host and prints the URL to open (there may be no
 * desktop to open it in). Flags: --data-dir <dir> (default .data/browser-host), --port <n>,
 * --platform-url <url> (or PLATFORM_URL; absent → embedded platform, C4), --renderer-dir <dir>.
 */
import { resolve } from 'node:path';
import { DEMO_ACCOUNT_SLUG, DEMO_PASSWORD, SELF_MANAGED_ACCOUNT_SLUG } from '../../src-platform';
import { parseCommandLine } from '../../src-platform/cli-args';
import { startBrowserHost } from './index';

const USAGE = `Usage: npm run dev:browser [-- options]

Serves the console to a browser (development and e2e; where Electron cannot run).

Options:
  --data-dir DIR       console data folder: cache, embedded platform (default .data/browser-host)
  --port N             port of the console page (default: any free port)
  --platform-url URL   the platform to talk to (default $PLATFORM_URL; absent: start the embedded one)
  --renderer-dir DIR   the built renderer (default out/renderer)
  --open               accepted for compatibility; the URL is printed
  -h, --help           show this help

The embedded platform's demo accounts:
  "${DEMO_ACCOUNT_SLUG}"${' '.repeat(Math.max(1, 15 - DEMO_ACCOUNT_SLUG.length))}logins suporte | admin | supervisor, password ${DEMO_PASSWORD}
  "${SELF_MANAGED_ACCOUNT_SLUG}"${' '.repeat(Math.max(1, 15 - SELF_MANAGED_ACCOUNT_SLUG.length))}self-managed (Microsoft identity provider, R11): the sign-in screen offers only
                   the Microsoft button; users helena, igor, julia`;

const values = parseCommandLine(USAGE, {
  'data-dir': { type: 'string' },
  port: { type: 'string' },
  'platform-url': { type: 'string' },
  'renderer-dir': { type: 'string' },
  open: { type: 'boolean' },
});

const host = await startBrowserHost({
  dataDir: resolve(values['data-dir'] ?? '.data/browser-host'),
  platformUrl: values['platform-url'] ?? process.env.PLATFORM_URL ?? undefined,
  rendererDir: values['renderer-dir'] ?? 'out/renderer',
  port: values.port ? Number(values.port) : 0,
  // No desktop to open: print the Microsoft sign-in page's address instead.
  compose: { openBrowser: async (url) => console.log(`Microsoft sign-in: open ${url}`) },
});
console.log(`Omniconsole browser host (development only)`);
console.log(`  platform: ${host.services.platformUrl}${host.services.embeddedPlatform ? ' (embedded, demo account "demo")' : ''}`);
console.log(`  cache:    ${host.services.cache.file}`);
console.log(`  open:     ${host.url}`);
if (host.services.embeddedPlatform) {
  console.log(`  sign in:  account "${DEMO_ACCOUNT_SLUG}", login suporte | admin | supervisor, password ${DEMO_PASSWORD}`);
  console.log(`  R11:      account "${SELF_MANAGED_ACCOUNT_SLUG}" is self-managed: its sign-in offers only the Microsoft button (users helena, igor, julia)`);
  console.log(`  mailbox:  ${host.services.embeddedPlatform.mailboxUrl} (emails the embedded platform sent: reset links; the key changes every run)`);
}

const stop = () => {
  void host.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
