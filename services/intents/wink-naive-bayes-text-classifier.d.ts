// The package ships no types; this declares the part of its API Helpline uses.
declare module 'wink-naive-bayes-text-classifier' {
  interface NaiveBayesTextClassifier {
    defineConfig(config: { considerOnlyPresence?: boolean; smoothingFactor?: number }): boolean;
    definePrepTasks(tasks: Array<(input: string[]) => string[]>): number;
    learn(input: string[], label: string): boolean;
    consolidate(): boolean;
    /** Log2 odds of each label against all the others, best first; `[['unknown', 0]]` when no token is known. */
    computeOdds(input: string[]): Array<[string, number]>;
    predict(input: string[]): string;
    /** The learned model as JSON: `[config, samples per label, counts per label and token, tokens per label, vocabulary]`. */
    exportJSON(): string;
    stats(): {
      labelWiseSamples: Record<string, number>;
      labelWiseWords: Record<string, number>;
      vocabulary: number;
    };
  }
  function winkNaiveBayesTextClassifier(): NaiveBayesTextClassifier;
  export = winkNaiveBayesTextClassifier;
}
