/**
 * C4: with no platform address configured, the console runs `src-platform` itself on 127.0.0.1
 * (random port) with its data file under the console's data folder, the demo account and the
 * development mailbox behind a per-run secret.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The part of `src-platform`'s embedding API the console uses. */
export interface EmbeddedPlatform {
  url: string;
  /** The development mailbox page with this run's secret key (the demo's reset emails). */
  mailboxUrl: string | null;
  close(): Promise<void>;
}

interface PlatformModule {
  startPlatform(opts: { dbFile: string; host?: string; port?: number; demo?: boolean; devMailbox?: boolean; mailboxSecret?: string; logger?: boolean }): Promise<EmbeddedPlatform>;
}

/** Starts the embedded platform with `<dataDir>/platform/platform.sqlite` and the demo account. */
export async function startEmbeddedPlatform(dataDir: string, opts: { port?: number } = {}): Promise<EmbeddedPlatform> {
  const dir = join(dataDir, 'platform');
  mkdirSync(dir, { recursive: true });
  const mod = (await import('../../src-platform/index')) as unknown as Partial<PlatformModule>;
  if (typeof mod.startPlatform !== 'function') throw new Error('src-platform does not export startPlatform');
  // Issue 9 class 5: the demo's mailbox shows live reset links; other people on this computer reach
  // 127.0.0.1 too, so it needs this run's unguessable key (as the browser host's page does).
  const mailboxSecret = randomBytes(24).toString('base64url');
  return mod.startPlatform({ dbFile: join(dir, 'platform.sqlite'), host: '127.0.0.1', port: opts.port ?? 0, demo: true, devMailbox: true, mailboxSecret, logger: false });
}
