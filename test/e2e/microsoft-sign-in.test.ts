/**
 * R11 / C3 in Chromium: the sign-in screen shows the Microsoft button for a self-managed account,
 * "Esqueci minha senha" answers with the R11 message, and clicking the button runs the console's
 * real MSAL code: the authorization page opens in a separate browser context (the "system
 * browser"), the user signs in at a local Entra-shaped provider over HTTPS, MSAL's loopback gets the
 * code, the platform verifies the token, and the console ends signed in.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SELF_MANAGED_MESSAGE_PT } from '../../src-shared/errors';
import { startBrowserHost, type BrowserHost } from '../../src-main/browser-host/index';
import { DEMO_PASSWORD, SELF_MANAGED_ACCOUNT_SLUG, startPlatform, type RunningPlatform } from '../../src-platform/server';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/browser-flags';
import { signOut } from '../support/e2e-harness';
import { startLocalIdp, type LocalIdp } from '../support/local-idp';

const HELENA_UPN = 'helena@autogerenciada.omniconsole.example';

let dir: string;
let idp: LocalIdp;
let platform: RunningPlatform;
let host: BrowserHost;
let browser: Browser;
let consoleContext: BrowserContext;
let systemBrowser: BrowserContext;
let page: Page;
const opened: string[] = [];
/** Each browser step, so a failure there surfaces with its own message instead of a timeout. */
const flows: Promise<void>[] = [];

/** The "system browser": a separate Chromium context completes the provider's login page. */
async function openSystemBrowser(url: string): Promise<void> {
  opened.push(url);
  const tab = await systemBrowser.newPage();
  const flow = (async () => {
    await tab.goto(url);
    // The provider shows its login page (unless its browser session is still alive, as with Entra),
    // may ask to confirm the authorization, then form-posts the code to MSAL's loopback, which
    // answers with the console's success page.
    const login = tab.locator('input[name="login"]');
    const consent = tab.getByRole('button', { name: 'Continue' });
    const done = tab.getByText('Login concluído');
    for (let step = 0; step < 4; step += 1) {
      await login.or(consent).or(done).first().waitFor();
      if (await done.isVisible()) return;
      if (await login.isVisible()) {
        await login.fill(HELENA_UPN);
        await tab.locator('input[name="password"]').fill('any');
        await tab.getByRole('button', { name: 'Sign-in' }).click();
      } else {
        await consent.click();
      }
      await tab.waitForLoadState();
    }
    const text = (await tab.locator('body').innerText().catch(() => '')).slice(0, 300);
    throw new Error(`system browser stopped at ${tab.url()}: ${text}`);
  })();
  flow.catch(() => {}); // observed by the test; avoid an unhandled rejection before it awaits
  flows.push(flow);
}

