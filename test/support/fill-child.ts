/**
 * A console in its own process, for tests that kill it with SIGKILL mid-sync (issue 16): composes
 * the console over a real data folder (session in an AES file store, so a later console restores
 * it), signs in (which starts the first sync) and prints every sync status as one JSON line.
 * argv: platform URL, data folder, secret key (hex, 32 bytes), page size, fill batch.
 */
import { join } from 'node:path';
import { AesFileSecretStore } from '../../src-main/auth/secret-store';
import { compose } from '../../src-main/compose';
import { DEMO_ADMIN, TRUSTED_SENDER } from './console-harness';

const [platformUrl, dataDir, keyHex, pageSize, fillBatch] = process.argv.slice(2);
if (!platformUrl || !dataDir || !keyHex || !pageSize || !fillBatch) {
  console.error('usage: fill-child <platform-url> <data-dir> <key-hex> <page-size> <fill-batch>');
  process.exit(2);
}
const c = await compose({
  dataDir,
  platformUrl,
  secretStore: new AesFileSecretStore(join(dataDir, 'secrets'), Buffer.from(keyHex, 'hex')),
  syncIntervalMs: 0,
  syncPageSize: Number(pageSize),
  syncFillBatch: Number(fillBatch),
  logError: () => undefined,
});
c.events.on('onDidChangeSyncStatus', (status) => process.stdout.write(`${JSON.stringify(status)}\n`));
const signedIn = await c.router.handle(TRUSTED_SENDER, 'signIn', DEMO_ADMIN);
if (!signedIn.ok) {
  console.error(JSON.stringify(signedIn.error));
  process.exit(1);
}
