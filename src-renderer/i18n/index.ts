/**
 * i18next setup (C5): pt-BR by default, English switchable. `createI18n` builds an isolated
 * instance (one per app root, so component tests do not share state).
 */
import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from '../../src-shared/errors';
import { ptBR } from './pt-BR';
import { en } from './en';

export const DEFAULT_LOCALE: Locale = 'pt-BR';

/** Builds a ready i18next instance for `locale` (resources are bundled, so init is synchronous). */
export function createI18n(locale: Locale = DEFAULT_LOCALE): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'pt-BR': { translation: ptBR }, en: { translation: en } },
    lng: locale,
    fallbackLng: 'pt-BR',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
