/**
 * The one normaliser for short answers: folds case and accents, makes every apostrophe `'`,
 * drops punctuation around the words (keeping `'`, `/`, `-`, `?` inside), squeezes spaces.
 * "  Annuler ! " → "annuler"; "D’ACCORD." → "d'accord"; "Start-over" stays "start-over".
 */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[^\p{L}\p{N}'/?\s-]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s'?-]+|[\s'?-]+$/g, '')
    .trim();
}

/** Words in a message (anything between spaces). */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

// Politeness around a short answer does not change it: "cancel please", "oui merci", "ok, annuler".
const POLITE_PREFIX =
  /^(?:(?:ok|okay|please|pls|hmm|um|euh|bon|alors|well|oh|ah|svp|s'il vous plait|s'il te plait)\s+)+/;
const POLITE_SUFFIX =
  /(?:\s+(?:please|pls|thanks|thank you|then|now|svp|stp|s'il vous plait|s'il te plait|merci|alors|maintenant))+$/;

/** The normalised answer without the polite words around it. */
export function core(text: string): string {
  const folded = normalise(text);
  const stripped = folded.replace(POLITE_PREFIX, '').replace(POLITE_SUFFIX, '').trim();
  return stripped || folded;
}
