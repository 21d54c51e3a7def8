/**
 * The composition root of the console's main process: builds every service with constructor
 * injection (no module singletons), so the same graph runs under Electron, under Node tests and in
 * the browser host. With no `platformUrl` it starts the embedded platform (C4).
 */
import type { Locale } from '../src-shared/errors';
import { LOCALES } from '../src-shared/errors';
import { AuthService } from './auth/auth-service';
import type { MicrosoftSignIn } from './auth/microsoft-sign-in';
import { MsalMicrosoftSignIn } from './auth/microsoft/msal-sign-in';
import type { SecretStore } from './auth/secret-store';
import type { WorkerEntry } from './cache/cache-filler';
import { ConsoleCache } from './cache/console-cache';
import { EventBus } from './events/event-bus';
import { createHandlers } from './ipc/handlers';
import { IpcRouter } from './ipc/router';
import { startEmbeddedPlatform, type EmbeddedPlatform } from './platform/embedded-platform';
import { PlatformClient } from './platform/platform-client';
import { DirectoryService } from './services/directory-service';
import { BulkService } from './services/bulk-service';
import { CsvService } from './services/csv-service';
import { CsvImportService } from './services/csv-import-service';
import { ConnectionMonitor } from './sync/connection-monitor';
import { SyncService } from './sync/sync-service';

export interface ComposeOptions {
  /** The console's data folder (cache file, embedded platform data). */
  dataDir: string;
  /** The platform's origin; absent → start the embedded platform (C4). */
  platformUrl?: string | undefined;
  secretStore: SecretStore;
  now?: () => Date;
  /** Background sync period (default 60 s; 0 disables the timer). */
  syncIntervalMs?: number;
  /** Users per sync page (default 1 000, the platform's maximum). */
  syncPageSize?: number;
  /** Users per committed batch of a first fill (default 2 000; an interrupted fill resumes from the last one). */
  syncFillBatch?: number;
  /** The WAL size from which a sync's end asks the checkpointer (tests set 0; see SyncService). */
  syncCheckpointFromBytes?: number;
  /** Probe period while offline (default 2 s). */
  probeIntervalMs?: number;
  /** Probe period while online (default 2 s; 0 disables): C1, a platform that went away is noticed within 5 s. */
  heartbeatIntervalMs?: number;
  /** Platform request timeout (default 10 s). */
  requestTimeoutMs?: number;
  /** Backoff of the client's retries (default 250 ms). */
  retryBackoffMs?: number;
  microsoftSignIn?: MicrosoftSignIn | undefined;
  /** Opens the system browser (Electron: `shell.openExternal`); with it, Microsoft sign-in uses MSAL. */
  openBrowser?: ((url: string) => Promise<void>) | undefined;
  /** Extra CA (PEM) trusted for the Microsoft authority: a local test provider or a TLS proxy. */
  microsoftCa?: string | string[] | undefined;
  /** The cache's fill worker entry (default: next to the cache module; see cache/cache-filler.ts). */
  fillWorker?: WorkerEntry | undefined;
  /** Where unexpected errors go (default: console.error). */
  logError?: (err: unknown, context: string) => void;
}

/** The console's services, as built by `compose()`. */
export interface ConsoleServices {
  auth: AuthService;
  directory: DirectoryService;
  sync: SyncService;
  client: PlatformClient;
  cache: ConsoleCache;
  connection: ConnectionMonitor;
  /** The embedded platform, when one was started. */
  embeddedPlatform: EmbeddedPlatform | null;
  platformUrl: string;
}

/** What the transports (Electron IPC, browser host) need. */
export interface ComposedConsole {
  router: IpcRouter;
  events: EventBus;
  services: ConsoleServices;
  dispose(): Promise<void>;
}

const LOCALE_KEY = 'settings.locale';

