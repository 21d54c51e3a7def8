/**
 * The console side of the benchmarks: `compose()` exactly as the app builds it (no background timer,
 * quiet logs) and calls through the real IPC router as the browser host's trusted sender.
 */
import { MemorySecretStore, type SecretStore } from '../src-main/auth/secret-store';
import { compose, type ComposedConsole } from '../src-main/compose';
import type { OperationInput, OperationName, OperationOutput } from '../src-shared/ipc-contract';
import { BENCH_LOGIN } from './fixture';

/** The sender the browser host uses after its socket presented the secret. */
const TRUSTED_SENDER = { kind: 'browser-host', authenticated: true } as const;

/** Builds a console over `dataDir` talking to the platform at `platformUrl`. */
export function openConsole(platformUrl: string, dataDir: string, secretStore: SecretStore = new MemorySecretStore()): Promise<ComposedConsole> {
  return compose({
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
  return status;
}
