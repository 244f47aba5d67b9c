import { core } from './normalise';

/** What the user can say at every prompt of every dialog, in English and French. */
export const COMMANDS = ['cancel', 'help', 'start_over', 'back', 'menu'] as const;
export type Command = (typeof COMMANDS)[number];

const WORDS: Record<Command, readonly string[]> = {
  cancel: [
    'cancel',
    'cancel that',
    'cancel it',
    'cancel ticket',
    'cancel this',
    'stop',
    'quit',
    'exit',
    'abort',
    'never mind',
    'nevermind',
    'forget it',
    'annuler',
    'annule',
    'annulez',
    'arreter',
    'arrete',
    'arretez',
    'stop',
    'quitter',
    'abandonner',
    'laisse tomber',
    'laissez tomber',
    'oublie',
    'oubliez',
  ],
  help: [
    'help',
    'help me',
    'i need help',
    'what can you do',
    'what can i say',
    'aide',
    'aide moi',
    'aidez moi',
    'aide-moi',
    'aidez-moi',
    "a l'aide",
    'au secours',
    'que pouvez-vous faire',
    'que peux-tu faire',
  ],
  start_over: [
    'start over',
    'start-over',
    'start again',
    'restart',
    'reset',
    'from the beginning',
    'recommencer',
    'recommence',
    'recommencez',
    'tout recommencer',
    'reprendre depuis le debut',
    'depuis le debut',
    'on recommence',
  ],
  back: [
    'back',
    'go back',
    'previous step',
    'retour',
    'revenir',
    'precedent',
    'retour en arriere',
    'en arriere',
  ],
  menu: [
    'menu',
    'main menu',
    'home',
    'show menu',
    'show the menu',
    'menu principal',
    'accueil',
    'retour au menu',
    'back to the menu',
    'back to menu',
  ],
};

const BY_WORDS = new Map<string, Command>(
  (Object.entries(WORDS) as Array<[Command, readonly string[]]>).flatMap(([command, words]) =>
    words.map((word) => [word, command] as const),
  ),
);

/**
 * The command a message is, or undefined. Only the whole message (politeness aside) counts:
 * "cancel please" and « Annuler ! » are commands; "cancel the renewal" or "the restore fails,
 * help" are answers, because a command word inside a longer answer is still an answer.
 */
export function readCommand(text: string): Command | undefined {
  return BY_WORDS.get(core(text));
}
