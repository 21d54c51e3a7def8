/**
 * e2e harness: a real platform (temp SQLite file, random port, demo data, its own SMTP sink), the
 * real browser host (temp data folder) and Debian's Chromium driven by Playwright. Each test file
 * starts its own; nothing is shared between files.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../../src-main/browser-host/index';
import { generateUsers, startPlatform, type RunningPlatform } from '../../src-platform/index';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser-flags';

/** Where screenshots go (git-ignored). */
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../e2e/screenshots');
/** The README's "Tour" images (committed), rewritten by `npm run tour`. */
export const TOUR_DIR = resolve(import.meta.dirname, '../../docs/tour');
/** The demo account's password (seeded by the platform). */
export const DEMO_PASSWORD = 'Girassol-Pesqueiro-93';

/** A running e2e environment. */
export interface E2eEnv {
  dir: string;
  platform: RunningPlatform;
  host: BrowserHost;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** What the console's CSP refused in the page (Chromium's console errors), e.g. an inline style. */
  cspViolations: string[];
  /** Starts a new browser host on the same data folder (e.g. to start offline), replacing `host`. */
  restartHost(opts?: { platformUrl?: string }): Promise<BrowserHost>;
  close(): Promise<void>;
}

/** The built renderer the browser host serves to these tests (`npm run build`, which `npm test` runs first). */
const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

/**
 * Refuses to test a renderer built before its sources last changed: running an e2e file on its
 * own after an edit, without `npm run build`, would otherwise test the old build and report its
 * failures (or passes) as the new code's.
 */
function assertRendererFresh(): void {
  const built = join(RENDERER_DIR, 'index.html');
  if (!existsSync(built)) throw new Error('e2e: out/renderer is missing; run `npm run build` first (npm test does).');
  const builtAt = statSync(built).mtimeMs;
  const root = resolve(import.meta.dirname, '../..');
  for (const folder of ['src-renderer', 'src-shared']) {
    for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = join(entry.parentPath, entry.name);
      if (statSync(file).mtimeMs > builtAt) throw new Error(`e2e: out/renderer is older than ${file.slice(root.length + 1)}; run \`npm run build\` first (npm test does).`);
    }
  }
}

/** Starts platform, browser host and Chromium (viewport 1280×800, pt-BR); `extraUsers` generated agents are added to the demo account. */
export async function startE2e(name: string, opts: { extraUsers?: number } = {}): Promise<E2eEnv> {
  assertRendererFresh();
  const dir = mkdtempSync(join(tmpdir(), `omni-e2e-${name}-`));
  const consoleDir = join(dir, 'console');
  mkdirSync(consoleDir, { recursive: true });
  const dbFile = join(dir, 'platform.sqlite');
  const platform = await startPlatform({ dbFile, port: 0, demo: true, argon2: { memoryCost: 19_456, timeCost: 2 } });
  let started: BrowserHost | null = null;
  let launched: Browser | null = null;
  try {
    if (opts.extraUsers) await generateUsers(dbFile, 'demo', opts.extraUsers, { prefix: 'gen' });
    const hostOptions = (platformUrl: string) => ({
      dataDir: consoleDir,
      platformUrl,
      rendererDir: RENDERER_DIR,
      port: 0,
      compose: { syncIntervalMs: 0, probeIntervalMs: 500, requestTimeoutMs: 3_000, retryBackoffMs: 50, logError: () => {} },
    });
    let host = await startBrowserHost(hostOptions(platform.url));
    started = host;
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    launched = browser;
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
    // Fail within the test timeout, with room for a busy 2-core machine.
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    // A renderer crash must fail loudly in the test output, not as a blank page.
    page.on('pageerror', (err) => console.error(`[renderer error] ${err.stack ?? err.message}`));
    // Issue 14: the CSP has no 'unsafe-inline' for styles; anything it refuses is kept for the tests to check.
    const cspViolations: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(`${msg.location().url}: ${msg.text()}`);
    });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const env: E2eEnv = {
      dir,
      platform,
      get host() {
        return host;
      },
      browser,
      context,
      page,
      cspViolations,
      async restartHost(opts = {}) {
        await host.close();
        host = await startBrowserHost(hostOptions(opts.platformUrl ?? platform.url));
        return host;
      },
      async close() {
        await browser.close().catch(() => {});
        await host.close().catch(() => {});
        await platform.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return env;
  } catch (error) {
    // A half-started environment must not leak servers, browsers or temp folders.
    await launched?.close().catch(() => {});
    await started?.close().catch(() => {});
    await platform.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Opens the console and signs in to the demo account as `login`. */
export async function signIn(env: E2eEnv, login: string, password = DEMO_PASSWORD): Promise<void> {
  const { page } = env;
  await page.goto(env.host.url);
  await page.getByLabel('Conta').fill('demo');
  await page.getByLabel('Login', { exact: true }).fill(login);
  await page.getByLabel('Senha', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Usuários' }).waitFor();
}

/**
 * Signs out through "Sair" and its offer (C6): keeps this account's cached data on the computer,
 * or removes it with `removeCachedData`; waits for the sign-in screen.
 */
export async function signOut(page: Page, opts: { removeCachedData?: boolean } = {}): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Sair', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Sair do Omniconsole' });
  await dialog.getByRole('button', { name: opts.removeCachedData ? 'Sair e remover os dados deste computador' : 'Sair e manter os dados' }).click();
  await page.getByRole('button', { name: 'Entrar', exact: true }).waitFor();
}

/** Vitest `afterEach` hook body: keeps a screenshot of the page a failed test left behind. */
export async function screenshotOnFailure(env: E2eEnv | undefined, ctx: { task: { name: string; result?: { state?: string } } }): Promise<void> {
  if (!env || ctx.task.result?.state !== 'fail') return;
  await screenshot(env.page, `failed-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
}

/**
 * A screen of the README's "Tour": saved as test/e2e/screenshots/tour-<name>.png, and with
 * OMNICONSOLE_TOUR=1 (`npm run tour`) also as docs/tour/<name>.png, the images the README shows.
 */
export async function tour(page: Page, name: string): Promise<void> {
  await screenshot(page, `tour-${name}`);
  if (process.env.OMNICONSOLE_TOUR === '1') {
    mkdirSync(TOUR_DIR, { recursive: true });
    await page.screenshot({ path: join(TOUR_DIR, `${name}.png`) });
  }
}

/** Saves a full-page screenshot under test/e2e/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/**
 * A signed-in REST client on the platform, used only to arrange data the UI flow starts from (e.g.
 * an agent logged into a queue) and to check what the platform stored.
 */
export async function platformApi(baseUrl: string, login: string, password = DEMO_PASSWORD) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: 'demo', login, password }),
  });
  if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  async function request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const r = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
  return { request };
}
