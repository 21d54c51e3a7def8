/**
 * C4: with no platform address configured, the console runs `src-platform` itself on 127.0.0.1
 * (random port) with its data file under the console's data folder and the demo account.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The part of `src-platform`'s embedding API the console uses. */
export interface EmbeddedPlatform {
  url: string;
  close(): Promise<void>;
}

interface PlatformModule {
  startPlatform(opts: { dbFile: string; host?: string; port?: number; demo?: boolean; logger?: boolean }): Promise<EmbeddedPlatform>;
}

/** Starts the embedded platform with `<dataDir>/platform/platform.sqlite` and the demo account. */
export async function startEmbeddedPlatform(dataDir: string, opts: { port?: number } = {}): Promise<EmbeddedPlatform> {
  const dir = join(dataDir, 'platform');
  mkdirSync(dir, { recursive: true });
  const mod = (await import('../../src-platform/index')) as unknown as Partial<PlatformModule>;
  if (typeof mod.startPlatform !== 'function') throw new Error('src-platform does not export startPlatform');
  return mod.startPlatform({ dbFile: join(dir, 'platform.sqlite'), host: '127.0.0.1', port: opts.port ?? 0, demo: true, logger: false });
}
