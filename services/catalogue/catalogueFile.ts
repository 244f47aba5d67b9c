import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import type { ResponseTarget } from '../tickets/policy';
import type { CatalogueData } from './types';

/** One problem in a catalogue file, with where it is (1-based line and column). */
export interface CatalogueFileIssue {
  line: number;
  column: number;
  /** The key path, e.g. `modules[2].versions[0].released`. */
  path: string;
  message: string;
}

export type CatalogueParseResult =
  { ok: true; data: CatalogueData; revision: string } | { ok: false; issues: CatalogueFileIssue[] };

// YAML is read with the "failsafe" schema so that versions such as 2026.10 stay text; JSON
// files keep their types. Both therefore accept booleans and numbers written either way.
const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'yes', 'no']).transform((v) => v === 'true' || v === 'yes'),
]);
const positiveNumber = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'Expected a number.')
      .transform(Number),
  ])
  .pipe(z.number().positive('Expected a number above 0.').max(10_000));
const text = z.string().trim().min(1, 'Must not be empty.').max(200);
const bilingual = z.strictObject({ en: text, fr: text });
const isoDate = z.iso.date('Expected a date written YYYY-MM-DD.');
const hour = z
  .string()
  .regex(/^([01]\d|2[0-4]):00$/, 'Expected a whole hour written HH:00, e.g. 09:00.')
  .transform((v) => Number(v.slice(0, 2)));
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const target = z
  .strictObject({ hours: positiveNumber, aroundTheClock: flag.default(false) })
  .transform((t): ResponseTarget => ({
    amount: t.hours,
    unit: t.aroundTheClock ? 'hours' : 'business_hours',
  }));

const versionFormat = z.strictObject({
  pattern: z
    .string()
    .max(200)
    .refine((p) => {
      try {
        new RegExp(p);
        return true;
      } catch {
        return false;
      }
    }, 'Not a valid regular expression.'),
  description: bilingual,
});

const moduleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,49}$/, 'Expected lowercase letters, digits and dashes, e.g. backup.'),
    name: bilingual,
    hasDevices: flag,
    technical: flag.default(true),
    versionFormat,
    versions: z
      .array(z.strictObject({ version: z.string().trim().min(1).max(40), released: isoDate }))
      .default([]),
  })
  .superRefine((m, ctx) => {
    const pattern = safeRegExp(m.versionFormat.pattern);
    const seen = new Set<string>();
    m.versions.forEach((v, index) => {
      if (pattern && !pattern.test(v.version))
        ctx.addIssue({
          code: 'custom',
          path: ['versions', index, 'version'],
          message: `Version "${v.version}" does not match the module's version pattern.`,
        });
      if (seen.has(v.version))
        ctx.addIssue({
          code: 'custom',
          path: ['versions', index, 'version'],
          message: `Version "${v.version}" is listed twice.`,
        });
      seen.add(v.version);
    });
  });

const catalogueSchema = z.strictObject({
  timeZone: z.string().refine(isTimeZone, 'Not a time zone; use an IANA name such as Europe/Paris or UTC.'),
  businessHours: z
    .strictObject({
      days: z.array(z.enum(DAYS, 'Expected a day: mon, tue, wed, thu, fri, sat or sun.')).min(1),
      start: hour,
      end: hour,
    })
    .refine((b) => b.end > b.start, { message: 'The end must be after the start.', path: ['end'] }),
  holidays: z.array(isoDate).default([]),
  responseTargets: z.strictObject({
    severity1: target,
    severity2: target,
    severity3: target,
    severity4: target,
    billing: target.optional(),
  }),
  modules: z.array(moduleSchema).min(1, 'At least one module is needed.'),
});

/**
 * Reads a catalogue file (YAML, or JSON when `format` says so or the text starts with `{`),
 * validates it, and returns the stored form with a revision (a hash of the content); or every
 * problem found, each with its line.
 */
export function parseCatalogue(source: string, format: 'yaml' | 'json' = 'yaml'): CatalogueParseResult {
  const lineCounter = new LineCounter();
  const json = format === 'json' || source.trimStart().startsWith('{');
  const doc = parseDocument(source.replace(/^\uFEFF/, ''), {
    lineCounter,
    schema: json ? 'json' : 'failsafe',
    prettyErrors: false,
    uniqueKeys: true,
  });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length) {
    return {
      ok: false,
      issues: doc.errors.map((error) => ({
        ...at(error.pos[0]),
        path: '',
        message: error.message.split('\n')[0] ?? error.message,
      })),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = catalogueSchema.safeParse(raw);
  const duplicates = duplicateModuleIds(raw);
  if (!parsed.success || duplicates.length) {
    const issues = [...(parsed.success ? [] : parsed.error.issues), ...duplicates].map((issue) => ({
      ...at(offsetOf(doc, issue.path)),
      path: formatPath(issue.path),
      message: issue.message,
    }));
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, issues };
  }
  const c = parsed.data;
  const data: CatalogueData = {
    timeZone: c.timeZone,
    businessHours: {
      days: c.businessHours.days.map((d) => DAYS.indexOf(d)).sort((a, b) => a - b),
      startHour: c.businessHours.start,
      endHour: c.businessHours.end,
    },
    holidays: [...new Set(c.holidays)].sort(),
    responseTargets: {
      '1': c.responseTargets.severity1,
      '2': c.responseTargets.severity2,
      '3': c.responseTargets.severity3,
      '4': c.responseTargets.severity4,
      billing: c.responseTargets.billing ?? c.responseTargets.severity3,
    },
    modules: c.modules.map((m) => ({
      id: m.id,
      name: m.name,
      hasDevices: m.hasDevices,
      technical: m.technical,
      versionFormat: m.versionFormat,
      versions: m.versions
        .map((v) => ({ version: v.version, releasedOn: v.released }))
        .sort((a, b) => b.releasedOn.localeCompare(a.releasedOn)),
    })),
  };
  return { ok: true, data, revision: catalogueRevision(data) };
}

/** Checked on the raw file so that it is reported along with the other problems. */
function duplicateModuleIds(raw: unknown): Array<{ path: PropertyKey[]; message: string }> {
  const modules = (raw as { modules?: unknown }).modules;
  if (!Array.isArray(modules)) return [];
  const seen = new Set<string>();
  const issues: Array<{ path: PropertyKey[]; message: string }> = [];
  modules.forEach((m: unknown, index) => {
    const id = (m as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    if (seen.has(id))
      issues.push({ path: ['modules', index, 'id'], message: `Module id "${id}" is used twice.` });
    seen.add(id);
  });
  return issues;
}

/** A short hash of the stored form: equal content, equal revision. */
export function catalogueRevision(data: CatalogueData): string {
  return createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16);
}

/** `file:line:column  path: message`, one line per issue. */
export function formatCatalogueIssue(file: string, issue: CatalogueFileIssue): string {
  return `${file}:${issue.line}:${issue.column}  ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** The offset of the deepest node the path reaches (a missing key points at its parent). */
function offsetOf(doc: Document, path: PropertyKey[]): number {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length) as unknown[], true);
    if (isNode(node) && node.range) return node.range[0];
    // A key whose value is empty (e.g. `name:`) has no node of its own: point at its parent.
  }
  return 0;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`))
    .join('');
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
