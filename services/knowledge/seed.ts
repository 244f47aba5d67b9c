import path from 'node:path';
import type { Logger } from '../logger';
import { importArticles, type ImportSummary } from './importer';
import type { MiniSearchKnowledgeBase } from './miniSearchKnowledgeBase';

/** The demo knowledge base shipped with Helpline: demo/<locale>/<key>.md. */
export const DEMO_KB_DIR = path.join(__dirname, 'demo');

/**
 * On first start: imports `sources` (the demo KB by default) when the article collection is
 * empty, through the knowledge base so that its index follows. Returns the summary, or
 * undefined when there were articles already. Two replicas starting together both import;
 * the upserts make that harmless.
 */
export async function seedKnowledgeBaseIfEmpty(
  knowledgeBase: MiniSearchKnowledgeBase,
  logger: Logger,
  sources: string[] = [DEMO_KB_DIR],
): Promise<ImportSummary | undefined> {
  if ((await knowledgeBase.count()) > 0) return undefined;
  const summary = await importArticles(sources, { writer: knowledgeBase, logger });
  if (summary.rejected) {
    logger.warn({ rejections: summary.rejections }, 'some demo articles were rejected');
  }
  return summary;
}
