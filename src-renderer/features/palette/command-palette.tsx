/**
 * The command palette (issue 11): Ctrl+K (Cmd+K on macOS) from any screen; type to jump to a user
 * (the console's local search over the cache, works offline), a queue, a screen or an action;
 * arrows and Enter, Escape closes and gives focus back. cmdk does the combobox (listbox, options,
 * active descendant, arrow keys); this file only opens it as a modal dialog and says what each
 * entry does.
 */
import { Command } from 'cmdk';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { permissions } from '../../../src-shared/domain';
import type { UserRow } from '../../../src-shared/ipc-contract';
import { call } from '../../api';
import { focusScreenTitle } from '../../ui/focus';
import { queuesOfKind, useQueues } from '../queues/queues-store';
import { useSessionStore } from '../session/session-store';
import { useNavigationStore, type Route } from '../shell/navigation-store';
import { useSyncStore } from '../sync-status/sync-store';
import { matchEntries, type PaletteEntry } from './palette-items';
import { usePaletteStore } from './palette-store';

const GROUPS: PaletteEntry['group'][] = ['users', 'screens', 'queues', 'actions'];
/** Users shown for a query (the rest: refine the query, or the users screen). */
const USER_LIMIT = 8;

/** Opens the palette on Ctrl/Cmd+K anywhere in the signed-in frame. */
export function usePaletteShortcut(): void {
  const toggle = usePaletteStore((s) => s.toggle);
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
        e.preventDefault();
        toggle();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [toggle]);
}

/** The palette dialog (rendered while open). */
export function CommandPalette({ onSignOut }: { onSignOut(): void }) {
  const open = usePaletteStore((s) => s.open);
  return open ? <PaletteDialog onSignOut={onSignOut} /> : null;
}

function PaletteDialog({ onSignOut }: { onSignOut(): void }) {
  const { t } = useTranslation();
  const close = usePaletteStore((s) => s.close);
  const [query, setQuery] = useState('');
  const users = useUserMatches(query);
  const entries = useEntries(onSignOut);
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);

  // Focus goes back where it was when the palette closes without going anywhere.
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const node = ref.current;
    return () => {
      const active = document.activeElement;
      if (!active || active === document.body || node?.contains(active)) previous?.focus?.();
    };
  }, []);

  const go = useNavigationStore((s) => s.go);
  const userEntries: PaletteEntry[] = users.map((u) => ({
    id: `user:${u.id}`,
    group: 'users',
    label: u.name,
    detail: `${u.login} · ${u.email}`,
    run: () => navigateTo(go, { screen: 'user', id: u.id, tab: 'data' }),
  }));
  const shown = [...userEntries, ...matchEntries(entries, query)];
  // The active entry: kept while it is listed, else the first one that can run (users arrive from
  // the cache after the static entries were filtered, so cmdk alone would leave nothing active).
  const [active, setActive] = useState('');
  const ordered = GROUPS.flatMap((g) => shown.filter((e) => e.group === g));
  const firstRunnable = ordered.find((e) => !e.disabledReason)?.id ?? '';
  const value = ordered.some((e) => e.id === active && !e.disabledReason) ? active : firstRunnable;
  const run = (entry: PaletteEntry) => {
    close();
    entry.run();
  };

  return (
    <div
      className="dialog-backdrop palette-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) close();
      }}
    >
      <div ref={ref} className="dialog palette" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId} className="sr-only">
          {t('palette.title')}
        </h2>
        <Command
          label={t('palette.inputLabel')}
          shouldFilter={false}
          loop
          value={value}
          onValueChange={setActive}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
        >
          <Command.Input autoFocus value={query} onValueChange={setQuery} placeholder={t('palette.placeholder')} className="palette-input" />
          <Command.List className="palette-list" label={t('palette.results')}>
            <Command.Empty className="palette-empty">{t('palette.empty')}</Command.Empty>
            {GROUPS.map((group) => {
              const items = shown.filter((e) => e.group === group);
              if (items.length === 0) return null;
              return (
                <Command.Group key={group} heading={t(`palette.groups.${group}`)} className="palette-group">
                  {items.map((entry) => (
                    <Command.Item key={entry.id} value={entry.id} disabled={!!entry.disabledReason} onSelect={() => run(entry)} className="palette-item">
                      <span className="palette-label">{entry.label}</span>
                      {entry.detail ? <span className="palette-detail">{entry.detail}</span> : null}
                      {entry.disabledReason ? <span className="palette-detail">{entry.disabledReason}</span> : null}
                    </Command.Item>
                  ))}
                </Command.Group>
              );
            })}
          </Command.List>
        </Command>
        <p className="palette-hint muted small">{t('palette.hint')}</p>
      </div>
    </div>
  );
}

