/**
 * Billing-vs-technical routing benchmark: our recognizer (trained only on the project's own
 * utterances) against a plain keyword baseline, on a labelled JSONL file that is never trained on.
 *
 *   npm run bench:routing -- [--data FILE] [--json]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ClassifierIntentRecognizer, foldText } from '../services/intents';

type Route = 'billing' | 'technical';
type Lang = 'en' | 'fr';

const lineSchema = z.object({
  text: z.string(),
  label: z.enum(['billing', 'technical']),
  lang: z.enum(['en', 'fr']),
});
type Example = z.infer<typeof lineSchema>;

interface Report {
  accuracy: number;
  accuracyByLang: Record<Lang, number>;
  p99Ms: number;
  confusion: Record<Route, Record<Route, number>>;
}

const DEFAULT_DATA = resolve(
  join(__dirname, '..', '..', 'shared', 'data', 'routing', 'billing-vs-technical.dev.jsonl'),
);

// The baseline a reviewer would write in five minutes: any billing word means billing.
const BASELINE_KEYWORDS = new RegExp(
  '\\b(' +
    [
      'invoices?',
      'bills?',
      'billing',
      'billed',
      'charges?',
      'charged',
      'fees?',
      'refunds?',
      'refunded',
      'payments?',
      'pay',
      'paid',
      'price',
      'cost',
      'subscription',
      'renewal',
      'licen[cs]es?',
      'vat',
      'factures?',
      'facturation',
      'facture',
      'paiements?',
      'payer',
      'paye',
      'prelevements?',
      'rembourse\\w*',
      'frais',
      'tarifs?',
      'prix',
      'abonnements?',
      'renouvellement',
      'tva',
      'achat',
      'acheter',
    ].join('|') +
    ')\\b',
);

function baseline(text: string): Route {
  return BASELINE_KEYWORDS.test(foldText(text)) ? 'billing' : 'technical';
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function evaluate(examples: Example[], classify: (text: string) => Route): Report {
  const confusion: Record<Route, Record<Route, number>> = {
    billing: { billing: 0, technical: 0 },
    technical: { billing: 0, technical: 0 },
  };
  const byLang: Record<Lang, { right: number; total: number }> = {
    en: { right: 0, total: 0 },
    fr: { right: 0, total: 0 },
  };
  const timings: number[] = [];
  let right = 0;
  for (const example of examples) {
    const started = process.hrtime.bigint();
    const predicted = classify(example.text);
    timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    confusion[example.label][predicted] += 1;
    byLang[example.lang].total += 1;
    if (predicted === example.label) {
      right += 1;
      byLang[example.lang].right += 1;
    }
  }
  timings.sort((a, b) => a - b);
  const ratio = (r: { right: number; total: number }): number => (r.total === 0 ? 0 : r.right / r.total);
  return {
    accuracy: examples.length === 0 ? 0 : right / examples.length,
    accuracyByLang: { en: ratio(byLang.en), fr: ratio(byLang.fr) },
    p99Ms: percentile(timings, 99),
    confusion,
  };
}

function printReport(name: string, report: Report): void {
  const f = (n: number): string => n.toFixed(4);
  const out = process.stdout;
  out.write(`\n${name}\n`);
  out.write(
    `  accuracy ${f(report.accuracy)}  (en ${f(report.accuracyByLang.en)}, fr ${f(report.accuracyByLang.fr)})\n`,
  );
  out.write(`  p99 latency ${report.p99Ms.toFixed(3)} ms per classification\n`);
  out.write('  confusion (rows: actual, columns: predicted)\n');
  out.write(`               billing  technical\n`);
  for (const actual of ['billing', 'technical'] as const) {
    const row = report.confusion[actual];
    out.write(
      `    ${actual.padEnd(10)} ${String(row.billing).padStart(7)}  ${String(row.technical).padStart(9)}\n`,
    );
  }
}

function main(): void {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const dataPath = values.data !== undefined ? resolve(values.data) : DEFAULT_DATA;
  if (!existsSync(dataPath)) {
    process.stdout.write(`bench:routing skipped: no data file at ${dataPath} (pass --data FILE.jsonl)\n`);
    return;
  }
  const examples = readFileSync(dataPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = lineSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${dataPath}:${index + 1}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });

  const trainingStarted = process.hrtime.bigint();
  const recognizer = new ClassifierIntentRecognizer();
  const trainingMs = Number(process.hrtime.bigint() - trainingStarted) / 1e6;
  const ours = (text: string): Route =>
    recognizer.recognizeSync(text).top === 'billing' ? 'billing' : 'technical';
  // Warm up the JIT (one pass over the texts) so that p99 measures steady state, as in a running bot.
  for (const example of examples) ours(example.text);

  const oursReport = evaluate(examples, ours);
  const baselineReport = evaluate(examples, baseline);

  process.stdout.write(`routing benchmark on ${dataPath}\n`);
  process.stdout.write(
    `${examples.length} examples (en ${examples.filter((e) => e.lang === 'en').length}, fr ${examples.filter((e) => e.lang === 'fr').length}); model trained in ${trainingMs.toFixed(0)} ms on the project's own utterances\n`,
  );
  printReport(
    'ours: ClassifierIntentRecognizer (billing intent -> billing, any other -> technical)',
    oursReport,
  );
  printReport('baseline: billing keywords (en/fr) -> billing, else technical', baselineReport);
  if (values.json)
    process.stdout.write(`${JSON.stringify({ ours: oursReport, baseline: baselineReport })}\n`);
}

main();
