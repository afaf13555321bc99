import { en } from './messages/en.ts';
import { nl, type MessageKey } from './messages/nl.ts';

const catalogs = { nl, en } as const;
export type Locale = keyof typeof catalogs;

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('klankbord.locale') : null;
export const i18n = $state<{ locale: Locale }>({ locale: stored === 'en' ? 'en' : 'nl' });

export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return (catalogs[i18n.locale][key] ?? catalogs.nl[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

export function toggleLocale() {
  i18n.locale = i18n.locale === 'nl' ? 'en' : 'nl';
  localStorage.setItem('klankbord.locale', i18n.locale);
  document.documentElement.lang = i18n.locale;
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(i18n.locale === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}
