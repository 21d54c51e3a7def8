/**
 * The console side of the benchmarks: `compose()` exactly as the app builds it (no background timer,
 * quiet logs) and calls through the real IPC router as the browser host's trusted sender.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemorySecretStore, type SecretStore } from '../src-main/auth/secret-store';
import type { WorkerEntry } from '../src-main/cache/cache-filler';
import { compose, type ComposedConsole } from '../src-main/compose';
import type { OperationInput, OperationName, OperationOutput } from '../src-shared/ipc-contract';
import { BENCH_LOGIN, ROOT } from './fixture';

/** The sender the browser host uses after its socket presented the secret. */
const TRUSTED_SENDER = { kind: 'browser-host', authenticated: true } as const;

let fillWorker: Promise<WorkerEntry> | null = null;

/**
 * The fill worker bundled like the app's build (electron-vite emits it as its own entry): the
 * bench runs the console from source under tsx, whose loader would otherwise compile the worker's
 * modules at every start (1-3 s here), a cost the built app never pays.
 */
function bundledFillWorker(): Promise<WorkerEntry> {
  fillWorker ??= (async () => {
    const { build } = await import('esbuild');
    // Inside the repository, so the bundle's bare imports resolve to its node_modules.
    const outDir = join(ROOT, 'bench', '.out', `fill-worker-${process.pid}`);
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    await build({
      entryPoints: { 'fill-worker': join(ROOT, 'src-main', 'cache', 'fill-worker.ts') },
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      // As rollup does for the app: the schema the parser imports on first need is a chunk of its own.
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      packages: 'external',
      logLevel: 'error',
    });
    return { url: pathToFileURL(join(outDir, 'fill-worker.mjs')), execArgv: [] };
  })();
  return fillWorker;
}

/** Builds a console over `dataDir` talking to the platform at `platformUrl`. */
export async function openConsole(platformUrl: string, dataDir: string, secretStore: SecretStore = new MemorySecretStore()): Promise<ComposedConsole> {
  const worker = import.meta.url.endsWith('.ts') ? await bundledFillWorker() : undefined;
  return compose({
    fillWorker: worker,
    dataDir,
    platformUrl,
    secretStore,
    syncIntervalMs: 0,
    requestTimeoutMs: 60_000,
    logError: (err, context) => console.error(`[bench] ${context}:`, err),
  });
}

/** Calls one operation through the router (the IPC handler's path); throws on a failed result. */
export async function call<N extends OperationName>(c: ComposedConsole, name: N, input: OperationInput<N>): Promise<OperationOutput<N>> {
  const result = await c.router.handle(TRUSTED_SENDER, name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
  return result.value as OperationOutput<N>;
}

/** Signs in (which starts the first sync) and waits for that sync to finish. */
export async function signInAndSync(c: ComposedConsole): Promise<OperationOutput<'syncNow'>> {
  await call(c, 'signIn', BENCH_LOGIN);
  // syncNow joins the sync that sign-in started.
  const status = await call(c, 'syncNow', {});
  if (status.state !== 'idle' || status.lastError) throw new Error(`sync ended in ${status.state}: ${JSON.stringify(status.lastError)}`);
  // And the work it left behind (a first fill's users' key index): what follows starts from the steady state.
  await c.services.sync.settled();
  return status;
}
