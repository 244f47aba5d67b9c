import { Schema, type Connection, type Model } from 'mongoose';
import { modelOn, retryOnDuplicate } from '../db';

/**
 * Lookup keys for identity, one document per key, so that every lookup on the hot path is an
 * `_id` equality (the only lookup FerretDB answers without scanning a collection):
 * `tenant:<tenant id>` → organisation, `email:<address>`, `aad:<AAD object id>`,
 * `web:<token subject>` → contact. A key may be stale (the contact changed since): readers
 * always check that the document it leads to still carries the value.
 */
export interface DirectoryKeyDocument {
  _id: string;
  targetId: string;
}

const keySchema = new Schema<DirectoryKeyDocument>(
  { _id: { type: String, required: true }, targetId: { type: String, required: true } },
  { collection: 'directory_keys', versionKey: false },
);

export function getDirectoryKeyModel(connection: Connection): Model<DirectoryKeyDocument> {
  return modelOn(connection, 'DirectoryKey', keySchema);
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
 * Points each key at the target (upserts by `_id`: safe to repeat), for the few keys of one
 * contact or organisation. Bulk imports use `syncKeys` (services/directory/writes.ts), which
 * writes only what differs: FerretDB runs every upsert as statements of its own.
 */
export async function writeKeys(
  model: Model<DirectoryKeyDocument>,
  entries: Array<{ key: string; targetId: string }>,
): Promise<void> {
  if (!entries.length) return;
  // Two writers upserting one new key can race to insert it: the loser retries as an update.
  await retryOnDuplicate(() =>
    model.bulkWrite(
      entries.map((e) => ({
        updateOne: { filter: { _id: e.key }, update: { $set: { targetId: e.targetId } }, upsert: true },
      })),
      { ordered: false },
    ),
  );
}
