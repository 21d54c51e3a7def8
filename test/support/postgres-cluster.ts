/**
 * A throwaway PostgreSQL cluster of Debian's PostgreSQL (`/usr/lib/postgresql/<v>/bin`) in a temp
 * folder on a free port, with durability off (tests and benchmarks only), removed by `stop()`.
 * Used by the `integration-pg` project's global setup and by `npm run bench`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The newest installed PostgreSQL's bin folder, or null when none is installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A running temporary cluster: `url` names its `postgres` database as the `postgres` superuser. */
export interface TemporaryPostgres {
  url: string;
  /** The URL of another database of this cluster (created with `createDatabase`). */
  urlOf(database: string): string;
  createDatabase(name: string): void;
  stop(): void;
}

/** Starts a cluster (initdb + pg_ctl); throws when PostgreSQL is not installed (see `postgresBin`). */
export async function startTemporaryPostgres(options: { prefix?: string; settings?: string[] } = {}): Promise<TemporaryPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error("PostgreSQL not found: install Debian's postgresql package");
  const dir = mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'omni-pg-'));
  chmodSync(dir, 0o777);
  // initdb refuses to run as root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  const command = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args]);
  const run = (cmd: string, args: string[]) => execFileSync(...command(cmd, args), { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
    ...(options.settings ?? []).map((s) => `-c ${s}`),
  ].join(' ');
  run('pg_ctl', ['-D', data, '-o', settings, '-l', path.join(dir, 'log'), '-w', 'start']);
  const urlOf = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'),
    urlOf,
    createDatabase(name) {
      run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', name]);
    },
    stop() {
      const [cmd, args] = command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      const stopped = spawnSync(cmd, args);
      if (stopped.status !== 0) console.error(`pg_ctl stop failed: ${String(stopped.stderr)}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
