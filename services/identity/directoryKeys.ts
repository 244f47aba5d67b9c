import type { Connection, Model } from 'mongoose';
import { keyLinkModel, writeKeyLinks, type KeyLinkDocument } from '../db';

/**
 * Lookup keys for identity (see `KeyLinkDocument`), so that every lookup on the hot path is an
 * `_id` equality: `tenant:<tenant id>` → organisation, `email:<address>`, `aad:<AAD object id>`,
 * `web:<token subject>` → contact.
 */
export type DirectoryKeyDocument = KeyLinkDocument;

export function getDirectoryKeyModel(connection: Connection): Model<DirectoryKeyDocument> {
  return keyLinkModel(connection, 'DirectoryKey', 'directory_keys');
}

export const directoryKey = {
  tenant: (tenantId: string): string => `tenant:${tenantId}`,
  email: (email: string): string => `email:${email.toLowerCase()}`,
  aad: (aadObjectId: string): string => `aad:${aadObjectId}`,
  web: (subject: string): string => `web:${subject}`,
};

/** The keys a contact is found by. */
export function contactKeys(contact: { email: string; aadObjectId?: string; webSubject?: string }): string[] {
  return [
    directoryKey.email(contact.email),
    ...(contact.aadObjectId ? [directoryKey.aad(contact.aadObjectId)] : []),
    ...(contact.webSubject ? [directoryKey.web(contact.webSubject)] : []),
  ];
}

/**
 * Points each key at the target, for the few keys of one contact or organisation. Bulk imports use
 * `syncKeys` (services/directory/writes.ts), which writes only what differs: FerretDB runs every
 * upsert as statements of its own.
 */
export const writeKeys = writeKeyLinks;
