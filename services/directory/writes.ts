import { mongo, type Model } from 'mongoose';
import { isDuplicateKey } from '../db';
import type { DirectoryKeyDocument } from '../identity/directoryKeys';

/** A change to one stored document: the fields to set, and those to remove. */
export interface DocumentChange {
  id: string;
  set: Record<string, unknown>;
  unset: string[];
}

/**
 * Inserts documents that were not stored when the import read the collection, unordered (one
 * failure does not stop the others), and returns the indexes of those another writer stored
 * first (duplicate key). Plain inserts, not upserts: FerretDB runs every upsert of a bulk as a
 * statement of its own, an insert batch as one.
 */
export async function insertNew<D extends { _id: string }>(model: Model<D>, docs: D[]): Promise<Set<number>> {
  const lost = new Set<number>();
  if (!docs.length) return lost;
  try {
    await model.collection.insertMany(docs as never[], { ordered: false });
  } catch (error) {
    if (!(error instanceof mongo.MongoBulkWriteError)) {
      if (isDuplicateKey(error) && docs.length === 1) return new Set([0]);
      throw error;
    }
    const errors = ([] as Array<{ code?: unknown; index: number }>).concat(
      error.writeErrors as { code?: unknown; index: number } | Array<{ code?: unknown; index: number }>,
    );
    if (!errors.length || errors.some((e) => e.code !== 11000)) throw error;
    for (const e of errors) lost.add(e.index);
  }
  return lost;
}

/** Applies changes to documents known to exist: one unordered bulk of `updateOne` by `_id`, no upsert. */
export async function updateChanged<D extends { _id: string }>(
  model: Model<D>,
  changes: DocumentChange[],
): Promise<void> {
  if (!changes.length) return;
  await model.collection.bulkWrite(
    changes.map((c) => ({
      updateOne: {
        filter: { _id: c.id as never },
        update: {
          ...(Object.keys(c.set).length ? { $set: c.set } : {}),
          ...(c.unset.length ? { $unset: Object.fromEntries(c.unset.map((f) => [f, ''])) } : {}),
        },
      },
    })),
    { ordered: false },
  );
}

/** The stored lookup keys (one scan): key → the id it leads to. */
export async function readKeys(model: Model<DirectoryKeyDocument>): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const doc of await model.find({}, { targetId: 1 }).lean().exec()) keys.set(doc._id, doc.targetId);
  return keys;
}

/**
 * Points each key at its target, writing only the keys that are missing (inserted) or lead
 * elsewhere (updated); `known` is what is stored, kept up to date. A key another writer inserted
 * meanwhile is then updated: the import's data wins, as it would have with an upsert.
 */
export async function syncKeys(
  model: Model<DirectoryKeyDocument>,
  known: Map<string, string>,
  entries: Array<{ key: string; targetId: string }>,
): Promise<void> {
  const missing: DirectoryKeyDocument[] = [];
  const moved: DocumentChange[] = [];
  for (const { key, targetId } of entries) {
    const stored = known.get(key);
    if (stored === targetId) continue;
    if (stored === undefined) missing.push({ _id: key, targetId });
    else moved.push({ id: key, set: { targetId }, unset: [] });
    known.set(key, targetId);
  }
  const lost = await insertNew(model, missing);
  for (const index of lost) {
    const { _id, targetId } = missing[index];
    moved.push({ id: _id, set: { targetId }, unset: [] });
  }
  await updateChanged(model, moved);
}
