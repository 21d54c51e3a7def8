import { request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../src-main/browser-host/index';
import { EVENT_NAMES, OPERATION_NAMES } from '../../../src-shared/ipc-contract';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/browser-flags';
import { tempDir } from '../../support/console-fixtures';

let data: ReturnType<typeof tempDir>;
let host: BrowserHost;
let browser: Browser;

beforeAll(async () => {
  data = tempDir();
  // A minimal renderer: the bridge must be in place before the app's own module script runs.
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./assets/app.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(rendererDir, 'assets', 'app.js'), "document.getElementById('root').textContent = typeof window.consoleApi;");
  // No platformUrl: the host starts the embedded platform with the demo account (C4).
  host = await startBrowserHost({ dataDir: join(data.dir, 'console'), rendererDir, compose: { syncIntervalMs: 0, logError: () => undefined } });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  data?.cleanup();
});

describe('browser host', () => {
  it('C4: with no platform address it runs the embedded platform on 127.0.0.1 with its data under the data folder', () => {
    expect(host.services.embeddedPlatform).not.toBeNull();
    expect(host.services.platformUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(data.dir, 'console', 'platform', 'platform.sqlite'))).toBe(true);
    expect(existsSync(join(data.dir, 'console', 'cache.sqlite'))).toBe(true);
  });

  it('C4: exposes a frozen window.consoleApi to the page and runs real operations and events over the bridge', async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await expect.poll(() => page.textContent('#root')).toBe('object');
    // The secret leaves the address bar once read.
    expect(page.url()).not.toContain('omniHostSecret');
    const shape = await page.evaluate(() => ({
      keys: Object.keys(window.consoleApi!).sort(),
      frozen: Object.isFrozen(window.consoleApi),
      hasSend: 'send' in window.consoleApi!,
    }));
    expect(shape).toEqual({ keys: [...OPERATION_NAMES, ...EVENT_NAMES].sort(), frozen: true, hasSend: false });
    const result = await page.evaluate(async () => {
      const api = window.consoleApi!;
      const statuses: unknown[] = [];
      api.onDidChangeSyncStatus((s) => statuses.push(s));
      const before = await api.getSession({});
      const bad = await api.getUser({ id: 'x', extra: 1 } as never);
      const signedIn = await api.signIn({ account: 'demo', login: 'admin', password: 'Omni2026demo' });
      const sync = await api.syncNow({});
      const search = await api.searchUsers({ query: 'supervisor' });
      return { before, bad, signedIn, sync, search, statuses: statuses.length };
    });
    expect(result.before).toMatchObject({ ok: true, value: { status: 'signedOut' } });
    expect(result.bad).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(result.signedIn).toMatchObject({ ok: true, value: { status: 'signedIn', user: { login: 'admin' } } });
    expect(result.sync).toMatchObject({ ok: true, value: { state: 'idle' } });
    expect(result.search).toMatchObject({ ok: true, value: { items: [{ login: 'supervisor' }] } });
    expect(result.statuses).toBeGreaterThan(0);
    await page.close();
  });

  it('refuses the bridge socket without the per-run secret or from another origin, and foreign Host headers', async () => {
    const wsUrl = host.origin.replace('http', 'ws') + '/__omni/ws';
    const secret = new URL(host.url).searchParams.get('omniHostSecret')!;
    const attempt = (url: string, origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url, { origin });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', () => resolve('refused'));
        ws.on('unexpected-response', () => resolve('refused'));
      });
    expect(await attempt(`${wsUrl}?secret=wrong`, host.origin)).toBe('refused');
    expect(await attempt(wsUrl, host.origin)).toBe('refused');
    expect(await attempt(`${wsUrl}?secret=${secret}`, 'http://evil.example')).toBe('refused');
    expect(await attempt(`${wsUrl}?secret=${secret}`, host.origin)).toBe('open');
    // fetch() cannot forge Host; a raw request can (DNS rebinding).
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(host.origin + '/', { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(421);
    const traversal = await fetch(host.origin + '/%2e%2e/%2e%2e/etc/passwd');
    expect(await traversal.text()).not.toContain('root:');
  });
});
