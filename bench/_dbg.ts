import { ClassifierIntentRecognizer, textFeatures } from '../services/intents';
const r = new ClassifierIntentRecognizer();
for (const t of process.argv.slice(2)) {
  const res = r.recognizeSync(t);
  console.log(t, '=>', res.top, res.intents.slice(0, 3).map((i) => `${i.intent}:${i.score.toFixed(2)}`).join(' '), textFeatures(t).join(','));
}
