/**
 * Sign in: account, login, password; "Esqueci minha senha" (the R11 message for self-managed
 * accounts); the Microsoft button when the account's provider is enabled (R11).
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, Notice } from '../../ui/notice';
import { LanguageSelect } from '../shell/language-select';
import { useSignInStore } from './sign-in-store';
import { CardPage } from '../../ui/card-page';
import { useShallow } from 'zustand/react/shallow';

/** The sign-in screen. */
export function SignInScreen({ reason }: { reason?: string | null }) {
  const { t } = useTranslation();
  const store = useSignInStore(useShallow((s) => ({ loadProviders: s.loadProviders, busy: s.busy, busyMethod: s.busyMethod, error: s.error, providers: s.providers, providersFor: s.providersFor, resetForgot: s.resetForgot, showSelfManaged: s.showSelfManaged, signIn: s.signIn, signInMicrosoft: s.signInMicrosoft, cancelMicrosoft: s.cancelMicrosoft, microsoftChoice: s.microsoftChoice, closeMicrosoftChoice: s.closeMicrosoftChoice })));
  const [account, setAccount] = useState('');
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const [forgotOpen, setForgotOpen] = useState(false);
  const errorId = useId();
  const pickerId = useId();
  const { loadProviders } = store;

  // Look up the account's providers while typing (debounced), so the Microsoft button appears.
  useEffect(() => {
    const slug = account.trim();
    if (!slug) return;
    const timer = setTimeout(() => void loadProviders(slug), 300);
    return () => clearTimeout(timer);
  }, [account, loadProviders]);

  const providers = store.providers && store.providersFor === account.trim() ? store.providers : null;
  // R11: a self-managed account signs in with Microsoft only: no password fields to fill in vain.
  const microsoftOnly = !!providers?.selfManaged && !!providers.microsoft;
  // Shown under whichever Microsoft button started the sign-in, while it waits on the browser.
  const microsoftWaiting =
    store.busyMethod === 'microsoft' ? (
      <div className="row gap">
        <Notice tone="info">{t('signIn.microsoftWaiting')}</Notice>
        <button type="button" className="button" onClick={() => void store.cancelMicrosoft()}>
          {t('common.cancel')}
        </button>
      </div>
    ) : null;

  // Issue 9 class 13: several Microsoft accounts are kept on this computer: the person chooses.
  const choice = store.microsoftChoice && store.microsoftChoice.account === account.trim() ? store.microsoftChoice : null;
  const microsoftPicker = choice ? (
    <div className="account-picker" role="group" aria-labelledby={pickerId}>
      <p id={pickerId}>{t('signIn.chooseMicrosoftAccount')}</p>
      {choice.accounts.map((a) => (
        <button
          key={a.homeAccountId}
          type="button"
          className="button button-block account-choice"
          aria-label={a.name ? t('signIn.continueAs', { name: a.name, username: a.username }) : a.username}
          disabled={store.busy}
          onClick={() => void store.signInMicrosoft(choice.account, a.homeAccountId)}
        >
          {a.name ? <span>{a.name}</span> : null}
          <span className="meta">{a.username}</span>
        </button>
      ))}
      <button type="button" className="button button-block" disabled={store.busy} onClick={() => void store.signInMicrosoft(choice.account, null)}>
        {t('signIn.anotherMicrosoftAccount')}
      </button>
      <button type="button" className="link-button" onClick={store.closeMicrosoftChoice}>
        {t('common.cancel')}
      </button>
    </div>
  ) : null;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (microsoftOnly) {
      await store.signInMicrosoft(account.trim());
      return;
    }
    if (!account.trim() || !login.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    await store.signIn({ account: account.trim(), login: login.trim(), password });
  }

  function onForgot() {
    if (providers?.selfManaged) {
      store.showSelfManaged();
      setForgotOpen(true);
      return;
    }
    store.resetForgot();
    setForgotOpen(true);
  }

  return (
    <CardPage title={t('signIn.title')} subtitle={t('signIn.subtitle')}>
      {reason ? <Notice tone="warning">{reason}</Notice> : null}
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-describedby={store.error || missing ? errorId : undefined}>
        <div className="field">
          <label htmlFor="signin-account">{t('signIn.account')}</label>
          <input id="signin-account" name="account" autoComplete="organization" value={account} onChange={(e) => setAccount(e.target.value)} autoFocus />
        </div>
        {microsoftOnly ? null : (
          <>
        <div className="field">
          <label htmlFor="signin-login">{t('signIn.login')}</label>
          <input id="signin-login" name="login" autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="signin-password">{t('signIn.password')}</label>
          <input
            id="signin-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
          </>
        )}
        <div id={errorId}>
          {missing ? <Notice tone="error">{t('signIn.required')}</Notice> : null}
          <ErrorNotice error={store.error} />
        </div>
        {microsoftOnly ? (
          <>
            <Notice tone="info">{t('signIn.useMicrosoft')}</Notice>
            <button type="submit" className="button button-block button-microsoft" disabled={store.busy}>
              <span className="ms-logo" aria-hidden="true" />
              {t('signIn.microsoft')}
            </button>
            {microsoftWaiting}
            {microsoftPicker}
          </>
        ) : (
          <button type="submit" className="button button-primary button-block" disabled={store.busy}>
            {store.busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        )}
      </form>
      {providers?.microsoft && !microsoftOnly ? (
        <>
          <div className="divider">
            <span>{t('signIn.or')}</span>
          </div>
          <button type="button" className="button button-block button-microsoft" disabled={store.busy} onClick={() => void store.signInMicrosoft(account.trim())}>
            <span className="ms-logo" aria-hidden="true" />
            {t('signIn.microsoft')}
          </button>
          {microsoftWaiting}
          {microsoftPicker}
        </>
      ) : null}
      <div className="signin-footer">
        <button type="button" className="link-button" onClick={onForgot} aria-expanded={forgotOpen}>
          {t('signIn.forgot')}
        </button>
        <LanguageSelect />
      </div>
      {forgotOpen ? <ForgotPanel account={account} defaultLogin={login} onClose={() => setForgotOpen(false)} /> : null}
    </CardPage>
  );
}

function ForgotPanel({ account, defaultLogin, onClose }: { account: string; defaultLogin: string; onClose(): void }) {
  const { t } = useTranslation();
  const { forgot, forgotPassword } = useSignInStore(useShallow((s) => ({ forgot: s.forgot, forgotPassword: s.forgotPassword })));
  const [login, setLogin] = useState(defaultLogin);
  if (forgot.status === 'selfManaged') {
    return (
      <section className="forgot-panel" aria-label={t('signIn.forgotTitle')}>
        <Notice tone="warning">{t('signIn.selfManaged')}</Notice>
        <button type="button" className="button" onClick={onClose}>
          {t('common.close')}
        </button>
      </section>
    );
  }
  return (
    <section className="forgot-panel" aria-label={t('signIn.forgotTitle')}>
      <h2>{t('signIn.forgotTitle')}</h2>
      {forgot.status === 'sent' ? (
        <Notice tone="success">{t('signIn.forgotSent')}</Notice>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (account.trim() && login.trim()) void forgotPassword({ account: account.trim(), login: login.trim() });
          }}
        >
          <p className="muted">{t('signIn.forgotHelp')}</p>
          <div className="field">
            <label htmlFor="forgot-login">{t('signIn.login')}</label>
            <input id="forgot-login" value={login} onChange={(e) => setLogin(e.target.value)} />
          </div>
          <ErrorNotice error={forgot.error} />
          <div className="row gap">
            <button type="submit" className="button button-primary" disabled={forgot.status === 'sending' || !account.trim() || !login.trim()}>
              {t('signIn.forgotSend')}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