/** Goes to `route` and, as a menu entry does, moves focus to the screen's heading. */
function navigateTo(go: (route: Route) => void, route: Route): void {
  go(route);
  if (!useNavigationStore.getState().pending) focusScreenTitle();
}

/** Users of the local search (the cache) matching `query`; none for an empty query. */
function useUserMatches(query: string): UserRow[] {
  // The users found for one query: never shown under another (a slower answer to an earlier
  // query, or the previous query's users while this one's are on their way, would otherwise be
  // listed first and run by Enter).
  const [found, setFound] = useState<{ query: string; items: UserRow[] }>({ query: '', items: [] });
  const q = query.trim();
  useEffect(() => {
    let current = true;
    if (!q) return;
    call('searchUsers', { query: q.slice(0, 120), limit: USER_LIMIT })
      .then((out) => {
        if (current) setFound({ query: q, items: out.items });
      })
      .catch(() => {
        if (current) setFound({ query: q, items: [] });
      });
    return () => {
      current = false;
    };
  }, [q]);
  return found.query === q ? found.items : [];
}

/** Screens, queues and actions, with what the signed-in profile and the connection allow. */
function useEntries(onSignOut: () => void): PaletteEntry[] {
  const { t } = useTranslation();
  const go = useNavigationStore((s) => s.go);
  const session = useSessionStore((s) => s.session);
  const locale = useSessionStore((s) => s.locale);
  const setLocale = useSessionStore((s) => s.setLocale);
  const syncNow = useSyncStore((s) => s.syncNow);
  const queues = useQueues();
  const profile = session?.user?.profile;
  const online = !!session?.online && session.status !== 'offline';
  const editReason = !profile || !permissions.canEditUsers(profile) ? t('reasons.readOnly', { profile: profile ? t(`profiles.${profile}`) : '' }) : !online ? t('reasons.offline') : null;
  const nav = (route: Route) => () => navigateTo(go, route);
  return [
    { id: 'screen:users', group: 'screens', label: t('palette.screens.users'), run: nav({ screen: 'users' }) },
    { id: 'screen:new-user', group: 'screens', label: t('palette.screens.newUser'), disabledReason: editReason, run: nav({ screen: 'new-user' }) },
    { id: 'screen:voice', group: 'screens', label: t('palette.screens.voiceQueues'), run: nav({ screen: 'queues', kind: 'voice' }) },
    { id: 'screen:chat', group: 'screens', label: t('palette.screens.chatQueues'), run: nav({ screen: 'queues', kind: 'chat' }) },
    ...[...queuesOfKind(queues, 'voice'), ...queuesOfKind(queues, 'chat')].map(
      (q): PaletteEntry => ({
        id: `queue:${q.id}`,
        group: 'queues',
        label: q.name,
        detail: `${q.kind === 'voice' ? t('queues.voice') : t('queues.chat')} · ${t(`channels.${q.channel}`)}`,
        run: nav({ screen: 'queues', kind: q.kind, queueId: q.id }),
      }),
    ),
    { id: 'action:sync', group: 'actions', label: t('palette.actions.sync'), disabledReason: online ? null : t('reasons.offline'), run: () => void syncNow() },
    {
      id: 'action:language',
      group: 'actions',
      label: t('palette.actions.language', { language: t(`languages.${locale === 'en' ? 'pt-BR' : 'en'}`) }),
      run: () => void setLocale(locale === 'en' ? 'pt-BR' : 'en'),
    },
    { id: 'action:sign-out', group: 'actions', label: t('palette.actions.signOut'), run: onSignOut },
  ];
}
