import { fold, type Severity } from './fields';

/**
 * A first guess at a ticket's severity from how the problem is described, reading its scale:
 * how many are hit ("all", "most", "120 devices", "40 workstations", "one PC"), and how badly
 * ("offline", "production stopped", "fails", "how do I…"). Pure; the user always confirms.
 *
 * 1 = whole system / server / most agents down, production stopped;
 * 2 = an important function lost, or many devices failing;
 * 3 = a function partly lost, a few devices;
 * 4 = minor, or a question about installation, configuration or integration.
 */
export interface SeverityGuess {
  severity: Severity;
  /** What the guess rests on, for tests and logs. */
  cue: 'critical' | 'scale_down' | 'scale_failing' | 'failing' | 'question' | 'feature' | 'default';
}

const UNITS =
  '(?:agents?|devices?|machines?|servers?|serveurs?|workstations?|postes?(?: de travail)?|pcs?|computers?|ordinateurs?|endpoints?|appareils?|users?|utilisateurs?|clients?|sites?|laptops?|portables?|probes?|sondes?|jobs?|sauvegardes?|backups?|switch(?:es)?|routers?|routeurs?)';

/** Down, dark, unreachable: the words of an outage. */
const DOWN =
  /\b(offline|off line|down|unreachable|not reporting|not responding|stopped|disconnected|dead|hors ligne|injoignables?|inaccessibles?|en panne|a l'arret|arretes?|deconnectes?|ne remontent plus|ne repondent plus|hors service|grey(?:ed)? out|gris(?:es)?)\b/;
/** Failing: something does not work as it should. */
const FAILING =
  /\b(fail(?:s|ed|ing|ure)?|errors?|cannot|can't|cant|unable|won't|wont|doesn't work|does not work|not working|broken|crash(?:es|ed|ing)?|black screen|timeout|times out|stuck|hangs?|drops?|dropped|dropping|freezes?|frozen|slow|echoue(?:nt)?|echec|erreurs?|impossible|plante(?:nt)?|bloque(?:e|es|s)?|ne fonctionne(?:nt)? (?:plus|pas)|ne marche(?:nt)? (?:plus|pas)|ecran noir)\b/;

const CRITICAL = [
  /\b(production|prod)\b.{0,40}\b(stopped|halted|down|is down|at a standstill|arretee?|a l'arret|bloquee?|paralysee?|stoppee?)\b/,
  /\b(arret|stop) (total|complet) de la production\b/,
  /\b(server|serveur|platform|plateforme|console|system|systeme|service|portal|portail)\b.{0,30}\b(completely|totally|entirely|fully|completement|totalement|entierement)\b.{0,20}\b(down|offline|unreachable|dead|hors service|en panne|inaccessible|hors ligne|arrete)\b/,
  /\b(completely|totally|entirely) (down|offline|unreachable|dead)\b/,
  /\b(completement|totalement|entierement) (hors service|en panne|inaccessible|hors ligne|arrete|bloque)\b/,
  /\b(the|our|notre|le) (rmm |main |principal |)(server|serveur|platform|plateforme) (is |est )?(down|dead|hors service|en panne|inaccessible|unreachable)\b/,
  /\bnothing works\b|\bplus rien ne (fonctionne|marche)\b|\bnobody can (work|connect|log ?in)\b|\bpersonne ne peut (travailler|se connecter)\b/,
  /\b(whole|entire) (company|system|site|estate|fleet)\b.{0,40}\b(down|offline|stopped|unreachable)\b/,
  /\b(toute l'entreprise|tout le parc|tout le site)\b.{0,40}\b(hors ligne|en panne|arrete|bloque|inaccessible)\b/,
];

const ALL = new RegExp(
  `\\b(all|every|each|entire|whole|tous|toutes|chaque|l'ensemble|ensemble) (?:of )?(?:the |our |my |les |nos |des |de nos |de nos |du |de )?(?:\\w+ ){0,2}${UNITS}\\b`,
);
const MOST = new RegExp(
  `\\b(most|majority|nearly all|almost all|the bulk|la plupart|la majorite|presque tous|presque toutes|quasiment tous|quasiment toutes)\\b(?: (?:of )?(?:the |our |my |les |nos |des |de nos |de )?(?:\\w+ ){0,3}${UNITS}\\b)?`,
);
const MANY = new RegExp(
  `\\b(many|several|lots of|a lot of|dozens of|hundreds of|numerous|plusieurs|nombreux|nombreuses|beaucoup de|des dizaines de|des centaines de) (?:\\w+ ){0,2}${UNITS}\\b`,
);
const COUNT = new RegExp(
  `(?<![-\\w.#])(\\d{1,6})(?:\\s*(?:\\+|or more|ou plus))?\\s+(?:(?:of )?(?:our |the |my |nos |de nos |des )?)?(?:\\w+ ){0,2}${UNITS}\\b`,
  'g',
);
const SINGLE = new RegExp(
  `\\b(one|a single|only one|just one|un seul|une seule|un|une|1) (?:\\w+ ){0,1}${UNITS}\\b|\\bone of (?:our|the|my) ${UNITS}\\b|\\bun de nos ${UNITS}\\b`,
);
const QUESTION =
  /\b(how (do|can|to|should)|is it possible|is there a way|what is the best way|question about|configur\w*|install\w*|integrat\w*|set ?up|comment (faire|puis|peut|configurer|installer|parametrer)|est-il possible|est-ce possible|parametr\w*|est-ce qu'on peut)\b/;

/** The largest number of affected things the text gives ("about 120 devices" → 120). */
export function affectedCount(text: string): number | undefined {
  const folded = fold(text);
  let best: number | undefined;
  for (const match of folded.matchAll(COUNT)) {
    const n = Number(match[1]);
    // Years, versions and ticket numbers are not counts.
    if (n >= 1900 && n <= 2100) continue;
    if (best === undefined || n > best) best = n;
  }
  return best;
}

/** True when the text describes a severity-1 situation: the ticket should be offered before articles. */
export function isSeverityOneSituation(text: string): boolean {
  return suggestSeverity(text).severity === 1;
}

export function suggestSeverity(text: string): SeverityGuess {
  const folded = fold(text);
  if (CRITICAL.some((re) => re.test(folded))) return { severity: 1, cue: 'critical' };
  const down = DOWN.test(folded);
  const failing = FAILING.test(folded);
  const count = affectedCount(folded);
  const wide = ALL.test(folded) || MOST.test(folded);
  if (down && (wide || (count !== undefined && count >= 50))) return { severity: 1, cue: 'scale_down' };
  if ((down || failing) && (wide || MANY.test(folded) || (count !== undefined && count >= 10)))
    return { severity: 2, cue: 'scale_failing' };
  if (
    /\b(feature request|would be nice|could you add|can you add|pourriez-vous ajouter|serait-il possible d'ajouter)\b/.test(
      folded,
    )
  )
    return { severity: 4, cue: 'feature' };
  if (down || failing) {
    const few = SINGLE.test(folded) || (count !== undefined && count < 10);
    return { severity: few ? 3 : 2, cue: 'failing' };
  }
  if (QUESTION.test(folded)) return { severity: 4, cue: 'question' };
  return { severity: 3, cue: 'default' };
}
