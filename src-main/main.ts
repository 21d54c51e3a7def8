/**
 * The Electron main process: thin glue around `compose()`. One window (context isolation,
 * sandbox, no Node), the renderer served from `app://console/` with a strict CSP, navigation,
 * `window.open` and permission requests denied, IPC only through the router. One instance per
 * user (a second start focuses the first window); quitting waits, up to a deadline, for the sync to
 * stop, the cache to close and the embedded platform to close.
 */
import { app, BrowserWindow, net, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compose, type ComposedConsole } from './compose';
import { bridgeIpcMain } from './electron/ipc-main-bridge';
import { SafeStorageSecretStore } from './electron/safe-storage-secret-store';
import { APP_PROTOCOL } from './ipc/router';
import { APP_ENTRY_URL, CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES, downloadDialogOptions, isAppDownload, isAppUrl, resolveAppFile } from './shell/app-security';
import { QUIT_DEADLINE_MS, disposeWithDeadline } from './shell/quit';
import { launchPlan } from './shell/launch-settings';

protocol.registerSchemesAsPrivileged([{ scheme: APP_PROTOCOL, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);

const rendererDir = join(import.meta.dirname, '../renderer');
let composed: ComposedConsole | null = null;
let mainWindow: BrowserWindow | null = null;
let quitting = false;

/** A second start of the app lands here (in the first instance): show the window it already has. */
function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

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
  // Issue 11: the console's own CSV files are saved through the native save dialog; nothing else downloads.
  session.defaultSession.on('will-download', (event, item) => {
    if (!isAppDownload(item.getURL())) event.preventDefault();
    else item.setSaveDialogOptions(downloadDialogOptions(item.getFilename()));
  });
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
  // The demo platform's reset emails: printed for the person who started the console (the key is
  // this run's secret, so nobody else on the computer can read the links).
  const mailboxUrl = composed.services.embeddedPlatform?.mailboxUrl;
  if (mailboxUrl) console.log(`[omniconsole] embedded platform mailbox: ${mailboxUrl}`);

  const win = (mainWindow = new BrowserWindow({
    width: 1280,
    height: 800,
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(import.meta.dirname, '../preload/preload.cjs') },
  }));
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY_URL);
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  const running = composed;
  if (!running || quitting) return;
  // Hold the exit until the services closed (or the deadline passed), then exit for real.
  event.preventDefault();
  quitting = true;
  void disposeWithDeadline(() => running.dispose(), QUIT_DEADLINE_MS, (err) => console.error('[omniconsole] quit', err)).then((outcome) => {
    if (outcome === 'deadline') console.error(`[omniconsole] quit: services still closing after ${QUIT_DEADLINE_MS} ms`);
    app.exit(0);
  });
});

// Issue 10: a start without the memory settings (a packaged app opened from the desktop)
// relaunches once with them (shell/launch-settings.ts); `npm start` passes them itself.
const launch = launchPlan(process.env, process.argv.slice(1), process.platform);
if (launch.relaunch) {
  Object.assign(process.env, launch.env);
  app.relaunch({ args: launch.args });
  app.exit(0);
} else if (!app.requestSingleInstanceLock()) {
  // One console per user: the cache and the embedded platform's file belong to one process.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  start().catch((err: unknown) => {
    console.error('[omniconsole] failed to start', err);
    app.exit(1);
  });
}
