/**
 * Issue 14 (desktop shell), without launching or downloading Electron:
 * - the packaging config (electron-builder.json) is valid for electron-builder and says what the
 *   packaged app must be (deb, AppImage, NSIS, dmg; asar with the `.node` files unpacked; fuses);
 * - the sandboxed preload `npm test` built (electron-vite) is a few kB of names, without zod;
 * - every native addon the app loads is a Node-API addon (exports `napi_register_module_v1`,
 *   imports no V8 or Node internals), so the same file loads in Electron without a rebuild.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';

const root = resolve(import.meta.dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };

async function loadConfig(): Promise<Configuration> {
  return getConfig(root, 'electron-builder.json', null);
}

/** Converts an electron-builder `files` glob to a RegExp (enough for the patterns we use). */
function globToRegExp(glob: string): RegExp {
  const re = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*\//g, '<globstar>')
    .replace(/\*\*/g, '.*')
    .replace(/\*/g, '[^/]*')
    .replace(/<globstar>/g, '(?:.*/)?');
  return new RegExp(`^${re}$`);
}

/** Whether the config's `files` patterns (with `!` exclusions, in order) include a path. */
function included(files: string[], path: string): boolean {
  let yes = false;
  for (const pattern of files) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(path)) yes = false;
    } else if (globToRegExp(pattern).test(path)) yes = true;
  }
  return yes;
}

describe('packaging config (electron-builder.json)', () => {
  it('is valid for the pinned electron-builder, and a wrong key is refused (no download)', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, asarr: true } as Configuration, new DebugLogger(false))).rejects.toThrow(/asarr/);
  });

  it('one config for deb, AppImage, NSIS and dmg; asar with the native addons unpacked; no rebuild', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['deb', 'AppImage']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    // Node-API addons load in Electron as built (see the native addons test below).
    expect(config.npmRebuild).toBe(false);
  });

  it('Electron fuses: no RunAsNode, no NODE_OPTIONS, no CLI inspect, app only from an integrity-checked asar, cookies encrypted', async () => {
    const config = await loadConfig();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
  });

  it('packs the built bundles and the entry point, not sources, tests, data or source maps', async () => {
    // electron-builder normalises `files` to file sets ({ filter: [...] }).
    const sets = [(await loadConfig()).files].flat() as Array<string | { filter?: string | string[] }>;
    const files = sets.flatMap((set) => (typeof set === 'string' ? [set] : [set.filter ?? []].flat()));
    expect(files.length).toBeGreaterThan(0);
    for (const path of [pkg.main, 'out/preload/preload.cjs', 'out/renderer/index.html', 'out/renderer/assets/index-x.js', 'package.json']) {
      expect(included(files, path), path).toBe(true);
    }
    for (const path of ['src-main/main.ts', 'src-platform/index.ts', 'test/e2e/x.test.ts', '.data/browser-host/cache.sqlite', 'out/renderer/assets/index-x.js.map', 'bench/run.ts']) {
      expect(included(files, path), path).toBe(false);
    }
  });
});

describe('built Electron bundles (npm test runs electron-vite build first)', () => {
  const preload = join(root, 'out/preload/preload.cjs');

  it('the sandboxed preload is a few kB of channel names, without zod', () => {
    expect(existsSync(preload), 'out/preload is missing: run npm run build').toBe(true);
    const source = readFileSync(preload, 'utf8');
    expect(statSync(preload).size).toBeLessThan(10_000);
    expect(source).not.toMatch(/ZodError|safeParse|_zod\b/);
    expect(source).toContain('omni:');
    expect(existsSync(join(root, pkg.main))).toBe(true);
  });
});

/** Packages the app ships: the production dependency closure of package-lock.json. */
function productionPackageDirs(): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, meta]) => path.startsWith('node_modules/') && !meta.dev && !meta.devOptional)
    .map(([path]) => join(root, path))
    .filter((dir) => existsSync(dir));
}

function nodeFilesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') nodeFilesUnder(path, out);
    else if (entry.isFile() && entry.name.endsWith('.node')) out.push(path);
  }
  return out;
}

/** True for an ELF file of this machine's architecture (x86-64), which this machine's `nm` reads. */
function isNativeElf(file: string): boolean {
  const head = readFileSync(file).subarray(0, 20);
  return head.subarray(0, 4).toString('latin1') === '\x7fELF' && head.readUInt16LE(18) === (process.arch === 'arm64' ? 183 : 62);
}

/** The `.node` files a Node process maps after loading the app's native modules (Linux /proc). */
function addonsTheAppLoads(): string[] {
  const script = `
    const Database = require('better-sqlite3');
    const argon2 = require('argon2');
    new Database(':memory:').prepare('select 1').get();
    argon2.hash('x', { memoryCost: 1024, timeCost: 2 }).then(() => {
      const maps = require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n');
      console.log(JSON.stringify([...new Set(maps.map((l) => l.split(/\\s+/).pop()).filter((p) => p && p.endsWith('.node')))]));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as string[];
}

/** Dynamic symbols of an ELF file: those it defines and those it imports. */
function dynamicSymbols(file: string): { defined: string[]; undefined: string[] } {
  const list = (flag: string) =>
    execFileSync('nm', ['-D', flag, file], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/).pop() ?? '')
      .filter(Boolean);
  return { defined: list('--defined-only'), undefined: list('--undefined-only') };
}

describe.skipIf(process.platform !== 'linux')('native addons are Node-API (load in Electron without a rebuild)', () => {
  it('every .node file the app loads, and every one it ships for this machine, exports napi_register_module_v1 and imports no V8/Node internals', () => {
    const loaded = addonsTheAppLoads();
    expect(loaded.some((f) => f.includes('better-sqlite3'))).toBe(true);
    expect(loaded.some((f) => f.includes('argon2'))).toBe(true);
    const shipped = productionPackageDirs().flatMap((dir) => nodeFilesUnder(dir)).filter(isNativeElf);
    const files = [...new Set([...loaded, ...shipped])];
    for (const file of files) {
      const { defined, undefined: imported } = dynamicSymbols(file);
      expect(defined, file).toContain('napi_register_module_v1');
      // C++ V8 / Node symbols (_ZN2v8…, _ZN4node…) or the pre-N-API registration tie an addon to one ABI.
      expect(imported.filter((s) => /^_ZN2v8|^_ZN4node|^node_module_register/.test(s)), file).toEqual([]);
    }
  });
});
