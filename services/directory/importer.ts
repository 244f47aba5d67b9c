import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection, Model } from 'mongoose';
import type { z } from 'zod';
import { isDuplicateKey, withDatabaseErrors } from '../db';
import { AppError } from '../errors';
import { contactKeys, directoryKey, getDirectoryKeyModel, writeKeys } from '../identity/directoryKeys';
import {
  getContactModel,
  getOrganisationModel,
  type ContactDocument,
  type OrganisationDocument,
} from '../identity/models';
import type { Logger } from '../logger';
import { readDirectoryText, type DirectoryRecord } from './records';
import {
  CONTACT_COLUMNS,
  ORGANISATION_COLUMNS,
  contactRowSchema,
  organisationRowSchema,
  reasonOf,
} from './rows';

/** A directory file's content; `name` is what rejections quote. */
export interface DirectorySource {
  name: string;
  text: string;
  format?: 'csv' | 'jsonl';
}

export interface DirectoryRejection {
  file: string;
  line: number;
  reason: string;
}

export interface KindSummary {
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Contacts missing from the file, deactivated by `prune`. */
  deactivated: number;
}

export interface DirectorySummary {
  dryRun: boolean;
  organisations: KindSummary;
  contacts: KindSummary;
  rejections: DirectoryRejection[];
}

/** Progress of a long import, for a terminal bar. */
export interface DirectoryProgress {
  start(file: string, total: number): void;
  advance(count: number): void;
  stop(): void;
}

export interface DirectoryImportOptions {
  /** Validate and count, write nothing. */
  dryRun?: boolean;
  /** Deactivate (never delete) the contacts that are not in the contacts file. */
  prune?: boolean;
  /** Add what is missing, leave what exists as it is (the demo data at start). */
  insertOnly?: boolean;
  progress?: DirectoryProgress;
}

const CHUNK = 250;

const emptyKind = (): KindSummary => ({ added: 0, updated: 0, unchanged: 0, rejected: 0, deactivated: 0 });

/** A contact's id when the file gives none: stable for (organisation, email), with no personal data in it. */
export function contactIdFor(organisationId: string, email: string): string {
  return `ct-${createHash('sha256').update(`${organisationId}\n${email.toLowerCase()}`).digest('hex').slice(0, 24)}`;
}

/**
 * Imports customer organisations and their contacts from CRM exports (CSV or JSON Lines), one
 * file of each (product.md J). Organisations are upserted by id, contacts by id or by
 * (organisation, email); running the same files again changes nothing. Existing records are read
 * once (one scan of each collection), compared in memory and written in bulk, with the lookup
 * keys identity resolution uses (`directory_keys`).
 */
export class DirectoryImporter {
  private readonly organisations: Model<OrganisationDocument>;
  private readonly contacts: Model<ContactDocument>;
  private readonly log: Logger;

  constructor(connection: Connection, logger: Logger) {
    this.organisations = getOrganisationModel(connection);
    this.contacts = getContactModel(connection);
    this.keys = getDirectoryKeyModel(connection);
    this.log = logger.child({ component: 'directory-import' });
  }

  private readonly keys: ReturnType<typeof getDirectoryKeyModel>;

