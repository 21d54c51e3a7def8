import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

/** The Electron binary, when this machine has one (it is never downloaded by the tests). */
function electronBinary(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const exe = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const built = existsSync(resolve(import.meta.dirname, '../../../out/main/main.js'));
if (!binary || !built) {
  console.log(
    `[electron smoke] skipped: ${!binary ? 'the Electron binary is not installed (node_modules/electron/dist missing)' : 'out/main is not built (npm run build)'}; the services are covered under Node and the UI through the browser host.`,
  );
}

describe.skipIf(!binary || !built)('Electron smoke', () => {
  it('C4: the packaged shell opens app://console with a frozen consoleApi and no Node in the page', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [resolve(import.meta.dirname, '../../..')] });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toMatch(/^app:\/\/console\//);
      const probe = await page.evaluate(() => ({
        api: typeof window.consoleApi,
        frozen: Object.isFrozen(window.consoleApi),
        node: typeof (globalThis as { require?: unknown }).require,
      }));
      expect(probe).toEqual({ api: 'object', frozen: true, node: 'undefined' });
    } finally {
      await app.close();
    }
  });

  it('issue 14: a second start exits and leaves the first window (single instance lock)', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'omni-electron-'));
    const args = [resolve(import.meta.dirname, '../../..'), `--user-data-dir=${userData}`];
    const app = await electron.launch({ executablePath: binary!, args });
    try {
      await app.firstWindow();
      const second = spawn(binary!, args, { stdio: 'ignore' });
      const code = await new Promise<number | null>((done) => second.on('exit', done));
      expect(code).toBe(0);
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});

