/** The Billing & Payments assistant's own words (English, then French; same keys). */
export const billingEn = {
  'billing.name': 'Billing & Payments assistant',
} as const;

export const billingFr: Record<keyof typeof billingEn, string> = {
  'billing.name': 'Assistant Facturation et paiements',
};