/** Builds and starts the console's services; restores the stored session (online or offline). */
export async function compose(opts: ComposeOptions): Promise<ComposedConsole> {
  const now = opts.now ?? (() => new Date());
  const logError = opts.logError ?? ((err: unknown, context: string) => console.error(`[omniconsole] ${context}:`, err));
  const embeddedPlatform = opts.platformUrl ? null : await startEmbeddedPlatform(opts.dataDir);
  const platformUrl = opts.platformUrl ?? embeddedPlatform!.url;

  const cache = await openCache(opts.dataDir, now, embeddedPlatform);
  if (cache.recovery) logError(new Error(`cache file set aside (${cache.recovery.reason}) to ${cache.recovery.movedTo}`), 'cache');
  const events = new EventBus();
  const settings = {
    get: (): Locale => {
      const v = cache.getMeta(LOCALE_KEY);
      return (LOCALES as readonly string[]).includes(v ?? '') ? (v as Locale) : 'pt-BR';
    },
    set: (locale: Locale) => cache.setMeta(LOCALE_KEY, locale),
  };

  // Built in dependency order; the client's events, the connection's and the session's are
  // subscribed to, so nothing is bound late.
  const client = new PlatformClient({
    baseUrl: platformUrl,
    locale: settings.get,
    ...(opts.requestTimeoutMs ? { timeoutMs: opts.requestTimeoutMs } : {}),
    ...(opts.retryBackoffMs !== undefined ? { backoffMs: opts.retryBackoffMs } : {}),
  });
  const connection = new ConnectionMonitor({
    events,
    now,
    client,
    ...(opts.probeIntervalMs ? { probeIntervalMs: opts.probeIntervalMs } : {}),
    ...(opts.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: opts.heartbeatIntervalMs } : {}),
  });
  // C6: the cache keys data by platform and account. The embedded platform's port changes at every
  // start; its data folder does not.
  const platformKey = opts.platformUrl ? new URL(opts.platformUrl).origin : 'embedded';
  const auth = new AuthService({
    client,
    secretStore: opts.secretStore,
    cache,
    events,
    connection,
    platformUrl,
    platformKey,
    microsoftSignIn:
      opts.microsoftSignIn ??
      (opts.openBrowser ? new MsalMicrosoftSignIn({
            secretStore: opts.secretStore,
            openBrowser: opts.openBrowser,
            ca: opts.microsoftCa,
            // No OS keychain: the Microsoft tokens live for this run only (issue 9 class 13).
            onStoreError: (err) => logError(err, 'persist Microsoft token cache'),
          }) : undefined),
    logError,
  });
  const sync = new SyncService({
    client,
    cache,
    events,
    connection,
    now,
    accountKey: () => auth.accountKey(),
    passwordChangePending: () => auth.currentUser?.mustChangePassword === true,
    locale: settings.get,
    logError,
    ...(opts.syncIntervalMs !== undefined ? { intervalMs: opts.syncIntervalMs } : {}),
    ...(opts.syncPageSize ? { pageSize: opts.syncPageSize } : {}),
    fillWorker: opts.fillWorker,
    ...(opts.syncFillBatch ? { fillBatch: opts.syncFillBatch } : {}),
    ...(opts.syncCheckpointFromBytes !== undefined ? { checkpointFromBytes: opts.syncCheckpointFromBytes } : {}),
  });
  // Syncing runs while the session may work (signed in, password final).
  auth.onActiveChange((active) => (active ? sync.start() : sync.stop()));
  const directory = new DirectoryService({ client, cache, events, accountKey: () => auth.requireAccountKey() });
  const bulk = new BulkService({ client, cache, events, accountKey: () => auth.requireAccountKey(), profile: () => auth.currentUser?.profile ?? null });
  const csv = new CsvService({ client, cache, accountKey: () => auth.requireAccountKey(), locale: settings.get });
  const csvImport = new CsvImportService({ client, cache, events, accountKey: () => auth.requireAccountKey(), profile: () => auth.currentUser?.profile ?? null });
  const router = new IpcRouter({
    handlers: createHandlers({ auth, directory, bulk, csv, csvImport, sync, client, settings, cache, connection }),
    isOnline: () => connection.online,
    locale: settings.get,
    logError: (err, op) => logError(err, `ipc ${op}`),
  });

  try {
    await auth.restore();
  } catch (err) {
    logError(err, 'restore session');
  }

  let disposed = false;
  return {
    router,
    events,
    services: { auth, directory, sync, client, cache, connection, embeddedPlatform, platformUrl },
    async dispose() {
      if (disposed) return;
      disposed = true;
      connection.dispose();
      await sync.dispose();
      cache.close();
      await embeddedPlatform?.close();
    },
  };
}

/** Opens the cache; when it cannot be opened (e.g. an unwritable data folder), the embedded platform is closed too. */
async function openCache(dataDir: string, now: () => Date, embeddedPlatform: EmbeddedPlatform | null): Promise<ConsoleCache> {
  try {
    return new ConsoleCache(dataDir, { now });
  } catch (err) {
    await embeddedPlatform?.close();
    throw err;
  }
}
