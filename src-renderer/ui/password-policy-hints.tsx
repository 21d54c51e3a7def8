/** R9 password policy as a live checklist under a new-password field (tab Senha, Trocar senha). */
import { useTranslation } from 'react-i18next';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem } from '../../src-shared/password-policy';

/** The rules shown (too_long is only an error: nobody needs a hint to stay under 128). */
const RULES: PasswordProblem[] = ['too_short', 'needs_letter', 'needs_digit', 'equals_login'];

/** Each rule ticks as soon as `password` meets it. */
export function PasswordPolicyHints({ password, login }: { password: string; login: string }) {
  const { t } = useTranslation();
  const problems = checkPasswordPolicy(password, login);
  return (
    <div className="policy" aria-label={t('editor.passwordPolicy')} role="group">
      <p className="policy-title">{t('editor.passwordPolicy')}</p>
      <ul>
        {RULES.map((rule) => {
          const ok = password.length > 0 && !problems.includes(rule);
          return (
            <li key={rule} className={ok ? 'ok' : 'pending'}>
              <span aria-hidden="true">{ok ? '✓' : '•'}</span> {t(`editor.policy.${rule}`, { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH })}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
