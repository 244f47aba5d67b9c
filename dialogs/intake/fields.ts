import type { ProductCatalogue, ProductModule } from '../../services/catalogue';
import { TICKET_LIMITS, ticketFieldSchemas, type UnknowableField } from '../../services/tickets';
import { readCommand, type Command } from '../input';
import type { TextKey } from '../texts';

/** The fields of a technical ticket, in the order the intake asks them. */
export const INTAKE_FIELDS = [
  'module',
  'subject',
  'description',
  'severity',
  'serverUrl',
  'stepsToReproduce',
  'devices',
  'productVersion',
] as const;
export type IntakeField = (typeof INTAKE_FIELDS)[number];
/** Fields the summary lets the user change (the eight, plus people in copy). */
export type EditableField = IntakeField | 'ccs';

export type Severity = 1 | 2 | 3 | 4;

export interface Device {
  serialNumber: string;
  deviceNumber: string;
}

/** A ticket being written: plain data, kept in dialog state between turns. */
export interface TicketDraft {
  module?: string;
  subject?: string;
  description?: string;
  expectedResult?: string;
  severity?: Severity;
  serverUrl?: string;
  stepsToReproduce?: string;
  /** `[]` means "none" (only for modules without devices). */
  devices?: Device[];
  productVersion?: string;
  ccs: string[];
  /** Required fields the user said they do not know. */
  unknown: UnknowableField[];
}

/** A user-facing reason, by text key and placeholders. */
export interface Reason {
  key: TextKey;
  vars?: Record<string, string | number>;
}

export type FieldParse<T> = { ok: true; value: T; note?: Reason } | { ok: false; reason: Reason };

/** Folds case and accents, trims and squeezes spaces: for comparing short answers. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/[.!?\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const DONT_KNOW = new Set([
  "i don't know",
  'i dont know',
  "don't know",
  'dont know',
  'not sure',
  'no idea',
  'unknown',
  "i'm not sure",
  'je ne sais pas',
  'je sais pas',
  'sais pas',
  'aucune idee',
  'inconnu',
  'inconnue',
  'pas sur',
  'je ne suis pas sur',
  '?',
]);

/** True when the whole answer says "I don't know". */
export function isDontKnow(text: string): boolean {
  return DONT_KNOW.has(fold(text));
}

const NONE = new Set(['none', 'no', 'nothing', 'n/a', 'na', 'aucun', 'aucune', 'rien', 'non', 'sans objet']);
export function isNone(text: string): boolean {
  return NONE.has(fold(text));
}

/** Whole-message commands that work at every step, read by the one input layer. */
export type IntakeCommand = Command;
export { readCommand };

export function parseYesNo(text: string): boolean | undefined {
  const answer = fold(text);
  if (
    /^(yes|y|yep|yeah|sure|ok|okay|oui|ouais|bien sur|d'accord|absolument|yes we can|oui tout a fait)$/.test(
      answer,
    )
  )
    return true;
  if (/^(no|n|nope|not really|non|pas vraiment|non merci|no thanks)$/.test(answer)) return false;
  return undefined;
}

export function parseModule(text: string, catalogue: ProductCatalogue): FieldParse<string> {
  const answer = fold(text);
  const modules = catalogue.technicalModules();
  const exact = modules.find(
    (m) => fold(m.id) === answer || fold(m.name.en) === answer || fold(m.name.fr) === answer,
  );
  if (exact) return { ok: true, value: exact.id };
  const mentioned = moduleMentionedIn(text, catalogue);
  if (mentioned) return { ok: true, value: mentioned };
  return { ok: false, reason: { key: 'intake.invalid.module' } };
}

const MODULE_CUES: Record<string, RegExp> = {
  'rmm-agent': /\b(agents?|rmm|monitoring agent|agent de supervision|hlagent)\b/,
  'remote-control':
    /\b(remote (control|session|desktop)|prise de (controle|main)|controle a distance|session a distance)\b/,
  'patch-management': /\b(patch(es|ing)?|correctifs?|windows update|mises? a jour)\b/,
  backup: /\b(backups?|sauvegardes?|restore|restauration|vss)\b/,
  'network-monitoring':
    /\b(snmp|netflow|network monitoring|supervision reseau|probe|sonde|switch|routeur|router)\b/,
  'partner-portal': /\b(portal|portail|partner portal|portail partenaire|sign[- ]?in|mfa)\b/,
};

/** Cues that alone do not name a module when another one is named too ("the agent", "an update"). */
const WEAK_CUES: Record<string, RegExp> = {
  'rmm-agent': /\b(agents?)\b/,
  'patch-management': /\b(mises? a jour|updates?)\b/,
  'partner-portal': /\b(sign[- ]?in|mfa)\b/,
};

