/**
 * The browser host (development and e2e only, never in the packaged app): runs `compose()` in Node,
 * serves the built renderer on 127.0.0.1 and bridges `window.consoleApi` over a WebSocket that
 * only a page holding the per-run secret (and this origin) can open. Everything behind the router
 * is the same as in Electron.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { operationOfChannel } from '../ipc/console-api';
import { ipcChannel } from '../../src-shared/ipc-contract';
import { AesFileSecretStore, type SecretStore } from '../auth/secret-store';
import { compose, type ComposedConsole, type ComposeOptions, type ConsoleServices } from '../compose';
import { MIME, contentSecurityPolicy } from '../shell/app-security';
import { BRIDGE_SCRIPT_PATH, BRIDGE_WS_PATH, SECRET_PARAM, bridgeScript } from './bridge-script';

export interface BrowserHostOptions {
  /** The console's data folder (cache, secrets, embedded platform). */
  dataDir: string;
  /** The platform's origin; absent → embedded platform with the demo account (C4). */
  platformUrl?: string | undefined;
  /** The built renderer (`npm run build:renderer`). */
  rendererDir?: string;
  /** HTTP port on 127.0.0.1 (0 = random). */
  port?: number;
  /** Overrides the default AES file store under `<dataDir>/secrets`. */
  secretStore?: SecretStore;
  /** Passed to `compose()`. */
  compose?: Partial<Omit<ComposeOptions, 'dataDir' | 'platformUrl' | 'secretStore'>>;
}

/** A running browser host. */
export interface BrowserHost {
  /** Open this in Chromium: it carries the per-run secret. */
  url: string;
  /** The origin without the secret. */
  origin: string;
  services: ConsoleServices;
  console: ComposedConsole;
  close(): Promise<void>;
}

/** A dev-only secret store: AES-GCM files keyed by a random key kept in the data folder. */
function devSecretStore(dataDir: string): SecretStore {
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyFile = join(dir, 'browser-host.key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
  return new AesFileSecretStore(dir, readFileSync(keyFile));
}

/** Largest bridge frame accepted; a larger one closes the socket (1009) and is logged. */
export const BRIDGE_MAX_FRAME_BYTES = 1024 * 1024;

/** Why a bridge frame was refused. Logged by kind only, never with its content (it may hold a password). */
export type BridgeRefusal = 'binary' | 'not_json' | 'not_an_invoke';

/** One call over the bridge, as the bridge script sends it. */
export interface BridgeInvoke {
  id: number;
  channel: string;
  input: unknown;
}

/**
 * Reads one frame from the page: a text frame holding `{ type: 'invoke', id, channel, input }`
 * with a positive integer id and a string channel, or the reason it is refused. Never throws.
 */
export function parseBridgeFrame(data: RawData, isBinary: boolean): BridgeInvoke | { refused: BridgeRefusal } {
  if (isBinary) return { refused: 'binary' };
  let msg: unknown;
  try {
    msg = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8'));
  } catch {
    return { refused: 'not_json' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { refused: 'not_an_invoke' };
  const { type, id, channel, input } = msg as Record<string, unknown>;
  if (type !== 'invoke' || !Number.isSafeInteger(id) || (id as number) < 1 || typeof channel !== 'string') return { refused: 'not_an_invoke' };
  return { id: id as number, channel, input };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Starts the host: services, static renderer and the WebSocket bridge. */
export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const rendererDir = resolve(opts.rendererDir ?? 'out/renderer');
  const secret = randomBytes(24).toString('hex');
  const composed = await compose({
    ...opts.compose,
    dataDir: opts.dataDir,
    platformUrl: opts.platformUrl,
    secretStore: opts.secretStore ?? devSecretStore(opts.dataDir),
  });
  let origin = '';
  let host = '';

  const serveFile = (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = resolve(rendererDir, rel);
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) {
      res.writeHead(403).end();
      return;
    }
    // Unknown paths without an extension are client-side routes: serve the app.
    if (!existsSync(file) || rel === '' || !extname(file)) file = join(rendererDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`renderer not built: run npm run build:renderer (looked in ${rendererDir})`);
      return;
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    let body: Buffer | string = readFileSync(file);
    if (extname(file) === '.html') {
      const html = body.toString('utf8');
      const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;
      body = html.includes('<script') ? html.replace('<script', `${tag}\n<script`) : html.replace('</head>', `${tag}\n</head>`);
      // The app's own policy; only the bridge's WebSocket is added.
      headers['content-security-policy'] = contentSecurityPolicy(`'self' ws://${host}`);
    }
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((req, res) => {
    // DNS-rebinding guard: only our own host name.
    if (req.headers.host !== host) {
      res.writeHead(421).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (url.pathname === BRIDGE_SCRIPT_PATH) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(bridgeScript());
      return;
    }
    try {
      serveFile(req, res, url.pathname);
    } catch {
      res.writeHead(400).end();
    }
  });

  const logError = opts.compose?.logError ?? ((err: unknown, context: string) => console.error(`[omniconsole] ${context}:`, err));
  const refuse = (reason: string) => logError(new Error(`bridge frame refused: ${reason}`), 'browser host');

  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_FRAME_BYTES });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    // A peer that resets mid-handshake must not take the host down (no listener = uncaught error).
    socket.on('error', () => socket.destroy());
    let ok: boolean;
    try {
      const url = new URL(req.url ?? '/', origin);
      ok =
        url.pathname === BRIDGE_WS_PATH &&
        req.headers.host === host &&
        req.headers.origin === origin &&
        safeEqual(url.searchParams.get('secret') ?? '', secret);
    } catch {
      ok = false;
    }
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // Oversized (1009) or invalid frames: ws closes the socket and reports here; the host lives on.
      ws.on('error', (err) => refuse(`${(err as { code?: string }).code ?? 'socket error'} (${err.message})`));
      ws.on('message', (data, isBinary) => {
        const frame = parseBridgeFrame(data, isBinary);
        if ('refused' in frame) {
          // The page's own bridge never sends these: close the socket (it reconnects).
          refuse(frame.refused);
          ws.close(1008, frame.refused);
          return;
        }
        const operation = operationOfChannel(frame.channel);
        if (operation === null) refuse('unknown channel');
        // Only the contract's `omni:` channels name an operation; for anything else the router
        // answers validation_failed (unknown operation). It never throws.
        void composed.router.handle({ kind: 'browser-host', authenticated: true }, operation, frame.input).then((result) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: frame.id, result }));
        });
      });
    });
  });
  const unsubscribe = composed.events.onAny((name, payload) => {
    const frame = JSON.stringify({ type: 'event', channel: ipcChannel(name), payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    url: `${origin}/?${SECRET_PARAM}=${secret}`,
    origin,
    services: composed.services,
    console: composed,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      await composed.dispose();
    },
  };
}
