#!/usr/bin/env node
/**
 * `npm start`: builds with electron-vite and launches Electron. Where the Electron binary is
 * missing (it is downloaded from outside the package registries, which some machines cannot do),
 * says so and starts the browser host instead, so `npm install && npm start` still gives a
 * working console (open the printed URL). The only download it may start is Electron's own binary.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

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
 * site the binary is fetched here, once, the first time the app starts.
 */
function installElectron() {
  try {
    const installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
    console.log('[omniconsole] Fetching the Electron binary (first start)...');
    spawnSync(process.execPath, [installer], { cwd: root, stdio: 'inherit', timeout: 300_000 });
  } catch {
    // Reported below as a missing binary.
  }
  return electronBinary();
}

const electron = electronBinary() ?? installElectron();
if (electron) {
  run(bin('electron-vite'), ['build']);
  // Native modules (better-sqlite3, argon2) must match Electron's ABI: see README (@electron/rebuild).
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('[omniconsole] The Electron binary is not installed and could not be fetched on this machine,');
  console.log('[omniconsole] so the desktop window cannot open. Starting the browser host instead (same services, same UI):');
  run(bin('vite'), ['build', '--config', 'vite.renderer.config.ts']);
  const child = spawn(bin('tsx'), ['src-main/browser-host/cli.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