/** The one technical module a text clearly names, if exactly one. */
export function moduleMentionedIn(text: string, catalogue: ProductCatalogue): string | undefined {
  const folded = fold(text);
  const named = (m: ProductModule): boolean =>
    folded.includes(fold(m.name.en)) || folded.includes(fold(m.name.fr));
  const hits = catalogue
    .technicalModules()
    .filter((m) => named(m) || (MODULE_CUES[m.id]?.test(folded) ?? false));
  if (hits.length <= 1) return hits[0]?.id;
  const byName = hits.filter(named);
  if (byName.length === 1) return byName[0]?.id;
  const strong = hits.filter((m) => {
    const weak = WEAK_CUES[m.id];
    if (!weak) return true;
    return MODULE_CUES[m.id]?.test(folded.replace(new RegExp(weak.source, 'g'), ' ')) ?? false;
  });
  return strong.length === 1 ? strong[0]?.id : undefined;
}

export function parseSubject(text: string): FieldParse<string> {
  const value = text.trim().replace(/\s+/g, ' ');
  const { min, max } = TICKET_LIMITS.subject;
  if (value.length < min) return { ok: false, reason: { key: 'intake.invalid.subjectShort', vars: { min } } };
  if (value.length > max)
    return { ok: false, reason: { key: 'intake.invalid.subjectLong', vars: { length: value.length, max } } };
  return ticketFieldSchemas.subject.safeParse(value).success
    ? { ok: true, value }
    : { ok: false, reason: { key: 'intake.invalid.subjectShort', vars: { min } } };
}

/** A one-line subject from a problem description: its first sentence, cut at a word. */
export function subjectFrom(problem: string): string | undefined {
  const firstLine = problem.trim().split(/\n/)[0] ?? '';
  const sentence = (firstLine.split(/(?<=[.!?])\s/)[0] ?? firstLine).trim().replace(/[.!?]+$/, '');
  let subject = sentence.length > 100 ? `${sentence.slice(0, 100).replace(/\s+\S*$/, '')}…` : sentence;
  subject = subject.charAt(0).toUpperCase() + subject.slice(1);
  return parseSubject(subject).ok ? subject : undefined;
}

const EXPECTED_CUE =
  /(?:expected(?: result)?\s*:|(?:i|we) expected|expected it to|it should|should have|was supposed to|r[ée]sultat attendu\s*:|on s['’]attendait|je m['’]attendais|nous attendions|[çc]a devrait|il devrait|elle devrait|aurait d[uû])/i;

/** Splits "what happens … expected …" into a description and an expected result. */
export function parseDescription(text: string): FieldParse<{ description: string; expectedResult?: string }> {
  const value = text.trim();
  const { min, max } = TICKET_LIMITS.description;
  if (value.length < min)
    return { ok: false, reason: { key: 'intake.invalid.descriptionShort', vars: { min } } };
  if (value.length > max)
    return {
      ok: false,
      reason: { key: 'intake.invalid.descriptionLong', vars: { length: value.length, max } },
    };
  const match = EXPECTED_CUE.exec(value);
  if (match && match.index > 10) {
    const expected = value.slice(match.index).trim();
    if (expected.length >= 3) {
      return {
        ok: true,
        value: { description: value, expectedResult: expected.slice(0, TICKET_LIMITS.expectedResult.max) },
      };
    }
  }
  return { ok: true, value: { description: value } };
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 1,
  critique: 1,
  urgent: 1,
  major: 2,
  majeur: 2,
  majeure: 2,
  high: 2,
  moderate: 3,
  moderee: 3,
  modere: 3,
  medium: 3,
  moyenne: 3,
  minor: 4,
  mineur: 4,
  mineure: 4,
  low: 4,
  faible: 4,
};

export function parseSeverity(text: string): FieldParse<Severity> {
  const answer = fold(text);
  const digit =
    /^(?:sev(?:erity|erite)?\s*|s)?([1-4])\b/.exec(answer) ??
    /\b(?:sev(?:erity|erite)?|severite)\s*([1-4])\b/.exec(answer);
  if (digit?.[1]) return { ok: true, value: Number(digit[1]) as Severity };
  const word = answer.split(/[\s–-]+/).find((w) => w in SEVERITY_WORDS);
  if (word) return { ok: true, value: SEVERITY_WORDS[word] };
  return { ok: false, reason: { key: 'intake.invalid.severity' } };
}

export function parseServerUrl(text: string): FieldParse<string> {
  const value = text.trim().replace(/[<>]/g, '');
  const parsed = ticketFieldSchemas.serverUrl.safeParse(value);
  if (parsed.success) {
    const url = new URL(parsed.data);
    if (url.hostname && url.hostname.length >= 1) return { ok: true, value: parsed.data };
  }
  return { ok: false, reason: { key: 'intake.invalid.serverUrl' } };
}

export function parseSteps(text: string): FieldParse<string> {
  const parsed = ticketFieldSchemas.stepsToReproduce.safeParse(text);
  if (parsed.success) return { ok: true, value: parsed.data };
  const length = text.trim().length;
  if (length > TICKET_LIMITS.stepsToReproduce.max) {
    return {
      ok: false,
      reason: { key: 'intake.invalid.tooLong', vars: { length, max: TICKET_LIMITS.stepsToReproduce.max } },
    };
  }
  return { ok: false, reason: { key: 'intake.invalid.steps' } };
}

