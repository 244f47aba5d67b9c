import { MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { Logger } from '../services/logger';
import { talkToPersonCard } from './cards/handoffCards';
import { withWayOn } from './cards/wayOn';
import { normalise } from './input';
import { t, type Locale, type TextKey } from './texts';

/**
 * Where the bot gives up and offers a person: repeated failures (two searches in a row that did
 * not help, or the same question answered wrongly three times), the user's frustration (their
 * words, or shouting), and a severity 1 situation. Dialogs note what happened in a turn with
 * `noteTurn`; at the end of the turn `decideGiveUp`, a pure function of those facts and a small
 * counter kept in conversation state, says whether to offer.
 */
export type GiveUpReason = 'repeated_failures' | 'frustration' | 'severity1';

/** What the dialogs noticed during one turn. */
export interface TurnSignals {
  /** A knowledge search ended: `failed` (not solved, nothing found, search again) or `solved`. */
  search?: 'failed' | 'solved';
  /** The prompt (a stable id) whose answer was not valid and is asked again. */
  invalidAnswer?: string;
  /** The problem is critical: production or the whole system down. */
  severityOne?: boolean;
  /** The user is now with a person, or asked for one: nothing to offer. */
  handedOver?: boolean;
}

/** Kept in conversation state between turns. */
export interface GiveUpCounter {
  /** Searches in a row that did not help. */
  failedSearches: number;
  /** The prompt answered wrongly, and how many times in a row. */
  invalid?: { prompt: string; count: number } | undefined;
  /** Turns since the last offer (undefined: never offered); an offer is not repeated at once. */
  sinceOffer?: number | undefined;
  /** A severity 1 situation was met with an offer already (the intake's severity step would say it again). */
  severityOneOffered?: boolean | undefined;
}

export const FAILED_SEARCHES_BEFORE_OFFER = 2;
export const INVALID_ANSWERS_BEFORE_OFFER = 3;
/** After an offer, this many turns pass before another one (frustration stays frustration). */
const QUIET_TURNS = 4;

export interface GiveUpDecision {
  counter: GiveUpCounter;
  offer?: GiveUpReason;
}

/** The counter after one turn, and the offer to make, if any. Pure. */
export function decideGiveUp(
  before: GiveUpCounter | undefined,
  turn: { text?: string | undefined; signals: TurnSignals },
): GiveUpDecision {
  const { signals } = turn;
  const previous: GiveUpCounter = before ?? { failedSearches: 0 };
  const sinceOffer = previous.sinceOffer === undefined ? undefined : previous.sinceOffer + 1;
  if (signals.handedOver) return { counter: { failedSearches: 0, sinceOffer: 0 } };

  const failedSearches =
    signals.search === 'failed'
      ? previous.failedSearches + 1
      : signals.search === 'solved'
        ? 0
        : previous.failedSearches;
  const invalid = signals.invalidAnswer
    ? {
        prompt: signals.invalidAnswer,
        count: previous.invalid?.prompt === signals.invalidAnswer ? previous.invalid.count + 1 : 1,
      }
    : undefined;
  const severityOneOffered = previous.severityOneOffered;
  const counter: GiveUpCounter = {
    failedSearches,
    ...(invalid && { invalid }),
    sinceOffer,
    ...(severityOneOffered && { severityOneOffered }),
  };

  const reason: GiveUpReason | undefined =
    signals.severityOne && !severityOneOffered
      ? 'severity1'
      : failedSearches >= FAILED_SEARCHES_BEFORE_OFFER ||
          (invalid?.count ?? 0) >= INVALID_ANSWERS_BEFORE_OFFER
        ? 'repeated_failures'
        : turn.text && soundsFrustrated(turn.text)
          ? 'frustration'
          : undefined;
  if (!reason) return { counter };
  // Severity 1 is said once, even just after another offer; the others are not repeated turn after turn.
  if (reason !== 'severity1' && sinceOffer !== undefined && sinceOffer < QUIET_TURNS) return { counter };
  const offered = severityOneOffered || reason === 'severity1';
  return {
    counter: { failedSearches: 0, sinceOffer: 0, ...(offered && { severityOneOffered: true }) },
    offer: reason,
  };
}

/** Words and phrases of a user who has had enough, in English and French (compared without accents). */
const FRUSTRATED = [
  /\b(useless|pointless|hopeless|ridiculous|stupid|dumb|rubbish|garbage|pathetic|terrible|awful|worst)\b/,
  /\b(frustrat\w*|annoy\w*|fed up|sick of|tired of|had enough|waste of (my )?time|wasting my time)\b/,
  /\b(not helping|doesn'?t help|does not help|no help|you don'?t understand|you do not understand)\b/,
  /\b(this is going nowhere|for god'?s sake|wtf|ffs)\b/,
  /\b(inutile|nul|nulle|ridicule|absurde|n'importe quoi|ras le bol|ras-le-bol|j'en ai marre|marre|penible|agace\w*|enerve\w*|exaspere\w*)\b/,
  /\b(ca sert a rien|ca ne sert a rien|vous ne comprenez pas|tu ne comprends pas|tu comprends rien|perte de temps|je perds mon temps|ca m'aide pas|ca ne m'aide pas)\b/,
];

/** Whether the message sounds like the user has had enough: their words, or shouting. */
export function soundsFrustrated(text: string): boolean {
  const folded = normalise(text);
  if (FRUSTRATED.some((pattern) => pattern.test(folded))) return true;
  return isShouting(text);
}

/**
 * A run of three exclamation marks, or a message written in capitals: at least four words and
 * most of its letters. Words with digits (serial numbers, error codes) and short acronyms do
 * not count, so "VSS ERROR ON SRV01" is not shouting.
 */
export function isShouting(text: string): boolean {
  if (/!\s*!\s*!/.test(text)) return true;
  const words = text.split(/[^\p{L}\p{N}'’-]+/u).filter((w) => /\p{L}{2,}/u.test(w) && !/\d/.test(w));
  const capitals = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase());
  const letters = (list: string[]) => list.join('').replace(/[^\p{L}]/gu, '').length;
  return capitals.length >= 4 && letters(capitals) >= 14 && letters(capitals) / letters(words) >= 0.8;
}

const SIGNALS = Symbol('helpline.giveUpSignals');

/** Records what a dialog noticed in this turn (read once at the end of the turn by `GiveUpWatch`). */
export function noteTurn(context: TurnContext, signal: TurnSignals): void {
  const known = context.turnState.get<TurnSignals | undefined>(SIGNALS) ?? {};
  context.turnState.set(SIGNALS, { ...known, ...signal });
}

export interface GiveUpWatchDeps {
  /** The counter's place in conversation state (created once, with the other accessors). */
  counter: StatePropertyAccessor<GiveUpCounter>;
  /** Whether a handoff can work now (agents on duty, within support hours). */
  canHandOff: () => Promise<boolean>;
  logger: Logger;
}

const OFFER_TEXT: Record<GiveUpReason, TextKey> = {
  repeated_failures: 'giveUp.repeatedFailures',
  frustration: 'giveUp.frustration',
  severity1: 'giveUp.severityOne',
};

/** Runs `decideGiveUp` at the end of each turn and sends the offer it decides. */
export class GiveUpWatch {
  constructor(private readonly deps: GiveUpWatchDeps) {}

  /**
   * `inProgress`: a dialog is still waiting for an answer. When nobody can take a conversation,
   * the way on is the ticket: offered when nothing is in progress (an intake in progress is
   * already that way), never a button that cannot work.
   */
  async afterTurn(context: TurnContext, locale: Locale, inProgress: boolean): Promise<void> {
    if (context.activity.type !== 'message') return;
    const signals = context.turnState.get<TurnSignals | undefined>(SIGNALS) ?? {};
    const before = await this.deps.counter.get(context, { failedSearches: 0 });
    const decision = decideGiveUp(before, { text: context.activity.text, signals });
    await this.deps.counter.set(context, decision.counter);
    if (!decision.offer) return;
    const reason = decision.offer;
    const available = await this.deps.canHandOff().catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'handoff availability unknown: no person offered');
      return false;
    });
    this.deps.logger.info({ reason, available }, 'bot gives up');
    const message = t(locale, OFFER_TEXT[reason]);
    if (available) {
      await context.sendActivity(MessageFactory.attachment(talkToPersonCard(locale, message, reason)));
      return;
    }
    if (reason === 'severity1' || inProgress) return;
    await context.sendActivity(
      withWayOn(locale, `${message} ${t(locale, 'giveUp.nobodyNow')}`, ['open_ticket', 'my_requests']),
    );
  }
}
