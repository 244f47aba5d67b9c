import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { BILLING_TOPICS, INTENTS, type BillingTopic, type Locale, type TrainedIntent } from './types';

const TRAINED_INTENTS = INTENTS.filter((intent): intent is TrainedIntent => intent !== 'unknown');

const utteranceSchema = z
  .object({
    text: z.string().trim().min(1),
    intent: z.enum(TRAINED_INTENTS),
    topic: z.enum(BILLING_TOPICS).optional(),
  })
  .refine((u) => (u.intent === 'billing') === (u.topic !== undefined), {
    message: 'billing utterances need a topic, and only they may have one',
  });

/** One example message the classifiers learn from. */
export interface Utterance {
  text: string;
  intent: TrainedIntent;
  topic?: BillingTopic;
  lang: Locale;
}

/** Where the project's own example utterances live: `utterances.<lang>.jsonl`. */
export const UTTERANCES_DIR = join(__dirname, 'examples');

/** Reads and validates the example utterances of the given languages; a bad line fails with its file and line. */
export function loadUtterances(
  languages: Locale[] = ['en', 'fr'],
  dir: string = UTTERANCES_DIR,
): Utterance[] {
  const utterances: Utterance[] = [];
  for (const lang of languages) {
    const file = join(dir, `utterances.${lang}.jsonl`);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (cause) {
        throw new AppError('invalid_input', `${file}:${index + 1}: not JSON`, { cause });
      }
      const result = utteranceSchema.safeParse(parsed);
      if (!result.success) {
        throw new AppError('invalid_input', `${file}:${index + 1}: ${z.prettifyError(result.error)}`);
      }
      utterances.push({ ...result.data, lang });
    });
  }
  return utterances;
}
