/** The interface language: Dutch by default, English as a choice, remembered in localStorage. */
import { createSignal } from 'solid-js';
import { formatDate as dutchDate, formatDateTime as dutchDateTime, formatEuros } from '../../engine/browser.js';
import { en } from '../i18n/en.js';
import { nl, type MessageKey } from '../i18n/nl.js';

export type Locale = 'nl' | 'en';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { nl, en };

function initial(): Locale {
  try {
    return localStorage.getItem('locale') === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl';
  }
}

const [locale, setLocaleSignal] = createSignal<Locale>(initial());
export { locale };

export function setLocale(l: Locale) {
  setLocaleSignal(l);
  try {
    localStorage.setItem('locale', l);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = l;
}

/** `t('overview.validFrom', { date })` in the current language. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[locale()][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** An amount in cents as people write it: `€ 20.000`, `€ 4.860,50` (the engine's Dutch form). */
export function formatCents(cents: number): string {
  if (locale() === 'nl') return formatEuros(cents);
  return new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: 'EUR',
    minimumFractionDigits: cents % 100 === 0 ? 0 : 2,
  }).format(cents / 100);
}

/** An ISO date as people write it: `1 januari 2027` (or `1 January 2027`). */
export function formatDate(iso: string): string {
  if (locale() === 'nl') return dutchDate(iso);
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** An ISO instant as a date and time in the Netherlands, with its time zone: `2 maart 2026 om 10:15 (CET)`. */
export function formatDateTime(iso: string): string {
  if (locale() === 'nl') return dutchDateTime(iso);
  // dateStyle cannot be combined with timeZoneName: the parts one by one
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Europe/Amsterdam',
    timeZoneName: 'short',
  });
}
