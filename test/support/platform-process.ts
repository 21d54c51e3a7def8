/**
 * A platform in a process of its own (`src-platform/cli.ts` under tsx), as a deployment runs it:
 * several of them on one PostgreSQL database are the several-instances tests. Started on port 0;
 * resolves once the process prints where it listens. Its stdout/stderr are kept (the JSON log).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A running platform process. */
export interface PlatformProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote so far (stdout then stderr, interleaved as received). */
  output(): string;
  /** Sends a signal and waits for the exit code (SIGTERM: graceful shutdown). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `npm run platform` in a child process with these arguments and environment. */
export async function startPlatformProcess(args: string[], env: Record<string, string> = {}): Promise<PlatformProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src-platform/cli.ts'), '--port', '0', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Platform API:\s+(http:\/\/\S+)\/api\/v1/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`platform process exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
