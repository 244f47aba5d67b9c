import { readFileSync } from 'node:fs';
import { ClassifierIntentRecognizer } from '../services/intents';
const rows = readFileSync('/work/shared/data/routing/billing-vs-technical.dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string; lang: string });
for (const bigrams of [true]) for (const charNgram of [0, 3, 4, 5]) for (const smoothing of [0.05, 0.2, 0.5, 1]) {
  const r = new ClassifierIntentRecognizer({ features: { bigrams, charNgram, smoothing } });
  let ok = 0, okfr = 0, nfr = 0, fp = 0, fn = 0;
  for (const row of rows) {
    const p = r.recognizeSync(row.text).top === 'billing' ? 'billing' : 'technical';
    if (p === row.label) ok++; else if (p === 'billing') fp++; else fn++;
    if (row.lang === 'fr') { nfr++; if (p === row.label) okfr++; }
  }
  console.log({ bigrams, charNgram, smoothing }, (ok / rows.length).toFixed(4), (okfr / nfr).toFixed(4), 'fp', fp, 'fn', fn);
}
