import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection, Model } from 'mongoose';
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
    const orgFiles: Array<{ name: string; records: DirectoryRecord[] }> = [];
    const contactFiles: Array<{ name: string; records: DirectoryRecord[] }> = [];
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
    files: Array<{ name: string; records: DirectoryRecord[] }>,
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
    const s = summary.organisations;
    for (const file of files) {
      const reject = (line: number, reason: string): void => {
        summary.rejections.push({ file: file.name, line, reason });
        s.rejected++;
      };
      options.progress?.start(file.name, file.records.length);
      for (let i = 0; i < file.records.length; i += CHUNK) {
        const inserts: OrganisationDocument[] = [];
        const replaces: OrganisationDocument[] = [];
        for (const record of file.records.slice(i, i + CHUNK)) {
          const parsed = organisationRowSchema.safeParse(record.fields);
          if (!parsed.success) {
            reject(record.line, reasonOf(parsed.error));
            continue;
          }
          const row = parsed.data;
          const earlier = seen.get(row.id);
          if (earlier !== undefined) {
            reject(record.line, `organisation ${row.id} is already on line ${earlier}`);
            continue;
          }
          const clash = row.tenantId.find((t) => (tenantOwner.get(t) ?? row.id) !== row.id);
          if (clash) {
            reject(record.line, `tenant ${clash} belongs to organisation ${tenantOwner.get(clash)}`);
            continue;
          }
          seen.set(row.id, record.line);
          const before = existing.get(row.id);
          const doc: OrganisationDocument = {
            _id: row.id,
            name: row.name,
            teamsTenantIds: row.tenantId,
            accountManager: { name: row.accountManagerName, email: row.accountManagerEmail },
            supportPlanActive: row.supportPlanUntil !== null,
            supportPlanUntil: row.supportPlanUntil,
            emailDomains: row.emailDomains,
            ...((row.locale ?? before?.locale) ? { locale: row.locale ?? before?.locale } : {}),
            active: true,
          };
          for (const t of row.tenantId) tenantOwner.set(t, row.id);
          known.add(row.id);
          if (!before) {
            s.added++;
            inserts.push(doc);
          } else if (options.insertOnly || sameOrganisation(before, doc)) {
            s.unchanged++;
          } else {
            s.updated++;
            replaces.push(doc);
          }
        }
        if (!options.dryRun) {
          await insertAll(this.organisations, inserts);
          await replaceAll(this.organisations, replaces);
          await writeKeys(
            this.keys,
            [...inserts, ...replaces].flatMap((o) =>
              o.teamsTenantIds.map((t) => ({ key: directoryKey.tenant(t), targetId: o._id })),
            ),
          );
        }
        options.progress?.advance(Math.min(CHUNK, file.records.length - i));
      }
      options.progress?.stop();
    }
    return known;
  }

  private async importContacts(
    files: Array<{ name: string; records: DirectoryRecord[] }>,
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
    const s = summary.contacts;
    for (const file of files) {
      const reject = (line: number, reason: string): void => {
        summary.rejections.push({ file: file.name, line, reason });
        s.rejected++;
      };
      options.progress?.start(file.name, file.records.length);
      for (let i = 0; i < file.records.length; i += CHUNK) {
        const inserts: ContactDocument[] = [];
        const replaces: ContactDocument[] = [];
        for (const record of file.records.slice(i, i + CHUNK)) {
          const parsed = contactRowSchema.safeParse(record.fields);
          if (!parsed.success) {
            reject(record.line, reasonOf(parsed.error));
            continue;
          }
          const row = parsed.data;
          if (!knownOrgs.has(row.organisationId)) {
            reject(record.line, `unknown organisation ${row.organisationId}`);
            continue;
          }
          const earlierEmail = emailLine.get(row.email);
          if (earlierEmail !== undefined) {
            reject(record.line, `${row.email} is already on line ${earlierEmail}`);
            continue;
          }
          const sameEmail = byEmail.get(row.email);
          if (sameEmail && sameEmail.organisationId !== row.organisationId) {
            reject(record.line, `${row.email} is a contact of organisation ${sameEmail.organisationId}`);
            continue;
          }
          const id = row.id ?? sameEmail?._id ?? contactIdFor(row.organisationId, row.email);
          if (sameEmail && sameEmail._id !== id) {
            reject(record.line, `${row.email} is already used by contact ${sameEmail._id}`);
            continue;
          }
          if (inFile.has(id)) {
            reject(record.line, `contact ${id} is already on line ${inFile.get(id)}`);
            continue;
          }
          if (row.aadObjectId && (aadOwner.get(row.aadObjectId) ?? id) !== id) {
            reject(record.line, `aadObjectId ${row.aadObjectId} belongs to another contact`);
            continue;
          }
          const before = byId.get(id);
          if (before && before.organisationId !== row.organisationId) {
            reject(record.line, `contact ${id} belongs to organisation ${before.organisationId}`);
            continue;
          }
          inFile.set(id, record.line);
          emailLine.set(row.email, record.line);
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
          if (!before) {
            s.added++;
            inserts.push(doc);
            byEmail.set(doc.email, doc);
          } else if (options.insertOnly || sameContact(before, doc)) {
            s.unchanged++;
          } else {
            s.updated++;
            replaces.push(doc);
          }
        }
        if (!options.dryRun) {
          await insertAll(this.contacts, inserts);
          await replaceAll(this.contacts, replaces);
          await writeKeys(
            this.keys,
            [...inserts, ...replaces].flatMap((c) => contactKeys(c).map((key) => ({ key, targetId: c._id }))),
          );
        }
        options.progress?.advance(Math.min(CHUNK, file.records.length - i));
      }
      options.progress?.stop();
    }
    if (!options.prune) return;
    const gone = [...byId.values()].filter((c) => !inFile.has(c._id) && (c.active ?? true));
    s.deactivated = gone.length;
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

function sameOrganisation(a: OrganisationDocument, b: OrganisationDocument): boolean {
  return canonical(a, ORG_FIELDS) === canonical(b, ORG_FIELDS);
}

function sameContact(a: ContactDocument, b: ContactDocument): boolean {
  return canonical(a, CONTACT_FIELDS) === canonical(b, CONTACT_FIELDS);
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

function canonical(doc: object, fields: string[]): string {
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
