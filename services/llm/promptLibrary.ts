import { readFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';
import { AppError } from '../errors';

/** The folder of the prompt files: `<id>.md`, front matter `id` and `version`, the body is the system prompt. */
export const PROMPTS_DIR = path.join(__dirname, 'prompts');

export const PROMPT_IDS = ['grounded-answer', 'ticket-extraction', 'intent', 'handoff-summary'] as const;
export type PromptId = (typeof PROMPT_IDS)[number];

/** A system prompt as data: its id and version are logged with every call that uses it. */
export interface Prompt {
  id: PromptId;
  /** Raised whenever the text changes, so logs and reports say which wording produced an answer. */
  version: number;
  /** The system prompt, with `{{name}}` placeholders filled per call. */
  text: string;
}

const frontMatterSchema = z.object({
  id: z.enum(PROMPT_IDS),
  version: z.number().int().min(1),
});

/** How prompts name the languages Helpline speaks. */
export const LANGUAGE_NAMES = { en: 'English', fr: 'French' } as const;

const PLACEHOLDER = /\{\{([a-zA-Z][a-zA-Z0-9]*)\}\}/g;

/** Reads and checks one prompt file; throws AppError('config_invalid') when it is missing or malformed. */
export function loadPrompt(id: PromptId, folder: string = PROMPTS_DIR): Prompt {
  const file = path.join(folder, `${id}.md`);
  let parsed: matter.GrayMatterFile<string>;
  try {
    // An empty options object keeps gray-matter from caching by content.
    parsed = matter(readFileSync(file, 'utf8'), {});
  } catch (error) {
    throw new AppError('config_invalid', `Cannot read the prompt ${file}`, { cause: error });
  }
  const meta = frontMatterSchema.safeParse(parsed.data);
  if (!meta.success || meta.data.id !== id) {
    throw new AppError(
      'config_invalid',
      `The prompt ${file} needs front matter "id: ${id}" and "version: N"`,
    );
  }
  return { id, version: meta.data.version, text: parsed.content.trim() };
}

/** Every prompt, read once at start. */
export function loadPrompts(folder: string = PROMPTS_DIR): Record<PromptId, Prompt> {
  return Object.fromEntries(PROMPT_IDS.map((id) => [id, loadPrompt(id, folder)])) as Record<PromptId, Prompt>;
}

/** The prompt's text with its placeholders filled; a placeholder without a value is an error in the caller. */
export function renderPrompt(prompt: Prompt, values: Record<string, string> = {}): string {
  return prompt.text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new AppError(
        'internal',
        `The prompt ${prompt.id} v${prompt.version} needs a value for {{${name}}}`,
      );
    }
    return value;
  });
}