const SERIAL_LABEL =
  /(?:s\/?n|serial(?: number| no\.?)?|num[ée]ro de s[ée]rie|n[°o] de s[ée]rie|s[ée]rie)\s*[:#=]?\s*/i;
const DEVICE_LABEL =
  /(?:device(?: number| no\.?| id)?|appareil|num[ée]ro d['’]appareil|n[°o] d['’]appareil|dev)\s*[:#=]?\s*/i;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9._-]{0,63}/;

/**
 * Reads serial number / device number pairs: "SN: 5CG1234XYZ, device: 10452",
 * "5CG1234XYZ / 10452", one pair per line or separated by ";", in English or French.
 */
export function parseDevices(text: string, mod: ProductModule | undefined): FieldParse<Device[]> {
  if (isNone(text)) {
    if (mod && !mod.hasDevices) return { ok: true, value: [] };
    return { ok: false, reason: { key: 'intake.invalid.devicesNone', vars: { module: mod?.name.en ?? '' } } };
  }
  const devices: Device[] = [];
  const chunks = text
    .split(/\n|;|\band\b|\bet\b|(?<=\d)\s*,\s*(?=(?:s\/?n|serial|s[ée]rie|n[°o])\b)/i)
    .map((c) => c.trim())
    .filter(Boolean);
  for (const chunk of chunks) {
    const labelled = new RegExp(
      `${SERIAL_LABEL.source}(${TOKEN.source})[\\s,;/|-]*${DEVICE_LABEL.source}(${TOKEN.source})`,
      'i',
    ).exec(chunk);
    const reversed = new RegExp(
      `${DEVICE_LABEL.source}(${TOKEN.source})[\\s,;/|-]*${SERIAL_LABEL.source}(${TOKEN.source})`,
      'i',
    ).exec(chunk);
    const bare = new RegExp(`^(${TOKEN.source})\\s*(?:[,/|:]|\\s+-\\s+|\\s+)\\s*(${TOKEN.source})$`).exec(
      chunk,
    );
    const pair = labelled
      ? { serialNumber: labelled[1], deviceNumber: labelled[2] }
      : reversed
        ? { serialNumber: reversed[2], deviceNumber: reversed[1] }
        : bare
          ? { serialNumber: bare[1], deviceNumber: bare[2] }
          : undefined;
    if (!pair) return { ok: false, reason: { key: 'intake.invalid.devices' } };
    if (!ticketFieldSchemas.device.safeParse(pair).success)
      return { ok: false, reason: { key: 'intake.invalid.devices' } };
    devices.push(pair);
  }
  if (!devices.length || devices.length > TICKET_LIMITS.devices.max)
    return { ok: false, reason: { key: 'intake.invalid.devices' } };
  return { ok: true, value: devices };
}

/** Checks a version's format for the module and warns, naming the supported ones, when it is out of support. */
export function parseVersion(
  text: string,
  mod: ProductModule,
  catalogue: ProductCatalogue,
  today: Date,
  locale: 'en' | 'fr',
): FieldParse<string> {
  const value = text
    .trim()
    .replace(/^(?:version|v\.?|ver\.?)\s*/i, '')
    .trim();
  if (!mod.versionPattern.test(value)) {
    return {
      ok: false,
      reason: {
        key: 'intake.invalid.version',
        vars: { module: mod.name[locale], format: mod.versionFormat[locale] },
      },
    };
  }
  const support = catalogue.versionSupport(mod.id, value, today);
  if (support.status === 'supported') return { ok: true, value };
  const supported = support.supported.join(', ');
  if (support.status === 'unsupported' || isOlderThanAll(value, support.supported)) {
    return { ok: true, value, note: { key: 'intake.versionWarning', vars: { version: value, supported } } };
  }
  if (isNewerThanAll(value, support.supported)) return { ok: true, value };
  return {
    ok: true,
    value,
    note: { key: 'intake.versionUnknownWarning', vars: { version: value, supported } },
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
function isOlderThanAll(version: string, list: string[]): boolean {
  return list.length > 0 && list.every((v) => compareVersions(version, v) < 0);
}
function isNewerThanAll(version: string, list: string[]): boolean {
  return list.length > 0 && list.every((v) => compareVersions(version, v) > 0);
}

export function parseCcs(text: string): FieldParse<string[]> {
  if (isNone(text)) return { ok: true, value: [] };
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim().replace(/^<|>$/g, ''))
    .filter(Boolean);
  const emails: string[] = [];
  for (const part of parts) {
    const parsed = ticketFieldSchemas.cc.safeParse(part);
    if (!parsed.success)
      return { ok: false, reason: { key: 'intake.invalid.cc', vars: { value: part.slice(0, 80) } } };
    if (!emails.includes(parsed.data)) emails.push(parsed.data);
  }
  if (emails.length > TICKET_LIMITS.ccs.max)
    return {
      ok: false,
      reason: { key: 'intake.invalid.tooLong', vars: { length: emails.length, max: TICKET_LIMITS.ccs.max } },
    };
  return { ok: true, value: emails };
}
