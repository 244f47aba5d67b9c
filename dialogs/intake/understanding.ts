import type { ProductCatalogue } from '../../services/catalogue';
import type { TicketFieldExtractor } from '../../services/llm';
import type { Logger } from '../../services/logger';
import type { ResolvedIdentity } from '../../services/identity';
import type { StatusFeed } from '../../services/status';
import { viewerFromContact, type TicketService, type TicketViewer } from '../../services/tickets';
import { incidentNotice } from '../serviceStatusDialog';
import type { Locale } from '../texts';
import type { IntentRecognizer } from '../../services/intents';
import {
  CANDIDATE_FIELDS,
  extractCandidates,
  looksLikeFeatureRequest,
  type Candidates,
  type RuleExtraction,
} from './extract';

export interface UnderstandingDeps {
  catalogue: ProductCatalogue;
  /** The language model's extractor, when one is configured: it fills what the rules left. */
  extractor?: TicketFieldExtractor | undefined;
  logger: Logger;
}

/**
 * What one message (and the conversation so far) says about the ticket: the rules' candidates
 * first, then the model's for the fields the rules did not find. Every candidate still goes
 * through its field's parse before it fills anything.
 */
export async function understand(
  text: string,
  conversation: string[],
  locale: Locale,
  conversationId: string,
  deps: UnderstandingDeps,
): Promise<RuleExtraction> {
  const rules = extractCandidates(text, deps.catalogue);
  if (!deps.extractor || !text.trim()) return rules;
  const result = await deps.extractor.extract({
    messages: conversation.length ? conversation : [text],
    locale,
    modules: deps.catalogue.technicalModules().map((m) => ({ id: m.id, name: m.name[locale] })),
    conversationId,
  });
  if (result.outcome !== 'ok') {
    deps.logger.info(
      { outcome: result.outcome, reason: result.reason },
      'intake: extraction by the model skipped',
    );
    return rules;
  }
  const candidates: Candidates = { ...rules.candidates };
  for (const field of CANDIDATE_FIELDS) {
    const value = field === 'severity' ? undefined : result.value.candidates[field];
    if (value && candidates[field] === undefined) candidates[field] = value;
  }
  const modelDescription = result.value.candidates.description;
  const expected = result.value.candidates.expectedResult;
  if (expected && modelDescription && candidates.description === modelDescription)
    candidates.description = `${modelDescription}\nExpected: ${expected}`;
  const modelSeverity = result.value.severity?.severity;
  const severityGuess =
    rules.severityGuess ?? (modelSeverity ? { severity: modelSeverity, cue: 'default' as const } : undefined);
  return {
    candidates,
    ...(severityGuess && { severityGuess }),
    severalProblems: rules.severalProblems || result.value.problems.length >= 2,
    featureRequest: rules.featureRequest,
  };
}

/**
 * The organisation's last-used server address and version for a module, from its newest
 * tickets: offered as one-tap answers. A lookup that fails only costs the shortcut.
 */
export async function lastUsedAnswers(
  tickets: TicketService,
  viewer: TicketViewer,
  moduleId: string,
  logger: Logger,
): Promise<{ serverUrl?: string; productVersion?: string }> {
  try {
    const page = await tickets.list({ viewer, scope: 'organisation', pageSize: 20 });
    const same = page.items.filter((ticket) => ticket.type === 'technical' && ticket.module === moduleId);
    const serverUrl = same.find((ticket) => ticket.serverUrl)?.serverUrl;
    const productVersion = same.find((ticket) => ticket.productVersion)?.productVersion;
    return { ...(serverUrl && { serverUrl }), ...(productVersion && { productVersion }) };
  } catch (error) {
    logger.warn({ err: error, moduleId }, 'intake: last-used answers not available');
    return {};
  }
}

/**
 * What is worth knowing once a module is chosen: an active incident on it (said before the
 * rest is asked), and the organisation's last-used answers for it.
 */
export async function moduleFacts(
  moduleId: string,
  locale: Locale,
  identity: ResolvedIdentity,
  deps: {
    tickets: TicketService;
    catalogue: ProductCatalogue;
    statusFeed?: StatusFeed | undefined;
    logger: Logger;
  },
): Promise<{ notice?: string | undefined; lastUsed: { serverUrl?: string; productVersion?: string } }> {
  const notice = deps.statusFeed
    ? await incidentNotice(deps.statusFeed, moduleId, locale, deps.catalogue, deps.logger)
    : undefined;
  const lastUsed =
    identity.kind === 'contact' && identity.contact.authorized
      ? await lastUsedAnswers(deps.tickets, viewerFromContact(identity), moduleId, deps.logger)
      : {};
  return { notice, lastUsed };
}

/** A request for something new, said where a defect description was expected. */
export async function isFeatureRequest(
  recognizer: IntentRecognizer,
  text: string,
  locale: Locale,
): Promise<boolean> {
  if (looksLikeFeatureRequest(text)) return true;
  const recognition = await recognizer.recognize(text, { locale });
  return recognition.top === 'feature_request' && recognition.score >= 0.6;
}

/** A clear billing question (not a field answer that merely mentions money). */
export async function isBillingQuestion(
  recognizer: IntentRecognizer,
  text: string,
  locale: Locale,
): Promise<boolean> {
  if (text.split(/\s+/).length < 4) return false;
  const recognition = await recognizer.recognize(text, { locale });
  return recognition.top === 'billing' && recognition.score >= 0.85;
}
