/**
 * The password policy (src-shared; issue 9 class 7) as a live checklist under a new-password field
 * (tab Senha, Trocar senha), in the same words the platform and its reset page use. Length and
 * control characters tick at once; "common" and "guessable from context" wait for the estimator,
 * whose dictionaries load as a lazy chunk the first time a password is typed.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  checkPasswordBasics,
  checkPasswordPolicy,
  PASSWORD_PROBLEM_MESSAGES,
  PASSWORD_RULES,
  type PasswordContext,
  type PasswordProblem,
} from '../../src-shared/password-policy';
import { useLocale } from './format';

/** What the checklist knows about a password: its problems, and whether the estimator has answered yet. */
export interface PasswordCheck {
  problems: PasswordProblem[];
  /** False while the dictionary check of the current password is still running. */
  complete: boolean;
}

/** Checks `password` against the policy as it is typed (the dictionary part a moment later). */
export function usePasswordCheck(password: string, context: PasswordContext): PasswordCheck {
  const key = JSON.stringify(context);
  const [checked, setChecked] = useState<{ password: string; key: string; problems: PasswordProblem[] } | null>(null);
  useEffect(() => {
    if (!password) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      void checkPasswordPolicy(password, JSON.parse(key) as PasswordContext).then(
        (problems) => live && setChecked({ password, key, problems }),
        // The estimator could not load: the platform still checks on save.
        () => live && setChecked({ password, key, problems: checkPasswordBasics(password) }),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [password, key]);
  if (checked && checked.password === password && checked.key === key) return { problems: checked.problems, complete: true };
  return { problems: checkPasswordBasics(password), complete: false };
}

/** Each rule ticks as soon as `password` meets it. */
export function PasswordPolicyHints({ password, check }: { password: string; check: PasswordCheck }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div className="policy" aria-label={t('editor.passwordPolicy')} role="group">
      <p className="policy-title">{t('editor.passwordPolicy')}</p>
      <ul>
        {PASSWORD_RULES.map((rule) => {
          const needsEstimator = rule === 'guessable_from_context' || rule === 'too_common';
          const ok = password.length > 0 && !check.problems.includes(rule) && (check.complete || !needsEstimator);
          return (
            <li key={rule} className={ok ? 'ok' : 'pending'}>
              <span aria-hidden="true">{ok ? '✓' : '•'}</span> {PASSWORD_PROBLEM_MESSAGES[rule][locale]}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
