/** Issue 13 (newcomers): every command-line entry answers --help with its options, and a wrong flag with the problem, never a stack trace. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = (entry: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

describe.concurrent('command-line entries', () => {
  it.each([
    ['npm run platform', 'src-platform/cli.ts', ['--demo', '--port', '--agent-login-url', '--mail-retention-days', '--audit-retention-days', '--housekeeping-minutes', '--mail-poll-seconds', '--mail-lease-seconds']],
    ['the browser host', 'src-main/browser-host/cli.ts', ['--platform-url', '--data-dir', 'autogerenciada', 'Microsoft']],
    ['npm run bench', 'bench/run.ts', ['--users', '--only']],
  ])('%s answers --help with its options and exits 0', (_name, entry, options) => {
    const result = run(entry, '--help');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: /);
    for (const option of options) expect(result.stdout).toContain(option);
  }, 60_000);

  it.each(['src-platform/cli.ts', 'src-main/browser-host/cli.ts', 'bench/run.ts'])('%s: an unknown flag is a clear message and the usage, exit 2, no stack trace', (entry) => {
    const result = run(entry, '--no-such-flag');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--no-such-flag'/);
    expect(result.stderr).toContain('Usage: ');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('issue 16.3, issue 12: a retention or mail flag that is not a whole number is refused with the reason, exit 2, before anything starts', () => {
    for (const [flag, value] of [['--mail-retention-days', '0'], ['--audit-retention-days', 'sete'], ['--housekeeping-minutes', '-1'], ['--mail-lease-seconds', '0'], ['--mail-poll-seconds', 'x']]) {
      const result = run('src-platform/cli.ts', `${flag}=${value}`);
      expect(result.status, `${flag}=${value}`).toBe(2);
      expect(result.stderr).toContain(`${flag} must be a whole number`);
      expect(result.stdout).not.toContain('Platform API');
    }
  }, 60_000);
});
