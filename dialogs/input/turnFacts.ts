import type { TurnContext } from 'botbuilder';
import type { ResolvedIdentity } from '../../services/identity';
import { clearlyWrittenIn, detectLanguageSwitch } from '../../services/language';
import type { Locale } from '../texts';
import type { ConversationContextProvider } from '../turnContextServices';

/**
 * What every dialog needs to know about the current turn, resolved once at the start of the
 * turn and then read as plain data: the conversation's language, the channel, and who is
 * talking (resolved at most once, on first use, since a search needs no identity and must work
 * while the database is down).
 */
export interface TurnFacts {
  locale: Locale;
  /** The activity's channel id (`msteams`, `webchat`, the local Direct Line's id…). */
  channel: string;
  /** Set when this turn changed the language, and why. */
  languageChange?: 'asked' | 'written';
  identity(): Promise<ResolvedIdentity>;
}

const FACTS = Symbol('helpline.turnFacts');

/**
 * The language of a conversation after one more message: the current one (from the page or
 * activity locale when the conversation starts), changed only when the user asks ("in English
 * please", « en français ») or writes a whole sentence clearly in the other language.
 */
export function decideLocale(
  current: Locale,
  text: string,
): { locale: Locale; change?: 'asked' | 'written' } {
  const asked = detectLanguageSwitch(text);
  if (asked) return asked === current ? { locale: current } : { locale: asked, change: 'asked' };
  const written = clearlyWrittenIn(text);
  if (written && written !== current) return { locale: written, change: 'written' };
  return { locale: current };
}

/** The turn's facts: resolved by the first call in a turn (deciding the language), then kept on the turn. */
export async function turnFacts(
  context: TurnContext,
  provider: ConversationContextProvider,
): Promise<TurnFacts> {
  const known = context.turnState.get<TurnFacts | undefined>(FACTS);
  if (known) return known;
  let locale = await provider.locale(context);
  let languageChange: TurnFacts['languageChange'];
  const activity = context.activity;
  if (activity.type === 'message' && activity.text) {
    const decided = decideLocale(locale, activity.text);
    if (decided.change) {
      locale = decided.locale;
      languageChange = decided.change;
      await provider.setLocale(context, locale);
    }
  }
  let identity: Promise<ResolvedIdentity> | undefined;
  const facts: TurnFacts = {
    locale,
    channel: activity.channelId,
    ...(languageChange && { languageChange }),
    identity: () => (identity ??= provider.identity(context)),
  };
  context.turnState.set(FACTS, facts);
  return facts;
}

/** Changes the conversation's language for this turn and the next ones. */
export async function switchLocale(
  context: TurnContext,
  provider: ConversationContextProvider,
  locale: Locale,
): Promise<void> {
  const facts = await turnFacts(context, provider);
  facts.locale = locale;
  await provider.setLocale(context, locale);
}
