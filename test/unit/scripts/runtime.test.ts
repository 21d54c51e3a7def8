/**
 * Issue 15: the README's commands work whatever Node the machine has, because every npm script
 * runs on the project's own pinned Node, and where that runtime is missing one line says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies: Record<string, string>;
  allowScripts: Record<string, boolean>;
  scripts: Record<string, string>;
};
const guard = join(root, 'scripts', 'runtime.mjs');

/** The machine's own Node when it is older than the project's (Node 20 on these machines), else null. */
function olderNode(): string | null {
  for (const candidate of ['/usr/bin/node', '/bin/node']) {
    if (!existsSync(candidate)) continue;
    const v = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    if (Number(v.split('.')[0]) < 24) return candidate;
  }
  return null;
}

describe('issue 15: the project runs on its own pinned Node', () => {
  it('one exact version, the optional dependency `node`, agreeing with engines and allowed to install', () => {
    const pinned = pkg.optionalDependencies.node!;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.engines.node).toBe(`>=${pinned.split('.')[0]} <${Number(pinned.split('.')[0]) + 1}`);
    expect(pkg.allowScripts.node).toBe(true);
    // The tests themselves run on it (npm put it first on PATH).
    expect(process.versions.node).toBe(pinned);
  });

  it('the user-facing scripts run the guard first', () => {
    for (const name of ['start', 'test', 'test:unit', 'test:integration', 'test:e2e', 'platform', 'dev:browser', 'bench', 'bench:profile']) {
      expect(pkg.scripts[name], name).toMatch(/^node scripts\/runtime\.mjs && /);
    }
  });

  it('the guard is silent on the project\'s Node', () => {
    const r = spawnSync(process.execPath, [guard], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toBe('');
  });

  const old = olderNode();
  it.skipIf(!old)('on an older Node the guard says in one line what is needed and exits 1 (no crash, no stack trace)', () => {
    const r = spawnSync(old!, [guard], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[omniconsole\] Omniconsole runs on Node 24, and this is Node \d+\.\d+\.\d+: .+\.$/);
  });

  it.skipIf(!old)('start.mjs run directly with an older Node (not through npm) stops with the same one line, before starting anything', () => {
    const r = spawnSync(old!, [join(root, 'scripts', 'start.mjs')], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^\[omniconsole\] Omniconsole runs on Node 24, and this is Node /)]);
  });

  it('every command the READMEs show goes through npm (none calls node, npx or tsx directly)', () => {
    const readmes: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'out') continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name === 'README.md') readmes.push(path);
      }
    };
    walk(root);
    expect(readmes.length).toBeGreaterThan(5);
    const direct: string[] = [];
    for (const file of readmes) {
      const text = readFileSync(file, 'utf8');
      // Inline commands and lines of shell blocks.
      const commands = [...text.matchAll(/`([^`\n]+)`/g)]
        .map((m) => m[1]!)
        .concat(text.split('\n'))
        .flatMap((c) => c.split(/&&|;|\|\|/));
      for (const c of commands) if (/^\s*\(?(node|npx|tsx)\s+\S/.test(c)) direct.push(`${file.slice(root.length + 1)}: ${c.trim()}`);
    }
    expect(direct).toEqual([]);
  });
});
