#!/usr/bin/env node
/**
 * `npm start`: builds with electron-vite and launches Electron. Where the Electron binary is
 * missing (it is downloaded from outside the package registries, which some machines cannot do),
 * says so and starts the browser host instead, so `npm install && npm start` still gives a
 * working console (open the printed URL). Never downloads anything.
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

const electron = electronBinary();
if (electron) {
  run(bin('electron-vite'), ['build']);
  // Native modules (better-sqlite3, argon2) must match Electron's ABI: see README (@electron/rebuild).
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('[omniconsole] The Electron binary is not installed on this machine (node_modules/electron/dist is missing),');
  console.log('[omniconsole] so the desktop window cannot open. Starting the browser host instead (same services, same UI):');
  run(bin('vite'), ['build', '--config', 'vite.renderer.config.ts']);
  const child = spawn(bin('tsx'), ['src-main/browser-host/cli.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
