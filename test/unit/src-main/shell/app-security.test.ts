import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, SECURE_WEB_PREFERENCES, downloadDialogOptions, isAppDownload, isAppUrl, resolveAppFile } from '../../../../src-main/shell/app-security';

describe('Electron shell security settings', () => {
  it('windows are isolated and sandboxed, without Node', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
  });

  it('the CSP starts from nothing and gives the renderer no network (it talks over IPC only)', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    // Issue 14: no inline styles either (the one Electronegativity finding).
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self';");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('app://console URLs map to files of the renderer folder and never outside it', () => {
    const dir = resolve('/opt/console/renderer');
    expect(resolveAppFile(dir, 'app://console/')).toEqual({ file: join(dir, 'index.html'), mime: 'text/html; charset=utf-8' });
    expect(resolveAppFile(dir, 'app://console/assets/index-1.js')?.file).toBe(join(dir, 'assets/index-1.js'));
    // Dot segments, encoded or not, and encoded slashes stay inside the folder.
    for (const url of ['app://console/../../etc/passwd', 'app://console/%2e%2e/%2e%2e/etc/passwd', 'app://console/..%2F..%2Fetc%2Fpasswd']) {
      expect(resolveAppFile(dir, url)?.file).toBe(join(dir, 'etc/passwd'));
    }
    expect(resolveAppFile(dir, 'app://console/%E0%A4%A')).toBeNull();
    expect(resolveAppFile(dir, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(dir, 'https://console/index.html')).toBeNull();
  });

  it('only app://console pages may be navigated to', () => {
    expect(isAppUrl('app://console/index.html#/users')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('app://evil/')).toBe(false);
  });

  it('issue 11: only the app\'s own blob files download (through the native save dialog, CSV only)', () => {
    expect(isAppDownload('blob:app://console/6f1c2d3e-0000-4000-8000-000000000000')).toBe(true);
    expect(isAppDownload('https://evil.example/x.csv')).toBe(false);
    expect(isAppDownload('blob:https://evil.example/6f1c2d3e')).toBe(false);
    expect(isAppDownload('app://console/index.html')).toBe(false);
    expect(downloadDialogOptions('usuarios.csv')).toEqual({ defaultPath: 'usuarios.csv', filters: [{ name: 'CSV', extensions: ['csv'] }] });
  });
});
