/**
 * The signed-in frame: navigation, the signed-in user, language, sign out, and the banners every
 * screen shares (offline with the data's age, C1; supervisor read-only, R2).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/dialog';
import { focusScreenTitle } from '../../ui/focus';
import { MenuButton } from '../../ui/menu';
import { formatDateTime, useAge, useLocale, useNow } from '../../ui/format';
import { NewUserScreen } from '../new-user/new-user-screen';
import { CsvImportScreen } from '../csv/csv-import-screen';
import { QueuesScreen } from '../queues/queues-screen';
import { FRAME_NOTICE_ID } from '../session/access';
import { useSessionStore } from '../session/session-store';
import { UserEditorScreen } from '../user-editor/user-editor-screen';
import { UsersScreen } from '../users/users-screen';
import { LanguageSelect } from './language-select';
import { CommandPalette, usePaletteShortcut } from '../palette/command-palette';
import { usePaletteStore } from '../palette/palette-store';
import { subscribeToDataChanges } from './data-refresh';
import { useNavigationStore, type Route } from './navigation-store';
import { useShallow } from 'zustand/react/shallow';

/** The frame and the current screen. */
export function AppFrame() {
  const { t } = useTranslation();
  const session = useSessionStore((s) => s.session);
  const { route, go } = useNavigationStore(useShallow((s) => ({ route: s.route, go: s.go })));
  const [signingOut, setSigningOut] = useState(false);

  // Data changed in main (a sync, a write): refresh what is on screen, through the one refresh path.
  useEffect(() => subscribeToDataChanges(), []);
  // Issue 11: Ctrl/Cmd+K opens the command palette from any screen.
  usePaletteShortcut();
  const showPalette = usePaletteStore((s) => s.show);

  if (!session?.user) return null;
  const user = session.user;
  // A menu entry moves focus to the screen's heading, also when that screen is already shown.
  const navigate = (next: Route) => {
    go(next);
    // Not while the leave dialog asks first: focus stays in the dialog.
    if (!useNavigationStore.getState().pending) focusScreenTitle();
  };
  const section = route.screen === 'queues' ? route.kind : 'users';

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            O
          </span>
          <span className="brand-name">{t('app.name')}</span>
          {session.account ? <span className="account-name">{session.account.name}</span> : null}
        </div>
        <nav aria-label={t('shell.nav')} className="nav">
          {/* The menus as the vendor article names them: Configurações > Usuários,
              Metrics > Call Centers (voice queues), Omnichannel > Filas de chat. */}
          <MenuButton
            className={`nav-item${section === 'users' ? ' is-active' : ''}`}
            label={t('shell.menuSettings')}
            items={[{ key: 'users', label: t('shell.users'), onSelect: () => navigate({ screen: 'users' }) }]}
          />
          <MenuButton
            className={`nav-item${section === 'voice' ? ' is-active' : ''}`}
            label={t('shell.menuMetrics')}
            items={[{ key: 'call-centers', label: t('shell.callCenters'), onSelect: () => navigate({ screen: 'queues', kind: 'voice' }) }]}
          />
          <MenuButton
            className={`nav-item${section === 'chat' ? ' is-active' : ''}`}
            label={t('shell.menuOmnichannel')}
            items={[{ key: 'chat-queues', label: t('shell.chatQueues'), onSelect: () => navigate({ screen: 'queues', kind: 'chat' }) }]}
          />
        </nav>
        <div className="topbar-right">
          <button type="button" className="button button-small palette-button" aria-haspopup="dialog" aria-keyshortcuts="Control+K Meta+K" title={t('palette.open')} onClick={showPalette}>
            <span className="sr-only">{t('palette.open')} </span>
            <kbd>Ctrl K</kbd>
          </button>
          <span className="who">{t('shell.signedInAs', { name: user.name, profile: t(`profiles.${user.profile}`) })}</span>
          <LanguageSelect />
          <button type="button" className="button button-small" aria-haspopup="dialog" onClick={() => setSigningOut(true)}>
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <Banners />
      <LeaveDialog />
      {signingOut ? <SignOutDialog onCancel={() => setSigningOut(false)} /> : null}
      <CommandPalette onSignOut={() => setSigningOut(true)} />
      <main className="content">
        {route.screen === 'users' ? <UsersScreen /> : null}
        {route.screen === 'user' ? <UserEditorScreen id={route.id} tab={route.tab} focus={route.focus} /> : null}
        {route.screen === 'new-user' ? <NewUserScreen /> : null}
        {route.screen === 'csv-import' ? <CsvImportScreen /> : null}
        {route.screen === 'queues' ? <QueuesScreen kind={route.kind} queueId={route.queueId} /> : null}
      </main>
    </div>
  );
}

