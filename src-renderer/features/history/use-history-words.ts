/** The `HistoryWords` of the current language, with queue names from the queues store. */
import { useTranslation } from 'react-i18next';
import { formatDateTime, useLocale } from '../../ui/format';
import { useQueues } from '../queues/queues-store';
import { isKnownAction, type HistoryWords } from './history-format';

/** The local time zone's name (e.g. "America/Sao_Paulo"), said once above a history. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Words for describing history entries; loads the queues once so ids become names. */
export function useHistoryWords(): HistoryWords {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const queues = useQueues();
  return {
    field: (key) => (i18n.exists(`history.fields.${key}`) ? t(`history.fields.${key}`) : undefined),
    yes: t('common.yes'),
    no: t('common.no'),
    profile: (p) => (i18n.exists(`profiles.${p}`) ? t(`profiles.${p}`) : p),
    queueName: (id) => queues.find((q) => q.id === id)?.name ?? id,
    dateTime: (iso) => formatDateTime(iso, locale, { seconds: true }),
    action: (action) => (isKnownAction(action) ? t(`history.actions.${action}`) : action),
    steps: (list) => t('history.steps', { list }),
  };
}