  async importFiles(files: string[], options: DirectoryImportOptions = {}): Promise<DirectorySummary> {
    const sources: DirectorySource[] = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      sources.push({
        name: path.basename(file),
        text,
        ...(/\.jsonl?$/i.test(file)
          ? { format: 'jsonl' as const }
          : /\.csv$/i.test(file)
            ? { format: 'csv' as const }
            : {}),
      });
    }
    return await this.importSources(sources, options);
  }

  async importSources(
    sources: DirectorySource[],
    options: DirectoryImportOptions = {},
  ): Promise<DirectorySummary> {
    const summary: DirectorySummary = {
      dryRun: options.dryRun ?? false,
      organisations: emptyKind(),
      contacts: emptyKind(),
      rejections: [],
    };
    const orgFiles: DirectoryFile[] = [];
    const contactFiles: DirectoryFile[] = [];
    for (const source of sources) {
      const read = readDirectoryText(source.text, source.format);
      const has = (names: string[]): boolean => names.every((n) => read.columns.includes(n));
      const isContacts = has(CONTACT_COLUMNS);
      const isOrganisations = has(ORGANISATION_COLUMNS);
      if (!isContacts && !isOrganisations && read.records.length) {
        throw new AppError(
          'invalid_input',
          `${source.name}: neither an organisations file (columns ${ORGANISATION_COLUMNS.join(', ')}) nor a contacts file (columns ${CONTACT_COLUMNS.join(', ')}).`,
        );
      }
      const kind = isContacts ? summary.contacts : summary.organisations;
      for (const bad of read.unreadable) {
        summary.rejections.push({ file: source.name, line: bad.line, reason: bad.reason });
        kind.rejected++;
      }
      (isContacts ? contactFiles : orgFiles).push({ name: source.name, records: read.records });
    }
    await withDatabaseErrors('Directory import', async () => {
      const knownOrgs = await this.importOrganisations(orgFiles, summary, options);
      if (contactFiles.length) await this.importContacts(contactFiles, knownOrgs, summary, options);
    });
    summary.rejections.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    this.log.info(
      { organisations: summary.organisations, contacts: summary.contacts, dryRun: summary.dryRun },
      'directory imported',
    );
    return summary;
  }

  /** Returns the ids of every organisation known after the import (stored, or added by it). */
  private async importOrganisations(
    files: DirectoryFile[],
    summary: DirectorySummary,
    options: DirectoryImportOptions,
  ): Promise<Set<string>> {
    const existing = new Map<string, OrganisationDocument>();
    const tenantOwner = new Map<string, string>();
    for (const doc of await this.organisations.find().lean().exec()) {
      existing.set(doc._id, doc);
      for (const t of doc.teamsTenantIds ?? []) tenantOwner.set(t, doc._id);
    }
    const known = new Set(existing.keys());
    const seen = new Map<string, number>();
    await this.importRows(files, summary, options, {
      summary: summary.organisations,
      model: this.organisations,
      schema: organisationRowSchema,
      existing,
      fields: ORG_FIELDS,
      keys: (o) => o.teamsTenantIds.map((t) => directoryKey.tenant(t)),
      admit: (row, line) => {
        const earlier = seen.get(row.id);
        if (earlier !== undefined) return `organisation ${row.id} is already on line ${earlier}`;
        const clash = row.tenantId.find((t) => (tenantOwner.get(t) ?? row.id) !== row.id);
        if (clash) return `tenant ${clash} belongs to organisation ${tenantOwner.get(clash)}`;
        seen.set(row.id, line);
        for (const t of row.tenantId) tenantOwner.set(t, row.id);
        known.add(row.id);
        const locale = row.locale ?? existing.get(row.id)?.locale;
        return {
          _id: row.id,
          name: row.name,
          teamsTenantIds: row.tenantId,
          accountManager: { name: row.accountManagerName, email: row.accountManagerEmail },
          supportPlanActive: row.supportPlanUntil !== null,
          supportPlanUntil: row.supportPlanUntil,
          emailDomains: row.emailDomains,
          ...(locale ? { locale } : {}),
          active: true,
        };
      },
    });
    return known;
  }

  private async importContacts(
    files: DirectoryFile[],
    knownOrgs: Set<string>,
    summary: DirectorySummary,
    options: DirectoryImportOptions,
  ): Promise<void> {
    const byId = new Map<string, ContactDocument>();
    const byEmail = new Map<string, ContactDocument>();
    const aadOwner = new Map<string, string>();
    for (const doc of await this.contacts.find().lean().exec()) {
      byId.set(doc._id, doc);
      byEmail.set(doc.email, doc);
      if (doc.aadObjectId) aadOwner.set(doc.aadObjectId, doc._id);
    }
    const inFile = new Map<string, number>();
    const emailLine = new Map<string, number>();
    await this.importRows(files, summary, options, {
      summary: summary.contacts,
      model: this.contacts,
      schema: contactRowSchema,
      existing: byId,
      fields: CONTACT_FIELDS,
      keys: contactKeys,
      admit: (row, line) => {
        if (!knownOrgs.has(row.organisationId)) return `unknown organisation ${row.organisationId}`;
        const earlierEmail = emailLine.get(row.email);
        if (earlierEmail !== undefined) return `${row.email} is already on line ${earlierEmail}`;
        const sameEmail = byEmail.get(row.email);
        if (sameEmail && sameEmail.organisationId !== row.organisationId)
          return `${row.email} is a contact of organisation ${sameEmail.organisationId}`;
        const id = row.id ?? sameEmail?._id ?? contactIdFor(row.organisationId, row.email);
        if (sameEmail && sameEmail._id !== id)
          return `${row.email} is already used by contact ${sameEmail._id}`;
        if (inFile.has(id)) return `contact ${id} is already on line ${inFile.get(id)}`;
        if (row.aadObjectId && (aadOwner.get(row.aadObjectId) ?? id) !== id)
          return `aadObjectId ${row.aadObjectId} belongs to another contact`;
        const before = byId.get(id);
        if (before && before.organisationId !== row.organisationId)
          return `contact ${id} belongs to organisation ${before.organisationId}`;
        inFile.set(id, line);
        emailLine.set(row.email, line);
        // Columns left empty keep what is stored: an AAD object id learnt from Teams stays.
        const aadObjectId = row.aadObjectId ?? before?.aadObjectId;
        const phone = row.phone ?? before?.phone;
        const webSubject = row.webSubject ?? before?.webSubject;
        const locale = row.locale ?? before?.locale;
        const doc: ContactDocument = {
          _id: id,
          organisationId: row.organisationId,
          name: row.name,
          email: row.email,
          ...(phone ? { phone } : {}),
          ...(aadObjectId ? { aadObjectId } : {}),
          ...(webSubject ? { webSubject } : {}),
          authorized: row.authorized,
          certifiedAdminUntil: row.certifiedAdminUntil,
          reachable24x7: row.reachable24x7,
          ...(locale ? { locale } : {}),
          active: true,
        };
        if (aadObjectId) aadOwner.set(aadObjectId, id);
        if (!before) byEmail.set(doc.email, doc);
        return doc;
      },
    });
    if (!options.prune) return;
    const gone = [...byId.values()].filter((c) => !inFile.has(c._id) && (c.active ?? true));
    summary.contacts.deactivated = gone.length;
    if (options.dryRun || !gone.length) return;
    for (let i = 0; i < gone.length; i += CHUNK) {
      await this.contacts.bulkWrite(
        gone.slice(i, i + CHUNK).map((c) => ({
          updateOne: { filter: { _id: c._id }, update: { $set: { active: false } } },
        })),
        { ordered: false },
      );
    }
  }

  /**
   * The one row loop of both kinds: validates each record, lets the kind admit it (or say why
   * not), classifies it against what is stored as added, updated or unchanged, and writes each
   * chunk (nothing in a dry run) with its lookup keys.
   */
  private async importRows<R, D extends { _id: string }>(
    files: DirectoryFile[],
    summary: DirectorySummary,
    options: DirectoryImportOptions,
    kind: RowKind<R, D>,
  ): Promise<void> {
    const s = kind.summary;
    for (const file of files) {
      options.progress?.start(file.name, file.records.length);
      for (let i = 0; i < file.records.length; i += CHUNK) {
        const inserts: D[] = [];
        const replaces: D[] = [];
        for (const record of file.records.slice(i, i + CHUNK)) {
          const parsed = kind.schema.safeParse(record.fields);
          const admitted = parsed.success ? kind.admit(parsed.data, record.line) : reasonOf(parsed.error);
          if (typeof admitted === 'string') {
            summary.rejections.push({ file: file.name, line: record.line, reason: admitted });
            s.rejected++;
            continue;
          }
          const before = kind.existing.get(admitted._id);
          if (!before) {
            s.added++;
            inserts.push(admitted);
          } else if (options.insertOnly || same(before, admitted, kind.fields)) {
            s.unchanged++;
          } else {
            s.updated++;
            replaces.push(admitted);
          }
        }
        if (!options.dryRun) {
          await insertAll(kind.model, inserts);
          await replaceAll(kind.model, replaces);
          await writeKeys(
            this.keys,
            [...inserts, ...replaces].flatMap((d) => kind.keys(d).map((key) => ({ key, targetId: d._id }))),
          );
        }
        options.progress?.advance(Math.min(CHUNK, file.records.length - i));
      }
      options.progress?.stop();
    }
  }
}

