import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BRIDGE_MAX_FRAME_BYTES, startBrowserHost, type BrowserHost } from '../../../src-main/browser-host/index';
import { EVENT_NAMES, OPERATION_NAMES } from '../../../src-shared/ipc-contract';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../support/browser-flags';
import { tempDir } from '../../support/console-fixtures';

let data: ReturnType<typeof tempDir>;
let host: BrowserHost;
let browser: Browser;
const logged: string[] = [];

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
  host = await startBrowserHost({ dataDir: join(data.dir, 'console'), rendererDir, compose: { syncIntervalMs: 0, logError: (err) => logged.push(String(err)) } });
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
      const signedIn = await api.signIn({ account: 'demo', login: 'admin', password: 'Girassol-Pesqueiro-93' });
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

  describe('issue 17.1: the bridge refuses malformed, oversized and unexpected frames and the host lives on', () => {
    const secret = () => new URL(host.url).searchParams.get('omniHostSecret')!;
    const wsUrl = () => `${host.origin.replace('http', 'ws')}/__omni/ws?secret=${secret()}`;

    /** Opens an authenticated bridge socket, as the page's bridge script does. */
    const open = (url = wsUrl()) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, { origin: host.origin, maxPayload: 0 });
        ws.on('open', () => resolve(ws));
        ws.on('error', reject);
        ws.on('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
      });

    /** Sends one frame; resolves with the first answer, or with the close code if the host closed instead. */
    const send = (ws: WebSocket, frame: string | Buffer, binary = false) =>
      new Promise<{ answer?: unknown; closed?: number }>((resolve) => {
        ws.once('message', (m) => resolve({ answer: JSON.parse(String(m)) }));
        ws.once('close', (code) => resolve({ closed: code }));
        // A socket the host already tore down may report the write as an error: that is a close too.
        ws.once('error', () => resolve({ closed: -1 }));
        ws.send(frame, { binary });
      });

    /** A valid call on a fresh socket still gets its answer: the host and its router are alive. */
    const stillAnswers = async () => {
      const ws = await open();
      const { answer } = await send(ws, JSON.stringify({ type: 'invoke', id: 7, channel: 'omni:getSettings', input: {} }));
      ws.close();
      expect(answer).toMatchObject({ type: 'result', id: 7, result: { ok: true, value: { locale: expect.any(String) } } });
    };

    const bad: Array<[string, string | Buffer, boolean]> = [
      ['oversized (over 1 MiB)', JSON.stringify({ type: 'invoke', id: 1, channel: 'omni:signIn', input: { account: 'x'.repeat(BRIDGE_MAX_FRAME_BYTES) } }), false],
      ['null', 'null', false],
      ['not JSON', '{"type":"invoke",', false],
      ['binary', Buffer.from(JSON.stringify({ type: 'invoke', id: 1, channel: 'omni:getSession', input: {} })), true],
      ['a JSON string', '"invoke"', false],
      ['an array', '[1,2]', false],
      ['no id', JSON.stringify({ type: 'invoke', channel: 'omni:getSession', input: {} }), false],
      ['a non-integer id', JSON.stringify({ type: 'invoke', id: 1.5, channel: 'omni:getSession' }), false],
      ['a channel that is not a string', JSON.stringify({ type: 'invoke', id: 1, channel: { toString: 1 } }), false],
      ['another type', JSON.stringify({ type: 'result', id: 1, result: {} }), false],
      ['a __proto__ payload', '{"__proto__":{"type":"invoke"},"id":1,"channel":"omni:getSession"}', false],
    ];

    it.each(bad)('refuses a frame holding %s: logged, socket closed, host still answers', async (_kind, frame, binary) => {
      const before = logged.length;
      const ws = await open();
      const { answer, closed } = await send(ws, frame, binary);
      expect(answer).toBeUndefined();
      expect(closed).toBeDefined();
      expect(logged.length).toBeGreaterThan(before);
      expect(logged.slice(before).join('\n')).toMatch(/bridge frame refused/);
      // Never the frame's content in the log.
      expect(logged.slice(before).join('\n')).not.toContain('xxxxxxxx');
      await stillAnswers();
    });

    it('answers an unknown operation with validation_failed and logs it; the connection stays usable', async () => {
      const before = logged.length;
      const ws = await open();
      for (const channel of ['omni:deleteEverything', 'getSession', 'omni:__proto__', 'omni:toString']) {
        const { answer } = await send(ws, JSON.stringify({ type: 'invoke', id: 3, channel, input: {} }));
        expect(answer, channel).toMatchObject({ type: 'result', id: 3, result: { ok: false, error: { code: 'validation_failed' } } });
      }
      expect(logged.length).toBeGreaterThan(before);
      const { answer } = await send(ws, JSON.stringify({ type: 'invoke', id: 4, channel: 'omni:getSession', input: {} }));
      expect(answer).toMatchObject({ id: 4, result: { ok: true } });
      ws.close();
    });

    it('answers a wrong-shaped input with validation_failed, like the preload', async () => {
      const ws = await open();
      const { answer } = await send(ws, JSON.stringify({ type: 'invoke', id: 5, channel: 'omni:getUser', input: null }));
      expect(answer).toMatchObject({ id: 5, result: { ok: false, error: { code: 'validation_failed' } } });
      ws.close();
    });

    it('refuses a wrong secret, a malformed upgrade request and a peer that resets mid-handshake, and still answers', async () => {
      await expect(open(`${host.origin.replace('http', 'ws')}/__omni/ws?secret=${secret().replace(/./, 'x')}`)).rejects.toThrow(/refused 403/);
      const port = Number(new URL(host.origin).port);
      for (const raw of [
        'GET //[bad HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        `GET /__omni/ws?secret=${secret()} HTTP/1.1\r\nHost: ${new URL(host.origin).host}\r\nOrigin: ${host.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      ]) {
        await new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(raw);
            // Reset right away, while the host is answering.
            socket.resetAndDestroy();
            resolve();
          });
          socket.on('error', () => resolve());
        });
      }
      await stillAnswers();
    });

    it('answers 400 to a request path that is not a URL, and still answers', async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: Number(new URL(host.origin).port), path: '//[bad', headers: { host: new URL(host.origin).host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(400);
      await stillAnswers();
    });
  });
});
