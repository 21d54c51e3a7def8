/**
 * The setup of the console's integration tests that share one console: a test platform, a cutting
 * proxy in front of it and a console over the proxy, signed in as the demo administrator and synced.
 * Kept out of console-harness.ts, which fill-child.ts loads in a plain Node process: this file
 * brings in the test platform (and through it vitest and the test databases).
 */
import type { IncomingMessage } from 'node:http';
import type { ComposedConsole } from '../../src-main/compose';
import { call, composeConsole, startCuttingProxy, DEMO_ADMIN, type CuttingProxy } from './console-harness';
import { tempDir } from './console-fixtures';
import { startTestPlatform, type TestPlatform } from './platform';

/** A test platform, a cutting proxy in front of it and a console over the proxy, signed in and synced. */
export interface SignedInConsole {
  platform: TestPlatform;
  proxy: CuttingProxy;
  c: ComposedConsole;
  /** Disposes the console, closes the proxy, stops the platform and removes the data folder. */
  close(): Promise<void>;
}

/**
 * Starts a test platform, `startCuttingProxy(platform.url, shouldCut, times)` in front of it (by
 * default cutting nothing, so a test can still read what was forwarded), a console composed over the
 * proxy in a fresh data folder, signs in as the demo administrator and syncs once. What started is
 * undone if a step fails.
 */
export async function startSignedInConsole(shouldCut: (req: IncomingMessage) => boolean = () => false, times = 1): Promise<SignedInConsole> {
  const platform = await startTestPlatform();
  const data = tempDir();
  let proxy: CuttingProxy | undefined;
  let c: ComposedConsole | undefined;
  const close = async () => {
    await c?.dispose();
    await proxy?.close();
    await platform.stop();
    data.cleanup();
  };
  try {
    proxy = await startCuttingProxy(platform.url, shouldCut, times);
    c = await composeConsole({ dataDir: data.dir, platformUrl: proxy.url });
    await call(c, 'signIn', DEMO_ADMIN);
    await call(c, 'syncNow', {});
    return { platform, proxy, c, close };
  } catch (error) {
    await close();
    throw error;
  }
}
