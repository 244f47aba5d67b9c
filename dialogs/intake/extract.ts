import type { ProductCatalogue } from '../../services/catalogue';
import {
  fold,
  INTAKE_FIELDS,
  moduleMentionedIn,
  subjectFrom,
  type IntakeField,
  type Severity,
} from './fields';
import { suggestSeverity, type SeverityGuess } from './severity';

/** The fields a message can carry (every intake field), each written as a user would answer its question. */
export const CANDIDATE_FIELDS = INTAKE_FIELDS;
export type CandidateField = IntakeField;
export type Candidates = Partial<Record<CandidateField, string>>;

/** What the rules read in one message. Candidates still go through each field's own parse. */
export interface RuleExtraction {
  candidates: Candidates;
  severityGuess?: SeverityGuess;
  /** The message describes more than one problem. */
  severalProblems: boolean;
  /** The message asks for something new rather than reporting something broken. */
  featureRequest: boolean;
}

const LEAD_IN_EN =
  /^\s*(?:(?:hi|hello|hey|good (?:morning|afternoon))\b[\s,!.]*)?(?:(?:i|we)(?:\s+(?:need|want|would like|'d like|have|must)\s+to|'d like to|\s+need to)?\s+)?(?:please\s+)?(?:open|create|log|raise|file|submit|start)\s+(?:a|an|one)?\s*(?:new\s+)?(?:support\s+|technical\s+)?(?:ticket|case|incident|request)\b(?:\s+(?:please|for (?:me|us)))?\s*(?:[:\-–—,.]|\b(?:about|for|regarding|because|as)\b)?\s*/i;
const LEAD_IN_FR =
  /^\s*(?:(?:bonjour|salut|bonsoir)\b[\s,!.]*)?(?:(?:je|nous|j'|on)\s*(?:voudrais|veux|souhaite|souhaitons|dois|devons|aimerais|voudrions|ai besoin d'|avons besoin d'|doit)\s*)?(?:ouvrir|creer|declarer|signaler|ouvre|cree)\s+(?:un|une)?\s*(?:nouveau\s+|nouvel\s+)?(?:ticket|incident|demande|dossier)(?:\s+(?:de support|technique))?\b\s*(?:[:\-–—,.]|\b(?:pour|concernant|au sujet de|car|parce que)\b)?\s*/i;

/**
 * The problem text after a "please open a ticket" lead-in ("I need to open a ticket: agents
 * offline…" → "agents offline…"); the whole text when there is none. Empty when the message is
 * only the lead-in.
 */
export function stripTicketLeadIn(text: string): string {
  const normalised = text.replace(/[’]/g, "'");
  const folded = normalised.normalize('NFD').replace(/\p{M}/gu, '');
  for (const re of [LEAD_IN_EN, LEAD_IN_FR]) {
    const match = re.exec(folded);
    // The folded text has the same length as the original only without combining marks: cut on the original.
    if (match && match[0].trim()) return cutSameWords(normalised, match[0]).trim();
  }
  return text.trim();
}

/** `text` without as many leading characters as `prefixFolded` has once accents are folded. */
function cutSameWords(text: string, prefixFolded: string): string {
  let consumed = 0;
  let i = 0;
  while (i < text.length && consumed < prefixFolded.length) {
    consumed += text[i].normalize('NFD').replace(/\p{M}/gu, '').length;
    i++;
  }
  return text.slice(i);
}

type Section = 'steps' | 'expected' | 'devices' | 'server' | 'version' | 'module' | 'subject' | 'description';
const SECTION_LABELS: Array<[Section, string]> = [
  [
    'steps',
    'steps(?: to reproduce)?|to reproduce|how to reproduce|repro(?:duction)?(?: steps)?|reproduce|etapes(?: pour reproduire| de reproduction)?|pour reproduire|reproduction|comment reproduire',
  ],
  ['expected', 'expected(?: result| behaviou?r)?|resultat attendu|attendu|comportement attendu'],
  [
    'devices',
    '(?:affected |example )?devices?(?: affected)?|appareils?(?: concernes| touches)?|postes? concernes|equipements?(?: concernes)?',
  ],
  ['server', 'server(?: url| address)?|url(?: du serveur)?|serveur|adresse du serveur|console url'],
  ['version', '(?:product |agent )?version|version du produit'],
  ['module', 'module|product|produit'],
  ['subject', 'subject|title|summary|objet|sujet|titre|resume'],
  ['description', 'description|details|probleme|problem|issue'],
];
const SECTION_RE = new RegExp(
  `(?:^|\\n|(?<=[.!?;)])\\s+)\\s*(?:[-*•]\\s*)?(${SECTION_LABELS.map(([, l]) => `(?:${l})`).join('|')})\\s*:\\s*`,
  'gi',
);

/** Labelled parts of a message ("Steps: …", "Expected: …", "Devices: …"), by kind. */
export function sectionsOf(text: string): { head: string; sections: Partial<Record<Section, string>> } {
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '');
  // Folding only removes combining marks; map folded offsets back to the original text.
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const n = text[i].normalize('NFD').replace(/\p{M}/gu, '').length;
    for (let k = 0; k < n; k++) offsets.push(i);
  }
  offsets.push(text.length);
  const marks: Array<{ kind: Section; start: number; bodyStart: number }> = [];
  for (const match of folded.matchAll(SECTION_RE)) {
    const label = fold(match[1] ?? '');
    const kind = SECTION_LABELS.find(([, l]) => new RegExp(`^(?:${l})$`, 'i').test(label))?.[0];
    if (!kind) continue;
    marks.push({
      kind,
      start: offsets[match.index] ?? 0,
      bodyStart: offsets[match.index + match[0].length] ?? text.length,
    });
  }
  const sections: Partial<Record<Section, string>> = {};
  marks.forEach((mark, i) => {
    const end = marks[i + 1]?.start ?? text.length;
    const body = text.slice(mark.bodyStart, end).trim();
    if (body && !sections[mark.kind]) sections[mark.kind] = body;
  });
  const head = (marks[0] ? text.slice(0, marks[0].start) : text).trim();
  return { head, sections };
}

const URL_RE = /\bhttps?:\/\/[^\s<>"')\]]+/i;

/** A numbered list of at least two items, written on lines or inline ("1) … 2) …"). */
export function numberedList(text: string): string | undefined {
  const lines = text
    .split('\n')
    .filter((line) => /^\s*(?:\d{1,2}[.)-]|step \d+:?|etape \d+:?)\s+\S/i.test(line));
  if (lines.length >= 2) return lines.map((l) => l.trim()).join('\n');
  const inline = /(?:^|\s)1[.)]\s+\S[^]*?\s2[.)]\s+\S[^]*$/.exec(text);
  if (inline) {
    const items = inline[0]
      .trim()
      .split(/\s+(?=\d{1,2}[.)]\s)/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length >= 2) return items.join('\n');
  }
  return undefined;
}

