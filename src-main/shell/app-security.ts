/**
 * The Electron shell's security settings as plain data and pure functions, so they are tested
 * without Electron: window preferences, the renderer's CSP, and how `app://console/…` URLs map to
 * files of the built renderer (never outside it).
 */
import { extname, normalize, resolve, sep } from 'node:path';
import { APP_HOST, APP_PROTOCOL } from '../ipc/router';

/** The renderer's entry URL. */
export const APP_ENTRY_URL = `${APP_PROTOCOL}://${APP_HOST}/index.html`;

/** webPreferences of every console window (the preload path is added by main.ts). */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

/**
 * The renderer's CSP, for the app (`connect-src 'none'`: it talks to main over IPC only) and the
 * browser host (its bridge's WebSocket). Scripts and styles only from the app's own files: no inline
 * `<style>` or `style="…"` markup (React's `style` prop writes through the CSSOM, which CSP allows).
 */
export function contentSecurityPolicy(connectSrc = "'none'"): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
  ].join('; ');
}

/** The Electron app's CSP (sent with every `app://console/` response). */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** Content types of the renderer's built files (the app protocol and the browser host serve them). */
export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Maps an `app://console/…` URL to a file of `rendererDir`, or null if it is not one of ours. */
export function resolveAppFile(rendererDir: string, requestUrl: string): { file: string; mime: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_PROTOCOL}:` || url.host !== APP_HOST) return null;
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  } catch {
    return null;
  }
  const root = resolve(rendererDir);
  const file = resolve(root, rel === '' ? 'index.html' : rel);
  if (!file.startsWith(root + sep)) return null;
  return { file, mime: MIME[extname(file)] ?? 'application/octet-stream' };
}

/** Only the app's own pages may be shown; everything else is denied (navigation, window.open). */
/**
 * Whether a download is one of the console's own files (issue 11: a CSV the renderer made from an
 * operation's answer, a `blob:` URL of the app's origin). Every other download is cancelled.
 */
export function isAppDownload(url: string): boolean {
  return url.startsWith('blob:') && isAppUrl(url.slice('blob:'.length));
}

/** The save dialog of a download (Electron's native dialog): the file name the console chose, CSV only. */
export function downloadDialogOptions(fileName: string): { defaultPath: string; filters: { name: string; extensions: string[] }[] } {
  return { defaultPath: fileName, filters: [{ name: 'CSV', extensions: ['csv'] }] };
}

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_PROTOCOL}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
