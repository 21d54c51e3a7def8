/**
 * Trocar senha (R9): shown right after sign-in, instead of the users screen, while the signed-in
 * user's password is one an administrator set. Until it changes, the platform refuses everything
 * else, so this screen is all the console offers (and signing out).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { checkPasswordPolicy } from '../../../src-shared/password-policy';
import { ErrorNotice, Notice } from '../../ui/notice';
import { PasswordPolicyHints, usePasswordCheck } from '../../ui/password-policy-hints';
import { useOnline } from '../session/access';
import { useSessionStore } from '../session/session-store';
import { LanguageSelect } from '../shell/language-select';
import { Field } from '../../ui/field';
import { useChangePasswordStore, type ChangePasswordField, type ChangePasswordFieldErrors } from './change-password-store';
import { CardPage } from '../../ui/card-page';
import { useShallow } from 'zustand/react/shallow';

/** The change-password screen. */
export function ChangePasswordScreen() {
  const { t } = useTranslation();
  const session = useSessionStore((s) => s.session);
  const signOut = useSessionStore((s) => s.signOut);
  const online = useOnline();
  const { busy, error, fieldErrors: serverErrors, submit, clearField, reset } = useChangePasswordStore(useShallow((s) => ({ busy: s.busy, error: s.error, fieldErrors: s.fieldErrors, submit: s.submit, clearField: s.clearField, reset: s.reset })));
  const [values, setValues] = useState<Record<ChangePasswordField, string>>({ currentPassword: '', newPassword: '', newPasswordConfirmation: '' });
  const [errors, setErrors] = useState<ChangePasswordFieldErrors>({});

  // A later session (after signing out) starts with a clean form.
  useEffect(() => reset, [reset]);

  const user = session?.user;
  // The same context the platform judges the password against (issue 9 class 7).
  const context = { login: user?.login, name: user?.name, email: user?.email, account: session?.account?.slug, accountName: session?.account?.name };
  const check = usePasswordCheck(values.newPassword, context);
  if (!user) return null;

  function change(field: ChangePasswordField, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors(({ [field]: _stale, ...rest }) => rest);
    clearField(field);
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    // The same rules the platform applies, checked before anything is sent.
    const found: ChangePasswordFieldErrors = {};
    if (!values.currentPassword) found.currentPassword = ['form.currentPassword'];
    if ((await checkPasswordPolicy(values.newPassword, context)).length > 0) found.newPassword = ['password_policy'];
    else if (values.newPassword === values.currentPassword) found.newPassword = ['form.sameAsCurrent'];
    if (values.newPassword !== values.newPasswordConfirmation) found.newPasswordConfirmation = ['password_mismatch'];
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    await submit(values);
  }

  const shown = (field: ChangePasswordField) => errors[field] ?? serverErrors[field];
  const disabled = busy || !online;
  const input = (field: ChangePasswordField, autoComplete: string) =>
    function PasswordInput(p: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) {
      return <input {...p} type="password" autoComplete={autoComplete} value={values[field]} disabled={disabled} onChange={(e) => change(field, e.target.value)} />;
    };

  return (
    <CardPage title={t('changePassword.title')} subtitle={t('changePassword.who', { name: user.name, login: user.login, account: session?.account?.name ?? '' })}>
      <Notice tone="info">{t('changePassword.intro')}</Notice>
      {!online ? <Notice tone="warning">{t('reasons.offline')}</Notice> : null}
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <Field id="change-current" label={t('changePassword.current')} hint={t('changePassword.currentHint')} errors={shown('currentPassword')}>
          {input('currentPassword', 'current-password')}
        </Field>
        <Field id="change-new" label={t('changePassword.new')} errors={shown('newPassword')}>
          {input('newPassword', 'new-password')}
        </Field>
        <Field id="change-confirm" label={t('changePassword.confirm')} errors={shown('newPasswordConfirmation')}>
          {input('newPasswordConfirmation', 'new-password')}
        </Field>
        <PasswordPolicyHints password={values.newPassword} check={check} />
        <ErrorNotice error={error} />
        <button type="submit" className="button button-primary button-block" disabled={disabled}>
          {busy ? t('changePassword.submitting') : t('changePassword.submit')}
        </button>
      </form>
      <div className="signin-footer">
        <button type="button" className="link-button" onClick={() => void signOut()}>
          {t('shell.signOut')}
        </button>
        <LanguageSelect />
      </div>
    </CardPage>
  );
}