const VERSION_TOKEN = String.raw`v?(\d{1,4}\.\d{1,3}(?:\.\d{1,3})?)(?!\.?\d)`;
const VERSION_CUES = [
  new RegExp(String.raw`\b(?:version|ver\.?|release|build|v)\s*[:#]?\s*${VERSION_TOKEN}`, 'i'),
  new RegExp(
    String.raw`\b(?:on|running|runs|run|using|use|upgraded to|updated to|sur|en|avec|la|passe en|mis a jour en|tourne en|tournons en)\s+(?:the\s+|la\s+|le\s+|version\s+|release\s+)?(?:[a-z]+\s+){0,2}${VERSION_TOKEN}`,
    'i',
  ),
  new RegExp(
    String.raw`\b(?:agent|agents|portal|portail|backup|sauvegarde|probe|sonde|console|remote control|patch management|rmm|hlagent)\s+(?:version\s+)?${VERSION_TOKEN}`,
    'i',
  ),
];

/** A version the text states ("version 9.5.2", "on 9.4.7", "v2026.2", "we run agent 9.5.2"), if one. */
export function versionIn(text: string): string | undefined {
  const withoutUrls = fold(text).replace(new RegExp(URL_RE.source, 'gi'), ' ');
  for (const re of VERSION_CUES) {
    const match = re.exec(withoutUrls);
    if (!match?.[1]) continue;
    // An IP address or a longer dotted number is not a version.
    const before = withoutUrls.slice(0, match.index + match[0].length - match[1].length);
    if (/\d\.$/.test(before)) continue;
    return match[1];
  }
  return undefined;
}

const SERIAL = String.raw`\b(?:s\/?n|serial(?: number| no\.?| n°)?|num[eé]ro de s[eé]rie|n[°o]\s*de\s*s[eé]rie|s[eé]rie)(?![A-Za-z])`;
const DEVICE = String.raw`\b(?:device(?: number| no\.?| id| n°)?|appareil|num[eé]ro d['’]appareil|n[°o]\s*d['’]appareil|dev(?:ice)? ?#)(?![A-Za-z])`;
const TOKEN = String.raw`([A-Za-z0-9][A-Za-z0-9._-]{0,63})`;
const SEP = String.raw`[\s,;/|()\-–]*`;
const LABEL_SEP = String.raw`\s*[:#=]?\s*`;