interface DirectoryFile {
  name: string;
  records: DirectoryRecord[];
}

/** What differs between organisations and contacts in the row loop. */
interface RowKind<R, D extends { _id: string }> {
  summary: KindSummary;
  model: Model<D>;
  schema: z.ZodType<R>;
  /** The stored documents by id, read once before the loop. */
  existing: Map<string, D>;
  /** The fields compared to tell an updated document from an unchanged one. */
  fields: readonly string[];
  /** The `directory_keys` the document is found by. */
  keys: (doc: D) => string[];
  /**
   * Checks a valid row against the rows admitted before it and the stored data, and returns the
   * document to store (recording what later rows are checked against), or why the row is rejected.
   */
  admit: (row: R, line: number) => D | string;
}

async function insertAll<D extends { _id: string }>(model: Model<D>, docs: D[]): Promise<void> {
  if (!docs.length) return;
  try {
    await model.collection.insertMany(docs as never[], { ordered: false });
  } catch (error) {
    // Another writer added one of them meanwhile: theirs stays, the rest is in.
    if (!isDuplicateKey(error)) throw error;
  }
}

async function replaceAll<D extends { _id: string }>(model: Model<D>, docs: D[]): Promise<void> {
  if (!docs.length) return;
  // The driver's collection: the documents are complete and already validated.
  await model.collection.bulkWrite(
    docs.map((doc) => ({
      replaceOne: { filter: { _id: doc._id as never }, replacement: doc as never, upsert: true },
    })),
    { ordered: false },
  );
}

function same(a: object, b: object, fields: readonly string[]): boolean {
  return canonical(a, fields) === canonical(b, fields);
}

const ORG_FIELDS = [
  'name',
  'teamsTenantIds',
  'accountManager',
  'supportPlanActive',
  'supportPlanUntil',
  'emailDomains',
  'locale',
  'active',
];
const CONTACT_FIELDS = [
  'organisationId',
  'name',
  'email',
  'phone',
  'aadObjectId',
  'webSubject',
  'authorized',
  'certifiedAdminUntil',
  'reachable24x7',
  'locale',
  'active',
];

function canonical(doc: object, fields: readonly string[]): string {
  const record = doc as Record<string, unknown>;
  return JSON.stringify(
    fields.map((f) => {
      const v = record[f];
      if (v instanceof Date) return v.toISOString();
      if (f === 'active') return v ?? true;
      if (f === 'accountManager' && v && typeof v === 'object') {
        const m = v as { name?: string; email?: string };
        return [m.name, m.email];
      }
      return v ?? null;
    }),
  );
}