/** The console's persisted MSAL caches (encrypted files in the browser host's secret store). */
function msalCacheFiles(): string[] {
  return readdirSync(join(dir, 'console', 'secrets')).filter((f) => f.startsWith('msal-cache-'));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'omni-e2e-microsoft-'));
  idp = await startLocalIdp({ users: [{ oid: 'oid-helena', login: HELENA_UPN, name: 'Helena Autogerenciada' }] });
  platform = await startPlatform({ dbFile: join(dir, 'platform.sqlite'), port: 0, demo: true, argon2: { memoryCost: 8192, timeCost: 2 }, microsoftCa: idp.caCert, microsoftTestAuthorities: [`https://${idp.host}`] });

  // Support points the self-managed account at the local tenant (as an administrator would).
  const login = await fetch(`${platform.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: SELF_MANAGED_ACCOUNT_SLUG, login: 'suporte', password: DEMO_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const put = await fetch(`${platform.url}/api/v1/accounts/current/identity-provider`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ enabled: true, tenantId: idp.tenantId, clientId: idp.clientId, authority: idp.issuer }),
  });
  expect(put.status).toBe(200);

  const consoleDir = join(dir, 'console');
  mkdirSync(consoleDir, { recursive: true });
  host = await startBrowserHost({
    dataDir: consoleDir,
    platformUrl: platform.url,
    rendererDir: resolve(import.meta.dirname, '../../out/renderer'),
    port: 0,
    compose: {
      syncIntervalMs: 0,
      probeIntervalMs: 500,
      requestTimeoutMs: 5_000,
      retryBackoffMs: 50,
      logError: () => {},
      openBrowser: openSystemBrowser,
      microsoftCa: idp.caCert,
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  consoleContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
  consoleContext.setDefaultTimeout(15_000);
  // The test CA is trusted by MSAL and the platform in process; Chromium is told to accept it here.
  systemBrowser = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'pt-BR' });
  systemBrowser.setDefaultTimeout(15_000);
  page = await consoleContext.newPage();
  page.on('pageerror', (err) => console.error(`[renderer error] ${err.stack ?? err.message}`));
}, 90_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  await host?.close().catch(() => {});
  await platform?.close().catch(() => {});
  await idp?.close().catch(() => {});
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Microsoft sign-in in Chromium', () => {
  it('R11: a self-managed account shows the Microsoft button and "Esqueci minha senha" gives the R11 message', { timeout: 60_000 }, async () => {
    await page.goto(host.url);
    await page.getByLabel('Conta').fill(SELF_MANAGED_ACCOUNT_SLUG);
    await page.getByRole('button', { name: 'Entrar com Microsoft' }).waitFor();
    await page.getByRole('button', { name: 'Esqueci minha senha' }).click();
    await page.getByText(SELF_MANAGED_MESSAGE_PT).waitFor();
  });

  it('R11: the demo account (password sign-in) shows no Microsoft button', { timeout: 60_000 }, async () => {
    await page.goto(host.url);
    await page.getByLabel('Conta').fill('demo');
    // Wait for the providers lookup to settle on this slug, then check the button is absent.
    await page.waitForTimeout(800);
    expect(await page.getByRole('button', { name: 'Entrar com Microsoft' }).count()).toBe(0);
  });

  it('C3: clicking "Entrar com Microsoft" signs in through the system browser and ends signed in', { timeout: 60_000 }, async () => {
    await page.goto(host.url);
    await page.getByLabel('Conta').fill(SELF_MANAGED_ACCOUNT_SLUG);
    await page.getByRole('button', { name: 'Entrar com Microsoft' }).click();
    await expect.poll(() => flows.length, { timeout: 15_000 }).toBe(1);
    await flows[0];
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor({ timeout: 30_000 });
    expect(opened).toHaveLength(1);
    expect(new URL(opened[0] ?? '').origin).toBe(new URL(idp.authority).origin);
    expect(host.services.auth.currentAccount?.slug).toBe(SELF_MANAGED_ACCOUNT_SLUG);
    expect(msalCacheFiles()).toHaveLength(1);
  });

  it('R11: signed in with Microsoft, the administrator sees only the R11 message on the Senha tab of self-managed users', { timeout: 60_000 }, async () => {
    await page.getByLabel('Buscar usuários').fill('igor');
    // Click once the search has answered, so the row does not move under the pointer.
    await page.getByText('1 usuário', { exact: true }).waitFor();
    await page.getByRole('row', { name: /igor/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Igor Autogerenciado' }).waitFor();
    await page.getByRole('tab', { name: 'Senha' }).click();
    await page.getByRole('tabpanel').getByText(SELF_MANAGED_MESSAGE_PT).waitFor();
    // No temporary-password box, no greyed form: only the message.
    expect(await page.locator('#password-new').count()).toBe(0);
  });

  it('R11: "Sair" signs out and clears the MSAL cache; the next Microsoft sign-in opens the browser again', { timeout: 60_000 }, async () => {
    await signOut(page);
    await expect.poll(() => msalCacheFiles().length, { timeout: 10_000 }).toBe(0);

    await page.getByLabel('Conta').fill(SELF_MANAGED_ACCOUNT_SLUG);
    await page.getByRole('button', { name: 'Entrar com Microsoft' }).click();
    await expect.poll(() => flows.length, { timeout: 15_000 }).toBe(2);
    await flows[1];
    await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor({ timeout: 30_000 });
    expect(opened).toHaveLength(2);
  });
});