/** Serial/device pairs written anywhere in a text, in the usual ways, as "SN: …, device: …" lines. */
export function devicesIn(text: string): string | undefined {
  const forward = new RegExp(
    `${SERIAL}${LABEL_SEP}${TOKEN}${SEP}(?:and |et )?${DEVICE}${LABEL_SEP}${TOKEN}`,
    'gi',
  );
  const reversed = new RegExp(
    `${DEVICE}${LABEL_SEP}${TOKEN}${SEP}(?:and |et )?${SERIAL}${LABEL_SEP}${TOKEN}`,
    'gi',
  );
  const pairs: Array<{ at: number; serial: string; device: string }> = [];
  const clean = (token: string | undefined): string => (token ?? '').replace(/[._-]+$/, '');
  for (const m of text.matchAll(forward))
    pairs.push({ at: m.index, serial: clean(m[1]), device: clean(m[2]) });
  for (const m of text.matchAll(reversed)) {
    if (pairs.some((p) => Math.abs(p.at - m.index) < 8 || p.serial === clean(m[2]))) continue;
    pairs.push({ at: m.index, serial: clean(m[2]), device: clean(m[1]) });
  }
  if (!pairs.length) return undefined;
  return pairs
    .sort((a, b) => a.at - b.at)
    .map((p) => `SN: ${p.serial}, device: ${p.device}`)
    .join('\n');
}

const EXPLICIT_SEVERITY = /\b(?:sev(?:erity)?|s[ée]v[ée]rit[ée]|priority|priorit[ée])\s*[:=]?\s*([1-4])\b/i;

/** Several problems in one message: announced, or two failing modules in separate sentences. */
export function looksLikeSeveralProblems(text: string, catalogue?: ProductCatalogue): boolean {
  const folded = fold(text);
  if (
    /\b(two|2|several|a few|multiple|three|3) (different |separate |unrelated )?(problems|issues)\b|\b(another|second|other|separate|unrelated) (problem|issue)\b|\balso,? (there is|there's|we have|we've got)\b|(^|[.!?] )(also|separately|in addition),? |\b(deux|plusieurs|trois|2|3) (problemes|soucis)\b|\b(autre|deuxieme|second|seconde) (probleme|souci)\b|\bpar ailleurs\b|\bsans rapport\b|\ben plus,? (il y a|nous avons|on a)\b/.test(
      folded,
    )
  )
    return true;
  if (!catalogue) return false;
  const sentences = text.split(
    /(?<=[.!?])\s+|\n+|;\s*|\b(?:and also|and separately|et aussi|et par ailleurs)\b/i,
  );
  const failingModules = new Set<string>();
  for (const sentence of sentences) {
    const mod = moduleMentionedIn(sentence, catalogue);
    if (mod && suggestSeverity(sentence).cue !== 'default') failingModules.add(mod);
  }
  return failingModules.size >= 2;
}

