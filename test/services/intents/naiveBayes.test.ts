import assert from 'node:assert/strict';
import createNaiveBayes from 'wink-naive-bayes-text-classifier';
import { loadUtterances, type Utterance } from '../../../services/intents';
import { BILLING_GATE_FEATURE_OPTIONS } from '../../../services/intents/billingGate';
import { NaiveBayesTextModel } from '../../../services/intents/naiveBayes';
import {
  DEFAULT_FEATURE_OPTIONS,
  textFeatures,
  type FeatureOptions,
} from '../../../services/intents/textFeatures';

/**
 * The scores the library itself gives: wink's `computeOdds` over the same features, turned into
 * scores the way the model does. The model works its odds out from tables made at training; they
 * must be the library's to the last bit.
 */
function libraryScores(
  examples: Array<{ text: string; label: string; lang: 'en' | 'fr' }>,
  options: FeatureOptions,
): (text: string, lang?: 'en' | 'fr') => Array<{ label: string; score: number }> {
  const wink = createNaiveBayes();
  wink.defineConfig({ considerOnlyPresence: true, smoothingFactor: options.smoothing });
  wink.definePrepTasks([]);
  const seen = new Set<string>();
  for (const example of examples) {
    const features = textFeatures(example.text, options, example.lang);
    wink.learn(features, example.label);
    for (const feature of features) seen.add(feature);
  }
  wink.consolidate();
  return (text, lang) => {
    const known = [...new Set(textFeatures(text, options, undefined, lang))].filter((f) => seen.has(f));
    if (!known.length) return [];
    const odds = wink.computeOdds(known);
    if (odds.length === 1 && odds[0]?.[0] === 'unknown') return [];
    const best = Math.max(...odds.map(([, value]) => value));
    const weights = odds.map(([label, value]) => ({ label, weight: Math.pow(2, value - best) }));
    const total = weights.reduce((sum, entry) => sum + entry.weight, 0);
    return weights
      .map(({ label, weight }) => ({ label, score: weight / total }))
      .sort((a, b) => b.score - a.score);
  };
}

describe('NaiveBayesTextModel', () => {
  const utterances: Utterance[] = loadUtterances();
  const probes = [
    ...utterances.map((u) => u.text),
    'Since yesterday the agents on our client sites show as disconnected',
    'nous avons été prélevés deux fois pour la facture de juin',
    'what is happening with the case I opened on Monday',
    'zzz qqq',
    '',
    'invoice invoice invoice agent offline backup facture',
    'Bonjour, je voudrais parler à quelqu’un du support',
  ];

  for (const [name, options, label] of [
    ['intents', DEFAULT_FEATURE_OPTIONS, (u: Utterance) => u.intent],
    [
      'the billing gate',
      BILLING_GATE_FEATURE_OPTIONS,
      (u: Utterance) => (u.intent === 'billing' ? 'billing' : 'other'),
    ],
  ] as const) {
    it(`scores every message exactly as the library's own odds do (${name})`, () => {
      const examples = utterances.map((u) => ({ text: u.text, label: label(u), lang: u.lang }));
      const model = new NaiveBayesTextModel(examples, options);
      const expected = libraryScores(examples, options);
      let compared = 0;
      for (const text of probes)
        for (const lang of [undefined, 'en', 'fr'] as const) {
          assert.deepEqual(
            model.scores(text, lang),
            expected(text, lang),
            `${text} (${lang ?? 'no language'})`,
          );
          compared++;
        }
      assert.ok(compared > 300, `${compared} comparisons`);
    });
  }

  it('has no score for a message without a known feature', () => {
    const model = new NaiveBayesTextModel(
      utterances.map((u) => ({ text: u.text, label: u.intent, lang: u.lang })),
      DEFAULT_FEATURE_OPTIONS,
    );
    assert.deepEqual(model.scores('zzzz qqqq'), []);
    assert.ok(model.scores('my invoice is wrong').length > 1);
  });
});
