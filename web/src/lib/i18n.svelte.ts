import { en } from './messages/en.ts';
import { nl, type MessageKey } from './messages/nl.ts';

const catalogs = { nl, en } as const;
export type Locale = keyof typeof catalogs;

const stored = typeof localStorage !== 'undefined' ? localStorage.getItem('klankbord.locale') : null;
export const i18n = $state<{ locale: Locale }>({ locale: stored === 'en' ? 'en' : 'nl' });

// "{n} zaak|{n} zaken": the form before the bar when n is 1, the one after it otherwise.
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  let text: string = catalogs[i18n.locale][key] ?? catalogs.nl[key] ?? key;
  if (text.includes('|') && typeof vars.n === 'number') text = text.split('|')[vars.n === 1 ? 0 : 1];
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
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
