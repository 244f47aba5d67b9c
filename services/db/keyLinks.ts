import { Schema, type Connection, type Model } from 'mongoose';
import { retryOnDuplicate } from './guards';
import { driverCollection, modelOn } from './model';

/**
 * A lookup key and what it leads to, one document per key, so that a lookup by something other
 * than a document's own `_id` is still an `_id` equality (the only lookup FerretDB v1 over SQLite
 * answers without scanning the collection). A key may be stale (the target changed since, or was
 * never written): readers always check that the document it leads to still carries the value.
 */
export interface KeyLinkDocument {
  _id: string;
  targetId: string;
}

/** The model of a collection of key links (`name` is the model's name on the connection). */
export function keyLinkModel(
  connection: Connection,
  name: string,
  collection: string,
): Model<KeyLinkDocument> {
  const schema = new Schema<KeyLinkDocument>(
    { _id: { type: String, required: true }, targetId: { type: String, required: true } },
    { collection, versionKey: false },
  );
  return modelOn(connection, name, schema);
}

/**
 * Points each key at its target (upserts by `_id`: safe to repeat), in one round trip, for the
 * few keys of one document.
 */
export async function writeKeyLinks(
  model: Model<KeyLinkDocument>,
  entries: Array<{ key: string; targetId: string }>,
): Promise<void> {
  if (!entries.length) return;
  // Two writers upserting one new key can race to insert it (FerretDB v1 reads, then writes): the
  // loser retries as an update.
  await retryOnDuplicate(() =>
    model.bulkWrite(
      entries.map((e) => ({
        updateOne: { filter: { _id: e.key }, update: { $set: { targetId: e.targetId } }, upsert: true },
      })),
      { ordered: false },
    ),
  );
}

/** What `key` leads to, if anything (check the target still carries the value). */
export async function keyTarget(model: Model<KeyLinkDocument>, key: string): Promise<string | undefined> {
  return (await driverCollection(model).findOne({ _id: key }))?.targetId;
}
