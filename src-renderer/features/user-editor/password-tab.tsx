/** R9: tab "Senha": the administrator sets a temporary password (twice), with the policy hints. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../src-shared/domain';
import { checkPasswordPolicy } from '../../../src-shared/password-policy';
import { ActionNotices, Notice, Reason } from '../../ui/notice';
import { PasswordPolicyHints, usePasswordCheck } from '../../ui/password-policy-hints';
import { useSessionStore } from '../session/session-store';
import type { Access } from '../session/access';
import { Field } from '../../ui/field';
import { useEditorStore } from './editor-store';
import { useShallow } from 'zustand/react/shallow';

/** The Senha tab. */
export function PasswordTab({ user, access }: { user: User; access: Access }) {
  const { t } = useTranslation();
  const { password: state, setPassword } = useEditorStore(useShallow((s) => ({ password: s.password, setPassword: s.setPassword })));
  const [pw, setPw] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const reason = user.selfManaged ? t('reasons.selfManaged') : access.reason;
  const disabled = !!reason || state.status === 'busy';
  const account = useSessionStore((s) => s.session?.account);
  // The same context the platform judges the password against (issue 9 class 7).
  const context = { login: user.login, name: user.name, email: user.email, account: account?.slug, accountName: account?.name };
  const check = usePasswordCheck(pw, context);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const next: Record<string, string[]> = {};
    if ((await checkPasswordPolicy(pw, context)).length > 0) next.password = ['password_policy'];
    if (pw !== confirm) next.passwordConfirmation = ['password_mismatch'];
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    if (await setPassword(pw, confirm)) {
      setPw('');
      setConfirm('');
    }
  }

  const serverErrors = state.fieldErrors ?? {};
  if (user.selfManaged) {
    // R11: nothing to set here; no temporary-password box, no greyed form.
    return (
      <section aria-labelledby="password-title" className="tab-section">
        <h2 id="password-title">{t('editor.passwordTitle')}</h2>
        <Reason>{t('reasons.selfManaged')}</Reason>
      </section>
    );
  }
  return (
    <section aria-labelledby="password-title" className="tab-section">
      <h2 id="password-title">{t('editor.passwordTitle')}</h2>
      <Notice tone="info">{t('editor.passwordTemporary')}</Notice>
      {user.mustChangePassword ? <p className="muted">{t('editor.passwordMustChange')}</p> : null}
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="narrow-form">
        <Field id="password-new" label={t('editor.passwordNew')} errors={errors.password ?? serverErrors.password}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={pw} disabled={disabled} onChange={(e) => {
                setPw(e.target.value);
                setErrors(({ password: _stale, ...rest }) => rest);
              }} />}
        </Field>
        <Field id="password-confirm" label={t('editor.passwordConfirm')} errors={errors.passwordConfirmation ?? serverErrors.passwordConfirmation}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={confirm} disabled={disabled} onChange={(e) => {
                setConfirm(e.target.value);
                setErrors(({ passwordConfirmation: _stale, ...rest }) => rest);
              }} />}
        </Field>
        <PasswordPolicyHints password={pw} check={check} />
        <ActionNotices state={state} done={() => t('editor.passwordSetDone')} />
        <button type="submit" className="button button-primary" disabled={disabled}>
          {state.status === 'busy' ? t('common.saving') : t('editor.passwordSubmit')}
        </button>
      </form>
    </section>
  );
}