/**
 * C6: signing out offers to remove this account's cached data from the computer. Kept data opens
 * again only for whoever signs in to this account on this platform.
 */
function SignOutDialog({ onCancel }: { onCancel(): void }) {
  const { t } = useTranslation();
  const signOut = useSessionStore((s) => s.signOut);
  const [busy, setBusy] = useState(false);
  const run = (removeCachedData: boolean) => {
    setBusy(true);
    void signOut({ removeCachedData });
  };
  return (
    <Dialog
      title={t('shell.signOutTitle')}
      onClose={onCancel}
      busy={busy}
      footer={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button" onClick={() => run(false)} disabled={busy} data-autofocus>
            {t('shell.signOutKeep')}
          </button>
          <button type="button" className="button button-danger" onClick={() => run(true)} disabled={busy}>
            {t('shell.signOutRemove')}
          </button>
        </>
      }
    >
      <p>{t('shell.signOutText')}</p>
    </Dialog>
  );
}

/** Confirms leaving a screen with unsaved edits. */
function LeaveDialog() {
  const { t } = useTranslation();
  const { pending, confirmLeave, cancelLeave } = useNavigationStore(useShallow((s) => ({ pending: s.pending, confirmLeave: s.confirmLeave, cancelLeave: s.cancelLeave })));
  if (!pending) return null;
  return (
    <Dialog
      role="alertdialog"
      title={t('shell.leaveTitle')}
      onClose={cancelLeave}
      footer={
        <>
          <button type="button" className="button" onClick={cancelLeave} data-autofocus>
            {t('shell.leaveStay')}
          </button>
          <button type="button" className="button button-danger" onClick={confirmLeave}>
            {t('shell.leaveDiscard')}
          </button>
        </>
      }
    >
      <p>{t('shell.leaveText')}</p>
    </Dialog>
  );
}

/**
 * The frame's one notice: offline (with the cached data's age, C1) and the supervisor's read-only
 * mode (R2) are merged into one line instead of stacked banners; screens do not repeat them.
 */
function Banners() {
  const { t } = useTranslation();
  const age = useAge();
  const now = useNow();
  const locale = useLocale();
  const session = useSessionStore((s) => s.session);
  if (!session) return null;
  const offline = !session.online || session.status === 'offline';
  const readOnly = session.user?.profile === 'supervisor';
  if (!offline && !readOnly) return null;
  const since = formatDateTime(session.offlineSince, locale);
  const offlineText = session.lastSyncAt
    ? t('shell.offlineBanner', { since, age: age(session.lastSyncAt, now), at: formatDateTime(session.lastSyncAt, locale) })
    : t('shell.offlineBannerNoSync', { since });
  return (
    <div id={FRAME_NOTICE_ID} className={offline ? 'banner banner-offline' : 'banner banner-readonly'} role={offline ? 'alert' : 'note'}>
      {offline ? <span>{offlineText}</span> : null}
      {offline && readOnly ? ' ' : null}
      {readOnly ? <span>{t('shell.readOnlyBanner')}</span> : null}
    </div>
  );
}
