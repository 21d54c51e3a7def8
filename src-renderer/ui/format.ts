/** Formatting helpers bound to the current language: dates, ages, error texts. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ERROR_CODES, errorMessage, type ErrorCode, type Locale } from '../../src-shared/errors';
import { PASSWORD_PROBLEMS } from '../../src-shared/password-policy';
import { ILL_FORMED_TEXT } from '../../src-shared/text';
import type { ConsoleError } from '../api';

function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

function isPasswordProblem(value: string): boolean {
  return (PASSWORD_PROBLEMS as readonly string[]).includes(value);
}

/** The current locale as the app knows it. */
export function useLocale(): Locale {
  const { i18n } = useTranslation();
  return i18n.language === 'en' ? 'en' : 'pt-BR';
}

/** Returns a function that renders an error in the current language. */
export function useErrorText(): (error: ConsoleError) => string {
  const locale = useLocale();
  return (error) => errorMessage(error.code, locale);
}

/** Returns a function that renders a field error entry (an error code, a `form.*` key, or a message). */
export function useFieldErrorText(): (entry: string) => string {
  const locale = useLocale();
  const { t } = useTranslation();
  return (entry) => {
    if (isErrorCode(entry)) return errorMessage(entry, locale);
    // The platform names each policy problem (`too_short`, …); one policy message says them all,
    // and the checklist under the field shows which rule is unmet.
    if (isPasswordProblem(entry)) return errorMessage('password_policy', locale);
    if (entry === ILL_FORMED_TEXT) return t('form.illFormedText');
    if (entry.startsWith('form.')) return t(entry);
    return entry;
  };
}

/** Formats an ISO date as a short date-time in `locale`, in the local time zone (`seconds` for history). */
export function formatDateTime(iso: string | null | undefined, locale: Locale, opts: { seconds?: boolean } = {}): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: opts.seconds ? 'medium' : 'short' }).format(date);
}

/** Returns a function that says how long ago an ISO date was ("há 5 minutos"). */
export function useAge(): (iso: string, now?: Date) => string {
  const { t } = useTranslation();
  return (iso, now = new Date()) => {
    const ms = now.getTime() - new Date(iso).getTime();
    const minutes = Math.floor(ms / 60_000);
    if (minutes < 1) return t('age.justNow');
    if (minutes < 60) return t('age.minutes', { count: minutes });
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return t('age.hours', { count: hours });
    return t('age.days', { count: Math.floor(hours / 24) });
  };
}

/** The current time, refreshed every `everyMs`, so ages ("há 5 minutos") stay true on screen. */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
