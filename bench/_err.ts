import { readFileSync } from 'node:fs';
import { ClassifierIntentRecognizer } from '../services/intents';
const r = new ClassifierIntentRecognizer();
const rows = readFileSync('/work/shared/data/routing/billing-vs-technical.dev.jsonl', 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string; source: string; lang: string });
const bySrc = new Map<string, [number, number]>();
const errs: string[] = [];
const tops = new Map<string, number>();
for (const row of rows) {
  const res = r.recognizeSync(row.text);
  const pred = res.top === 'billing' ? 'billing' : 'technical';
  const key = row.source;
  const v = bySrc.get(key) ?? [0, 0];
  v[1] += 1;
  if (pred !== row.label) { v[0] += 1; errs.push(`${row.label} ${res.top} ${res.score.toFixed(2)} | ${row.source} | ${row.text}`); }
  bySrc.set(key, v);
  if (row.label === 'technical') tops.set(res.top, (tops.get(res.top) ?? 0) + 1);
}
for (const [k, v] of [...bySrc.entries()].sort((a, b) => b[1][0] - a[1][0])) if (v[0] > 0) console.log(k, v[0], '/', v[1]);
console.log(tops);
const n = Number(process.argv[2] ?? 0);
if (n > 0) for (const e of errs.sort(() => Math.random() - 0.5).slice(0, n)) console.log(e);
