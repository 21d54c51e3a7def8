/**
 * The benchmarks' shared world: a real platform on 127.0.0.1 (random port) over a SQLite file in a
 * temp folder, in its own process (`platform-child.ts`), with the demo account plus N generated
 * agents; a bearer token; and the floor of a sync (the same pages fetched and `JSON.parse`d).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The demo account's administrator the benchmarks sign in as. */
export const BENCH_LOGIN = { account: 'demo', login: 'admin', password: 'Girassol-Pesqueiro-93' } as const;

/** The repository root (bench/..). */
export const ROOT = join(import.meta.dirname, '..');

/** A running benchmark platform. */
export interface BenchPlatform {
  url: string;
  dir: string;
  dbFile: string;
  /** The platform process (for its RSS, or to profile it). */
  pid: number;
  /** Users in the demo account (seeded + generated). */
  userCount: number;
  /** An administrator's bearer token. */
  token: string;
  /** A fresh temp folder under this platform's folder (removed by `stop`). */
  tempDir(name: string): string;
  stop(): Promise<void>;
}

/** Signs in over HTTP and returns the bearer token. */
export async function signInToken(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_LOGIN),
  });
  if (res.status !== 200) throw new Error(`bench sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** Spawns `node --import tsx <script> ...args` from the repository root. */
export function spawnTsx(script: string, args: string[], extraNodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...extraNodeArgs, '--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

/** The first stdout line of a child, parsed as JSON (rejects if it exits first). */
export function firstJsonLine<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`${what} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${what} printed ${line}`));
      }
    });
  });
}

/** Starts a platform process with the demo seed and `users` generated agents. */
export async function startBenchPlatform(users: number): Promise<BenchPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'omni-bench-'));
  const child = spawnTsx('bench/platform-child.ts', [dir, String(users)]);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = async () => {
    if (child.exitCode === null) {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ready = await firstJsonLine<{ url: string; dbFile: string; userCount: number }>(child, 'platform');
    const token = await signInToken(ready.url);
    let temps = 0;
    return {
      ...ready,
      dir,
      pid: child.pid!,
      token,
      tempDir: (name) => mkdtempSync(join(dir, `${name}-${temps++}-`)),
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** One sync page as the platform sends it (only what the floor reads). */
interface UsersPage {
  items: Array<{ id: string }>;
  cursor: string;
  hasMore: boolean;
}

/**
 * The floor of a sync: every page from `since` (or all) with the same page size, fetched and
 * parsed, nothing stored. Returns the number of users and the final cursor.
 */
export async function fetchAllPages(url: string, token: string, pageSize: number, since?: string): Promise<{ users: number; cursor: string | undefined }> {
  let cursor = since;
  let users = 0;
  for (;;) {
    const qs = new URLSearchParams({ limit: String(pageSize), ...(cursor ? { since: cursor } : {}) });
    const res = await fetch(`${url}/api/v1/users?${qs}`, { headers: { authorization: `Bearer ${token}`, 'accept-language': 'pt-BR' } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`list users: ${res.status} ${text.slice(0, 200)}`);
    const page = JSON.parse(text) as UsersPage;
    users += page.items.length;
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return { users, cursor };
}
