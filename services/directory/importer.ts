import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Connection, Model } from 'mongoose';
import type { z } from 'zod';
import { withDatabaseErrors } from '../db';
import { AppError } from '../errors';
import { contactKeys, directoryKey, getDirectoryKeyModel } from '../identity/directoryKeys';
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
import { insertNew, readKeys, syncKeys, updateChanged, type DocumentChange } from './writes';

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

// Rows per write: each chunk is a few requests (documents, then keys) of at most this many
// operations, each well within the socket timeout on FerretDB.
const CHUNK = 500;

const emptyKind = (): KindSummary => ({ added: 0, updated: 0, unchanged: 0, rejected: 0, deactivated: 0 });

/** A contact's id when the file gives none: stable for (organisation, email), with no personal data in it. */
export function contactIdFor(organisationId: string, email: string): string {
  return `ct-${createHash('sha256').update(`${organisationId}\n${email.toLowerCase()}`).digest('hex').slice(0, 24)}`;
}

/**
 * Imports customer organisations and their contacts from CRM exports (CSV or JSON Lines), one
 * file of each (product.md J). Organisations are upserted by id, contacts by id or by
 * (organisation, email); running the same files again changes nothing. What is stored is read
 * once (one scan of each collection, compared fields only) and every row is classified in
 * memory; then only new documents are inserted (unordered batches) and only changed ones updated
 * (`updateOne` by `_id`, no upsert), and likewise the lookup keys identity resolution uses
 * (`directory_keys`). No upserts: FerretDB runs each upsert as statements of its own, which made
 * a 20,000-contact import time out.
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
      const run: ImportRun = { summary, options };
      const knownOrgs = await this.importOrganisations(orgFiles, run);
      if (contactFiles.length) await this.importContacts(contactFiles, knownOrgs, run);
    });
    summary.rejections.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    this.log.info(
      { organisations: summary.organisations, contacts: summary.contacts, dryRun: summary.dryRun },
      'directory imported',
    );
    return summary;
  }

  /** Returns the ids of every organisation known after the import (stored, or added by it). */
  private async importOrganisations(files: DirectoryFile[], run: ImportRun): Promise<Set<string>> {
    const { summary } = run;
    const existing = new Map<string, OrganisationDocument>();
    const tenantOwner = new Map<string, string>();
    for (const doc of await this.organisations
      .find({}, projection(ORG_FIELDS))
      .lean<OrganisationDocument[]>()
      .exec()) {
      existing.set(doc._id, doc);
      for (const t of doc.teamsTenantIds ?? []) tenantOwner.set(t, doc._id);
    }
    const known = new Set(existing.keys());
    const seen = new Map<string, number>();
    await this.importRows(files, run, {
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
    run: ImportRun,
  ): Promise<void> {
    const { summary, options } = run;
    const byId = new Map<string, ContactDocument>();
    const byEmail = new Map<string, ContactDocument>();
    const aadOwner = new Map<string, string>();
    for (const doc of await this.contacts
      .find({}, projection(CONTACT_FIELDS))
      .lean<ContactDocument[]>()
      .exec()) {
      byId.set(doc._id, doc);
      byEmail.set(doc.email, doc);
      if (doc.aadObjectId) aadOwner.set(doc.aadObjectId, doc._id);
    }
    const inFile = new Map<string, number>();
    const emailLine = new Map<string, number>();
    await this.importRows(files, run, {
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
      await updateChanged(
        this.contacts,
        gone.slice(i, i + CHUNK).map((c) => ({ id: c._id, set: { active: false }, unset: [] })),
      );
    }
  }

  /**
   * The one row loop of both kinds: validates each record, lets the kind admit it (or say why
   * not), classifies it against what is stored as added, updated or unchanged, and writes each
   * chunk (nothing in a dry run): new documents inserted, changed fields updated, then those
   * documents' lookup keys that are missing or lead elsewhere.
   */
  private async importRows<R, D extends { _id: string }>(
    files: DirectoryFile[],
    run: ImportRun,
    kind: RowKind<R, D>,
  ): Promise<void> {
    const { summary, options } = run;
    const s = kind.summary;
    const reject = (file: string, line: number, reason: string): void => {
      summary.rejections.push({ file, line, reason });
      s.rejected++;
    };
    for (const file of files) {
      options.progress?.start(file.name, file.records.length);
      for (let i = 0; i < file.records.length; i += CHUNK) {
        const inserts: Array<{ doc: D; line: number }> = [];
        const changes: DocumentChange[] = [];
        // The documents written: their keys are checked (those of unchanged ones already are).
        const written: D[] = [];
        for (const record of file.records.slice(i, i + CHUNK)) {
          const parsed = kind.schema.safeParse(record.fields);
          const admitted = parsed.success ? kind.admit(parsed.data, record.line) : reasonOf(parsed.error);
          if (typeof admitted === 'string') {
            reject(file.name, record.line, admitted);
            continue;
          }
          const before = kind.existing.get(admitted._id);
          const change = before && !options.insertOnly ? diff(before, admitted, kind.fields) : undefined;
          if (!before) {
            s.added++;
            inserts.push({ doc: admitted, line: record.line });
          } else if (!change) {
            s.unchanged++;
          } else {
            s.updated++;
            changes.push(change);
            written.push(admitted);
          }
        }
        if (!options.dryRun) {
          const lost = await insertNew(
            kind.model,
            inserts.map((x) => x.doc),
          );
          inserts.forEach(({ doc, line }, index) => {
            if (!lost.has(index)) {
              written.push(doc);
              return;
            }
            // Another writer stored the same id or email since the import read the collection:
            // theirs stays, and a second run classifies this row against it.
            s.added--;
            reject(file.name, line, `${doc._id} was added by another writer during the import; run it again`);
          });
          await updateChanged(kind.model, changes);
          if (written.length) {
            // Read on the first write only: a run that changes nothing scans no keys.
            run.keys ??= await readKeys(this.keys);
            await syncKeys(
              this.keys,
              run.keys,
              written.flatMap((d) => kind.keys(d).map((key) => ({ key, targetId: d._id }))),
            );
          }
        }
        options.progress?.advance(Math.min(CHUNK, file.records.length - i));
      }
      options.progress?.stop();
    }
  }
}

/** One import: its summary, options, and the stored lookup keys once a write needs them. */
interface ImportRun {
  summary: DirectorySummary;
  options: DirectoryImportOptions;
  keys?: Map<string, string>;
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

function projection(fields: readonly string[]): Record<string, 1> {
  return Object.fromEntries(fields.map((f) => [f, 1]));
}

/** The fields of `next` that differ from `before` (null when none): set, or unset when absent. */
function diff(before: object, next: object, fields: readonly string[]): DocumentChange | null {
  const a = before as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  const change: DocumentChange = { id: String(b._id), set: {}, unset: [] };
  for (const f of fields) {
    if (comparable(f, a[f]) === comparable(f, b[f])) continue;
    if (b[f] === undefined) change.unset.push(f);
    else change.set[f] = b[f];
  }
  return Object.keys(change.set).length || change.unset.length ? change : null;
}

function comparable(field: string, v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (field === 'active') return v === false ? 'false' : 'true';
  if (field === 'accountManager' && v && typeof v === 'object') {
    const m = v as { name?: string; email?: string };
    return JSON.stringify([m.name, m.email]);
  }
  return JSON.stringify(v ?? null);
}
