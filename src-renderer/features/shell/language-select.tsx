/** Language switch (C5), persisted through `setSettings`. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../../../src-shared/errors';
import { useSessionStore } from '../session/session-store';

/** A labelled select of the supported languages. */
export function LanguageSelect() {
  const { t } = useTranslation();
  const id = useId();
  const locale = useSessionStore((s) => s.locale);
  const setLocale = useSessionStore((s) => s.setLocale);
  return (
    <div className="language-select">
      <label htmlFor={id}>{t('shell.language')}</label>
      <select id={id} value={locale} onChange={(e) => void setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
