/** The renderer's root: loads the session, keeps i18n in sync with the chosen language (C5), and
 * shows the sign-in screen, the change of a temporary password (R9), or the signed-in frame. */
import { useEffect, useMemo } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { errorMessage } from '../src-shared/errors';
import { ChangePasswordScreen } from './features/change-password/change-password-screen';
import { AppFrame } from './features/shell/app-frame';
import { useSessionStore } from './features/session/session-store';
import { SignInScreen } from './features/sign-in/sign-in-screen';
import { createI18n } from './i18n';
import { ErrorBoundary } from './ui/error-boundary';
import { useShallow } from 'zustand/react/shallow';

/** The whole console UI. */
export function App() {
  const locale = useSessionStore((s) => s.locale);
  const i18n = useMemo(() => createI18n(useSessionStore.getState().locale), []);
  useEffect(() => {
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
    document.documentElement.lang = locale;
  }, [i18n, locale]);
  return (
    <I18nextProvider i18n={i18n}>
      <ErrorBoundary title={i18n.t('errors.crashTitle')} action={i18n.t('common.retry')}>
        <Root />
      </ErrorBoundary>
    </I18nextProvider>
  );
}

function Root() {
  const { t } = useTranslation();
  const { phase, session, signedOutReason, loadError, locale, load, subscribe } = useSessionStore(useShallow((s) => ({ phase: s.phase, session: s.session, signedOutReason: s.signedOutReason, loadError: s.loadError, locale: s.locale, load: s.load, subscribe: s.subscribe })));
  const signedIn = !!session?.user && session.status !== 'signedOut';

  useEffect(() => {
    const off = subscribe();
    void load();
    return off;
  }, [load, subscribe]);

  if (phase === 'loading') {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (!signedIn) {
    const problem = signedOutReason ?? loadError;
    return <SignInScreen reason={problem ? errorMessage(problem.code, locale) : null} />;
  }
  // R9: a password an administrator set must be replaced before anything else works.
  if (session.user?.mustChangePassword) return <ChangePasswordScreen />;
  return <AppFrame />;
}
