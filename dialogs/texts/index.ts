import { en, type TextKey } from './en';
import { fr } from './fr';

export type Locale = 'en' | 'fr';
export type { TextKey };

const catalogues: Record<Locale, Record<TextKey, string>> = { en, fr };

/** The conversation language for a Bot Framework locale such as "fr-CA"; English otherwise. */
export function toLocale(value: string | undefined): Locale {
  return value?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The text `key` in `locale`, with `{name}` placeholders replaced. */
export function t(locale: Locale, key: TextKey, vars: Record<string, string | number> = {}): string {
  const template = catalogues[locale][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function allKeys(locale: Locale): string[] {
  return Object.keys(catalogues[locale]);
}
