#!/usr/bin/env node
/**
 * `npm start`: builds with electron-vite and launches Electron. Where the Electron binary is
 * missing (it is downloaded from outside the package registries, which some machines cannot do),
 * says so and starts the browser host instead, so `npm install && npm start` still gives a
 * working console (open the printed URL). The only download it may start is Electron's own binary.
 */
// First: on any Node but the project's, say what is needed in one line and stop (also when run directly).
import './runtime.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
/**
 * The settings the app launches with, from src-main/shell/launch-settings.ts (a packaged start
 * without them relaunches itself with them; loaded here by Node's own type stripping, after the
 * runtime check above, so an older Node still gets its one line):
 * - V8: a young generation of 4 MB semi-spaces (the same as `dev:browser` and the memory
 *   benchmark's child). The main thread allocates little once the fill worker parses the sync (the
 *   worker keeps a larger one, see cache-filler.ts), and V8 keeps a grown young generation
 *   resident: 16 MB measured about 280 MB after a 100 000-user sync, 4 MB about 220 MB.
 * - glibc's malloc keeps one arena per thread that allocates, and the fill worker's SQLite leaves
 *   its arena's pages resident after the worker ends. Two arenas measured 7-15 MB less RSS after a
 *   working session at 100 000 users than the default (8 per core), with no slower sync (issue 10).
 *   A fixed mmap threshold (128 kB, glibc's default start) keeps every large block (the sync's
 *   pages, ~0.5 MB, and the rows the fill's parser hands its writer) in its own mapping, returned
 *   when freed: glibc otherwise raises the threshold after the first such free and serves later
 *   blocks from an arena that stays resident (232-238 MB after a 100 000-user sync with it, 244-256
 *   MB without). Values already in the environment win; other C libraries ignore them.
 */
// (A dynamic import, not top-level await: an old Node must parse this file to reach the check.)
import('../src-main/shell/launch-settings.ts').then(
  ({ LAUNCH_V8_FLAGS, LAUNCH_MALLOC_ENV, LAUNCHED_MARK }) => launch([...LAUNCH_V8_FLAGS], { ...LAUNCH_MALLOC_ENV, ...process.env, [LAUNCHED_MARK]: '1' }),
  (err) => {
    console.error(`[omniconsole] cannot read src-main/shell/launch-settings.ts: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * npm no longer runs Electron's install script, so on a machine that can reach Electron's download
 * site the binary is fetched here, once, the first time the app starts. Its output is kept: where
 * the download fails, the reason goes into one line (below), not a stack trace.
 */
function installElectron() {
  let installer;
  try {
    installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return { exe: null, why: 'the electron package is not installed (run npm install)' };
  }
  console.log('[omniconsole] Fetching the Electron binary (first start)...');
  const r = spawnSync(process.execPath, [installer], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  const exe = electronBinary();
  if (exe) return { exe, why: '' };
  return { exe: null, why: downloadFailure(r) };
}

/** The download's failure in a few words: the error line Electron's installer printed, or what stopped it. */
function downloadFailure(r) {
  if (r.error?.code === 'ETIMEDOUT') return 'the download took over 5 minutes';
  if (r.error) return r.error.message;
  const lines = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /\b(Error|ENOTFOUND|ECONN\w+|EAI_AGAIN|ETIMEDOUT|HTTPError|fetch failed)\b/.test(l)) ?? lines[0];
  if (!line) return `its download failed (the installer exited with ${r.status ?? r.signal})`;
  const unreachable = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH/.test(line);
  return `its download failed: ${line.replace(/^\w*Error: /, '').slice(0, 160)}${unreachable ? ", Electron's download site cannot be reached from here" : ''}`;
}

/** Starts Electron (or the browser host) with these V8 flags and this environment. */
function launch(V8_FLAGS, LAUNCH_ENV) {
  const found = electronBinary();
  const { exe: electron, why } = found ? { exe: found, why: '' } : installElectron();
  if (electron) {
    run(bin('electron-vite'), ['build']);
    // better-sqlite3 and argon2 are Node-API addons: the same files load in Electron (README).
    // V8 flags for the main process must be given at launch (issue 10): 4 MB semi-spaces keep RSS
    // after the first sync near the live data instead of ~100 MB of reserve.
    const child = spawn(electron, [`--js-flags=${V8_FLAGS.join(' ')}`, '.'], { cwd: root, stdio: 'inherit', env: LAUNCH_ENV });
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    console.log(`[omniconsole] No desktop window: the Electron binary is missing (${why}). Starting the browser host instead, the same console in a browser (open the URL below).`);
    run(bin('vite'), ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn']);
    const child = spawn(process.execPath, [...V8_FLAGS, '--import', 'tsx', 'src-main/browser-host/cli.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env: LAUNCH_ENV });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
