import { TICKET_LIMITS, billingTicketInputSchema } from '../../services/tickets';
import { readBillingCardAction } from '../cards/billingCards';
import { normalise as normaliseInput } from '../input';

/**
 * How the billing assistant reads answers: skips ("I don't have one"), invoice numbers and
 * amounts as people write them, the summary's decision, and whether a message says enough.
 */

export const MAX_AMOUNT = 10_000_000;

export type Decision = 'submit' | 'cancel';

/** The one normaliser, without apostrophes: "I don’t have one" and "i dont have one" are one answer. */
function normalise(text: string): string {
  return normaliseInput(text).replace(/'/g, '');
}

const SKIP_ANSWERS = new Set([
  'skip',
  'none',
  'no',
  'n/a',
  'na',
  'nothing',
  'not applicable',
  'i dont have one',
  'i do not have one',
  'i dont have it',
  'i dont know',
  'dont have one',
  'no invoice',
  'no amount',
  'passer',
  'aucun',
  'aucune',
  'non',
  'rien',
  'sans objet',
  'je nen ai pas',
  'je ne lai pas',
  'je ne sais pas',
  'pas de facture',
  'pas de montant',
]);

/** "skip", "I don't have one", « je n’en ai pas »… */
export function isSkip(text: string): boolean {
  return SKIP_ANSWERS.has(normalise(text));
}

const SUBMIT_ANSWERS = new Set([
  'submit',
  'send',
  'confirm',
  'yes',
  'ok',
  'envoyer',
  'soumettre',
  'valider',
  'confirmer',
  'oui',
]);

export function readDecision(activity: { text?: string; value?: unknown }): Decision | undefined {
  const action = readBillingCardAction(activity.value);
  if (action) return action.billing;
  const text = normalise(activity.text ?? '');
  if (SUBMIT_ANSWERS.has(text)) return 'submit';
  return undefined;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function hasWords(text: string | undefined): boolean {
  return /[\p{L}\p{N}]/u.test(text ?? '');
}

/** Enough words to search with and to act on. */
export function isQuestion(text: string): boolean {
  return wordCount(text) >= 3;
}

/** Long enough to be a ticket's description as it stands. */
export function isDescriptive(text: string): boolean {
  return text.trim().length >= TICKET_LIMITS.description.min && wordCount(text) >= 3;
}

export type InvoiceProblem = 'spaces' | 'length' | 'characters';
export type InvoiceNumberAnswer =
  { kind: 'skip' } | { kind: 'valid'; value: string } | { kind: 'invalid'; reason: InvoiceProblem };

const invoiceNumberSchema = billingTicketInputSchema.shape.invoiceNumber.unwrap();

/** An answer to "what is the invoice number?", checked as the billing queue will check it. */
export function parseInvoiceNumber(answer: string): InvoiceNumberAnswer {
  if (isSkip(answer)) return { kind: 'skip' };
  const value = answer
    .trim()
    .replace(/^(?:#|n°|nº|no\.|nr\.?)\s*/i, '')
    .replace(/[.!]+$/, '');
  if (/\s/.test(value)) return { kind: 'invalid', reason: 'spaces' };
  if (value.length < 3 || value.length > 30) return { kind: 'invalid', reason: 'length' };
  const parsed = invoiceNumberSchema.safeParse(value);
  return parsed.success ? { kind: 'valid', value: parsed.data } : { kind: 'invalid', reason: 'characters' };
}

const INVOICE_PREFIXED = /\b((?:inv|fac|fact|fa)[-/]?\d[A-Za-z0-9/_-]{1,26})\b/i;
const INVOICE_NAMED =
  /\b(?:invoice|facture)\s*(?:number|no\.?|nr\.?|n°|nº|num[ée]ro|#)?\s*[:#]?\s*([A-Za-z0-9][A-Za-z0-9/_-]{2,29})/i;

/** An invoice number the user already wrote in their question, if any. */
export function findInvoiceNumber(text: string): string | undefined {
  for (const pattern of [INVOICE_PREFIXED, INVOICE_NAMED]) {
    const candidate = pattern.exec(text)?.[1];
    if (candidate && /\d/.test(candidate)) {
      const parsed = parseInvoiceNumber(candidate);
      if (parsed.kind === 'valid') return parsed.value;
    }
  }
  return undefined;
}

export type AmountProblem = 'not_a_number' | 'not_positive' | 'too_large';
export type AmountAnswer =
  | { kind: 'skip' }
  | { kind: 'valid'; amount: number; currency?: string }
  | { kind: 'invalid'; reason: AmountProblem };

const CURRENCY_SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP' };
const CURRENCY_WORDS: Record<string, string> = {
  euro: 'EUR',
  euros: 'EUR',
  dollar: 'USD',
  dollars: 'USD',
  pound: 'GBP',
  pounds: 'GBP',
  livre: 'GBP',
  livres: 'GBP',
};
const SPACES = '\\s\\u00a0\\u202f';

/**
 * An amount as people write it: "120", "120.50 EUR", "€120,50", "1 200,00 €", "$1,200.00".
 * A lone separator followed by exactly three digits groups thousands ("1,200" and "1.200" are
 * both 1200); followed by one or two digits it is the decimal separator.
 */
export function parseAmount(answer: string): AmountAnswer {
  if (isSkip(answer)) return { kind: 'skip' };
  let currency: string | undefined;
  let rest = answer.trim().replace(/[€$£]/g, (symbol) => {
    currency ??= CURRENCY_SYMBOLS[symbol];
    return ' ';
  });
  rest = rest.replace(/\p{L}+/gu, (word) => {
    const code =
      CURRENCY_WORDS[word.toLowerCase()] ?? (/^[A-Za-z]{3}$/.test(word) ? word.toUpperCase() : undefined);
    if (!code) return word;
    currency ??= code;
    return ' ';
  });
  const amount = readNumber(ungroup(rest.trim()));
  if (amount === undefined) return { kind: 'invalid', reason: 'not_a_number' };
  if (amount <= 0) return { kind: 'invalid', reason: 'not_positive' };
  if (amount > MAX_AMOUNT) return { kind: 'invalid', reason: 'too_large' };
  return currency ? { kind: 'valid', amount, currency } : { kind: 'valid', amount };
}

const SPACED_GROUPS = new RegExp(`^\\d{1,3}(?:[${SPACES}'’]\\d{3})+(?:[.,]\\d{1,2})?$`);

/** "1 200,50" → "1200,50"; digits separated by spaces any other way are not one number. */
function ungroup(text: string): string {
  if (!new RegExp(`\\d[${SPACES}'’]+\\d`).test(text)) return text;
  return SPACED_GROUPS.test(text) ? text.replace(new RegExp(`[${SPACES}'’]`, 'g'), '') : 'x';
}

function readNumber(text: string): number | undefined {
  const match = /^([-−]?)(\d[\d.,]*)$/.exec(text);
  if (!match) return undefined;
  const sign = match[1] ? -1 : 1;
  const digits = match[2] ?? '';
  const lastDot = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  let integer = digits;
  let fraction = '';
  if (lastDot >= 0 && lastComma >= 0) {
    const decimal = lastDot > lastComma ? '.' : ',';
    const at = Math.max(lastDot, lastComma);
    integer = digits.slice(0, at);
    fraction = digits.slice(at + 1);
    if (!isThousands(integer, decimal === '.' ? ',' : '.')) return undefined;
  } else if (lastDot >= 0 || lastComma >= 0) {
    const separator = lastDot >= 0 ? '.' : ',';
    const parts = digits.split(separator);
    const tail = parts[parts.length - 1] ?? '';
    if (parts.length === 2 && tail.length >= 1 && tail.length <= 2) {
      integer = parts[0] ?? '';
      fraction = tail;
    } else if (!isThousands(digits, separator)) {
      return undefined;
    }
  }
  if (fraction.length > 2 || !/^\d*$/.test(fraction)) return undefined;
  const value = Number(`${integer.replace(/[.,]/g, '')}.${fraction || '0'}`);
  return Number.isFinite(value) ? (sign * Math.round(value * 100)) / 100 : undefined;
}

/** "1", "12", "1,200" or "1,200,000" with `separator` between groups of three. */
function isThousands(text: string, separator: string): boolean {
  const groups = text.split(separator);
  if (groups.length === 1) return /^\d+$/.test(text);
  return /^\d{1,3}$/.test(groups[0] ?? '') && groups.slice(1).every((group) => /^\d{3}$/.test(group));
}

const AMOUNT_IN_TEXT = new RegExp(
  `(?:[€$£][${SPACES}]?\\d[\\d.,${SPACES}]*\\d|[€$£][${SPACES}]?\\d)|(?:\\d(?:[\\d.,${SPACES}]*\\d)?[${SPACES}]?(?:[€$£]|\\b(?:EUR|USD|GBP|CHF|CAD|euros?|dollars?)\\b))`,
  'i',
);

/** An amount the user already wrote in their question, only when a currency marks it as money. */
export function findAmount(text: string): { amount: number; currency?: string } | undefined {
  const candidate = AMOUNT_IN_TEXT.exec(text)?.[0];
  if (!candidate) return undefined;
  const parsed = parseAmount(candidate);
  return parsed.kind === 'valid'
    ? { amount: parsed.amount, ...(parsed.currency ? { currency: parsed.currency } : {}) }
    : undefined;
}
