/** Sync status line with progress and "Sincronizar agora" (C2); disabled offline with the reason (C1). */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../src-shared/errors';
import { useAge, useLocale, useNow } from '../../ui/format';
import { FRAME_NOTICE_ID, useOnline } from '../session/access';
import { useSyncStore } from './sync-store';
import { useShallow } from 'zustand/react/shallow';

/** Shows when the cache was last synced, a progress bar while syncing, and the sync-now button. */
export function SyncStatusBar() {
  const { t } = useTranslation();
  const age = useAge();
  const now = useNow();
  const locale = useLocale();
  const online = useOnline();
  const { status, requesting, error, load, syncNow, subscribe } = useSyncStore(useShallow((s) => ({ status: s.status, requesting: s.requesting, error: s.error, load: s.load, syncNow: s.syncNow, subscribe: s.subscribe })));

  useEffect(() => {
    const off = subscribe();
    void load();
    return off;
  }, [load, subscribe]);

  const syncing = requesting || status?.state === 'syncing';
  const progress = status?.progress;
  let text: string;
  if (syncing && progress) text = progress.total ? t('sync.progress', { done: progress.done, total: progress.total }) : t('sync.progressUnknown', { done: progress.done });
  else if (syncing) text = t('sync.syncing');
  else if (status?.incomplete) text = t('sync.interrupted');
  else if (status?.lastSyncAt) text = t('sync.lastSync', { age: age(status.lastSyncAt, now) });
  else text = t('sync.never');
  const failure = error ?? (status?.state === 'error' && status.lastError ? status.lastError : null);

  return (
    <div className="sync-status" aria-label={t('sync.label')} role="group">
      <span role="status" className="sync-text">
        {text}
        {status ? (
          <span className="muted">
            {' · '}
            {status.incomplete?.total != null
              ? t('sync.usersOf', { count: status.incomplete.total, n: status.userCount.toLocaleString(locale), total: status.incomplete.total.toLocaleString(locale) })
              : t('sync.users', { count: status.userCount, n: status.userCount.toLocaleString(locale) })}
          </span>
        ) : null}
      </span>
      {syncing && progress?.total ? <progress max={progress.total} value={progress.done} aria-label={t('sync.syncing')} /> : null}
      {failure ? (
        <span className="sync-error" role="alert">
          {t('sync.error', { message: errorMessage(failure.code, locale) })}
        </span>
      ) : null}
      <button type="button" className="button button-small" disabled={!online || syncing} title={!online ? t('reasons.offline') : undefined} aria-describedby={!online ? FRAME_NOTICE_ID : undefined} onClick={() => void syncNow()}>
        {t('sync.now')}
      </button>
    </div>
  );
}

/**
 * Issue 16: while the account's first full sync has not completed (running, or interrupted by a
 * crash or a lost network, offline included), every list and count shows only part of the users.
 * Says so, how much, and since when.
 */
export function IncompleteCacheNotice() {
  const { t } = useTranslation();
  const age = useAge();
  const now = useNow();
  const locale = useLocale();
  const status = useSyncStore((s) => s.status);
  const load = useSyncStore((s) => s.load);
  const subscribe = useSyncStore((s) => s.subscribe);
  useEffect(() => {
    const off = subscribe();
    if (!useSyncStore.getState().status) void load();
    return off;
  }, [load, subscribe]);
  const incomplete = status?.incomplete;
  if (!incomplete) return null;
  const values = { cached: incomplete.cached.toLocaleString(locale), total: incomplete.total?.toLocaleString(locale), age: age(incomplete.since, now) };
  const key = status.state === 'syncing' ? 'running' : 'stopped';
  return (
    <div className="notice notice-warning incomplete-cache" role="note">
      {incomplete.total !== null ? t(`sync.incomplete.${key}`, values) : t(`sync.incomplete.${key}Unknown`, values)}
    </div>
  );
}