/** A request for something new ("can you add dark mode to the portal"), not a defect. */
export function looksLikeFeatureRequest(text: string): boolean {
  const folded = fold(text);
  if (/^(feature request|demande d'evolution|suggestion)\s*:/.test(folded)) return true;
  const asksToAdd =
    /\b(can|could|would|will) you (please )?(add|build|implement|introduce|support|provide|offer|make it possible)\b|\b(please add|it would be (nice|great|useful|good) (to|if)|would be nice to have|we would like (you )?to (have|add|see)|we'd like (to see|a new)|is it possible to add|any plans? to (add|support)|feature request|new feature|wish ?list)\b|\b(pourriez-vous|pouvez-vous|pourriez vous|pouvez vous|serait-il possible d'|serait il possible d'|ce serait bien d'|ce serait bien de|nous aimerions avoir|nous souhaiterions)\s*(ajouter|avoir|proposer|prendre en charge|integrer)?|\bdemande d'evolution\b|\bnouvelle fonctionnalite\b/.test(
      folded,
    );
  if (!asksToAdd) return false;
  // "Could you add … because X fails" is a defect worded politely.
  return !/\b(fail(s|ed|ing)?|error|broken|crash|offline|down|echoue|erreur|plante|hors ligne|en panne|ne fonctionne (plus|pas))\b/.test(
    folded,
  );
}

/**
 * The server's address in a message: the one named as the server ("server https://…", "sur
 * le serveur https://…") when there is one, else the first address that is not the target of a
 * Markdown link (a "[see this](https://…)" points at a page, not at the user's server).
 */
function serverAddressIn(text: string): string | undefined {
  const found = [...text.matchAll(new RegExp(URL_RE.source, 'gi'))].filter(
    (m) => text.slice(Math.max(0, (m.index ?? 0) - 2), m.index) !== '](',
  );
  const named = found.find((m) =>
    /\b(server|serveur|console|url|adresse|address)\b[^.\n]{0,20}$/i.test(
      text.slice(Math.max(0, (m.index ?? 0) - 30), m.index),
    ),
  );
  return (named ?? found[0])?.[0];
}

/** Everything the rules can read in one message, as candidates for the field specs. */
export function extractCandidates(text: string, catalogue: ProductCatalogue): RuleExtraction {
  const candidates: Candidates = {};
  const body = stripTicketLeadIn(text);
  const { head, sections } = sectionsOf(body);

  const moduleText = sections.module;
  const mod = moduleText ?? moduleMentionedIn(body, catalogue);
  if (mod) candidates.module = mod;

  const url = URL_RE.exec(sections.server ?? '')?.[0] ?? serverAddressIn(body);
  if (url) candidates.serverUrl = url.replace(/[.,;:!?]+$/, '');

  const version = sections.version ? versionIn(`version ${sections.version}`) : versionIn(body);
  if (version) candidates.productVersion = version;

  const devices = devicesIn(body) ?? sections.devices;
  if (devices) candidates.devices = devices;

  const explicit = EXPLICIT_SEVERITY.exec(body);
  if (explicit?.[1]) candidates.severity = explicit[1];

  let problem = head;
  const steps = (sections.steps && stepsOnly(sections.steps)) ?? numberedListAfterProblem(head);
  if (steps) {
    candidates.stepsToReproduce = steps;
    if (!sections.steps) problem = head.slice(0, head.indexOf(steps.split('\n')[0] ?? '')).trim() || head;
  }
  const description = [sections.description ?? problem, sections.expected && `Expected: ${sections.expected}`]
    .filter(Boolean)
    .join('\n');
  if (description.replace(/\s+/g, ' ').trim().length >= 10) candidates.description = description.trim();
  const subject = sections.subject ?? subjectLine(sections.description ?? problem);
  if (subject) candidates.subject = subject;

  const severalProblems = looksLikeSeveralProblems(body, catalogue);
  const featureRequest = looksLikeFeatureRequest(body);
  return {
    candidates,
    ...(body.length >= 10 && { severityGuess: suggestSeverity(body) }),
    severalProblems,
    featureRequest,
  };
}

/** A "Steps:" section without the sentences that follow its last numbered step. */
function stepsOnly(section: string): string {
  const paragraph = section.split(/\n\s*\n/)[0] ?? section;
  const items = [...paragraph.matchAll(/(?:^|\s)\d{1,2}[.)]\s+/g)];
  const last = items[items.length - 1];
  if (!last) return paragraph.trim();
  const end = /[.!?](?:\s|$)/.exec(paragraph.slice(last.index + last[0].length));
  return end ? paragraph.slice(0, last.index + last[0].length + end.index + 1).trim() : paragraph.trim();
}

/** A numbered list in a message that is not a list of problems. */
function numberedListAfterProblem(text: string): string | undefined {
  if (/\b(problems|issues|problemes|soucis)\s*:/.test(fold(text))) return undefined;
  return numberedList(text);
}

/** A one-line subject: the problem's first sentence without addresses, cut at a clause when long. */
export function subjectLine(problem: string): string | undefined {
  const withoutUrls = problem
    .replace(new RegExp(String.raw`\s*\b(?:on|at|sur|via|de)?\s*${URL_RE.source}`, 'gi'), (url) =>
      /[.,;:]$/.test(url) ? url.slice(-1) : '',
    )
    .replace(/\s+,/g, ',')
    .trim();
  const first = (withoutUrls.split(/(?<=[.!?])\s|\n/)[0] ?? withoutUrls).trim();
  // The first clause when it says enough ("Agents offline since this morning, about 120 devices").
  const clause = (first.split(/[,;:–—]\s|\s-\s|\s\(/)[0] ?? first).trim();
  const line = clause.length >= 10 && clause.split(/\s+/).length >= 2 ? clause : first;
  return subjectFrom(line.replace(/[,;:\s]+$/, ''));
}

export function explicitSeverity(text: string): Severity | undefined {
  const match = EXPLICIT_SEVERITY.exec(text);
  return match?.[1] ? (Number(match[1]) as Severity) : undefined;
}
