/**
 * The Electron main process: thin glue around `compose()`. One window (context isolation,
 * sandbox, no Node), the renderer served from `app://console/` with a strict CSP, navigation,
 * `window.open` and permission requests denied, IPC only through the router.
 */
import { app, BrowserWindow, net, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compose, type ComposedConsole } from './compose';
import { bridgeIpcMain } from './electron/ipc-main-bridge';
import { SafeStorageSecretStore } from './electron/safe-storage-secret-store';
import { APP_PROTOCOL } from './ipc/router';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES, isAppUrl, resolveAppFile } from './shell/app-security';

protocol.registerSchemesAsPrivileged([{ scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);

const rendererDir = join(import.meta.dirname, '../renderer');
let composed: ComposedConsole | null = null;

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No window.open at all: the one flow that needs a browser (Microsoft sign-in) opens the
  // system browser from main, never from the page.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  protocol.handle(APP_PROTOCOL, async (request) => {
    const target = resolveAppFile(rendererDir, request.url);
    if (!target) return new Response('not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(target.file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-type', target.mime);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });

  composed = await compose({
    dataDir: app.getPath('userData'),
    platformUrl: process.env.PLATFORM_URL || undefined,
    secretStore: new SafeStorageSecretStore(join(app.getPath('userData'), 'secrets')),
    // C3: Microsoft sign-in runs in the system browser (MSAL loopback + PKCE), never in a window.
    openBrowser: (url) => shell.openExternal(url),
  });
  bridgeIpcMain(composed.router, composed.events);

  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(import.meta.dirname, '../preload/preload.cjs') },
  });
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY_URL);
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  void composed?.dispose();
});

start().catch((err: unknown) => {
  console.error('[omniconsole] failed to start', err);
  app.exit(1);
});
