/**
 * `npm run dev:browser`: starts the browser host and prints the URL to open (there may be no
 * desktop to open it in). Flags: --data-dir <dir> (default .data/browser-host), --port <n>,
 * --platform-url <url> (or PLATFORM_URL; absent → embedded platform, C4), --renderer-dir <dir>.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ACCOUNT_SLUG, DEMO_PASSWORD } from '../../src-platform';
import { startBrowserHost } from './index';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    port: { type: 'string' },
    'platform-url': { type: 'string' },
    'renderer-dir': { type: 'string' },
    open: { type: 'boolean' },
  },
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
  console.log(`  mailbox:  ${host.services.platformUrl}/mailbox (emails the embedded platform sent: reset links)`);
}

const stop = () => {
  void host.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
