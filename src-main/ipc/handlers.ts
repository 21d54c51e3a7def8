/** Binds every contract operation to the service that performs it (the router calls these). */
import type { Locale } from '../../src-shared/errors';
import type { AuthService } from '../auth/auth-service';
import type { ConsoleCache } from '../cache/console-cache';
import type { PlatformClient } from '../platform/platform-client';
import type { BulkService } from '../services/bulk-service';
import type { CsvService } from '../services/csv-service';
import type { CsvImportService } from '../services/csv-import-service';
import type { DirectoryService } from '../services/directory-service';
import type { ConnectionMonitor } from '../sync/connection-monitor';
import type { SyncService } from '../sync/sync-service';
import type { OperationHandlers } from './router';

export interface HandlerDeps {
  auth: AuthService;
  directory: DirectoryService;
  bulk: BulkService;
  csv: CsvService;
  csvImport: CsvImportService;
  sync: SyncService;
  client: PlatformClient;
  settings: { get(): Locale; set(locale: Locale): void };
  cache: ConsoleCache;
  /** C1: a (re)loaded console asks whether the platform answers before showing the session. */
  connection?: Pick<ConnectionMonitor, 'recheck'>;
}

/** The operation table. Each handler receives input already parsed by the contract's schema. */
export function createHandlers({ auth, directory, bulk, csv, csvImport, sync, client, settings, connection }: HandlerDeps): OperationHandlers {
  const signedIn = () => auth.requireAccountKey();
  return {
    getSession: async () => {
      // C1: a reload re-checks the platform at once instead of trusting the last observation.
      await connection?.recheck();
      return auth.getSession();
    },
    getProviders: ({ account }) => client.providers(account),
    signIn: (input) => auth.signIn(input),
    signInMicrosoft: ({ account, homeAccountId }) => auth.signInMicrosoft(account, homeAccountId),
    listMicrosoftAccounts: async ({ account }) => ({ accounts: await auth.microsoftAccounts(account) }),
    cancelMicrosoftSignIn: async () => {
      auth.cancelMicrosoftSignIn();
      return { ok: true as const };
    },
    signOut: async ({ removeCachedData }) => {
      await auth.signOut({ removeCachedData });
      return { ok: true as const };
    },
    changePassword: (input) => auth.changePassword(input),
    forgotPassword: async (input) => {
      await client.forgotPassword(input);
      return { ok: true as const };
    },
    searchUsers: async (input) => (signedIn(), directory.searchUsers(input)),
    getUser: async ({ id }) => (signedIn(), directory.getUser(id)),
    saveUser: async (input) => (signedIn(), directory.saveUser(input)),
    createUser: async (input) => (signedIn(), directory.createUser(input)),
    resetPassword: async ({ id }) => (signedIn(), directory.resetPassword(id)),
    setPassword: async (input) => (signedIn(), directory.setPassword(input)),
    getUserAudit: async ({ id }) => (signedIn(), directory.getUserAudit(id)),
    getUserLocalHistory: async ({ id }) => (signedIn(), directory.getUserLocalHistory(id)),
    getUserQueueSessions: async ({ id }) => (signedIn(), directory.getUserQueueSessions(id)),
    listExtensions: async () => (signedIn(), directory.listExtensions()),
    assignExtension: async ({ userId, extensionId }) => (signedIn(), directory.assignExtension(userId, extensionId)),
    releaseExtension: async ({ userId }) => (signedIn(), directory.releaseExtension(userId)),
    listQueues: async () => (signedIn(), directory.listQueues()),
    createQueue: async (input) => (signedIn(), directory.createQueue(input)),
    addQueueMember: async ({ queueId, userId }) => (signedIn(), directory.addQueueMember(queueId, userId)),
    removeQueueMember: async ({ queueId, userId }) => (signedIn(), directory.removeQueueMember(queueId, userId)),
    previewBulk: async ({ target, action }) => (signedIn(), bulk.preview(target, action)),
    applyBulk: async ({ action, users, confirmQueueLogout }) => (signedIn(), bulk.apply(action, users, confirmQueueLogout)),
    exportUsersCsv: async (input) => (signedIn(), csv.exportUsers(input)),
    exportAuditCsv: async (input) => (signedIn(), csv.exportAudit(input)),
    stageCsvImport: async (input) => (signedIn(), csvImport.stage(input)),
    previewCsvImport: async ({ importId }) => (signedIn(), csvImport.preview(importId)),
    applyCsvImport: async ({ importId, confirmQueueLogout }) => (signedIn(), csvImport.apply(importId, confirmQueueLogout)),
    retryCsvImport: async ({ importId }) => (signedIn(), csvImport.retryFailed(importId)),
    syncNow: async () => (signedIn(), sync.syncNow()),
    getSyncStatus: async () => sync.status(),
    getSettings: async () => ({ locale: settings.get() }),
    setSettings: async ({ locale }) => {
      settings.set(locale);
      return { locale };
    },
  };
}
