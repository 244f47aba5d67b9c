import { accessEn, accessFr } from './access';
import { articlePageEn, articlePageFr } from './articlePage';
import { billingEn, billingFr } from './billing';
import { en } from './en';
import { fr } from './fr';
import { elide, frenchSpacing } from './frenchTypography';
import { handoffEn, handoffFr } from './handoff';
import { satisfactionEn, satisfactionFr } from './satisfaction';
import { intakeEn, intakeFr } from './intake';
import { notificationsEn, notificationsFr } from './notifications';
import { requestsEn, requestsFr } from './requests';
import { statusEn, statusFr } from './status';
import { teamsEn, teamsFr } from './teams';

export type Locale = 'en' | 'fr';

/**
 * Every text of every dialog, by language. Each area keeps its texts in its own file with the
 * same keys in both languages (the compiler checks each pair; a test checks the merged whole).
 */
const EN = {
  ...en,
  ...billingEn,
  ...intakeEn,
  ...requestsEn,
  ...statusEn,
  ...notificationsEn,
  ...teamsEn,
  ...accessEn,
  ...handoffEn,
  ...satisfactionEn,
  ...articlePageEn,
};
export type TextKey = keyof typeof EN;
const FR: Record<TextKey, string> = typeset({
  ...fr,
  ...billingFr,
  ...intakeFr,
  ...requestsFr,
  ...statusFr,
  ...notificationsFr,
  ...teamsFr,
  ...accessFr,
  ...handoffFr,
  ...satisfactionFr,
  ...articlePageFr,
});

/** The French catalogue with French spacing applied once, so each text is written plainly. */
function typeset(texts: Record<TextKey, string>): Record<TextKey, string> {
  return Object.fromEntries(Object.entries(texts).map(([key, text]) => [key, frenchSpacing(text)])) as Record<
    TextKey,
    string
  >;
}

const catalogues: Record<Locale, Record<TextKey, string>> = { en: EN, fr: FR };

/** The conversation language for a Bot Framework locale such as "fr-CA"; English otherwise. */
export function toLocale(value: string | undefined): Locale {
  return value?.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The text `key` in `locale`, with `{name}` placeholders replaced. */
export function t(locale: Locale, key: TextKey, vars: Record<string, string | number> = {}): string {
  const template = locale === 'fr' ? elide(catalogues.fr[key], vars) : catalogues.en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** The raw catalogue, for the parity test. */
export function catalogue(locale: Locale): Readonly<Record<string, string>> {
  return catalogues[locale];
}
