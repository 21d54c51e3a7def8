/**
 * The names of the IPC contract and nothing else (no zod): the sandboxed preload imports only this
 * module, so it stays a few kB. `ipc-contract.ts` gives each name its schemas and checks at compile
 * time that both lists name exactly its operations and events.
 */

/** Every operation `window.consoleApi` offers, in the contract's order. */
export const OPERATION_NAMES = [
  'getSession',
  'getProviders',
  'signIn',
  'signInMicrosoft',
  'listMicrosoftAccounts',
  'cancelMicrosoftSignIn',
  'signOut',
  'forgotPassword',
  'changePassword',
  'searchUsers',
  'getUser',
  'saveUser',
  'createUser',
  'resetPassword',
  'setPassword',
  'getUserAudit',
  'getUserLocalHistory',
  'getUserQueueSessions',
  'listExtensions',
  'assignExtension',
  'releaseExtension',
  'listQueues',
  'createQueue',
  'addQueueMember',
  'removeQueueMember',
  'previewBulk',
  'applyBulk',
  'exportUsersCsv',
  'exportAuditCsv',
  'stageCsvImport',
  'previewCsvImport',
  'applyCsvImport',
  'retryCsvImport',
  'syncNow',
  'getSyncStatus',
  'getSettings',
  'setSettings',
] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

/** Every event main pushes (`onDid…`: something happened). */
export const EVENT_NAMES = ['onDidChangeSyncStatus', 'onDidChangeConnection', 'onDidExpireSession', 'onDidChangeData'] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Prefix of every channel on the Electron IPC (and the browser-host bridge). */
export const CHANNEL_PREFIX = 'omni:';

/** Channel name of an operation or event. */
export const ipcChannel = (name: OperationName | EventName): string => `${CHANNEL_PREFIX}${name}`;
